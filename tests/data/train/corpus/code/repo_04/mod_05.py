# Write a function to find x and y that satisfies ax + by = n.
def solution (a, b, n): 
    i = 0
    while i * a <= n: 
        if (n - (i * a)) % b == 0: 
            return ("x = ",i ,", y = ", 
            int((n - (i * a)) / b)) 
            return 0
        i = i + 1
    return ("No solution")


# Write a function to remove all elements from a given list present in another list.
def remove_elements(list1, list2):
    result = [x for x in list1 if x not in list2]
    return result


# Write a function to calculate the sum of the positive integers of n+(n-2)+(n-4)... (until n-x =< 0).
def sum_series(n):
  if n < 1:
    return 0
  else:
    return n + sum_series(n - 2)
