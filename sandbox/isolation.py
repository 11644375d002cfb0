"""The isolation seam: a backend runs one command on a prepared work dir under limits; the runner
above it turns what happened into a Result. `make_isolation` (sandbox.py) picks the implementation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from coderforge.errors import CoderforgeError

#: The unprivileged uid and gid programs run as ("nobody").
SANDBOX_UID = 65534
#: Where the work dir appears inside the sandbox.
WORK = "/work"
#: PATH inside the sandbox.
PATH = "/usr/local/bin:/usr/bin:/bin"


def sandbox_env(extra: dict[str, str]) -> dict[str, str]:
    """The whole environment a program sees: nothing of the host's, plus its toolchain's variables."""
    return {"PATH": PATH, "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8", **extra}


class SandboxUnavailableError(CoderforgeError, RuntimeError):
    """The chosen isolation backend cannot run here (tool missing, engine down, image absent)."""


@dataclass(frozen=True)
class Limits:
    timeout_s: float
    memory_mb: int
    pids: int
    cpus: float
    output_limit: int
    file_size_mb: int


@dataclass
class Execution:
    """One command's end, in backend-independent terms."""

    exit_code: int | None
    stdout: bytes
    stderr: bytes
    wall_s: float
    timed_out: bool = False
    output_exceeded: bool = False
    memory_exceeded: bool = False
    """The limiter (cgroup, container) killed it for memory."""
    error: str | None = None
    """Set when the isolation itself failed; the command's outcome is then meaningless."""


class Isolation(ABC):
    name: str

    @abstractmethod
    def run(self, argv: list[str], *, workdir: Path, env: dict[str, str], stdin: bytes | None,
            limits: Limits) -> Execution:
        """Run argv with `workdir` as /work (the current directory) and nothing else writable."""

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Release what the backend holds (cgroup parents, engine connections)."""
