# Write a function to find the n'th perrin number using recursion.
def get_perrin(n):
  if (n == 0):
    return 3
  if (n == 1):
    return 0
  if (n == 2):
    return 2 
  return get_perrin(n - 2) + get_perrin(n - 3)


# Write a function to find out the minimum no of swaps required for bracket balancing in the given string.
def swap_count(s):
    chars = s
    count_left = 0
    count_right = 0
    swap = 0
    imbalance = 0; 
    for i in range(len(chars)):
        if chars[i] == '[':
            count_left += 1
            if imbalance > 0:
                swap += imbalance
                imbalance -= 1
        elif chars[i] == ']':
            count_right += 1
            imbalance = (count_right - count_left) 
    return swap


# Write a python function to check whether the hexadecimal number is even or odd.
def even_or_odd(N): 
    l = len(N) 
    if (N[l-1] =='0'or N[l-1] =='2'or 
        N[l-1] =='4'or N[l-1] =='6'or 
        N[l-1] =='8'or N[l-1] =='A'or 
        N[l-1] =='C'or N[l-1] =='E'): 
        return ("Even") 
    else: 
        return ("Odd")
