# Write a function to verify validity of a string of parentheses.
def is_valid_parenthese( str1):
        stack, pchar = [], {"(": ")", "{": "}", "[": "]"}
        for parenthese in str1:
            if parenthese in pchar:
                stack.append(parenthese)
            elif len(stack) == 0 or pchar[stack.pop()] != parenthese:
                return False
        return len(stack) == 0


# Write a function to find the perimeter of a triangle.
def perimeter_triangle(a,b,c):
  perimeter=a+b+c
  return perimeter


# Write a python function to find two distinct numbers such that their lcm lies within the given range.
def answer(L,R): 
    if (2 * L <= R): 
        return (L ,2*L)
    else: 
        return (-1)
