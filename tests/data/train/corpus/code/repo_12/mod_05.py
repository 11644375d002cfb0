# Write a function to calculate the sum of perrin numbers.
def cal_sum(n): 
    a = 3
    b = 0
    c = 2
    if (n == 0): 
        return 3
    if (n == 1): 
        return 3
    if (n == 2): 
        return 5
    sum = 5
    while (n > 2): 
        d = a + b 
        sum = sum + d 
        a = b 
        b = c 
        c = d 
        n = n-1
    return sum


# Write a python function to check whether the triangle is valid or not if 3 points are given.
def check_Triangle(x1,y1,x2,y2,x3,y3): 
    a = (x1*(y2-y3)+x2*(y3-y1)+x3*(y1-y2))   
    if a == 0: 
        return ('No') 
    else: 
        return ('Yes')


# Write a function to extract specified size of strings from a give list of string values.
def extract_string(str, l):
    result = [e for e in str if len(e) == l] 
    return result
