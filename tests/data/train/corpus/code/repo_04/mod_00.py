# Write a python function to find the maximum difference between any two elements in a given array.
def max_Abs_Diff(arr,n): 
    minEle = arr[0] 
    maxEle = arr[0] 
    for i in range(1, n): 
        minEle = min(minEle,arr[i]) 
        maxEle = max(maxEle,arr[i]) 
    return (maxEle - minEle)


# Write a function to find the ascii value of total characters in a string.
def ascii_value_string(str1):
  for i in range(len(str1)):
   return ord(str1[i])


# Write a function to find the maximum total path sum in the given triangle.
def max_path_sum(tri, m, n): 
    for i in range(m-1, -1, -1): 
        for j in range(i+1): 
            if (tri[i+1][j] > tri[i+1][j+1]): 
                tri[i][j] += tri[i+1][j] 
            else: 
                tri[i][j] += tri[i+1][j+1] 
    return tri[0][0]
