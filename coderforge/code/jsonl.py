"""Append-only JSONL output that survives being killed: one write per record, a torn last line
repaired on reopen, and the ids already written known so a rerun resumes without duplicates."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import TracebackType
from typing import Any

from coderforge.errors import CoderforgeError

__all__ = ["JsonlAppender", "OutputFileError"]


class OutputFileError(CoderforgeError, ValueError):
    """An existing output file cannot be appended to."""


class JsonlAppender:
    def __init__(self, path: Path, *, id_field: str = "id") -> None:
        self.path = path
        self.id_field = id_field
        self.existing: set[str] = set()
        self.written = 0
        self._file: Any = None

    def __enter__(self) -> JsonlAppender:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            self._repair_and_index()
        self._file = self.path.open("a", encoding="utf-8")
        return self

    def _repair_and_index(self) -> None:
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):  # a record cut off mid-write by a kill: drop it, it is rewritten
            with self.path.open("r+b") as f:
                f.truncate(end)
        for number, line in enumerate(data[:end].splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise OutputFileError(f"{self.path} line {number} is not JSON ({e.msg}); it is not a file this "
                                      "command wrote: give another --out") from e
            self.existing.add(str(record.get(self.id_field)))

    def __contains__(self, record_id: str) -> bool:
        return record_id in self.existing

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        self._file.write(line)
        self._file.flush()
        self.existing.add(str(record[self.id_field]))
        self.written += 1

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
