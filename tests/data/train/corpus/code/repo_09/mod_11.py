# Write a function to find modulo division of two lists using map and lambda function.
def moddiv_list(nums1,nums2):
  result = map(lambda x, y: x % y, nums1, nums2)
  return list(result)


# Write a python function to check whether one root of the quadratic equation is twice of the other or not.
def Check_Solution(a,b,c): 
    if (2*b*b == 9*a*c): 
        return ("Yes"); 
    else: 
        return ("No");


# Write a function to find the n’th carol number.
def get_carol(n): 
    result = (2**n) - 1
    return result * result - 2
