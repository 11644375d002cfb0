# Write a function to find all the values in a list that are greater than a specified number.
def greater_specificnum(list,num):
 greater_specificnum=all(x >= num for x in list)
 return greater_specificnum


# Write a function to find the focus of a parabola.
def parabola_focus(a, b, c): 
  focus= (((-b / (2 * a)),(((4 * a * c) - (b * b) + 1) / (4 * a))))
  return focus


# Write a function to search some literals strings in a string by using regex.
import re
def check_literals(text, patterns):
  for pattern in patterns:
    if re.search(pattern,  text):
        return ('Matched!')
    else:
        return ('Not Matched!')
