"""Another language's values and code in a task."""

from __future__ import annotations

import pytest
from coderforge.agents.vocabulary import foreign_terms

CASES = [
    ("python", "If it is absent, return `undefined`.", ["undefined"]),
    ("python", "Return `null` or `std::nullopt`.", ["null", "std::"]),
    ("python", '`to_text(True)` returns `"true"`; in prose, undefined and null are English.', []),
    ("javascript", "Return `None` when the list is empty.", ["None"]),
    ("javascript", "Return `null`, and `true` when found; `isValid(\"True\")` is `false`.", []),
    ("cpp", "Return `undefined` (or print it with console.log).", ["undefined", "console.log"]),
    ("cpp", "Return `nullptr` or `NULL`; `std::vector<int>`.", []),
    ("cpp", "Write `reverse_string(s: std::string) -> std::string`; `reverse(s, n: int)`.",
     ["s: std::string", "n: int"]),
    ("cpp", "Write `std::string reverse(const std::string& s)` (note: keep `a ? b : c` short).", []),
    ("javascript", "Write `remove_duplicates(sequence: Array)`; `f({ name: \"x\", size: 2 })` returns `2`.",
     ["sequence: Array"]),
    ("rust", "Return `None`.", []),  # a language without a list
]


@pytest.mark.parametrize(("language", "task", "expected"), CASES)
def test_foreign_terms(language: str, task: str, expected: list[str]) -> None:
    assert foreign_terms(task, language) == expected
