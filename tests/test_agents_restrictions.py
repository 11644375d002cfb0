"""Rules on how to solve a task, which no test can check (seen on Qwen 0.5B: "without using any
additional data structures", answered with `set()`)."""

from __future__ import annotations

import pytest
from coderforge.agents.restrictions import restrictions


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
