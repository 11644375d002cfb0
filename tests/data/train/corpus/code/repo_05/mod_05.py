# Write a function to remove all the tuples with length k.
def remove_tuples(test_list, K):
  res = [ele for ele in test_list if len(ele) != K]
  return (res)


# Write a function to perform the exponentiation of the given two tuples.
def find_exponentio(test_tup1, test_tup2):
  res = tuple(ele1 ** ele2 for ele1, ele2 in zip(test_tup1, test_tup2))
  return (res)


# Write a function to find the largest triangle that can be inscribed in an ellipse.
import math
def largest_triangle(a,b): 
    if (a < 0 or b < 0): 
        return -1 
    area = (3 * math.sqrt(3) * pow(a, 2)) / (4 * b);  
    return area
