# Write a function that matches a word at the end of a string, with optional punctuation.
import re
def text_match_word(text):
        patterns = '\w+\S*$'
        if re.search(patterns,  text):
                return 'Found a match!'
        else:
                return 'Not matched!'


# Write a python function to count the number of substrings with same first and last characters.
def check_Equality(s): 
    return (ord(s[0]) == ord(s[len(s) - 1])); 
def count_Substring_With_Equal_Ends(s): 
    result = 0; 
    n = len(s); 
    for i in range(n):
        for j in range(1,n-i+1): 
            if (check_Equality(s[i:i+j])): 
                result+=1; 
    return result;


# Write a python function to find the maximum occuring divisor in an interval.
def find_Divisor(x,y):  
    if (x==y): 
        return y 
    return 2
