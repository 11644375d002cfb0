"""`coderforge sandbox batch`: JSONL in, JSONL out, one line per program written as it finishes;
a rerun skips ids already in OUT, so a killed run resumes without losing or repeating work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coderforge.sandbox.program import Program, Result
from coderforge.sandbox.sandbox import Sandbox

from coderforge.errors import CoderforgeError
from coderforge.io import JsonlAppender, json_object

_FIELDS = {"id", "language", "code", "stdin", "files", "timeout", "memory_mb"}


class BatchInputError(CoderforgeError, ValueError):
    """Lines of a batch input file that are not valid programs (each named by line number)."""


@dataclass
class BatchReport:
    ran: int = 0
    skipped: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    bad_lines: list[str] = field(default_factory=list)


def parse_line(line: str) -> Program:
    """One input line as a Program; ValueError saying what is wrong."""
    data = json_object(line)
    missing = [k for k in ("id", "language", "code") if k not in data]
    if missing:
        raise ValueError(f"missing {', '.join(repr(k) for k in missing)}")
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(sorted(_FIELDS))}")
    if not isinstance(data["id"], str | int) or isinstance(data["id"], bool):
        raise ValueError(f"'id' must be a string or an integer, got {data['id']!r}")
    files = data.get("files") or {}
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise ValueError("'files' must be an object of file name -> text")
    for key, kind in (("code", str), ("language", str), ("stdin", str | None)):
        if not isinstance(data.get(key), kind):
            raise ValueError(f"{key!r} must be a string, got {type(data.get(key)).__name__}")
    for key, kind in (("timeout", int | float | None), ("memory_mb", int | None)):
        if not isinstance(data.get(key), kind) or isinstance(data.get(key), bool):
            raise ValueError(f"{key!r} must be a number, got {data.get(key)!r}")
    return Program(str(data["id"]), data["language"], data["code"], stdin=data.get("stdin"), files=files,
                   timeout_s=data.get("timeout"), memory_mb=data.get("memory_mb"))


def read_programs(path: Path) -> tuple[list[Program], list[str]]:
    """The valid programs of a JSONL file, and one message per bad line (duplicates included).

    Not coderforge.io.read_jsonl, which stops at the first bad line: this reports them all."""
    programs, bad, seen = [], [], set()
    try:
        lines = path.read_text().splitlines()
    except OSError as e:
        raise BatchInputError(f"{path}: cannot read ({e.strerror})") from e
    except UnicodeDecodeError as e:
        raise BatchInputError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            program = parse_line(line)
        except ValueError as e:  # UnknownLanguageError too
            bad.append(f"{path}:{number}: {e}")
            continue
        if program.id in seen:
            bad.append(f"{path}:{number}: duplicate id {program.id!r}")
            continue
        seen.add(program.id)
        programs.append(program)
    return programs, bad


def run_batch(sandbox: Sandbox, source: Path, out: Path, *,
              on_result: Callable[[Result], None] | None = None) -> BatchReport:
    """Run every program of `source` not yet in `out`, appending each result as it finishes."""
    programs, bad = read_programs(source)
    with JsonlAppender(out) as sink:
        todo = [p for p in programs if p.id not in sink]
        report = BatchReport(skipped=len(programs) - len(todo), bad_lines=bad)
        for result in sandbox.execute_iter(todo):
            sink.append(result.to_dict())
            report.ran += 1
            report.counts[result.status.value] = report.counts.get(result.status.value, 0) + 1
            if on_result is not None:
                on_result(result)
    return report
