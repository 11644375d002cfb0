# Write a python function to check whether the given two integers have opposite sign or not.
def opposite_Signs(x,y): 
    return ((x ^ y) < 0);


# Write a function to find the nth octagonal number.
def is_octagonal(n): 
    return 3 * n * n - 2 * n


# Write a function to find the maximum length of the subsequence with difference between adjacent elements for the given array.
def max_len_sub( arr, n): 
    mls=[] 
    max = 0
    for i in range(n): 
        mls.append(1) 
    for i in range(n): 
        for j in range(i): 
            if (abs(arr[i] - arr[j]) <= 1 and mls[i] < mls[j] + 1): 
                mls[i] = mls[j] + 1
    for i in range(n): 
        if (max < mls[i]): 
            max = mls[i] 
    return max
