"""Restrictions on how a task may be solved ("without using any additional data structures", "do
not use `sort`", "in O(1) extra space"). No test can tell whether an answer kept one, and small
models rarely do (seen on Qwen 0.5B, run after run: a `remove_duplicates` task "without using any
additional data structures", answered with `set()` by every passing candidate and kept): a sample
whose answer breaks its own task's rule teaches the break. A task says what to compute; the author
is asked to drop the rule, and a revision that keeps it goes no further."""

from __future__ import annotations

import re

__all__ = ["restrictions"]

_RESTRICTION = re.compile(
    r"\bwithout (?:using |relying on |the use of )?(?:any )?(?:additional|extra|auxiliary|built-?in|inbuilt|library"
    r"|external)\b[^.,;:\n]*"
    r"|\bwithout using\b[^.,;:\n]*"
    r"|\b(?:do not|don't|must not|should not|cannot|may not|not allowed to) use\b[^.,;:\n]*"
    r"|\b(?:in |using )?(?:constant|O\(1\)) (?:extra |additional |auxiliary )?(?:space|memory)\b",
    re.I,
)


def restrictions(task: str) -> list[str]:
    """The phrases of `task` that restrict how it may be solved, as written."""
    return list(dict.fromkeys(m.group(0).strip() for m in _RESTRICTION.finditer(task)))
