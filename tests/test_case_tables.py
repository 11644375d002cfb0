"""JavaScript tests that list their cases in a table and stop before checking them (seen on Qwen
0.5B: 25 of the 27 JavaScript suites no candidate could run a check of, over eleven runs)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from coderforge.sandbox import harness
from coderforge.sandbox.case_tables import function_called, unrolled
from coderforge.sandbox.sandbox import Sandbox

from tests.sandbox_support import config_for, require_backend

TABLE = '''const assert = require("node:assert");
// Test cases
const testCases = [
  { input: "Hello World", expected: 3 },
  { "input": "", "expected": 0 },
  { inputs: ["ab", 2], output: NaN },
];
'''


def test_a_table_of_cases_becomes_one_check_per_case() -> None:
    got = unrolled(TABLE, "count", "javascript")
    assert got == TABLE.rstrip() + ('\n\nassert.deepStrictEqual(count("Hello World"), 3);\n'
                                    'assert.deepStrictEqual(count(""), 0);\n'
                                    'assert.deepStrictEqual(count("ab", 2), NaN);\n')


@pytest.mark.parametrize("tests", [
    TABLE + "for (const c of testCases) assert.strictEqual(count(c.input), c.expected);\n",  # checked already
    "const testCases = [{ input: 1 }];\n",  # no expected value
    "const testCases = [1, 2, 3];\n",  # not a table of cases
])
def test_tests_that_check_or_hold_no_table_are_left_alone(tests: str) -> None:
    assert unrolled(tests, "count", "javascript") is None
    assert unrolled(TABLE, "count", "python") is None


def test_the_function_is_the_one_the_task_names() -> None:
    assert function_called("Write a function `countVowels(text)` that counts; `f(2)` is 1.") == "countVowels"
    assert function_called("Write a JavaScript function `countUniqueDigits` that returns...") == "countUniqueDigits"
    assert function_called("Count the vowels of a string.") is None


def test_the_unrolled_checks_run_and_count(tmp_path: Path) -> None:
    require_backend("bwrap")
    solution = "function count(s, k) {\n  return k === undefined ? (s ? 3 : 0) : NaN;\n}\n"
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        table = asyncio.run(harness.run_tests(sandbox, "table", "javascript", solution=solution, tests=TABLE))
        checks = asyncio.run(harness.run_tests(sandbox, "checks", "javascript", solution=solution,
                                               tests=unrolled(TABLE, "count", "javascript")))
    assert table.status == "failed" and table.error.startswith("no check executed"), table
    assert checks == harness.TestOutcome("passed", 3, "")
