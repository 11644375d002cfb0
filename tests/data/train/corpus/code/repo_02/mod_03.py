# Write a function to find the volume of a sphere.
import math
def volume_sphere(r):
  volume=(4/3)*math.pi*r*r*r
  return volume


# Write a python function to find the character made by adding all the characters of the given string.
def get_Char(strr):  
    summ = 0
    for i in range(len(strr)): 
        summ += (ord(strr[i]) - ord('a') + 1)  
    if (summ % 26 == 0): 
        return ord('z') 
    else: 
        summ = summ % 26
        return chr(ord('a') + summ - 1)


# Write a function to find the n-th number in newman conway sequence.
def sequence(n): 
    if n == 1 or n == 2: 
        return 1
    else: 
        return sequence(sequence(n-1)) + sequence(n-sequence(n-1))
