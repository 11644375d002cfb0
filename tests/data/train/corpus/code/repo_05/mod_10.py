# Write a python function to count numbers whose oth and nth bits are set.
def count_Num(n): 
    if (n == 1): 
        return 1
    count = pow(2,n - 2) 
    return count


# Write a python function to find the sum of fourth power of n natural numbers.
import math  
def fourth_Power_Sum(n): 
    sum = 0
    for i in range(1,n+1) : 
        sum = sum + (i*i*i*i) 
    return sum


# Write a function to perform the concatenation of two string tuples.
def concatenate_strings(test_tup1, test_tup2):
  res = tuple(ele1 + ele2 for ele1, ele2 in zip(test_tup1, test_tup2))
  return (res)
