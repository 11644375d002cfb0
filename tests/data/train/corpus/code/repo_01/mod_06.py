# Write a function to find t-nth term of geometric series.
import math
def tn_gp(a,n,r):
  tn = a * (math.pow(r, n - 1))
  return tn


# Write a python function to check if a given number is one less than twice its reverse.
def rev(num):    
    rev_num = 0
    while (num > 0):  
        rev_num = (rev_num * 10 + num % 10) 
        num = num // 10  
    return rev_num  
def check(n):    
    return (2 * rev(n) == n + 1)


# Write a python function to find the largest number that can be formed with the given digits.
def find_Max_Num(arr,n) : 
    arr.sort(reverse = True) 
    num = arr[0] 
    for i in range(1,n) : 
        num = num * 10 + arr[i] 
    return num
