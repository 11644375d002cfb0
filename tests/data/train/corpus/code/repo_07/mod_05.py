# Write a function to find the n'th star number.
def find_star_num(n): 
    return (6 * n * (n - 1) + 1)


# Write a function to find the ascii value of a character.
def ascii_value(k):
  ch=k
  return ord(ch)


# Write a python function to find the sum of even numbers at even positions.
def sum_even_and_even_index(arr,n):  
    i = 0
    sum = 0
    for i in range(0,n,2): 
        if (arr[i] % 2 == 0) : 
            sum += arr[i]  
    return sum
