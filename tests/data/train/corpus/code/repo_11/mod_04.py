# Write a function to find the minimum product from the pairs of tuples within a given list.
def min_product_tuple(list1):
    result_min = min([abs(x * y) for x, y in list1] )
    return result_min


# Write a function to find the minimum value in a given heterogeneous list.
def min_val(listval):
     min_val = min(i for i in listval if isinstance(i, int))
     return min_val


# Write a function to convert the given snake case string to camel case string by using regex.
import re
def snake_to_camel(word):
  return ''.join(x.capitalize() or '_' for x in word.split('_'))
