# Write a function to remove empty lists from a given list of lists.
def remove_empty(list1):
  remove_empty = [x for x in list1 if x]
  return remove_empty


# Write a python function to find the item with maximum occurrences in a given list.
def max_occurrences(nums):
    max_val = 0
    result = nums[0] 
    for i in nums:
        occu = nums.count(i)
        if occu > max_val:
            max_val = occu
            result = i 
    return result


# Write a function to add the k elements to each element in the tuple.
def add_K_element(test_list, K):
  res = [tuple(j + K for j in sub ) for sub in test_list]
  return (res)
