"""Sample records: plain JSON dicts, their filter verdicts, the text fields filters read, and JSONL
files (read with errors that name the line; written atomically or appended resumably).

A record carries every verdict a filter gave it in ``record["verdicts"]``, a list of
``{"stage": str, "passed": bool, "reason": str, ...details}`` in the order the stages ran.

Fields filters read (all optional): ``id``, ``language`` (a canonical name from
coderforge.languages), ``task`` (``instruction`` (default), ``fim`` or ``debugging``),
``instruction``, ``solution`` (or ``code``), ``tests``, and ``messages`` (trl conversational form),
from which the instruction (user turns) and the solution (last assistant turn) are taken when the
explicit fields are absent.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from coderforge.errors import CoderforgeError

Record = dict[str, Any]


class RecordError(CoderforgeError, ValueError):
    """A record file or a record in it is malformed; the message names the file and line."""


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


def json_object(line: str) -> Record:
    """One JSONL line as a JSON object; ValueError saying what is wrong with it."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON ({e.msg} at column {e.colno})") from e
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    return obj


def read_jsonl(path: str | Path) -> Iterator[Record]:
    """Yield the JSON objects of a JSONL file (blank lines skipped); errors name file and line."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as e:
        raise RecordError(f"{path}: cannot read: {e.strerror}") from e
    with handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield json_object(line)
            except ValueError as e:
                raise RecordError(f"{path}:{lineno}: {e}") from e


def dumps(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False)


@contextlib.contextmanager
def atomic_writer(path: str | Path) -> Iterator[IO[str]]:
    """Write a file through a temporary sibling renamed into place on success; on an error
    the previous file (if any) is left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_jsonl(path: str | Path, records: Iterable[Record]) -> int:
    """Write records atomically; returns how many were written."""
    count = 0
    with atomic_writer(path) as handle:
        for record in records:
            handle.write(dumps(record) + "\n")
            count += 1
    return count


class ResumableJsonl:
    """An append-only JSONL output that a killed run can continue.

    Opening it drops a torn last line (a write cut short), and `done` is the number of complete
    records already there; the caller skips that many inputs and appends the rest. Each
    `append` is flushed and fsynced, so a kill loses at most the batch being written.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.done = self._repair()
        self._handle = self.path.open("a", encoding="utf-8")

    def _repair(self) -> int:
        if not self.path.exists():
            return 0
        data = self.path.read_bytes()
        keep = data.rfind(b"\n") + 1
        if keep != len(data):
            with self.path.open("r+b") as handle:
                handle.truncate(keep)
        return sum(1 for line in data[:keep].splitlines() if line.strip())

    def append(self, records: Iterable[Record]) -> None:
        self._handle.write("".join(dumps(r) + "\n" for r in records))
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> ResumableJsonl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
