# Write a function to check if a substring is present in a given list of string values.
def find_substring(str1, sub_str):
   if any(sub_str in s for s in str1):
       return True
   return False


# Write a function to check whether the given number is undulating or not.
def is_undulating(n): 
    if (len(n) <= 2): 
        return False
    for i in range(2, len(n)): 
        if (n[i - 2] != n[i]): 
            return False
    return True


# Write a function to calculate the value of 'a' to the power 'b'.
def power(a,b):
    if b==0:
        return 1
    elif a==0:
        return 0
    elif b==1:
        return a
    else:
        return a*power(a,b-1)
