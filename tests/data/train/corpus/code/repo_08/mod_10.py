# Write a function to find all five characters long word in the given string by using regex.
import re
def find_long_word(text):
  return (re.findall(r"\b\w{5}\b", text))


# Write a function to calculate the difference between the squared sum of first n natural numbers and the sum of squared first n natural numbers.
def sum_difference(n):
    sumofsquares = 0
    squareofsum = 0
    for num in range(1, n+1):
        sumofsquares += num * num
        squareofsum += num
    squareofsum = squareofsum ** 2
    return squareofsum - sumofsquares


# Write a function to find the demlo number for the given number.
def find_demlo(s): 
    l = len(s) 
    res = "" 
    for i in range(1,l+1): 
        res = res + str(i) 
    for i in range(l-1,0,-1): 
        res = res + str(i) 
    return res
