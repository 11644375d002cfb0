# Write a python function to check whether the triangle is valid or not if sides are given.
def check_Validity(a,b,c):  
    if (a + b <= c) or (a + c <= b) or (b + c <= a) : 
        return False
    else: 
        return True


# Write a function to find the sum of arithmetic progression.
def ap_sum(a,n,d):
  total = (n * (2 * a + (n - 1) * d)) / 2
  return total


# Write a function to check whether the given month name contains 28 days or not.
def check_monthnum(monthname1):
  if monthname1 == "February":
    return True
  else:
    return False
