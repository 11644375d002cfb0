# Write a function to find frequency count of list of lists.
def frequency_lists(list1):
    list1 = [item for sublist in list1 for item in sublist]
    dic_data = {}
    for num in list1:
        if num in dic_data.keys():
            dic_data[num] += 1
        else:
            key = num
            value = 1
            dic_data[key] = value
    return dic_data


# Write a function to multiply all the numbers in a list and divide with the length of the list.
def multiply_num(numbers):  
    total = 1
    for x in numbers:
        total *= x  
    return total/len(numbers)


# Write a function to convert the given decimal number to its binary equivalent.
def decimal_to_binary(n): 
    return bin(n).replace("0b","")
