# Write a python function to count integers from a given list.
def count_integer(list1):
    ctr = 0
    for i in list1:
        if isinstance(i, int):
            ctr = ctr + 1
    return ctr


# Write a function to find all words starting with 'a' or 'e' in a given string.
import re
def words_ae(text):
 list = re.findall("[ae]\w+", text)
 return list


# Write a function to choose specified number of colours from three different colours and generate all the combinations with repetitions.
from itertools import combinations_with_replacement 
def combinations_colors(l, n):
    return list(combinations_with_replacement(l,n))
