# Write a function to get the angle of a complex number.
import cmath
def angle_complex(a,b):
  cn=complex(a,b)
  angle=cmath.phase(a+b)
  return angle


# Write a function to find the maximum difference between the number of 0s and number of 1s in any sub-string of the given binary string.
def find_length(string, n): 
    current_sum = 0
    max_sum = 0
    for i in range(n): 
        current_sum += (1 if string[i] == '0' else -1) 
        if current_sum < 0: 
            current_sum = 0
        max_sum = max(current_sum, max_sum) 
    return max_sum if max_sum else 0


# Write a python function to find the sum of common divisors of two given numbers.
def sum(a,b): 
    sum = 0
    for i in range (1,min(a,b)): 
        if (a % i == 0 and b % i == 0): 
            sum += i 
    return sum
