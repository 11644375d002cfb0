"""Real source files for the code-analysis tests: this machine's installed corpora (standard
libraries, headers, the JDK's src.zip), or for languages whose sources no installed package ships
(Ruby, Rust), small programs kept in tests/data/sources and written for these tests."""

from __future__ import annotations

import random
from pathlib import Path

from coderforge.code.installed import SourceFile, installed_languages, sample_sources

FIXTURES = Path(__file__).parent / "data" / "sources"


def real_sources(language: str, *, limit: int, seed: int) -> list[SourceFile]:
    """Up to `limit` `language` files, drawn reproducibly; fails (not skips) when there are none."""
    folder = FIXTURES / language
    if folder.is_dir():
        paths = sorted(folder.iterdir())
        picked = random.Random(seed).sample(paths, min(limit, len(paths)))
        return [SourceFile(str(p), p.read_text(encoding="utf-8")) for p in picked]
    assert language in installed_languages(), (
        f"no installed {language} sources on this machine: `make setup` installs them (scripts/system-deps.sh)")
    return sample_sources(language, limit=limit, seed=seed)
