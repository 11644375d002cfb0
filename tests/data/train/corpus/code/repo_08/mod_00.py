# Write a python function to calculate the number of odd days in a given year.
def odd_Days(N): 
    hund1 = N // 100
    hund4 = N // 400
    leap = N >> 2
    ordd = N - leap 
    if (hund1): 
        ordd += hund1 
        leap -= hund1 
    if (hund4): 
        ordd -= hund4 
        leap += hund4 
    days = ordd + leap * 2
    odd = days % 7
    return odd


# Write a function to find the list of lists with maximum length.
def max_length(list1):
    max_length = max(len(x) for x in  list1 )  
    max_list = max((x) for x in   list1)
    return(max_length, max_list)


# Write a function to find out the number of ways of painting the fence such that at most 2 adjacent posts have the same color for the given fence with n posts and k colors.
def count_no_of_ways(n, k): 
    dp = [0] * (n + 1) 
    total = k 
    mod = 1000000007
    dp[1] = k 
    dp[2] = k * k     
    for i in range(3,n+1): 
        dp[i] = ((k - 1) * (dp[i - 1] + dp[i - 2])) % mod 
    return dp[n]
