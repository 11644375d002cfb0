# Write a python function to find the minimum number of squares whose sum is equal to a given number.
def get_Min_Squares(n):
    if n <= 3:
        return n;
    res = n 
    for x in range(1,n + 1):
        temp = x * x;
        if temp > n:
            break
        else:
            res = min(res,1 + get_Min_Squares(n  - temp)) 
    return res;


# Write a function to get the word with most number of occurrences in the given strings list.
from collections import defaultdict 

def most_occurrences(test_list):
  temp = defaultdict(int)
  for sub in test_list:
    for wrd in sub.split():
      temp[wrd] += 1
  res = max(temp, key=temp.get)
  return (str(res))


# Write a function to print check if the triangle is isosceles or not.
def check_isosceles(x,y,z):
  if x==y or y==z or z==x:
       return True
  else:
     return False
