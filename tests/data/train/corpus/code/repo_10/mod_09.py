# Write a python function to find the highest power of 2 that is less than or equal to n.
def highest_Power_of_2(n): 
    res = 0; 
    for i in range(n, 0, -1): 
        if ((i & (i - 1)) == 0): 
            res = i; 
            break; 
    return res;


# Write a function to find the n'th lucas number.
def find_lucas(n): 
    if (n == 0): 
        return 2
    if (n == 1): 
        return 1
    return find_lucas(n - 1) + find_lucas(n - 2)


# Write a function to insert a given string at the beginning of all items in a list.
def add_string(list,string):
 add_string=[string.format(i) for i in  list]
 return add_string
