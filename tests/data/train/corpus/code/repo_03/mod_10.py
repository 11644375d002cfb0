# Write a function to find the circumference of a circle.
def circle_circumference(r):
  perimeter=2*3.1415*r
  return perimeter


# Write a function to extract elements that occur singly in the given tuple list.
def extract_singly(test_list):
  res = []
  temp = set()
  for inner in test_list:
    for ele in inner:
      if not ele in temp:
        temp.add(ele)
        res.append(ele)
  return (res)


# Write a function to sort a list of elements using pancake sort.
def pancake_sort(nums):
    arr_len = len(nums)
    while arr_len > 1:
        mi = nums.index(max(nums[0:arr_len]))
        nums = nums[mi::-1] + nums[mi+1:len(nums)]
        nums = nums[arr_len-1::-1] + nums[arr_len:len(nums)]
        arr_len -= 1
    return nums
