"""Reading a corpus directory: source files with their language, and bad files (unreadable,
binary, undecodable, too large) skipped with a counted reason instead of a crash."""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from coderforge.errors import CoderforgeError
from coderforge.languages import canonical_name, language_for_extension

__all__ = ["CorpusFile", "SkipCounter", "iter_corpus", "iter_sources", "read_source"]

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


def iter_corpus(root: Path, *, language: str | None = None, skipped: SkipCounter | None = None) -> Iterator[CorpusFile]:
    """Files under `root` whose extension names a known language (only `language` if given), sorted.

    Hidden directories (`.git`, `.venv`) are not entered.
    """
    if not root.is_dir():
        raise CorpusError(f"corpus directory {root} does not exist or is not a directory")
    wanted = canonical_name(language) if language else None
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            lang = language_for_extension(path.suffix)
            if lang is None:
                if skipped is not None:
                    skipped.skip("unknown_language", path)
                continue
            if wanted and lang.name != wanted:
                continue
            yield CorpusFile(path, path.relative_to(root).as_posix(), lang.name)


def read_source(path: Path, *, max_bytes: int) -> tuple[str | None, str | None]:
    """(text, None) for a readable UTF-8 text file, else (None, reason)."""
    try:
        if path.stat().st_size > max_bytes:
            return None, "too_large"
        data = path.read_bytes()
    except OSError:
        return None, "unreadable"
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
        text, reason = read_source(item.path, max_bytes=max_bytes)
        if text is None:
            skipped.skip(reason or "unreadable", item.rel)
            continue
        yield item, text
