"""The sandbox's configuration section (`sandbox:` in a run config)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from coderforge.section import Section


class SandboxConfig(Section):
    backend: Literal["bwrap", "docker"] = "bwrap"
    """Isolation: bwrap (bubblewrap namespaces + cgroups, the default) or docker (needs an engine
    and the image from scripts/docker-image.sh)."""
    workers: int | None = Field(default=None, ge=1)
    """Programs run at once; None: one per CPU core."""
    timeout_s: float | None = Field(default=None, gt=0)
    """Wall-clock limit of each run; None: the language's default (10 s for most)."""
    memory_mb: int | None = Field(default=None, ge=16)
    """Memory limit of each run in MiB; None: the language's default (512 for most)."""
    compile_timeout_s: float | None = Field(default=None, gt=0)
    """Wall-clock limit of each compile step; None: the language's default."""
    pids: int = Field(default=128, ge=8)
    """Most processes and threads a program may have at once (Java and Go need a few dozen)."""
    allow_no_cgroups: bool = False
    """bwrap: run where no cgroup is writable (not root, some containers), with memory and process
    counts bounded per process only (RLIMIT_DATA, RLIMIT_NPROC); off: such a machine is refused."""
    cpus: float = Field(default=1.0, gt=0)
    """CPU cores one program may use (cgroup quota)."""
    output_limit_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    """A program writing more than this to stdout or stderr is killed (status output_exceeded)."""
    keep_output_bytes: int = Field(default=64 * 1024, ge=0)
    """stdout and stderr kept in each result; longer text is cut and marked truncated."""
    file_size_mb: int = Field(default=64, ge=1)
    """Largest file a program may write (RLIMIT_FSIZE)."""
    compile_cache: bool = True
    """Reuse compiled artifacts of identical sources (keyed by a content hash)."""
    cache_dir: Path | None = None
    """Where compiled artifacts are cached; None: ~/.cache/coderforge/sandbox."""
    work_root: Path | None = None
    """Where per-program work dirs are made; None: /dev/shm (a tmpfs) when writable, else the temp dir."""
    docker_image: str = "coderforge-sandbox:latest"
    """docker backend: the image with the toolchains (build it with scripts/docker-image.sh)."""
