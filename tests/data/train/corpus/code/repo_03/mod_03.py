# [link text](https:// [link text](https:// [link text](https://)))write a function to convert a string to a list.
def string_to_list(string): 
    lst = list(string.split(" ")) 
    return lst


# Write a python function to find the element that appears only once in a sorted array.
def search(arr,n) :
    XOR = 0
    for i in range(n) :
        XOR = XOR ^ arr[i]
    return (XOR)


# Write a function to find the maximum product from the pairs of tuples within a given list.
def max_product_tuple(list1):
    result_max = max([abs(x * y) for x, y in list1] )
    return result_max
