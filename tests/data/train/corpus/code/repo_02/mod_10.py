# Write a function to find eulerian number a(n, m).
def eulerian_num(n, m): 
    if (m >= n or n == 0): 
        return 0 
    if (m == 0): 
        return 1 
    return ((n - m) * eulerian_num(n - 1, m - 1) +(m + 1) * eulerian_num(n - 1, m))


# Write a function to sort each sublist of strings in a given list of lists using lambda function.
def sort_sublists(input_list):
    result = [sorted(x, key = lambda x:x[0]) for x in input_list] 
    return result


# Write a python function to count true booleans in the given list.
def count(lst):   
    return sum(lst)
