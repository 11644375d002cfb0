# Write a python function to find highest power of 2 less than or equal to given number.
def highest_Power_of_2(n): 
    res = 0; 
    for i in range(n, 0, -1):  
        if ((i & (i - 1)) == 0): 
            res = i; 
            break;      
    return res;


# Write a function to find all index positions of the maximum values in a given list.
def position_max(list1):
    max_val = max(list1)
    max_result = [i for i, j in enumerate(list1) if j == max_val]
    return max_result


# Write a python function to check whether the elements in a list are same or not.
def chkList(lst): 
    return len(set(lst)) == 1
