# Write a python function to print negative numbers in a list.
def neg_nos(list1):
  for num in list1: 
    if num < 0: 
       return num


# Write a function to remove odd characters in a string.
def remove_odd(str1):
 str2 = ''
 for i in range(1, len(str1) + 1):
    if(i % 2 == 0):
        str2 = str2 + str1[i - 1]
 return str2


# Write a function to count bidirectional tuple pairs.
def count_bidirectional(test_list):
  res = 0
  for idx in range(0, len(test_list)):
    for iidx in range(idx + 1, len(test_list)):
      if test_list[iidx][0] == test_list[idx][1] and test_list[idx][1] == test_list[iidx][0]:
        res += 1
  return (str(res))
