# Write a function to find sequences of lowercase letters joined with an underscore.
import re
def text_lowercase_underscore(text):
        patterns = '^[a-z]+_[a-z]+$'
        if re.search(patterns,  text):
                return 'Found a match!'
        else:
                return('Not matched!')


# Write a function to find the perimeter of a square.
def square_perimeter(a):
  perimeter=4*a
  return perimeter


# Write a function to remove characters from the first string which are present in the second string.
NO_OF_CHARS = 256
def str_to_list(string): 
    temp = [] 
    for x in string: 
        temp.append(x) 
    return temp 
def lst_to_string(List): 
    return ''.join(List) 
def get_char_count_array(string): 
    count = [0] * NO_OF_CHARS 
    for i in string: 
        count[ord(i)] += 1
    return count 
def remove_dirty_chars(string, second_string): 
    count = get_char_count_array(second_string) 
    ip_ind = 0
    res_ind = 0
    temp = '' 
    str_list = str_to_list(string) 
    while ip_ind != len(str_list): 
        temp = str_list[ip_ind] 
        if count[ord(temp)] == 0: 
            str_list[res_ind] = str_list[ip_ind] 
            res_ind += 1
        ip_ind+=1
    return lst_to_string(str_list[0:res_ind])
