# Write a function to divide a number into two parts such that the sum of digits is maximum.
def sum_digits_single(x) : 
    ans = 0
    while x : 
        ans += x % 10
        x //= 10  
    return ans 
def closest(x) : 
    ans = 0
    while (ans * 10 + 9 <= x) : 
        ans = ans * 10 + 9  
    return ans   
def sum_digits_twoparts(N) : 
    A = closest(N)  
    return sum_digits_single(A) + sum_digits_single(N - A)


# Write a function to find the longest subsequence such that the difference between adjacents is one for the given array.
def longest_subseq_with_diff_one(arr, n): 
    dp = [1 for i in range(n)] 
    for i in range(n): 
        for j in range(i): 
            if ((arr[i] == arr[j]+1) or (arr[i] == arr[j]-1)): 
                dp[i] = max(dp[i], dp[j]+1) 
    result = 1
    for i in range(n): 
        if (result < dp[i]): 
            result = dp[i] 
    return result


# Write a python function to find whether the given number is present in the infinite sequence or not.
def does_Contain_B(a,b,c): 
    if (a == b): 
        return True
    if ((b - a) * c > 0 and (b - a) % c == 0): 
        return True
    return False
