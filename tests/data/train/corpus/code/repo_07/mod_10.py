# Write a python function to check whether the frequency of each digit is less than or equal to the digit itself.
def validate(n): 
    for i in range(10): 
        temp = n;  
        count = 0; 
        while (temp): 
            if (temp % 10 == i): 
                count+=1;  
            if (count > i): 
                return False
            temp //= 10; 
    return True


# Write a function to check whether all items of a list are equal to a given string.
def check_element(list,element):
  check_element=all(v== element for v in list)
  return check_element


# Write a function that matches a string that has an a followed by two to three 'b'.
import re
def text_match_two_three(text):
        patterns = 'ab{2,3}'
        if re.search(patterns,  text):
                return 'Found a match!'
        else:
                return('Not matched!')
