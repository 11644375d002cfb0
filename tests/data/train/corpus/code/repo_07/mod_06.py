# Write a python function to find the sum of fifth power of first n even natural numbers.
def even_Power_Sum(n): 
    sum = 0; 
    for i in range(1,n+1): 
        j = 2*i; 
        sum = sum + (j*j*j*j*j); 
    return sum;


# Write a function to perfom the rear element extraction from list of tuples records.
def rear_extract(test_list):
  res = [lis[-1] for lis in test_list]
  return (res)


# Write a function to substract the contents of one tuple with corresponding index of other tuple.
def substract_elements(test_tup1, test_tup2):
  res = tuple(map(lambda i, j: i - j, test_tup1, test_tup2))
  return (res)
