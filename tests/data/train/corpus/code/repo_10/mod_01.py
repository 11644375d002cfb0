# Write a function to find the number of flips required to make the given binary string a sequence of alternate characters.
def make_flip(ch): 
    return '1' if (ch == '0') else '0'
def get_flip_with_starting_charcter(str, expected): 
    flip_count = 0
    for i in range(len( str)): 
        if (str[i] != expected): 
            flip_count += 1
        expected = make_flip(expected) 
    return flip_count 
def min_flip_to_make_string_alternate(str): 
    return min(get_flip_with_starting_charcter(str, '0'),get_flip_with_starting_charcter(str, '1'))


# Write a python function to count the number of digits of a given number.
def count_Digit(n):
    count = 0
    while n != 0:
        n //= 10
        count += 1
    return count


# Write a python function to find the largest product of the pair of adjacent elements from a given list of integers.
def adjacent_num_product(list_nums):
    return max(a*b for a, b in zip(list_nums, list_nums[1:]))
