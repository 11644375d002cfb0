# Write a function to check for majority element in the given sorted array.
def is_majority(arr, n, x):
    i = binary_search(arr, 0, n-1, x)
    if i == -1:
        return False
    if ((i + n//2) <= (n -1)) and arr[i + n//2] == x:
        return True
    else:
        return False
def binary_search(arr, low, high, x):
    if high >= low:
        mid = (low + high)//2 
        if (mid == 0 or x > arr[mid-1]) and (arr[mid] == x):
            return mid
        elif x > arr[mid]:
            return binary_search(arr, (mid + 1), high, x)
        else:
            return binary_search(arr, low, (mid -1), x)
    return -1


# Write a python function to count set bits of a given number.
def count_Set_Bits(n): 
    count = 0
    while (n): 
        count += n & 1
        n >>= 1
    return count


# Write a python function to find the minimum element in a sorted and rotated array.
def find_Min(arr,low,high): 
    while (low < high): 
        mid = low + (high - low) // 2;   
        if (arr[mid] == arr[high]): 
            high -= 1; 
        elif (arr[mid] > arr[high]): 
            low = mid + 1; 
        else: 
            high = mid; 
    return arr[high];
