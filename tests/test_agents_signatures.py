"""An answer must implement the signature its instruction declares (seen on Qwen 0.5B: a C++
`int minMax(...)` answered and tested as `std::pair<int, int> minMax(...)`; a JavaScript
`sumTo(n, s)` answered as `sumTo(n)`)."""

from __future__ import annotations

import pytest
from coderforge.agents.signatures import declared_void, signature_mismatch

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
    # A fenced example's language tag is no return type.
    ("Write `reverse_string(s)`. For example:\n```cpp\nreverse_string(\"ab\") -> \"ba\"\n```",
     "#include <string>\nstd::string reverse_string(std::string s) { return s; }\n", "reverse_string"),
])
def test_the_same_signature_or_none_declared_passes(instruction: str, solution: str, name: str) -> None:
    assert signature_mismatch(instruction, solution, [name], "cpp") is None


@pytest.mark.parametrize(("language", "instruction", "solution", "why"), [
    # Seen on Qwen 0.5B: an adapted `sumTo(n, s)` whose answers (and so its tests) ignore `s`.
    ("javascript", "Write a function `sumTo(n, s)` that sums up all numbers from 1 to `n`.",
     "function sumTo(n) {\n  return n * (n + 1) / 2;\n}\n",
     "the task declares `sumTo` with 2 parameter(s), the answers take 1"),
    ("python", "Write `def sumTo(n: int) -> int`. `sumTo(3)` returns 6.", "def sumTo(n, s):\n    return s\n",
     "the task declares `sumTo` with 1 parameter(s), the answers take 2"),
    ("typescript", "Write `sumTo(n: number, s?: number): number`.", "function sumTo(n: number): number { return n; }\n",
     "the task declares `sumTo` with 2 parameter(s), the answers take 1"),
    # Optional parameters may be left out; a variadic definition takes any number; examples declare nothing.
    ("python", "Write `sumTo(n)`.", "def sumTo(n, start=1):\n    return n\n", None),
    ("javascript", "Write `sumTo(n, s)`.", "const sumTo = (...xs) => xs[0];\n", None),
    ("javascript", "`sumTo(3, 0)` returns 6.", "function sumTo(n) { return n; }\n", None),
    ("python", "Write `sumTo(n, s)`.", "class Helper:\n    def sumTo(self, n):\n        return n\n", None),
    ("rust", "Write `sum_to(n, s)`.", "fn sum_to(n: u32) -> u32 { n }\n", None),
])
def test_untyped_languages_check_the_parameter_count(language: str, instruction: str, solution: str,
                                                      why: str | None) -> None:
    assert signature_mismatch(instruction, solution, ["sumTo", "sum_to"], language) == why


@pytest.mark.parametrize(("language", "instruction", "expected"), [
    ("cpp", "Write a function `void printArray(const std::vector<int>& arr)` that prints each element.",
     ["printArray"]),
    ("c", "Write `static void fill(int* a, int n)`; then `int sum(void)` and `void fill(int* a)`.", ["fill"]),
    ("cpp", "Write `int count(const std::string& s)`; `count(\"void\")` returns `4`.", []),
    ("python", "Write `void f()`.", []),
])
def test_a_c_task_declaring_a_void_function_is_found(language: str, instruction: str, expected: list[str]) -> None:
    assert declared_void(instruction, language) == expected
