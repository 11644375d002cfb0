"""Seeds for the pools: functions and classes cut (by coderforge.code.seeds) from a language's
corpus: folders or files in `generate.corpus`, else real source already on this machine. The
order is deterministic, so a resumed run sees the same seeds with the same ids."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coderforge.code.config import SeedConfig
from coderforge.code.corpus import SkipCounter, iter_corpus, read_source
from coderforge.code.installed import sample_sources
from coderforge.code.seeds import extract_seeds
from coderforge.code.tokens import TokenCounter
from coderforge.errors import CoderforgeError

log = logging.getLogger(__name__)

#: Seeds taken from one file at most, so a run's seeds spread over many files.
SEEDS_PER_FILE = 2
#: Installed files drawn per seed wanted (many files hold no usable definition).
FILES_PER_SEED = 4


def _files(language: str, paths: list[str] | None, *, limit: int, seed: int, max_bytes: int,
           skipped: SkipCounter) -> Iterator[tuple[str, str]]:
    """(path, text) of the language's corpus files."""
    if not paths:
        for source in sample_sources(language, limit=limit * FILES_PER_SEED, seed=seed):
            yield source.path, source.text
        return
    for entry in paths:
        root = Path(entry).expanduser()
        if not root.exists():
            raise CoderforgeError(f"generate.corpus.{language}: {root} does not exist")
        # A folder's files must stay inside it; a file named in the config is read as given.
        inside = None if root.is_file() else root
        files = [root] if inside is None else [f.path for f in iter_corpus(root, language=language, skipped=skipped)]
        for path in files:
            text, reason = read_source(path, max_bytes=max_bytes, root=inside)
            if text is None:
                skipped.skip(reason or "unreadable", path)
                continue
            yield str(path), text


def load_seeds(language: str, *, paths: list[str] | None, limit: int, seed: int, config: SeedConfig,
               counter: TokenCounter) -> list[dict[str, Any]]:
    """Up to `limit` distinct seeds that parse, at most SEEDS_PER_FILE from each file."""
    skipped = SkipCounter()
    seeds: dict[str, dict[str, Any]] = {}
    for path, text in _files(language, paths, limit=limit, seed=seed, max_bytes=config.max_file_bytes,
                             skipped=skipped):
        found = [s for s in extract_seeds(text, language, path=path, counter=counter, config=config, skipped=skipped)
                 if s["parses"] and s["id"] not in seeds]
        for s in found[:SEEDS_PER_FILE]:
            seeds[s["id"]] = {**s, "id": f"{language}-{s['id']}"}
        if len(seeds) >= limit:
            break
    if skipped:
        log.debug("%s seeds: skipped %s", language, dict(skipped))
    return list(seeds.values())[:limit]
