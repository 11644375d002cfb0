"""Removes what sandboxes of dead processes left behind (a process killed with SIGKILL cannot
clean up): work roots, bwrap runtime dirs and cgroup parents are all named with their owner's pid."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import stat
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


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def remove_tree(path: Path) -> None:
    """Delete `path` and everything under it, however deep, without raising (failures are logged).

    Programs may nest thousands of directories: shutil.rmtree recurses (RecursionError, which its
    ignore_errors does not cover) and such paths exceed PATH_MAX. This walks with one directory
    fd at a time, by name relative to it, keeping only a stack of names.
    """
    try:
        _remove_tree(path)
    except OSError as e:
        logger.warning("could not remove %s completely: %s", path, e)


def _remove_tree(path: Path) -> None:
    try:
        fd = os.open(path, _DIR_FLAGS)
    except FileNotFoundError:
        return
    except OSError as e:
        if e.errno not in (errno.ENOTDIR, errno.ELOOP):
            raise
        path.unlink()  # a file, or a symlink (O_NOFOLLOW): the entry itself goes
        return
    names: list[str] = []  # the directories entered below `path`, outermost first
    pending = [_clear(fd)]  # per level: subdirectories still to delete
    try:
        while pending:
            if pending[-1]:
                name = pending[-1].pop()
                child = os.open(name, _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = child
                names.append(name)
                pending.append(_clear(fd))
            elif names:
                parent = os.open("..", _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = parent
                os.rmdir(names.pop(), dir_fd=fd)
                pending.pop()
            else:
                pending.pop()
    finally:
        os.close(fd)
    path.rmdir()


def _clear(fd: int) -> list[str]:
    """Unlink the non-directories of the directory open at `fd`; return its subdirectories."""
    with contextlib.suppress(OSError):  # a program may have made it read-only (root needs no mode)
        os.fchmod(fd, stat.S_IRWXU)
    subdirs = []
    with os.scandir(fd) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(entry.name)
            else:
                os.unlink(entry.name, dir_fd=fd)
    return subdirs


def remove_stale(parent: Path, prefix: str, *, remove: Callable[[Path], None] = remove_tree) -> None:
    """Remove entries of `parent` named `<prefix><pid>-...` whose pid is no longer running; a
    leftover that cannot be removed is logged, never raised (it must not stop a new sandbox)."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)-")
    with contextlib.suppress(OSError):
        for entry in parent.iterdir():
            m = pattern.match(entry.name)
            if m and not pid_alive(int(m.group(1))):
                logger.debug("removing %s, left by a dead process", entry)
                try:
                    remove(entry)
                except Exception as e:  # whatever it is, the next sandbox must start
                    logger.warning("could not remove %s, left by a dead process: %s", entry, e)


def remove_cgroup_tree(path: Path) -> None:
    """rmdir a cgroup and its (process-free) children, deepest first."""
    for child in sorted((p for p in path.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        child.rmdir()
    path.rmdir()
