# Write a function to get the frequency of the elements in a list.
import collections
def freq_count(list1):
  freq_count= collections.Counter(list1)
  return freq_count


# Write a function to find the closest smaller number than n.
def closest_num(N):
  return (N - 1)


# Write a python function to find the length of the longest word.
def len_log(list1):
    max=len(list1[0])
    for i in list1:
        if len(i)>max:
            max=len(i)
    return max
