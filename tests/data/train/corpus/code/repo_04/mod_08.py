# Write a function to calculate the nth pell number.
def get_pell(n): 
    if (n <= 2): 
        return n 
    a = 1
    b = 2
    for i in range(3, n+1): 
        c = 2 * b + a 
        a = b 
        b = c 
    return b


# Write a function to find sum of the numbers in a list between the indices of a specified range.
def sum_range_list(list1, m, n):                                                                                                                                                                                                
    sum_range = 0                                                                                                                                                                                                         
    for i in range(m, n+1, 1):                                                                                                                                                                                        
        sum_range += list1[i]                                                                                                                                                                                                  
    return sum_range


# Write a function to find the perimeter of a pentagon.
import math
def perimeter_pentagon(a):
  perimeter=(5*a)
  return perimeter
