"""What a task asks that no test can check: rules on how to solve it (seen on Qwen 0.5B: "without
using any additional data structures", answered with `set()`), and printing."""

from __future__ import annotations

import pytest
from coderforge.agents.restrictions import printing, restrictions


@pytest.mark.parametrize(("task", "expected"), [
    ("Remove duplicate elements from the list without using any additional data structures. Keep the order.",
     ["without using any additional data structures"]),
    ("Sort the list. Do not use `sorted`; work in O(1) extra space.", ["Do not use `sorted`", "in O(1) extra space"]),
    ("Reverse the string without using built-in functions, and without using slicing.",
     ["without using built-in functions", "without using slicing"]),
    ("Return the words without any changes to the input, without modifying it.", []),
    ("Return how many spaces the string holds; an empty string holds none.", []),
])
def test_rules_on_how_to_solve_are_found(task: str, expected: list[str]) -> None:
    assert restrictions(task) == expected


@pytest.mark.parametrize(("task", "expected"), [
    ("Write a function `int add(int a, int b)` that adds two integers and prints the result.", ["prints the result"]),
    ("Write `void show(const std::vector<int>& v)` that displays each element, one per line.",
     ["displays each element"]),
    ("The function returns its result; it prints nothing and does not print its argument.", []),
    ("Example:\n```python\nprint(total([1, 2]))  # Output: 3\n```", []),
    ('`run({}, "print")` returns `undefined`.', []),
])
def test_demands_to_print_are_found(task: str, expected: list[str]) -> None:
    assert printing(task) == expected
