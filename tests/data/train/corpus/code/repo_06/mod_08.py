# Write a function to generate a 3d array having each element as '*'.
def array_3d(m,n,o):
 array_3d = [[ ['*' for col in range(m)] for col in range(n)] for row in range(o)]
 return array_3d


# Write a function to count total characters in a string.
def count_charac(str1):
 total = 0
 for i in str1:
    total = total + 1
 return total


# Write a function to sort the given list based on the occurrence of first element of tuples.
def sort_on_occurence(lst): 
    dct = {} 
    for i, j in lst: 
        dct.setdefault(i, []).append(j) 
    return ([(i, *dict.fromkeys(j), len(j)) 
                for i, j in dct.items()])
