# Write a python function to count the number of prime numbers less than a given non-negative number.
def count_Primes_nums(n):
    ctr = 0
    for num in range(n):
        if num <= 1:
            continue
        for i in range(2,num):
            if (num % i) == 0:
                break
        else:
            ctr += 1
    return ctr


# Write a function to swap two numbers.
def swap_numbers(a,b):
 temp = a
 a = b
 b = temp
 return (a,b)


# Write a function to find number of odd elements in the given list using lambda function.
def count_odd(array_nums):
   count_odd = len(list(filter(lambda x: (x%2 != 0) , array_nums)))
   return count_odd
