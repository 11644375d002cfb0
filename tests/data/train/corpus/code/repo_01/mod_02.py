# Write a function to find sequences of lowercase letters joined with an underscore using regex.
import re
def text_match(text):
  patterns = '^[a-z]+_[a-z]+$'
  if re.search(patterns,  text):
    return ('Found a match!')
  else:
    return ('Not matched!')


# Write a function that matches a word at the beginning of a string.
import re
def text_match_string(text):
        patterns = '^\w+'
        if re.search(patterns,  text):
                return 'Found a match!'
        else:
                return 'Not matched!'


# Write a function to find the gcd of the given array elements.
def find_gcd(x, y): 
    while(y): 
        x, y = y, x % y 
    return x 
def get_gcd(l):
  num1 = l[0]
  num2 = l[1]
  gcd = find_gcd(num1, num2)
  for i in range(2, len(l)):
    gcd = find_gcd(gcd, l[i])
  return gcd
