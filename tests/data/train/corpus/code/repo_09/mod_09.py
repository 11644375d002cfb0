# Write a python function to check whether all the characters in a given string are unique.
def unique_Characters(str):
    for i in range(len(str)):
        for j in range(i + 1,len(str)): 
            if (str[i] == str[j]):
                return False;
    return True;


# Write a function to remove a specified column from a given nested list.
def remove_column(list1, n):
   for i in list1: 
    del i[n] 
   return list1


# Write a function to find t-nth term of arithemetic progression.
def tn_ap(a,n,d):
  tn = a + (n - 1) * d
  return tn
