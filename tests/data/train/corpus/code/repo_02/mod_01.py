# Write a python function to count the number of squares in a rectangle.
def count_Squares(m,n):
    if(n < m):
        temp = m
        m = n
        n = temp
    return ((m * (m + 1) * (2 * m + 1) / 6 + (n - m) * m * (m + 1) / 2))


# Write a python function to find the difference between sum of even and odd digits.
def is_Diff(n): 
    return (n % 11 == 0)


# Write a python function to find number of integers with odd number of set bits.
def count_With_Odd_SetBits(n): 
    if (n % 2 != 0): 
        return (n + 1) / 2
    count = bin(n).count('1') 
    ans = n / 2
    if (count % 2 != 0): 
        ans += 1
    return ans
