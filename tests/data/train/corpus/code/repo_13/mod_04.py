# Write a function to determine if there is a subset of the given set with sum equal to the given sum.
def is_subset_sum(set, n, sum):
    if (sum == 0):
        return True
    if (n == 0):
        return False
    if (set[n - 1] > sum):
        return is_subset_sum(set, n - 1, sum)
    return is_subset_sum(set, n-1, sum) or is_subset_sum(set, n-1, sum-set[n-1])


# Write a function to find sequences of one upper case letter followed by lower case letters in the given string by using regex.
import re 
def match(text): 
        pattern = '[A-Z]+[a-z]+$'
        if re.search(pattern, text): 
                return('Yes') 
        else: 
                return('No')


# Write a python function to find the first natural number whose factorial is divisible by x.
def first_Factorial_Divisible_Number(x): 
    i = 1;
    fact = 1; 
    for i in range(1,x): 
        fact = fact * i 
        if (fact % x == 0): 
            break
    return i
