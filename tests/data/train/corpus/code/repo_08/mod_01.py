# Write a python function to find quotient of two numbers.
def find(n,m):  
    q = n//m 
    return (q)


# Write a function to find the third side of a right angled triangle.
import math
def otherside_rightangle(w,h):
  s=math.sqrt((w*w)+(h*h))
  return s


# Write a function to find the maximum value in a given heterogeneous list.
def max_val(listval):
     max_val = max(i for i in listval if isinstance(i, int)) 
     return(max_val)
