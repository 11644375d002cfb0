# Write a python function to find the perimeter of a cylinder.
def perimeter(diameter,height) : 
    return 2*(diameter+height)


# Write a function to check if a string represents an integer or not.
def check_integer(text):
 text = text.strip()
 if len(text) < 1:
    return None
 else:
     if all(text[i] in "0123456789" for i in range(len(text))):
          return True
     elif (text[0] in "+-") and \
         all(text[i] in "0123456789" for i in range(1,len(text))):
         return True
     else:
        return False


# Write a function to assign frequency to each tuple in the given tuple list.
from collections import Counter 
def assign_freq(test_list):
  res = [(*key, val) for key, val in Counter(test_list).items()]
  return (str(res))
