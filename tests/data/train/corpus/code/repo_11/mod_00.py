# Write a function to find the median of three specific numbers.
def median_numbers(a,b,c):
 if a > b:
    if a < c:
        median = a
    elif b > c:
        median = b
    else:
        median = c
 else:
    if a > c:
        median = a
    elif b < c:
        median = b
    else:
        median = c
 return median


# Write a function to compute the sum of digits of each number of a given list.
def sum_of_digits(nums):
    return sum(int(el) for n in nums for el in str(n) if el.isdigit())


# Write a function to perform the mathematical bitwise xor operation across the given tuples.
def bitwise_xor(test_tup1, test_tup2):
  res = tuple(ele1 ^ ele2 for ele1, ele2 in zip(test_tup1, test_tup2))
  return (res)
