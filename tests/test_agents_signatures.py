"""An answer must implement the signature its C/C++ instruction declares (seen on Qwen 0.5B:
`int minMax(...)` answered and tested as `std::pair<int, int> minMax(...)`)."""

from __future__ import annotations

import pytest
from coderforge.agents.signatures import signature_mismatch

MIN_MAX = "#include <vector>\nstd::pair<int, int> minMax(const std::vector<int>& values) { return {1, 2}; }\n"
APPEND = "std::vector<int> append(const std::vector<int>& values, int value) { return values; }\n"


@pytest.mark.parametrize(("instruction", "solution", "name", "why"), [
    ("Write a C++ function `int minMax(const std::vector<int>& values)`. `minMax({3, 1})` returns `(1, 3)`.",
     MIN_MAX, "minMax", "the task declares `minMax` returning `int`, the answers return `std::pair<int, int>`"),
    ("Write `std::vector<int> append(const std::vector<int>& values)`. `append({1, 2}, 3)` returns `{1, 2, 3}`.",
     APPEND, "append", "the task declares `append` with 1 parameter(s), the answers take 2"),
    ("Write `char *dup(const char* s)`.", "char dup(const char *s) { return 0; }\n", "dup",
     "the task declares `dup` returning `char*`, the answers return `char`"),
])
def test_an_answer_that_implements_another_signature_is_found(instruction: str, solution: str, name: str,
                                                              why: str) -> None:
    assert signature_mismatch(instruction, solution, [name], "cpp") == why


@pytest.mark.parametrize(("instruction", "solution", "name"), [
    # Spelling aside (std::, const, &, spaces), the same signature.
    ("Write `int countVowels(const std::string& text)`.", "int countVowels(const std::string &t) { return 1; }\n",
     "countVowels"),
    ("Write `char* dup(const char* s)`.", "char *dup(const char *s) { return 0; }\n", "dup"),
    ("Write `size_t count(void)`.", "size_t count() { return 0; }\n", "count"),
    # Only calls in examples: nothing declared.
    ("Write a function `append` that appends. `append({1, 2}, 3)` returns `{1, 2, 3}`.", APPEND, "append"),
])
def test_the_same_signature_or_none_declared_passes(instruction: str, solution: str, name: str) -> None:
    assert signature_mismatch(instruction, solution, [name], "cpp") is None


def test_only_typed_languages_are_checked() -> None:
    assert signature_mismatch("Write `int f(x)`.", "def f(x, y):\n    return x\n", ["f"], "python") is None
