"""The checks of a test suite, one at a time: where a failing run says a check failed, and the suite
without that check. A small model that writes tests often gets one expected value wrong
(`sum_of_squares([0, -1, -2]) == 0`); when every candidate solution that reached that check fails it
the same way, the check is in dispute and the pool sets it aside (agents/pool.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coderforge.sandbox import harness_runtime as rt
from coderforge.sandbox.program import Status
from tree_sitter import Node

from coderforge.code.demo import CHECK_CALL
from coderforge.code.syntax import NoGrammarError, parse
from coderforge.events import NotRun

__all__ = ["Dispute", "FailedCheck", "disputed_check", "failed_check", "states_example", "values_agreed",
           "without_check"]

_FAILED = re.compile(re.escape(rt.FAILURE) + r"tests(?:\.\w+)?:(\d+): ")
#: A failing comparison's report that shows the values compared, per language (others show the source only).
_NODE_ASSERT = re.compile(r"!==|\+ actual|Expected values")
_SHOWN = {"python": re.compile(r" is false(?::|$)", re.M), "cpp": re.compile(r" is false$", re.M),
          "javascript": _NODE_ASSERT, "typescript": _NODE_ASSERT, "rust": re.compile(r"left: .*right: ", re.S)}
_COMPARISON = re.compile(r"==|!=|<=|>=|\s[<>]\s")
_AGAINST_BOOLEAN = re.compile(r"(?:==|!=)=?\s*(?:true|false)\b|\b(?:true|false)\s*(?:==|!=)", re.I)
_CALLEE = re.compile(r"[A-Za-z_$][\w$]*\s*\(")
_LITERAL = re.compile(r"\"[^\"]*\"|'[^']*'|-?\d+(?:\.\d+)?|\b(?:true|false|True|False|None|null)\b")
#: Statuses of runs that never reached the tests: they say nothing about any check.
_NOT_RUN = frozenset({NotRun.syntax_error, Status.compile_error})
#: What an emptied block holds instead, where the language needs a statement there.
_NO_OP = {"python": "pass", "bash": ":"}
#: Nodes that hold statements (blocks, bodies, whole files): never the statement itself.
_CONTAINER = re.compile(r"block|body|list$|^(?:module|program|translation_unit|source_file|compound_statement)$")


@dataclass(frozen=True)
class FailedCheck:
    line: int
    """The check's line in the tests (1-based)."""
    report: str
    """The harness's report from the line on: the check's source and, where the language shows them,
    the values compared (`55 == 0 is false`)."""


@dataclass(frozen=True)
class Dispute:
    check: FailedCheck
    agreeing: int
    """Candidates that reached the check and failed it with this very report."""


def failed_check(error: str) -> FailedCheck | None:
    """The failing check an attempt's error names (None: the run failed some other way: an
    exception, a timeout, no check executed, a language whose reports carry no line)."""
    m = _FAILED.search(error)
    return None if m is None else FailedCheck(int(m.group(1)), error[m.end():].strip())


def disputed_check(attempts: Sequence[tuple[str, str] | None], *, min_agreeing: int) -> Dispute | None:
    """The check that every candidate reaching it failed, all with one report, when at least
    `min_agreeing` did. `attempts`: (status, error) of each candidate's run against the suite, None
    for a candidate without code. A candidate that failed an earlier check never reached it; one that
    did not compile says nothing; one that passed, or failed in another way (an exception, a timeout),
    leaves no dispute."""
    failures = []
    for attempt in attempts:
        if attempt is None or attempt[0] in _NOT_RUN:
            continue
        check = failed_check(attempt[1]) if attempt[0] == Status.failed else None
        if check is None:
            return None
        failures.append(check)
    if not failures:
        return None
    last = max(f.line for f in failures)
    reports = {f.report for f in failures if f.line == last}
    agreeing = sum(f.line == last for f in failures)
    if len(reports) > 1 or agreeing < min_agreeing:
        return None
    return Dispute(FailedCheck(last, reports.pop()), agreeing)


