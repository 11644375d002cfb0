# Write a python function to determine whether all the numbers are different from each other are not.
def test_distinct(data):
  if len(data) == len(set(data)):
    return True
  else:
    return False;


# Write a python function to find the last digit when factorial of a divides factorial of b.
def compute_Last_Digit(A,B): 
    variable = 1
    if (A == B): 
        return 1
    elif ((B - A) >= 5):  
        return 0
    else:   
        for i in range(A + 1,B + 1): 
            variable = (variable * (i % 10)) % 10
        return variable % 10


# Write a python function to set all odd bits of a given number.
def odd_bit_set_number(n):
    count = 0;res = 0;temp = n
    while temp > 0:
        if count % 2 == 0:
            res |= (1 << count)
        count += 1
        temp >>= 1
    return (n | res)
