"""Corpus reading: only regular files inside the corpus are read; FIFOs and links out of it are
skipped with a reason instead of hanging the run or pulling host files into the data."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from coderforge.code.corpus import SkipCounter, iter_sources, read_source

CODE = "def double(x):\n    return 2 * x\n"


def _hostile_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "pkg").mkdir(parents=True)
    (root / "good.py").write_text(CODE)
    (root / "pkg" / "alias.py").symlink_to(root / "good.py")  # a link inside the corpus is fine
    outside = tmp_path / "host_secret.py"
    outside.write_text("TOKEN = 'host-only'\n")
    (root / "leak.py").symlink_to(outside)
    (root / "escape.py").symlink_to("../host_secret.py")
    os.mkfifo(root / "a.py")  # reading a FIFO without a writer blocks forever
    return root


def test_sources_are_regular_files_inside_the_corpus(tmp_path: Path) -> None:
    root = _hostile_corpus(tmp_path)
    skipped = SkipCounter()
    found: list[tuple[str, str]] = []
    reader = threading.Thread(target=lambda: found.extend(
        (item.rel, text) for item, text in iter_sources(root, max_bytes=1000, skipped=skipped)), daemon=True)
    reader.start()
    reader.join(timeout=30)
    assert not reader.is_alive(), "reading the corpus hangs on a FIFO"
    assert sorted(found) == [("good.py", CODE), ("pkg/alias.py", CODE)]
    assert skipped == {"outside_corpus": 2, "not_a_regular_file": 1}


def test_read_source_reads_at_most_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.py"
    path.write_text("x = 1\n" * 100)
    assert read_source(path, max_bytes=600) == ("x = 1\n" * 100, None)
    assert read_source(path, max_bytes=599) == (None, "too_large")
    assert read_source(tmp_path / "absent.py", max_bytes=10) == (None, "unreadable")
