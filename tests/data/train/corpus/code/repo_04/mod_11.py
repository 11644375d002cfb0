# Write a function to search some literals strings in a string.
import re
def string_literals(patterns,text):
  for pattern in patterns:
     if re.search(pattern,  text):
       return ('Matched!')
     else:
       return ('Not Matched!')


# Write a function to find if the given number is a keith number or not.
def is_num_keith(x): 
    terms = [] 
    temp = x 
    n = 0 
    while (temp > 0): 
        terms.append(temp % 10) 
        temp = int(temp / 10) 
        n+=1 
    terms.reverse() 
    next_term = 0 
    i = n 
    while (next_term < x): 
        next_term = 0 
        for j in range(1,n+1): 
            next_term += terms[i - j] 
        terms.append(next_term) 
        i+=1 
    return (next_term == x)


# Write a function to calculate distance between two points using latitude and longitude.
from math import radians, sin, cos, acos
def distance_lat_long(slat,slon,elat,elon):
 dist = 6371.01 * acos(sin(slat)*sin(elat) + cos(slat)*cos(elat)*cos(slon - elon))
 return dist
