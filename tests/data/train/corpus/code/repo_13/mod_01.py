# Write a python function to check whether the given list contains consecutive numbers or not.
def check_Consecutive(l): 
    return sorted(l) == list(range(min(l),max(l)+1))


# Write a function to find the tuple intersection of elements in the given tuple list irrespective of their order.
def tuple_intersection(test_list1, test_list2):
  res = set([tuple(sorted(ele)) for ele in test_list1]) & set([tuple(sorted(ele)) for ele in test_list2])
  return (res)


# Write a function to replace characters in a string.
def replace_char(str1,ch,newch):
 str2 = str1.replace(ch, newch)
 return str2
