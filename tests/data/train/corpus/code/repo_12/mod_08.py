# Write a python function to find the sublist having minimum length.
def Find_Min(lst): 
    minList = min((x) for x in lst) 
    return minList


# Write a function to find the area of a rectangle.
def rectangle_area(l,b):
  area=l*b
  return area


# Write a function to remove uppercase substrings from a given string by using regex.
import re
def remove_uppercase(str1):
  remove_upper = lambda text: re.sub('[A-Z]', '', text)
  result =  remove_upper(str1)
  return (result)
