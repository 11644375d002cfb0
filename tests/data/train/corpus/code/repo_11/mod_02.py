# Write a function to check if a url is valid or not using regex.
import re
def is_valid_URL(str):
    regex = ("((http|https)://)(www.)?" +
            "[a-zA-Z0-9@:%._\\+~#?&//=]" +
            "{2,256}\\.[a-z]" +
            "{2,6}\\b([-a-zA-Z0-9@:%" +
            "._\\+~#?&//=]*)")
    p = re.compile(regex)
    if (str == None):
        return False
    if(re.search(p, str)):
        return True
    else:
        return False


# Write a python function to find the minimum of two numbers.
def minimum(a,b):   
    if a <= b: 
        return a 
    else: 
        return b


# Write a function to check whether an element exists within a tuple.
def check_tuplex(tuplex,tuple1): 
  if tuple1 in tuplex:
    return True
  else:
     return False
