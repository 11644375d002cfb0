# Write a function to rotate a given list by specified number of items to the left direction.
def rotate_left(list1,m,n):
  result =  list1[m:]+list1[:n]
  return result


# Write a python function to count negative numbers in a list.
def neg_count(list):
  neg_count= 0
  for num in list: 
    if num <= 0: 
      neg_count += 1
  return neg_count


# Write a function to find all three, four, five characters long words in the given string by using regex.
import re
def find_char(text):
  return (re.findall(r"\b\w{3,5}\b", text))
