# Write a python function to count the pairs with xor as an even number.
def find_even_Pair(A,N): 
    evenPair = 0
    for i in range(0,N): 
        for j in range(i+1,N): 
            if ((A[i] ^ A[j]) % 2 == 0): 
                evenPair+=1
    return evenPair;


# Write a python function to find smallest power of 2 greater than or equal to n.
def next_Power_Of_2(n): 
    count = 0; 
    if (n and not(n & (n - 1))): 
        return n   
    while( n != 0): 
        n >>= 1
        count += 1
    return 1 << count;


# Write a python function to find the frequency of a number in a given array.
def frequency(a,x): 
    count = 0  
    for i in a: 
        if i == x: count += 1
    return count
