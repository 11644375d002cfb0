# Write a python function to find a pair with highest product from a given array of integers.
def max_Product(arr): 
    arr_len = len(arr) 
    if (arr_len < 2): 
        return ("No pairs exists")           
    x = arr[0]; y = arr[1]      
    for i in range(0,arr_len): 
        for j in range(i + 1,arr_len): 
            if (arr[i] * arr[j] > x * y): 
                x = arr[i]; y = arr[j] 
    return x,y


# Write a function to find the maximum sum we can make by dividing number in three parts recursively and summing them up together for the given number.
MAX = 1000000
def breakSum(n): 
    dp = [0]*(n+1) 
    dp[0] = 0
    dp[1] = 1
    for i in range(2, n+1): 
        dp[i] = max(dp[int(i/2)] + dp[int(i/3)] + dp[int(i/4)], i); 
    return dp[n]


# Write a function to find common first element in given list of tuple.
def group_tuples(Input): 
    out = {} 
    for elem in Input: 
        try: 
            out[elem[0]].extend(elem[1:]) 
        except KeyError: 
            out[elem[0]] = list(elem) 
    return [tuple(values) for values in out.values()]
