"""Reading the pretraining corpus: code repositories and loose files (language from the extension),
text and math sources, and the stable held-out split of code files."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from coderforge.errors import CoderforgeError
from coderforge.languages import language_for_extension

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".md", ".txt", ".rst", ".tex")
# Installed third-party packages and build output are not the corpus (a stdlib folder holds site-packages).
_SKIP_DIRS = {".git", "__pycache__", "node_modules", ".venv", "venv", "build", "dist", "target", "site-packages",
              "dist-packages"}


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


def _read_code(path: Path, *, max_bytes: int) -> str | None:
    try:
        if path.stat().st_size > max_bytes:
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if text.strip() else None


def _code_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        skipped = _SKIP_DIRS.intersection(path.relative_to(root).parts[:-1])
        if path.is_file() and not skipped and language_for_extension(path.suffix):
            yield path


def scan_code(folders: list[str], *, max_file_bytes: int) -> list[Repo]:
    """Repositories (one per sub-folder) and one nameless group of loose files per code folder."""
    repos: list[Repo] = []
    for folder in map(Path, folders):
        if not folder.is_dir():
            raise CoderforgeError(f"code corpus folder {folder} does not exist or is not a folder")
        loose: list[SourceFile] = []
        for entry in sorted(folder.iterdir()):
            if entry.is_dir() and entry.name not in _SKIP_DIRS:
                files = tuple(_source(p, entry, entry.name, max_file_bytes) for p in _code_files(entry))
                if files := tuple(f for f in files if f):
                    repos.append(Repo(entry.name, files))
            elif entry.is_file() and (f := _source(entry, folder, None, max_file_bytes)):
                loose.append(f)
        if loose:
            repos.append(Repo(None, tuple(loose)))
    if not repos:
        raise CoderforgeError(f"no source files with a known extension under {', '.join(folders)}")
    return repos


def _source(path: Path, root: Path, repo: str | None, max_bytes: int) -> SourceFile | None:
    code = _read_code(path, max_bytes=max_bytes)
    lang = language_for_extension(path.suffix)
    if code is None or lang is None:
        return None
    return SourceFile(repo, path.relative_to(root).as_posix(), lang.name, code)


def read_texts(sources: list[str]) -> list[str]:
    """Documents from text folders (.md/.txt/.rst/.tex files) or JSONL files (a `text` field each)."""
    docs: list[str] = []
    for source in map(Path, sources):
        if source.is_dir():
            docs.extend(p.read_text(encoding="utf-8", errors="replace") for p in sorted(source.rglob("*"))
                        if p.is_file() and p.suffix in TEXT_SUFFIXES)
        elif source.suffix == ".jsonl":
            docs.extend(_jsonl_texts(source))
        elif source.is_file():
            docs.append(source.read_text(encoding="utf-8", errors="replace"))
        else:
            raise CoderforgeError(f"text source {source} does not exist")
    return [d for d in docs if d.strip()]


def _jsonl_texts(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                text = json.loads(line)["text"]
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise CoderforgeError(f"{path}:{n}: expected a JSON object with a `text` field ({e})") from e
            if not isinstance(text, str):
                raise CoderforgeError(f"{path}:{n}: `text` must be a string, got {type(text).__name__}")
            yield text


def is_held_out(file: SourceFile, *, fraction: float) -> bool:
    """A stable split by content hash of repo and path, so a resumed or repeated run agrees."""
    key = f"{file.repo}/{file.path}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") / 2**64 < fraction


def split_held_out(repos: list[Repo], *, fraction: float) -> tuple[list[Repo], list[SourceFile]]:
    """Training repositories (held-out files removed) and the held-out files."""
    train: list[Repo] = []
    held: list[SourceFile] = []
    for repo in repos:
        keep = tuple(f for f in repo.files if not is_held_out(f, fraction=fraction))
        held.extend(f for f in repo.files if is_held_out(f, fraction=fraction))
        if keep:
            train.append(Repo(repo.name, keep))
    return train, held


def write_held_out(files: list[SourceFile], path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(asdict(f)) + "\n" for f in files), encoding="utf-8")
    tmp.replace(path)


def read_held_out(path: Path) -> list[SourceFile]:
    if not path.is_file():
        raise CoderforgeError(f"no held-out files at {path}; run `coderforge train pretrain` first")
    return [SourceFile(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]
