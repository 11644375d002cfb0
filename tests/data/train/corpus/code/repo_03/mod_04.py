# Write a function to find the triplet with sum of the given array
def check_triplet(A, n, sum, count):
    if count == 3 and sum == 0:
        return True
    if count == 3 or n == 0 or sum < 0:
        return False
    return check_triplet(A, n - 1, sum - A[n - 1], count + 1) or\
           check_triplet(A, n - 1, sum, count)


# Write a function to find n’th smart number.
MAX = 3000 
def smartNumber(n): 
    primes = [0] * MAX 
    result = [] 
    for i in range(2, MAX): 
        if (primes[i] == 0): 
            primes[i] = 1 
            j = i * 2 
            while (j < MAX): 
                primes[j] -= 1 
                if ( (primes[j] + 3) == 0): 
                    result.append(j) 
                j = j + i 
    result.sort() 
    return result[n - 1]


# Write a function to sum all amicable numbers from 1 to a specified number.
def amicable_numbers_sum(limit):
    if not isinstance(limit, int):
        return "Input is not an integer!"
    if limit < 1:
        return "Input must be bigger than 0!"
    amicables = set()
    for num in range(2, limit+1):
        if num in amicables:
            continue
        sum_fact = sum([fact for fact in range(1, num) if num % fact == 0])
        sum_fact2 = sum([fact for fact in range(1, sum_fact) if sum_fact % fact == 0])
        if num == sum_fact2 and num != sum_fact:
            amicables.add(num)
            amicables.add(sum_fact2)
    return sum(amicables)
