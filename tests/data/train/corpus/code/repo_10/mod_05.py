# Write a function to remove tuple elements that occur more than once and replace the duplicates with some custom value.
def remove_replica(test_tup):
  temp = set()
  res = tuple(ele if ele not in temp and not temp.add(ele) 
                else 'MSP' for ele in test_tup)
  return (res)


# Write a python function to remove all occurrences of a character in a given string.
def remove_Char(s,c) :  
    counts = s.count(c) 
    s = list(s) 
    while counts :  
        s.remove(c) 
        counts -= 1 
    s = '' . join(s)   
    return (s)


# Write a python function to shift last element to first position in the given list.
def move_first(test_list):
  test_list = test_list[-1:] + test_list[:-1]  
  return test_list
