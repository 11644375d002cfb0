# Write a function to find all words which are at least 4 characters long in a string by using regex.
import re
def find_char_long(text):
  return (re.findall(r"\b\w{4,}\b", text))


# Write a function to find squares of individual elements in a list using lambda function.
def square_nums(nums):
 square_nums = list(map(lambda x: x ** 2, nums))
 return square_nums


# Write a python function to find the minimum number of rotations required to get the same string.
def find_Rotations(str): 
    tmp = str + str
    n = len(str) 
    for i in range(1,n + 1): 
        substring = tmp[i: i+n] 
        if (str == substring): 
            return i 
    return n
