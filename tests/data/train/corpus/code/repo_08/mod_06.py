# Write a function to get a colon of a tuple.
from copy import deepcopy
def colon_tuplex(tuplex,m,n):
  tuplex_colon = deepcopy(tuplex)
  tuplex_colon[m].append(n)
  return tuplex_colon


# Write a function to find the specified number of largest products from two given lists.
def large_product(nums1, nums2, N):
    result = sorted([x*y for x in nums1 for y in nums2], reverse=True)[:N]
    return result


# Write a python function to find the maximum of two numbers.
def maximum(a,b):   
    if a >= b: 
        return a 
    else: 
        return b
