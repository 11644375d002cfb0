# Write a function to count the most common words in a dictionary.
from collections import Counter
def count_common(words):
  word_counts = Counter(words)
  top_four = word_counts.most_common(4)
  return (top_four)


# Write a python function to find the volume of a triangular prism.
def find_Volume(l,b,h) : 
    return ((l * b * h) / 2)


# Write a function to split a string at lowercase letters.
import re
def split_lowerstring(text):
 return (re.findall('[a-z][^a-z]*', text))
