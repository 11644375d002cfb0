# Write a function that matches a word containing 'z'.
import re
def text_match_wordz(text):
        patterns = '\w*z.\w*'
        if re.search(patterns,  text):
                return 'Found a match!'
        else:
                return('Not matched!')


# Write a function to check whether the given month number contains 31 days or not.
def check_monthnumb_number(monthnum2):
  if(monthnum2==1 or monthnum2==3 or monthnum2==5 or monthnum2==7 or monthnum2==8 or monthnum2==10 or monthnum2==12):
    return True
  else:
    return False


# Write a function to reverse strings in a given list of string values.
def reverse_string_list(stringlist):
    result = [x[::-1] for x in stringlist]
    return result
