"""No isolation at all: the program runs as a plain host subprocess. Only the throughput
benchmark uses it, as the baseline the real backends are measured against."""

from __future__ import annotations

import os
import signal
import subprocess
from contextlib import suppress
from pathlib import Path

from coderforge.sandbox.isolation import Execution, Isolation, Limits, sandbox_env
from coderforge.sandbox.process import run_limited


class LocalBackend(Isolation):
    name = "bare"

    def run(self, argv: list[str], *, workdir: Path, env: dict[str, str], stdin: bytes | None,
            limits: Limits) -> Execution:
        def kill(proc: subprocess.Popen[bytes]) -> None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        done = run_limited(argv, stdin=stdin, timeout_s=limits.timeout_s, output_limit=limits.output_limit,
                           kill=kill, env=sandbox_env(env), cwd=str(workdir))
        return Execution(exit_code=done.exit_code, stdout=done.stdout, stderr=done.stderr, wall_s=done.wall_s,
                         timed_out=done.timed_out, output_exceeded=done.output_exceeded)
