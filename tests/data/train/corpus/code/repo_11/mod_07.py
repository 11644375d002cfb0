# Write a python function to find the sublist having maximum length.
def Find_Max(lst): 
    maxList = max((x) for x in lst) 
    return maxList


# Write a function to round every number of a given list of numbers and print the total sum multiplied by the length of the list.
def round_and_sum(list1):
  lenght=len(list1)
  round_and_sum=sum(list(map(round,list1))* lenght)
  return round_and_sum


# Write a python function to find the cube sum of first n even natural numbers.
def cube_Sum(n): 
    sum = 0
    for i in range(1,n + 1): 
        sum += (2*i)*(2*i)*(2*i) 
    return sum
