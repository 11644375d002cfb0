# Write a function to calculate the number of digits and letters in a string.
def dig_let(s):
 d=l=0
 for c in s:
    if c.isdigit():
        d=d+1
    elif c.isalpha():
        l=l+1
    else:
        pass
 return (l,d)


# Write a python function to find number of elements with odd factors in a given range.
def count_Odd_Squares(n,m): 
    return int(m**0.5) - int((n-1)**0.5)


# Write a function to find the difference between two consecutive numbers in a given list.
def diff_consecutivenums(nums):
    result = [b-a for a, b in zip(nums[:-1], nums[1:])]
    return result
