# Write a function to re-arrange the elements of the given array so that all negative elements appear before positive ones.
def re_arrange_array(arr, n):
  j=0
  for i in range(0, n):
    if (arr[i] < 0):
      temp = arr[i]
      arr[i] = arr[j]
      arr[j] = temp
      j = j + 1
  return arr


# Write a function to replace blank spaces with any character in a string.
def replace_blank(str1,char):
 str2 = str1.replace(' ', char)
 return str2


# Write a function to find the maximum sum in the given right triangle of numbers.
def max_sum(tri, n): 
    if n > 1: 
        tri[1][1] = tri[1][1]+tri[0][0] 
        tri[1][0] = tri[1][0]+tri[0][0] 
    for i in range(2, n): 
        tri[i][0] = tri[i][0] + tri[i-1][0] 
        tri[i][i] = tri[i][i] + tri[i-1][i-1] 
        for j in range(1, i): 
            if tri[i][j]+tri[i-1][j-1] >= tri[i][j]+tri[i-1][j]: 
                tri[i][j] = tri[i][j] + tri[i-1][j-1] 
            else: 
                tri[i][j] = tri[i][j]+tri[i-1][j] 
    return (max(tri[n-1]))
