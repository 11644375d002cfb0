# Write a function to count the same pair in three given lists.
def count_samepair(list1,list2,list3):
    result = sum(m == n == o for m, n, o in zip(list1,list2,list3))
    return result


# Write a function to find number of lists present in the given tuple.
def find_lists(Input): 
    if isinstance(Input, list): 
        return 1
    else: 
        return len(Input)


# Write a python function to find the sum of absolute differences in all pairs of the given array.
def sum_Pairs(arr,n): 
    sum = 0
    for i in range(n - 1,-1,-1): 
        sum += i*arr[i] - (n-1-i) * arr[i] 
    return sum
