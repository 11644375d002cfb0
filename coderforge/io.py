"""File I/O every stage shares: atomic writes, JSONL reading with errors that name the file and line,
and append-only JSONL outputs that a killed run continues."""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

from coderforge.errors import CoderforgeError

log = logging.getLogger(__name__)

JsonObject = dict[str, Any]


class RecordError(CoderforgeError, ValueError):
    """A JSONL file or a line of it is malformed; the message names the file and line."""


# -- atomic writes ---------------------------------------------------------------------------------

@contextlib.contextmanager
def atomic_writer(path: str | Path, mode: Literal["w", "wb"] = "w") -> Iterator[IO[Any]]:
    """Write a file (UTF-8 text, or bytes with mode "wb") through a temporary sibling, fsynced and
    renamed into place on success; on an error the previous file (if any) is left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # os.open with 0o666 gives the file the permissions a plain open would (the umask's), not mkstemp's 0o600.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    with atomic_writer(path) as handle:
        handle.write(text)


def atomic_write_json(path: str | Path, data: Any, *, indent: int | None = 2,
                      default: Callable[[Any], Any] | None = None) -> None:
    with atomic_writer(path) as handle:
        json.dump(data, handle, indent=indent, default=default)


# -- JSONL -----------------------------------------------------------------------------------------

def dumps(record: JsonObject) -> str:
    """One JSONL line (without its newline)."""
    return json.dumps(record, ensure_ascii=False)


def json_object(line: str) -> JsonObject:
    """One JSONL line as a JSON object; ValueError saying what is wrong with it."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON ({e.msg} at column {e.colno})") from e
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    return obj


def _parse(line: bytes) -> JsonObject:
    return json_object(line.decode("utf-8"))  # UnicodeDecodeError is a ValueError too


def read_numbered_jsonl(path: str | Path) -> Iterator[tuple[int, JsonObject]]:
    """(line number, JSON object) for each non-blank line of a JSONL file, gzip-compressed when its
    name ends in .gz; a bad line, or a file that cannot be read, is a RecordError naming it."""
    path = Path(path)
    try:
        with gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb") as handle:
            for lineno, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    obj = _parse(line)
                except ValueError as e:
                    raise RecordError(f"{path}:{lineno}: {e}") from e
                yield lineno, obj
    except (OSError, EOFError) as e:  # EOFError: a truncated .gz
        raise RecordError(f"{path}: cannot read: {getattr(e, 'strerror', None) or e}") from e


def read_jsonl(path: str | Path) -> Iterator[JsonObject]:
    """The JSON objects of a JSONL file (see read_numbered_jsonl)."""
    return (obj for _, obj in read_numbered_jsonl(path))


def write_jsonl(path: str | Path, records: Iterable[JsonObject]) -> int:
    """Write records atomically; returns how many were written."""
    count = 0
    with atomic_writer(path) as handle:
        for record in records:
            handle.write(dumps(record) + "\n")
            count += 1
    return count


class JsonlAppender:
    """An append-only JSONL output that a killed run continues.

    Opening it reads the complete records already there: `done` counts them and `in` tells whether a
    record with that `id_field` value (as a string) is among them, so a rerun skips what is written.
    A torn last line (a write cut short by a kill) is truncated away first. Each append is one write,
    flushed and fsynced, so a kill loses at most the records being appended. With `keep_records`,
    `records` holds every record, those already there and those appended (for a log read whole).
    """

    def __init__(self, path: str | Path, *, id_field: str = "id", keep_records: bool = False) -> None:
        self.path = Path(path)
        self.id_field = id_field
        self.done = 0
        self._ids: set[str] = set()
        self.records: list[JsonObject] | None = [] if keep_records else None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            self._resume()
        self._handle = self.path.open("a", encoding="utf-8")

    def _resume(self) -> None:
        with self.path.open("r+b") as handle:
            end = 0
            for lineno, line in enumerate(handle, 1):
                if not line.endswith(b"\n"):
                    log.warning("%s: dropping an incomplete last line (an interrupted write)", self.path)
                    handle.truncate(end)
                    break
                end += len(line)
                if not line.strip():
                    continue
                try:
                    record = _parse(line)
                except ValueError as e:
                    raise RecordError(f"{self.path}:{lineno}: {e}; only a file this command wrote can be "
                                      "appended to: give another output") from e
                self._count(record)

    def _count(self, record: JsonObject) -> None:
        self.done += 1
        if self.id_field in record:
            self._ids.add(str(record[self.id_field]))
        if self.records is not None:
            self.records.append(record)

    def __contains__(self, record_id: str) -> bool:
        return record_id in self._ids

    def append(self, record: JsonObject) -> None:
        self.extend([record])

    def extend(self, records: Iterable[JsonObject]) -> None:
        records = list(records)
        self._handle.write("".join(dumps(r) + "\n" for r in records))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        for record in records:
            self._count(record)

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
