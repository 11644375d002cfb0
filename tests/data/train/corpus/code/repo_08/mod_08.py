# Write a python function to print positive numbers in a list.
def pos_nos(list1):
  for num in list1: 
    if num >= 0: 
       return num


# Write a function to find out the maximum sum such that no two chosen numbers are adjacent for the given rectangular grid of dimension 2 x n.
def max_sum_rectangular_grid(grid, n) : 
    incl = max(grid[0][0], grid[1][0]) 
    excl = 0
    for i in range(1, n) : 
        excl_new = max(excl, incl) 
        incl = excl + max(grid[0][i], grid[1][i]) 
        excl = excl_new 
    return max(excl, incl)


# Write a python function to find the first maximum length of even word.
def find_Max_Len_Even(str): 
    n = len(str) 
    i = 0
    currlen = 0
    maxlen = 0
    st = -1
    while (i < n): 
        if (str[i] == ' '): 
            if (currlen % 2 == 0): 
                if (maxlen < currlen): 
                    maxlen = currlen 
                    st = i - currlen 
            currlen = 0 
        else : 
            currlen += 1
        i += 1
    if (currlen % 2 == 0): 
        if (maxlen < currlen): 
            maxlen = currlen 
            st = i - currlen 
    if (st == -1): 
        return "-1" 
    return str[st: st + maxlen]
