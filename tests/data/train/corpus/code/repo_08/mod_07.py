# Write a function to convert a given string to a tuple.
def string_to_tuple(str1):
    result = tuple(x for x in str1 if not x.isspace()) 
    return result


# Write a python function to set the left most unset bit.
def set_left_most_unset_bit(n): 
    if not (n & (n + 1)): 
        return n 
    pos, temp, count = 0, n, 0 
    while temp: 
        if not (temp & 1): 
            pos = count      
        count += 1; temp>>=1
    return (n | (1 << (pos)))


# Write a function to find the volume of a cone.
import math
def volume_cone(r,h):
  volume = (1.0/3) * math.pi * r * r * h
  return volume
