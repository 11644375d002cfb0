# Write a function to find the nested list elements which are present in another list.
def intersection_nested_lists(l1, l2):
    result = [[n for n in lst if n in l1] for lst in l2]
    return result


# Write a function to calculate the maximum aggregate from the list of tuples.
from collections import defaultdict
def max_aggregate(stdata):
    temp = defaultdict(int)
    for name, marks in stdata:
        temp[name] += marks
    return max(temp.items(), key=lambda x: x[1])


# Write a function to find the count of all binary sequences of length 2n such that sum of first n bits is same as sum of last n bits.
def count_binary_seq(n): 
    nCr = 1
    res = 1
    for r in range(1, n + 1): 
        nCr = (nCr * (n + 1 - r)) / r 
        res += nCr * nCr 
    return res
