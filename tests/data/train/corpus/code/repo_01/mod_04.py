# Write a function to extract every first or specified element from a given two-dimensional list.
def specified_element(nums, N):
    result = [i[N] for i in nums]
    return result


# Write a function to find the list with minimum length using lambda function.
def min_length_list(input_list):
    min_length = min(len(x) for x in input_list )  
    min_list = min(input_list, key = lambda i: len(i))
    return(min_length, min_list)


# Write a function to print check if the triangle is equilateral or not.
def check_equilateral(x,y,z):
  if x == y == z:
       return True
  else:
     return False
