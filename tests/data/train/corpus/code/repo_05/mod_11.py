# Write a function to convert radians to degrees.
import math
def degree_radian(radian):
 degree = radian*(180/math.pi)
 return degree


# Write a function to decode a run-length encoded given list.
def decode_list(alist):
    def aux(g):
        if isinstance(g, list):
            return [(g[1], range(g[0]))]
        else:
            return [(g, [0])]
    return [x for g in alist for x, R in aux(g) for i in R]


# Write a function to check if a nested list is a subset of another nested list.
def check_subset_list(list1, list2): 
    l1, l2 = list1[0], list2[0] 
    exist = True
    for i in list2: 
        if i not in list1: 
            exist = False
    return exist
