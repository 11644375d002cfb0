# Write a python function to find sum of even index binomial coefficients.
import math  
def even_binomial_Coeff_Sum( n): 
    return (1 << (n - 1))


# Write a python function to find the position of the last removed element from the given array.
import math as mt 
def get_Position(a,n,m): 
    for i in range(n): 
        a[i] = (a[i] // m + (a[i] % m != 0))  
    result,maxx = -1,-1
    for i in range(n - 1,-1,-1): 
        if (maxx < a[i]): 
            maxx = a[i] 
            result = i 
    return result + 1


# Write a function to find the volume of a cylinder.
def volume_cylinder(r,h):
  volume=3.1415*r*r*h
  return volume
