# Write a function to split a list for every nth element.
def list_split(S, step):
    return [S[i::step] for i in range(step)]


# Write a function to find the lateral surface area of a cube.
def lateralsurface_cube(l):
  LSA = 4 * (l * l)
  return LSA


# Write a python function to find the sum of squares of first n odd natural numbers.
def square_Sum(n):  
    return int(n*(4*n*n-1)/3)
