"""Sample records: plain JSON dicts, their filter verdicts and the text fields filters read (JSONL
files of them are read and written by coderforge.io).

A record carries every verdict a filter gave it in ``record["verdicts"]``, a list of
``{"stage": str, "passed": bool, "reason": str, ...details}`` in the order the stages ran.

Fields filters read (all optional): ``id``, ``language`` (a canonical name from
coderforge.languages), ``task`` (``instruction`` (default), ``fim`` or ``debugging``),
``instruction``, ``solution`` (or ``code``), ``tests``, and ``messages`` (trl conversational form),
from which the instruction (user turns) and the solution (last assistant turn) are taken when the
explicit fields are absent.
"""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]


def add_verdict(record: Record, *, stage: str, passed: bool, reason: str, **details: Any) -> Record:
    """Append a filter verdict to ``record["verdicts"]`` and return the record."""
    record.setdefault("verdicts", []).append({"stage": stage, "passed": passed, "reason": reason, **details})
    return record


def verdict(record: Record, stage: str) -> dict[str, Any] | None:
    """The latest verdict of ``stage`` on the record, if that stage ran."""
    for v in reversed(record.get("verdicts", [])):
        if v.get("stage") == stage:
            return v
    return None


def passed_all(record: Record) -> bool:
    """True when no verdict on the record is a rejection."""
    return all(v.get("passed") for v in record.get("verdicts", []))


def _message_text(record: Record, role: str, *, last: bool) -> str:
    contents = [m.get("content", "") for m in record.get("messages") or () if m.get("role") == role]
    if not contents:
        return ""
    return contents[-1] if last else "\n\n".join(contents)


def instruction_text(record: Record) -> str:
    """The task statement: ``instruction``, else the user turns of ``messages``."""
    return record.get("instruction") or _message_text(record, "user", last=False)


def solution_text(record: Record) -> str:
    """The answer: ``solution``, else ``code`` (seed and FIM records), else the last assistant turn."""
    return record.get("solution") or record.get("code") or _message_text(record, "assistant", last=True)


def tests_text(record: Record) -> str:
    """The tests written for the solution (empty when there are none)."""
    tests = record.get("tests") or ""
    return "\n".join(tests) if isinstance(tests, list) else str(tests)


def record_id(record: Record, index: int) -> str:
    """The record's ``id``, or its position in the file when it has none."""
    rid = record.get("id")
    return str(rid) if rid is not None else f"#{index}"
