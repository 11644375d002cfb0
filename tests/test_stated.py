"""What an instruction states as its example, and the check made of it per language."""

from __future__ import annotations

import pytest
from coderforge.sandbox.stated import StatedExample, stated_examples, stated_tests

FOUND = [
    ('`countVowels("Hello World")` returns `3`; `countVowels("xyz")` returns `0`.',
     [("countVowels", ('"Hello World"',), "3"), ("countVowels", ('"xyz"',), "0")]),
    ("Example: `runningMax({3, 1, 4})` returns `{3, 3, 4}`.", [("runningMax", ("{3, 1, 4}",), "{3, 3, 4}")]),
    ("```python\n>>> add(2, 3)\n5\n```", [("add", ("2", "3"), "5")]),
    ("console.log(total([1, 2, 3])); // Output: 6", [("total", ("[1, 2, 3]",), "6")]),
    ('print(split_words("a b"))  # Output: ["a", "b"]', [("split_words", ('"a b"',), '["a", "b"]')]),
    ("std::cout << fact(5) << std::endl; // 120", [("fact", ("5",), "120")]),
    ("`find([1, 2], 3)` -> `-1` if it is absent.", [("find", ("[1, 2]", "3"), "-1")]),
    ("**is_even(4)** should return **True**.", [("is_even", ("4",), "True")]),
    ("`area(2.0)` returns 12.57, twice: `area(2.0)` returns 12.57", [("area", ("2.0",), "12.57")]),
]
NOT_EXAMPLES = [
    "Write `def is_prime(n: int) -> bool` that returns True when n is prime.",
    "Write `int fact(int n)`; fact(n) returns n!.",
    "`double(3)` returns 3 * 2.",
    "`count(\"abc\")` is a small function.",
    "Call `obj.count(3)`, it returns 1.",
    "`other(3)` returns 4.",  # a function the tests never call
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_examples_are_found_in_the_forms_instructions_use(text, expected) -> None:
    callees = {"countVowels", "runningMax", "add", "total", "split_words", "fact", "find", "is_even", "area"}
    assert stated_examples(text, callees) == [StatedExample(*e) for e in expected]


@pytest.mark.parametrize("text", NOT_EXAMPLES)
def test_signatures_prose_and_methods_are_not_examples(text) -> None:
    assert stated_examples(text, {"is_prime", "fact", "double", "count"}) == []


def test_each_language_spells_the_example_its_way() -> None:
    text = "`pick([1, 2], true)` returns `null`; `scale(1.5)` returns `3.75`; `name('ab')` returns 'ab'."
    calls = "pick(1) scale(1) name(1)"
    python = stated_tests(text, calls, "python")
    assert python is not None and python.checks == 3
    assert python.code.splitlines() == ["assert pick([1, 2], True) == None", "assert round(scale(1.5), 2) == 3.75",
                                        "assert name('ab') == 'ab'"]
    js = stated_tests(text, calls, "javascript")
    assert js is not None and js.code.splitlines() == [
        'require("assert").deepStrictEqual(pick([1, 2], true), null);',
        'require("assert").strictEqual(Number((scale(1.5)).toFixed(2)), 3.75);',
        "require(\"assert\").deepStrictEqual(name('ab'), 'ab');"]
    cpp = stated_tests(text, calls, "cpp")  # no container literal in C++: its type is not stated
    assert cpp is not None and cpp.checks == 2
    assert 'assert(std::string(name("ab")) == std::string("ab"));' in cpp.code and "int main()" in cpp.code
    assert stated_tests(text, "other(1)", "python") is None
    assert stated_tests(text, calls, "go") is None
