"""What a task asks that no test can check. Restrictions on how it may be solved ("without using
any additional data structures", "do not use `sort`", "in O(1) extra space"): small models rarely
keep one (seen on Qwen 0.5B, run after run: a `remove_duplicates` task "without using any
additional data structures", answered with `set()` by every passing candidate and kept), and a
sample whose answer breaks its own task's rule teaches the break. Printing ("adds two integers and
prints the result"): tests check what a function returns (34 such tasks over the quickstart runs,
one with a passing answer). A task says what to compute and return; the author is asked to drop
the demand, and a revision that keeps it goes no further."""

from __future__ import annotations

import re

__all__ = ["printing", "restrictions"]

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


#: A demand to print or display, not negated ("prints nothing", "does not print"), not a call in an
#: example (`print(f(2))  # Output: 4`) and not a string's text (`run("print")`).
_PRINTING = re.compile(r"(?<!not )(?<!never )(?<!without )(?<!n't )(?<![\"'`])"
                       r"\b(?:prints?|printing|printed|displays?|displaying)\b(?! nothing)(?!\s*\()"
                       r"(?:\s+[\w\"`'-]+){0,3}", re.I)


def printing(task: str) -> list[str]:
    """The phrases of `task` that ask its function to print, as written."""
    return list(dict.fromkeys(m.group(0).strip() for m in _PRINTING.finditer(task)))
