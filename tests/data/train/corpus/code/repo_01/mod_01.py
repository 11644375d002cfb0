# Write a function to find frequency of the elements in a given list of lists using collections module.
from collections import Counter
from itertools import chain
def freq_element(nums):
  result = Counter(chain.from_iterable(nums))
  return result


# Write a function to filter even numbers using lambda function.
def filter_evennumbers(nums):
 even_nums = list(filter(lambda x: x%2 == 0, nums))
 return even_nums


# Write a python function to find the sum of repeated elements in a given array.
def find_Sum(arr,n): 
    return sum([x for x in arr if arr.count(x) > 1])
