# Write a function to sort counter by value.
from collections import Counter
def sort_counter(dict1):
 x = Counter(dict1)
 sort_counter=x.most_common()
 return sort_counter


# Write a python function to find the sum of the largest and smallest value in a given array.
def big_sum(nums):
      sum= max(nums)+min(nums)
      return sum


# Write a python function to convert the given string to lower case.
def is_lower(string):
  return (string.lower())
