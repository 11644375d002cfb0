"""Reading the pretraining corpus as streams: code repositories and loose files (language from the
extension), text and math documents, and the stable held-out split of code files."""

from __future__ import annotations

import hashlib
import itertools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from coderforge.code.corpus import SkipCounter, iter_files, iter_sources
from coderforge.errors import CoderforgeError
from coderforge.io import atomic_writer, dumps, read_jsonl, read_numbered_jsonl

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".md", ".txt", ".rst", ".tex")


@dataclass(frozen=True)
class SourceFile:
    repo: str | None
    """Repository name (the code folder's sub-folder), None for a loose file."""
    path: str
    """Path inside the repository (or the code folder for loose files), with / separators."""
    language: str
    """Canonical language name."""
    code: str


@dataclass(frozen=True)
class Repo:
    name: str | None
    files: tuple[SourceFile, ...]


def iter_repos(folders: list[str], *, max_file_bytes: int, skipped: SkipCounter) -> Iterator[Repo]:
    """Repositories one at a time: each sub-folder of a code folder is one, its loose files one nameless
    group. Files come from the code-analysis walker (coderforge.code.corpus), so training skips what
    generation skips, for the same counted reasons."""
    found = False
    for folder in map(Path, folders):
        if not folder.is_dir():
            raise CoderforgeError(f"code corpus folder {folder} does not exist or is not a folder")
        sources = iter_sources(folder, max_bytes=max_file_bytes, skipped=skipped)
        for name, group in itertools.groupby(sources, key=lambda s: s[0].rel.split("/")[0] if "/" in s[0].rel
                                             else None):
            prefix = f"{name}/" if name else ""
            files = tuple(SourceFile(name, item.rel.removeprefix(prefix), item.language, text) for item, text in group)
            found = True
            yield Repo(name, files)
    if not found:
        raise CoderforgeError(f"no source files with a known extension under {', '.join(folders)}")


def iter_texts(sources: list[str]) -> Iterator[str]:
    """Non-blank documents from text folders (.md/.txt/.rst/.tex files) or JSONL files (a `text` field
    each), one at a time. Folders are walked like the code corpus (coderforge.code.corpus.iter_files:
    sorted, hidden folders not entered); a document is read whole, bytes that are not UTF-8 replaced
    (the code reader's size and encoding skips are for source files; there is no text size setting)."""
    for source in map(Path, sources):
        if source.is_dir():
            docs: Iterator[str] = (p.read_text(encoding="utf-8", errors="replace") for p in iter_files(source)
                                   if p.suffix in TEXT_SUFFIXES and p.is_file())
        elif source.suffix == ".jsonl":
            docs = _jsonl_texts(source)
        elif source.is_file():
            docs = iter([source.read_text(encoding="utf-8", errors="replace")])
        else:
            raise CoderforgeError(f"text source {source} does not exist")
        yield from (d for d in docs if d.strip())


def _jsonl_texts(path: Path) -> Iterator[str]:
    for n, record in read_numbered_jsonl(path):
        if "text" not in record:
            raise CoderforgeError(f"{path}:{n}: expected a JSON object with a `text` field")
        if not isinstance(text := record["text"], str):
            raise CoderforgeError(f"{path}:{n}: `text` must be a string, got {type(text).__name__}")
        yield text


def is_held_out(file: SourceFile, *, fraction: float) -> bool:
    """A stable split by content hash of repo and path, so a resumed or repeated run agrees."""
    key = f"{file.repo}/{file.path}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") / 2**64 < fraction


def split_held_out(repos: Iterable[Repo], *, fraction: float, held_out: Path) -> Iterator[Repo]:
    """The training repositories (held-out files removed), while the held-out files are written to
    `held_out` (JSONL, written atomically once the repositories are all read)."""
    with atomic_writer(held_out) as fh:
        for repo in repos:
            for f in repo.files:
                if is_held_out(f, fraction=fraction):
                    fh.write(dumps(asdict(f)) + "\n")
            if keep := tuple(f for f in repo.files if not is_held_out(f, fraction=fraction)):
                yield Repo(repo.name, keep)


def read_held_out(path: Path) -> list[SourceFile]:
    if not path.is_file():
        raise CoderforgeError(f"no held-out files at {path}; run `coderforge train pretrain` first")
    return [SourceFile(**record) for record in read_jsonl(path)]
