# Write a function to remove the matching tuples from the given two tuples.
def remove_matching_tuple(test_list1, test_list2):
  res = [sub for sub in test_list1 if sub not in test_list2]
  return (res)


# Write a function to find the largest palindromic number in the given array.
def is_palindrome(n) : 
    divisor = 1
    while (n / divisor >= 10) : 
        divisor *= 10
    while (n != 0) : 
        leading = n // divisor 
        trailing = n % 10
        if (leading != trailing) : 
            return False
        n = (n % divisor) // 10
        divisor = divisor // 100
    return True
def largest_palindrome(A, n) : 
    A.sort() 
    for i in range(n - 1, -1, -1) : 
        if (is_palindrome(A[i])) : 
            return A[i] 
    return -1


# Write a function to compute binomial probability for the given number.
def nCr(n, r): 
    if (r > n / 2): 
        r = n - r 
    answer = 1 
    for i in range(1, r + 1): 
        answer *= (n - r + i) 
        answer /= i 
    return answer 
def binomial_probability(n, k, p): 
    return (nCr(n, k) * pow(p, k) *    pow(1 - p, n - k))
