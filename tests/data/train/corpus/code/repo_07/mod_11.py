# Write a function to find the largest sum of contiguous array in the modified array which is formed by repeating the given array k times.
def max_sub_array_sum_repeated(a, n, k): 
    max_so_far = -2147483648
    max_ending_here = 0
    for i in range(n*k): 
        max_ending_here = max_ending_here + a[i%n] 
        if (max_so_far < max_ending_here): 
            max_so_far = max_ending_here 
        if (max_ending_here < 0): 
            max_ending_here = 0
    return max_so_far


# Write a python function to find the sum of squares of first n even natural numbers.
def square_Sum(n):  
    return int(2*n*(n+1)*(2*n+1)/3)


# Write a function to count array elements having modular inverse under given prime number p equal to itself.
def modular_inverse(arr, N, P):
    current_element = 0
    for i in range(0, N):
        if ((arr[i] * arr[i]) % P == 1):
            current_element = current_element + 1
    return current_element
