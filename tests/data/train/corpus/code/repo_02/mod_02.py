# Write a python function to check whether the length of the word is odd or not.
def word_len(s): 
    s = s.split(' ')   
    for word in s:    
        if len(word)%2!=0: 
            return True  
        else:
          return False


# Write a function to find the nth tetrahedral number.
def tetrahedral_number(n): 
    return (n * (n + 1) * (n + 2)) / 6


# Write a function to zip the two given tuples.
def zip_tuples(test_tup1, test_tup2):
  res = []
  for i, j in enumerate(test_tup1):
    res.append((j, test_tup2[i % len(test_tup2)])) 
  return (res)
