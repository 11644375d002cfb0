# Write a function to find the longest common prefix in the given set of strings.
def common_prefix_util(str1, str2): 
    result = ""; 
    n1 = len(str1) 
    n2 = len(str2) 
    i = 0
    j = 0
    while i <= n1 - 1 and j <= n2 - 1: 
        if (str1[i] != str2[j]): 
            break
        result += str1[i] 
        i += 1
        j += 1
    return (result) 
def common_prefix (arr, n): 
    prefix = arr[0] 
    for i in range (1, n): 
        prefix = common_prefix_util(prefix, arr[i]) 
    return (prefix)


# Write a function to find uppercase, lowercase, special character and numeric values using regex.
import re
def find_character(string):
  uppercase_characters = re.findall(r"[A-Z]", string) 
  lowercase_characters = re.findall(r"[a-z]", string) 
  numerical_characters = re.findall(r"[0-9]", string) 
  special_characters = re.findall(r"[, .!?]", string) 
  return uppercase_characters, lowercase_characters, numerical_characters, special_characters


# Write a function to count all the distinct pairs having a difference of k in any array.
def count_pairs(arr, n, k):
  count=0;
  for i in range(0,n):
    for j in range(i+1, n):
      if arr[i] - arr[j] == k or arr[j] - arr[i] == k:
        count += 1
  return count
