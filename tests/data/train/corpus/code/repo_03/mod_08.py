# Write a function to calculate the sum of the negative numbers of a given list of numbers using lambda function.
def sum_negativenum(nums):
  sum_negativenum = list(filter(lambda nums:nums<0,nums))
  return sum(sum_negativenum)


# Write a python function to check whether the last element of given array is even or odd after performing an operation p times.
def check_last (arr,n,p): 
    _sum = 0
    for i in range(n): 
        _sum = _sum + arr[i] 
    if p == 1: 
        if _sum % 2 == 0: 
            return "ODD"
        else: 
            return "EVEN"
    return "EVEN"


# Write a function to find the nth hexagonal number.
def hexagonal_num(n): 
    return n*(2*n - 1)
