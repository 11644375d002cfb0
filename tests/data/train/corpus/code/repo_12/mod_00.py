# Write a function to check whether the entered number is greater than the elements of the given array.
def check_greater(arr, number):
  arr.sort()
  if number > arr[-1]:
    return ('Yes, the entered number is greater than those in the array')
  else:
    return ('No, entered number is less than those in the array')


# Write a function that matches a string that has an a followed by one or more b's.
import re
def text_match_one(text):
        patterns = 'ab+?'
        if re.search(patterns,  text):
                return 'Found a match!'
        else:
                return('Not matched!')


# Write a python function to find the last digit of a given number.
def last_Digit(n) :
    return (n % 10)
