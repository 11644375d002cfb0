"""Compiled artifacts kept by content hash, so identical sources compile once (across runs too)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

from coderforge.sandbox.process import FORK_LOCK


def cache_key(*, language: str, toolchain_version: str, compile_argv: list[str], files: dict[str, str]) -> str:
    payload = json.dumps([language, toolchain_version, compile_argv, sorted(files.items())], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class CompileCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _entry(self, key: str) -> Path:
        return self.root / key[:2] / key

    def fetch(self, key: str, workdir: Path, *, uid: int | None) -> bool:
        """Copy the artifacts cached under `key` into workdir; False when there are none."""
        entry = self._entry(key)
        if not entry.is_dir():
            return False
        with FORK_LOCK:  # these are executables: no child may inherit them open for writing
            for item in entry.iterdir():
                target = workdir / item.name
                if item.is_dir():
                    shutil.copytree(item, target, symlinks=True)
                else:
                    shutil.copy2(item, target)
        if uid is not None:
            for path in [workdir, *workdir.rglob("*")]:
                os.lchown(path, uid, uid)
        return True

    def store(self, key: str, workdir: Path, artifacts: tuple[str, ...]) -> None:
        """Keep the named artifacts of a successful compile; written whole, then renamed into place."""
        entry = self._entry(key)
        if entry.exists() or not all((workdir / a).exists() for a in artifacts):
            return
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.parent / f".{key}.{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            for name in artifacts:
                source = workdir / name
                if source.is_dir():
                    shutil.copytree(source, tmp / name, symlinks=True)
                else:
                    shutil.copy2(source, tmp / name)
            tmp.rename(entry)
        except OSError:  # another worker stored it first, or the disk is full: the cache is optional
            shutil.rmtree(tmp, ignore_errors=True)
