# Write a python function to count unset bits of a given number.
def count_unset_bits(n): 
    count = 0
    x = 1
    while(x < n + 1): 
        if ((x & n) == 0): 
            count += 1
        x = x << 1
    return count


# Write a function to count character frequency of a given string.
def char_frequency(str1):
    dict = {}
    for n in str1:
        keys = dict.keys()
        if n in keys:
            dict[n] += 1
        else:
            dict[n] = 1
    return dict


# Write a python function to sort a list according to the second element in sublist.
def Sort(sub_li): 
    sub_li.sort(key = lambda x: x[1]) 
    return sub_li
