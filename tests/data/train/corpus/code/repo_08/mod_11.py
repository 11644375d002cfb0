# Write a function to find all index positions of the minimum values in a given list.
def position_min(list1):
    min_val = min(list1)
    min_result = [i for i, j in enumerate(list1) if j == min_val]
    return min_result


# Write a function to re-arrange the given array in alternating positive and negative items.
def right_rotate(arr, n, out_of_place, cur):
    temp = arr[cur]
    for i in range(cur, out_of_place, -1):
        arr[i] = arr[i - 1]
    arr[out_of_place] = temp
    return arr
def re_arrange(arr, n):
    out_of_place = -1
    for index in range(n):
        if (out_of_place >= 0):
            if ((arr[index] >= 0 and arr[out_of_place] < 0) or
            (arr[index] < 0 and arr[out_of_place] >= 0)):
                arr = right_rotate(arr, n, out_of_place, index)
                if (index-out_of_place > 2):
                    out_of_place += 2
                else:
                    out_of_place = - 1
        if (out_of_place == -1):
            if ((arr[index] >= 0 and index % 2 == 0) or
             (arr[index] < 0 and index % 2 == 1)):
                out_of_place = index
    return arr


# Write a function to extract the sum of alternate chains of tuples.
def sum_of_alternates(test_tuple):
  sum1 = 0
  sum2 = 0
  for idx, ele in enumerate(test_tuple):
    if idx % 2:
      sum1 += ele
    else:
      sum2 += ele
  return ((sum1),(sum2))
