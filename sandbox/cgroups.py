"""Per-program resource limits through cgroups: v2 where its controllers are usable, else v1
(memory, pids, cpu hierarchies). A run joins its cgroup before bwrap starts, so every process
it makes is counted and can be killed."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
import uuid
from pathlib import Path

from coderforge.sandbox.housekeeping import owned_name, remove_cgroup_tree, remove_stale

logger = logging.getLogger(__name__)

_CONTROLLERS = ("memory", "pids", "cpu")


def _mounts() -> list[tuple[str, str, str, set[str]]]:
    """(mount point, mount root, fstype, super options) of each cgroup mount."""
    out = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, rfields = left.split(), right.split()
        if rfields and rfields[0] in ("cgroup", "cgroup2"):
            out.append((fields[4], fields[3], rfields[0], set(rfields[2].split(",")) if len(rfields) > 2 else set()))
    return out


def _own_paths() -> dict[str, str]:
    """Controller (or "" for v2) -> this process's cgroup path."""
    paths = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for c in controllers.split(",") if controllers else [""]:
            paths[c] = path
    return paths


def _under(mount: str, root: str, path: str) -> Path:
    rel = path[len(root):] if root != "/" and path.startswith(root) else path
    return Path(mount) / rel.lstrip("/")


def _writable_parent(base: Path) -> Path | None:
    remove_stale(base, "coderforge-", remove=remove_cgroup_tree)
    parent = base / f"{owned_name('coderforge-')}{uuid.uuid4().hex[:6]}"
    try:
        parent.mkdir()
    except OSError:
        return None
    return parent


class Cgroup:
    """One program's cgroup (one directory per v1 controller, or one v2 directory)."""

    def __init__(self, dirs: dict[str, Path], *, v2: bool) -> None:
        self.dirs = dirs
        self.v2 = v2

    @property
    def procs_files(self) -> list[Path]:
        return sorted({d / "cgroup.procs" for d in self.dirs.values()})

    def limit(self, *, memory_mb: int, pids: int, cpus: float) -> None:
        mem = str(memory_mb * 1024 * 1024)
        period = 100_000
        quota = max(1000, int(cpus * period))
        if self.v2:
            d = self.dirs["memory"]
            _write(d / "memory.max", mem)
            _write(d / "memory.swap.max", "0", optional=True)
            _write(d / "pids.max", str(pids), optional="pids" not in self.dirs)
            _write(d / "cpu.max", f"{quota} {period}", optional=True)
            return
        _write(self.dirs["memory"] / "memory.limit_in_bytes", mem)
        _write(self.dirs["memory"] / "memory.memsw.limit_in_bytes", mem, optional=True)
        if "pids" in self.dirs:
            _write(self.dirs["pids"] / "pids.max", str(pids))
        if "cpu" in self.dirs:
            _write(self.dirs["cpu"] / "cpu.cfs_period_us", str(period))
            _write(self.dirs["cpu"] / "cpu.cfs_quota_us", str(quota))

    def oom_killed(self) -> bool:
        d = self.dirs["memory"]
        try:
            if self.v2:
                text = (d / "memory.events").read_text()
                events = dict(line.split() for line in text.splitlines())
                return events.get("oom_kill", "0") != "0"
            stats = dict(line.split() for line in (d / "memory.oom_control").read_text().splitlines())
            if "oom_kill" in stats:
                return stats["oom_kill"] != "0"
            return (d / "memory.failcnt").read_text().strip() != "0"
        except OSError:
            return False

    def pids(self) -> set[int]:
        found = set()
        for f in self.procs_files:
            with contextlib.suppress(OSError):
                found.update(int(p) for p in f.read_text().split())
        return found

    def kill_all(self) -> None:
        """SIGKILL every process in the cgroup until it is empty (a fork bomb is capped by pids.max)."""
        if self.v2 and (self.dirs["memory"] / "cgroup.kill").exists():
            _write(self.dirs["memory"] / "cgroup.kill", "1", optional=True)
        for _ in range(200):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.005)
        logger.warning("cgroup %s still has processes after repeated SIGKILL", self.dirs)

    def remove(self) -> None:
        for d in set(self.dirs.values()):
            for _ in range(100):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # EBUSY while killed processes are being reaped
                    self.kill_all()
                    time.sleep(0.01)


def _write(path: Path, value: str, *, optional: bool = False) -> None:
    try:
        path.write_text(value)
    except OSError:
        if not optional:
            raise


class CgroupManager:
    """Makes per-program cgroups under a parent this process owns; `detect()` finds what works."""

    def __init__(self, parents: dict[str, Path], *, v2: bool) -> None:
        self.parents = parents
        self.v2 = v2

    @property
    def version(self) -> str:
        return "v2" if self.v2 else "v1"

    @classmethod
    def detect(cls) -> CgroupManager | None:
        if os.geteuid() != 0:
            return None
        try:
            mounts, own = _mounts(), _own_paths()
        except OSError:
            return None
        for mount, root, fstype, _ in mounts:  # v2 first, when it carries the controllers
            if fstype == "cgroup2" and "" in own:
                manager = cls._v2(_under(mount, root, own[""]))
                if manager:
                    return manager
        parents: dict[str, Path] = {}
        for controller in _CONTROLLERS:
            for mount, root, fstype, options in mounts:
                if fstype == "cgroup" and controller in options and controller in own:
                    parent = next((p for c, p in parents.items() if _same_hierarchy(p, mount)), None)
                    parent = parent or _writable_parent(_under(mount, root, own[controller]))
                    if parent:
                        parents[controller] = parent
                    break
        if "memory" not in parents:
            cls(parents, v2=False).close()
            return None
        return cls(parents, v2=False)

    @classmethod
    def _v2(cls, base: Path) -> CgroupManager | None:
        try:
            available = set((base / "cgroup.controllers").read_text().split())
        except OSError:
            return None
        if not {"memory", "pids"} <= available:
            return None
        with contextlib.suppress(OSError):  # allowed at the root, or where the parent is delegated to us
            (base / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in _CONTROLLERS if c in available))
        parent = _writable_parent(base)
        if parent is None:
            return None
        try:  # a fresh child has no processes, so it may hand controllers to its own children
            (parent / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in _CONTROLLERS if c in available))
        except OSError:
            parent.rmdir()
            return None
        return cls({c: parent for c in _CONTROLLERS if c in available}, v2=True)

    def create(self) -> Cgroup:
        name = uuid.uuid4().hex[:12]
        dirs = {}
        made: dict[Path, Path] = {}
        for controller, parent in self.parents.items():
            d = made.get(parent) or parent / name
            if parent not in made:
                d.mkdir()
                made[parent] = d
            dirs[controller] = d
        return Cgroup(dirs, v2=self.v2)

    def close(self) -> None:
        for parent in set(self.parents.values()):
            with contextlib.suppress(OSError):
                parent.rmdir()


def _same_hierarchy(parent: Path, mount: str) -> bool:
    return str(parent).startswith(mount.rstrip("/") + "/")
