"""What the sandbox runs (Program) and what it reports (Status, Result)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

from coderforge.languages import canonical_name


class Status(StrEnum):
    """How a program ended; one closed set shared by every isolation backend."""

    passed = "passed"
    """Compiled (where needed) and exited 0."""
    failed = "failed"
    """Exited non-zero or was killed by a signal (a failing test, an uncaught exception)."""
    compile_error = "compile_error"
    """The compiler rejected the code (or ran out of its own time or memory)."""
    timeout = "timeout"
    """Ran past its wall-clock (or CPU) limit; the whole process tree was killed."""
    memory_exceeded = "memory_exceeded"
    """Hit its memory limit (killed by the limiter or the runtime's own out-of-memory error)."""
    output_exceeded = "output_exceeded"
    """Wrote more stdout or stderr than allowed; it was killed."""
    sandbox_error = "sandbox_error"
    """The sandbox itself failed (missing toolchain, isolation setup); says nothing about the code."""


@dataclass(frozen=True)
class Program:
    """A whole program whose non-zero exit means failure (tests are assertions inside it, or the
    language's own test form: Rust `#[test]`, Go `testing`)."""

    id: str
    language: str
    """Any name or alias coderforge.languages knows; stored canonical (`c++` becomes `cpp`)."""
    code: str
    stdin: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    """Extra files next to the program, by relative path (data files, modules it imports)."""
    timeout_s: float | None = None
    """Wall-clock limit of the run step; None: the configured or the language's default."""
    memory_mb: int | None = None
    """Memory limit of the run step; None: the configured or the language's default."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "language", canonical_name(self.language))
        if not isinstance(self.code, str):
            raise ValueError(f"program {self.id!r}: code must be a string, got {type(self.code).__name__}")
        for name in self.files:
            path = PurePosixPath(name)
            if not name or path.is_absolute() or ".." in path.parts or name.startswith("."):
                raise ValueError(f"program {self.id!r}: file name {name!r} must be a plain relative path")
        if self.timeout_s is not None and not self.timeout_s > 0:
            raise ValueError(f"program {self.id!r}: timeout_s must be > 0, got {self.timeout_s}")
        if self.memory_mb is not None and not self.memory_mb >= 16:
            raise ValueError(f"program {self.id!r}: memory_mb must be >= 16, got {self.memory_mb}")


@dataclass(frozen=True)
class Result:
    """What happened to one program. `exit_code` follows the shell: 128+N when killed by signal N;
    None when the program never ran (compile_error, sandbox_error)."""

    id: str
    status: Status
    exit_code: int | None
    stdout: str
    stderr: str
    stdout_truncated: bool
    stderr_truncated: bool
    compile_time_s: float
    run_time_s: float

    @property
    def passed(self) -> bool:
        return self.status is Status.passed

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        return data
