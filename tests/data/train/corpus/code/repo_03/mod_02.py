# Write a function to check whether all dictionaries in a list are empty or not.
def empty_dit(list1):
 empty_dit=all(not d for d in list1)
 return empty_dit


# Write a function to convert a given tuple of positive integers into an integer.
def tuple_to_int(nums):
    result = int(''.join(map(str,nums)))
    return result


# Write a function to convert all possible convertible elements in the list to float.
def list_to_float(test_list):
  res = []
  for tup in test_list:
    temp = []
    for ele in tup:
      if ele.isalpha():
        temp.append(ele)
      else:
        temp.append(float(ele))
    res.append((temp[0],temp[1])) 
  return (str(res))
