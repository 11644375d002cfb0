# Write a function to extract the index minimum value record from the given tuples.
from operator import itemgetter 
def index_minimum(test_list):
  res = min(test_list, key = itemgetter(1))[0]
  return (res)


# Write a python function to find the minimum length of sublist.
def Find_Min_Length(lst):  
    minLength = min(len(x) for x in lst )
    return minLength


# Write a python function to find the number of divisors of a given integer.
def divisor(n):
  for i in range(n):
    x = len([i for i in range(1,n+1) if not n % i])
  return x
