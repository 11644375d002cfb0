# Write a python function to find the next perfect square greater than a given number.
import math  
def next_Perfect_Square(N): 
    nextN = math.floor(math.sqrt(N)) + 1
    return nextN * nextN


# Write a function to find the maximum sum of bi-tonic sub-sequence for the given array.
def max_sum(arr, n): 
    MSIBS = arr[:] 
    for i in range(n): 
        for j in range(0, i): 
            if arr[i] > arr[j] and MSIBS[i] < MSIBS[j] + arr[i]: 
                MSIBS[i] = MSIBS[j] + arr[i] 
    MSDBS = arr[:] 
    for i in range(1, n + 1): 
        for j in range(1, i): 
            if arr[-i] > arr[-j] and MSDBS[-i] < MSDBS[-j] + arr[-i]: 
                MSDBS[-i] = MSDBS[-j] + arr[-i] 
    max_sum = float("-Inf") 
    for i, j, k in zip(MSIBS, MSDBS, arr): 
        max_sum = max(max_sum, i + j - k) 
    return max_sum


# Write a function for computing square roots using the babylonian method.
def babylonian_squareroot(number):
    if(number == 0):
        return 0;
    g = number/2.0;
    g2 = g + 1;
    while(g != g2):
        n = number/ g;
        g2 = g;
        g = (g + n)/2;
    return g;
