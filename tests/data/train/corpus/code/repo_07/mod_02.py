# Write a function to maximize the given two tuples.
def maximize_elements(test_tup1, test_tup2):
  res = tuple(tuple(max(a, b) for a, b in zip(tup1, tup2))
   for tup1, tup2 in zip(test_tup1, test_tup2))
  return (res)


# Write a function to find the nth newman–shanks–williams prime number.
def newman_prime(n): 
    if n == 0 or n == 1: 
        return 1
    return 2 * newman_prime(n - 1) + newman_prime(n - 2)


# Write a function to perform mathematical division operation across the given tuples.
def division_elements(test_tup1, test_tup2):
  res = tuple(ele1 // ele2 for ele1, ele2 in zip(test_tup1, test_tup2))
  return (res)
