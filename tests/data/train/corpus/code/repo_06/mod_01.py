# Write a function to replace maximum n occurrences of spaces, commas, or dots with a colon.
import re
def replace_max_specialchar(text,n):
 return (re.sub("[ ,.]", ":", text, n))


# Write a python function to find the first even number in a given list of numbers.
def first_even(nums):
    first_even = next((el for el in nums if el%2==0),-1)
    return first_even


# Write a function to check if all the elements in tuple have same data type or not.
def check_type(test_tuple):
  res = True
  for ele in test_tuple:
    if not isinstance(ele, type(test_tuple[0])):
      res = False
      break
  return (res)
