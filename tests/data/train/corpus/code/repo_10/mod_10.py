# Write a function to convert more than one list to nested dictionary.
def convert_list_dictionary(l1, l2, l3):
     result = [{x: {y: z}} for (x, y, z) in zip(l1, l2, l3)]
     return result


# Write a function to find the maximum sum possible by using the given equation f(n) = max( (f(n/2) + f(n/3) + f(n/4) + f(n/5)), n).
def get_max_sum (n):
    res = list()
    res.append(0)
    res.append(1)
    i = 2
    while i<n + 1:
        res.append(max(i, (res[int(i / 2)] 
                        + res[int(i / 3)] +
                            res[int(i / 4)]
                        + res[int(i / 5)])))
        i = i + 1
    return res[n]


# Write a function to find the list with maximum length using lambda function.
def max_length_list(input_list):
    max_length = max(len(x) for x in input_list )   
    max_list = max(input_list, key = lambda i: len(i))    
    return(max_length, max_list)
