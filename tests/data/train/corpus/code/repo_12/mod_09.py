# Write a python function to get the first element of each sublist.
def Extract(lst): 
    return [item[0] for item in lst]


# Write a python function to count the upper case characters in a given string.
def upper_ctr(str):
    upper_ctr = 0
    for i in range(len(str)):
          if str[i] >= 'A' and str[i] <= 'Z': upper_ctr += 1
          return upper_ctr


# Write a function to find all possible combinations of the elements of a given list.
def combinations_list(list1):
    if len(list1) == 0:
        return [[]]
    result = []
    for el in combinations_list(list1[1:]):
        result += [el, el+[list1[0]]]
    return result