def values_agreed(dispute: Dispute, statement: str, language: str) -> bool:
    """Whether the candidates failing the disputed check agree on its value, not only on failing it:
    the report shows the values compared (Python, JavaScript, Rust, a C++ `assert(a == b)`), or the
    check's outcome fixes the value (a boolean: `assert(isPalindrome("ab"))`, `== false`). A C or
    Go `f(8) == 3` check fails alike for 2 and for 5."""
    shown = _SHOWN.get(language)
    if shown is not None and shown.search(dispute.check.report):
        return True
    return not _COMPARISON.search(_AGAINST_BOOLEAN.sub("", statement))


def without_check(tests: str, line: int, language: str) -> tuple[str, str] | None:
    """`tests` without the statement holding the one check on `line` (the whole lines it takes), and
    that statement; None when no such statement starts there (two checks in it, other code beside
    it on its lines, tests that do not parse)."""
    try:
        result = parse(tests, language)
    except (NoGrammarError, ValueError):
        return None
    if not result.ok:
        return None
    data = tests.encode()
    node = _statement_at(result.tree.root_node, line - 1, data)
    if node is None:
        return None
    start = data.rfind(b"\n", 0, node.start_byte) + 1
    end = data.find(b"\n", node.end_byte)
    end = len(data) if end < 0 else end + 1
    indent = data[start:node.start_byte].decode()
    parent = node.parent
    alone = parent is not None and parent.type not in ("module", "program") \
        and sum(c.type != "comment" for c in parent.named_children) == 1
    filler = f"{indent}{_NO_OP[language]}\n" if alone and language in _NO_OP else ""
    return (data[:start] + filler.encode() + data[end:]).decode(), data[node.start_byte:node.end_byte].decode()


def _statement_at(root: Node, row: int, data: bytes) -> Node | None:
    """The largest statement starting `row` at its first non-blank column, holding exactly one check
    and ending its last line (bar a `;`)."""
    line_start = _row_offset(data, row)
    best = None
    stack = [root]
    while stack:
        node = stack.pop()
        if node.start_point[0] > row or node.end_point[0] < row:
            continue
        stack.extend(node.children)
        if node.start_point[0] != row or data[line_start:node.start_byte].strip() or _CONTAINER.search(node.type):
            continue
        line_end = data.find(b"\n", node.end_byte)
        rest = data[node.end_byte: len(data) if line_end < 0 else line_end].strip()
        text = data[node.start_byte:node.end_byte].decode(errors="replace")
        if rest in (b"", b";") and len(CHECK_CALL.findall(text)) == 1 \
                and (best is None or node.end_byte - node.start_byte > best.end_byte - best.start_byte):
            best = node
    return best


def _row_offset(data: bytes, row: int) -> int:
    offset = 0
    for _ in range(row):
        offset = data.find(b"\n", offset) + 1
        if offset == 0:
            return len(data)
    return offset


def states_example(statement: str, text: str) -> bool:
    """Whether `text` (the instruction) states the disputed check as its own example: a call of the
    check, whitespace aside, followed closely by a value the check expects (`countSetBits(8)`
    returns `3`). The candidates then outvote the instruction too; an instruction whose example
    differs from the check (`countWords("Hello World")` returns `2`, checked as 3) backs them."""
    for call in _calls(statement):
        values = set(_LITERAL.findall(re.sub(r"\s+", "", statement).replace(call, " ", 1)))
        spaced = r"\s*".join(map(re.escape, call))  # the call as the text may space it
        for m in re.finditer(spaced, text):
            after = text[m.end():m.end() + 60]
            if any(re.search(rf"(?<![\w.]){re.escape(v)}(?!\w|\.\d)", after) for v in values):
                return True
    return False


def _calls(statement: str) -> list[str]:
    """The calls in `statement` (`countSetBits(8)`), whitespace removed, outermost first."""
    found = []
    for m in _CALLEE.finditer(statement):
        depth = 0
        for i in range(m.end() - 1, len(statement)):
            depth += {"(": 1, ")": -1}.get(statement[i], 0)
            if depth == 0:
                found.append(re.sub(r"\s+", "", statement[m.start():i + 1]))
                break
    return found
