# Write a function to find the diameter of a circle.
def diameter_circle(r):
  diameter=2*r
  return diameter


# Write a function to concatenate all elements of the given list into a string.
def concatenate_elements(list):
  ans = ' '
  for i in list:
    ans = ans+ ' '+i
  return (ans)
