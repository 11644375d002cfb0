def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def lcm(a, b):
    return a * b // gcd(a, b)


def factorial(n):
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result


print(gcd(48, 18), lcm(4, 6), factorial(5))
