# Write a function to search an element in the given array by using sequential search.
def sequential_search(dlist, item):
    pos = 0
    found = False
    while pos < len(dlist) and not found:
        if dlist[pos] == item:
            found = True
        else:
            pos = pos + 1
    return found, pos


# Write a python function to check if the elements of a given list are unique or not.
def all_unique(test_list):
    if len(test_list) > len(set(test_list)):
        return False
    return True


# Write a function to substaract two lists using map and lambda function.
def sub_list(nums1,nums2):
  result = map(lambda x, y: x - y, nums1, nums2)
  return list(result)
