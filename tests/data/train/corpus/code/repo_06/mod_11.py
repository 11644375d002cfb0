# Write a python function to count the occcurences of an element in a tuple.
def count_X(tup, x): 
    count = 0
    for ele in tup: 
        if (ele == x): 
            count = count + 1
    return count


# Write a function to insert an element before each element of a list.
def insert_element(list,element):
 list = [v for elt in list for v in (element, elt)]
 return list


# Write a python function to convert complex numbers to polar coordinates.
import cmath  
def convert(numbers):    
  num = cmath.polar(numbers)  
  return (num)
