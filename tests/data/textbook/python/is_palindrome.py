def is_palindrome(s):
    """Check whether s reads the same backwards, ignoring case and non-letters."""
    cleaned = [c.lower() for c in s if c.isalnum()]
    left, right = 0, len(cleaned) - 1
    while left < right:
        if cleaned[left] != cleaned[right]:
            return False
        left += 1
        right -= 1
    return True


print(is_palindrome("A man, a plan, a canal: Panama"))
