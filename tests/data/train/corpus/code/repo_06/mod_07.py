# Write a python function to count number of non-empty substrings of a given string.
def number_of_substrings(str): 
    str_len = len(str); 
    return int(str_len * (str_len + 1) / 2);


# Write a function to find the number of possible sequences of length n such that each of the next element is greater than or equal to twice of the previous element but less than or equal to m.
def get_total_number_of_sequences(m,n): 
    T=[[0 for i in range(n+1)] for i in range(m+1)] 
    for i in range(m+1): 
        for j in range(n+1): 
            if i==0 or j==0: 
                T[i][j]=0
            elif i<j: 
                T[i][j]=0
            elif j==1: 
                T[i][j]=i 
            else: 
                T[i][j]=T[i-1][j]+T[i//2][j-1] 
    return T[m][n]


# Write a function to replace the last element of the list with another list.
def replace_list(list1,list2):
 list1[-1:] = list2
 replace_list=list1
 return replace_list
