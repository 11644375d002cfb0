"""Removes what sandboxes of dead processes left behind (a process killed with SIGKILL cannot
clean up): work roots, bwrap runtime dirs and cgroup parents are all named with their owner's pid."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owned_name(prefix: str) -> str:
    """A name prefix carrying this process's pid, for `remove_stale` to recognise."""
    return f"{prefix}{os.getpid()}-"


def remove_stale(parent: Path, prefix: str, *, remove: Callable[[Path], None] = shutil.rmtree) -> None:
    """Remove entries of `parent` named `<prefix><pid>-...` whose pid is no longer running."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)-")
    with contextlib.suppress(OSError):
        for entry in parent.iterdir():
            m = pattern.match(entry.name)
            if m and not pid_alive(int(m.group(1))):
                logger.debug("removing %s, left by a dead process", entry)
                with contextlib.suppress(OSError):
                    remove(entry)


def remove_cgroup_tree(path: Path) -> None:
    """rmdir a cgroup and its (process-free) children, deepest first."""
    for child in sorted((p for p in path.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        child.rmdir()
    path.rmdir()
