# Write a function to caluclate area of a parallelogram.
def parallelogram_area(b,h):
  area=b*h
  return area


# Write a python function to check whether the first and last characters of a given string are equal or not.
def check_Equality(str):
  if (str[0] == str[-1]):  
    return ("Equal") 
  else:  
    return ("Not Equal")


# Write a function to sort the given array by using counting sort.
def counting_sort(my_list):
    max_value = 0
    for i in range(len(my_list)):
        if my_list[i] > max_value:
            max_value = my_list[i]
    buckets = [0] * (max_value + 1)
    for i in my_list:
        buckets[i] += 1
    i = 0
    for j in range(max_value + 1):
         for a in range(buckets[j]):
             my_list[i] = j
             i += 1
    return my_list
