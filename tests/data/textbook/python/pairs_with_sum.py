def pairs_with_sum(nums, target):
    """All index pairs (i, j), i < j, whose values add up to target."""
    result = []
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            if nums[i] + nums[j] == target:
                result.append((i, j))
    return result


print(pairs_with_sum([1, 5, 7, -1, 5], 6))
