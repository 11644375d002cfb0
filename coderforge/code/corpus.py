"""Reading a corpus directory: source files with their language, and bad files (unreadable,
binary, undecodable, too large, not a regular file, a link out of the corpus) skipped with a
counted reason instead of a crash."""

from __future__ import annotations

import logging
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from coderforge.errors import CoderforgeError
from coderforge.languages import canonical_name, language_for_extension

__all__ = ["CorpusFile", "SkipCounter", "iter_corpus", "iter_files", "iter_sources", "read_source"]

log = logging.getLogger(__name__)


class CorpusError(CoderforgeError, FileNotFoundError):
    """The corpus directory does not exist or is not a directory."""


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    rel: str
    """Path relative to the corpus root, with `/` separators (what records carry)."""
    language: str


class SkipCounter(Counter):
    """Why inputs were skipped: reason -> count, with a log line at debug level for each."""

    def skip(self, reason: str, what: object) -> None:
        self[reason] += 1
        log.debug("skipped %s: %s", what, reason)


def iter_files(root: Path) -> Iterator[Path]:
    """The corpus walk: every file name under `root`, sorted, each folder's files before its
    sub-folders'. Hidden directories (`.git`, `.venv`) are not entered."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            yield Path(dirpath) / name


def iter_corpus(root: Path, *, language: str | None = None, skipped: SkipCounter | None = None) -> Iterator[CorpusFile]:
    """Files under `root` (iter_files) whose extension names a known language (only `language` if given)."""
    if not root.is_dir():
        raise CorpusError(f"corpus directory {root} does not exist or is not a directory")
    wanted = canonical_name(language) if language else None
    for path in iter_files(root):
        lang = language_for_extension(path.suffix)
        if lang is None:
            if skipped is not None:
                skipped.skip("unknown_language", path)
            continue
        if wanted and lang.name != wanted:
            continue
        yield CorpusFile(path, path.relative_to(root).as_posix(), lang.name)


def read_source(path: Path, *, max_bytes: int, root: Path | None = None) -> tuple[str | None, str | None]:
    """(text, None) for a readable UTF-8 regular file, else (None, reason).

    With `root`, the file must resolve inside it: a cloned repository's links to host files
    (`/etc/hostname`, `~/.ssh/...`) must not reach prompts or training data. A FIFO or device is
    never read (opened non-blocking, checked before reading), and at most max_bytes + 1 are read.
    """
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        return None, "outside_corpus"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError:
        return None, "unreadable"
    with os.fdopen(fd, "rb") as f:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None, "not_a_regular_file"
            data = f.read(max_bytes + 1)
        except OSError:
            return None, "unreadable"
    if len(data) > max_bytes:
        return None, "too_large"
    if b"\0" in data[:8192]:
        return None, "binary"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, "undecodable"
    if not text.strip():
        return None, "empty"
    return text, None


def iter_sources(root: Path, *, max_bytes: int, skipped: SkipCounter, language: str | None = None,
                 progress: Callable[[str], None] | None = None) -> Iterator[tuple[CorpusFile, str]]:
    """(file, text) for each readable source file under `root`; the others counted in `skipped`.
    `progress` is told each file."""
    for item in iter_corpus(root, language=language, skipped=skipped):
        if progress is not None:
            progress(item.rel)
        text, reason = read_source(item.path, max_bytes=max_bytes, root=root)
        if text is None:
            skipped.skip(reason or "unreadable", item.rel)
            continue
        yield item, text
