# Write a function to find the longest palindromic subsequence in the given string.
def lps(str): 
    n = len(str) 
    L = [[0 for x in range(n)] for x in range(n)] 
    for i in range(n): 
        L[i][i] = 1
    for cl in range(2, n+1): 
        for i in range(n-cl+1): 
            j = i+cl-1
            if str[i] == str[j] and cl == 2: 
                L[i][j] = 2
            elif str[i] == str[j]: 
                L[i][j] = L[i+1][j-1] + 2
            else: 
                L[i][j] = max(L[i][j-1], L[i+1][j]); 
    return L[0][n-1]


# Write a function to calculate the harmonic sum of n-1.
def harmonic_sum(n):
  if n < 2:
    return 1
  else:
    return 1 / n + (harmonic_sum(n - 1))


# Write a function to find the intersection of two arrays using lambda function.
def intersection_array(array_nums1,array_nums2):
 result = list(filter(lambda x: x in array_nums1, array_nums2)) 
 return result
