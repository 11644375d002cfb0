# Write a function to filter a dictionary based on values.
def dict_filter(dict,n):
 result = {key:value for (key, value) in dict.items() if value >=n}
 return result


# Write a function to find the element count that occurs before the record in the given tuple.
def count_first_elements(test_tup):
  for count, ele in enumerate(test_tup):
    if isinstance(ele, tuple):
      break
  return (count)


# Write a function to find the nth decagonal number.
def is_num_decagonal(n): 
    return 4 * n * n - 3 * n
