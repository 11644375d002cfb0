"""JavaScript and TypeScript tests that list their cases in a table and stop there:

    const testCases = [
      { input: "Hello World", expected: 3 },
      { input: "xyz", expected: 0 },
    ]

Small models write such tables (against the test style they are given) and run out of tokens
before the loop that would check them: no check runs, and the task is lost (seen on Qwen 0.5B: 25
of the 27 JavaScript suites that no candidate could run a check of, over eleven quickstart runs).
The table still says, case by case, what the function returns for what input; `unrolled` writes
one `assert.deepStrictEqual` per case after it, so each case is a check of its own."""

from __future__ import annotations

import re

from tree_sitter import Node

from coderforge.code.syntax import parse
from coderforge.languages import canonical_name

__all__ = ["function_called", "unrolled"]

#: Keys of a case's input: one argument, or (plural) the list of arguments.
_INPUT = ("input", "arg", "argument", "param", "value")
_INPUTS = ("inputs", "args", "arguments", "params", "values")
_EXPECTED = ("expected", "output", "result", "expectedOutput", "expectedResult", "want")
#: A call of node:assert (`assert(`, `assert.equal(`) or `expect(`: tests that check something already.
_CHECKS = re.compile(r"\bassert\s*(?:\.\s*\w+\s*)?\(|\bexpect\s*\(")
#: The task's function as a code span names it: called (`countVowels(text)`), or after "function".
_CALLED = re.compile(r"`([A-Za-z_$][\w$]*)\s*\(")
_NAMED = re.compile(r"\bfunction\s+`([A-Za-z_$][\w$]*)`")


def function_called(instruction: str) -> str | None:
    """The function the instruction names (`countVowels(text)`, function `countVowels`)."""
    m = _CALLED.search(instruction) or _NAMED.search(instruction)
    return m.group(1) if m else None


def unrolled(tests: str, function: str, language: str) -> str | None:
    """`tests` with one check per case of its case table appended (see the module's text); None
    when the tests check something already, hold no such table, or are not JavaScript/TypeScript."""
    if canonical_name(language) not in ("javascript", "typescript") or _CHECKS.search(tests):
        return None
    result = parse(tests, language)
    if not result.ok:
        return None
    for node in result.tree.root_node.named_children:
        if node.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for declarator in node.named_children:
            value = declarator.child_by_field_name("value")
            cases = _cases(value) if value is not None and value.type == "array" else None
            if cases:
                checks = [f"assert.deepStrictEqual({function}({args}), {expected});" for args, expected in cases]
                return tests.rstrip() + "\n\n" + "\n".join(checks) + "\n"
    return None


def _cases(table: Node) -> list[tuple[str, str]] | None:
    """(arguments, expected) source text of each case object in `table`; None unless every element
    is such an object."""
    cases = []
    for case in table.named_children:
        if case.type != "object":
            return None
        pairs = {key.text.decode().strip("\"'"): p.child_by_field_name("value") for p in case.named_children
                 if p.type == "pair" and (key := p.child_by_field_name("key")) is not None}
        expected = next((pairs[k] for k in _EXPECTED if k in pairs), None)
        single = next((pairs[k] for k in _INPUT if k in pairs), None)
        spread = next((pairs[k] for k in _INPUTS if k in pairs), None)
        if expected is None or (single is None) == (spread is None):
            return None
        if single is not None:
            args = single.text.decode()
        elif spread is not None and spread.type == "array":
            args = ", ".join(n.text.decode() for n in spread.named_children)
        else:
            return None
        cases.append((args, expected.text.decode()))
    return cases or None
