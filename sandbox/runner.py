"""Runs one Program: lay out its files in a fresh work dir, compile (or fetch the cached build),
run, and classify what happened into a Result."""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from coderforge.sandbox.cache import CompileCache, cache_key
from coderforge.sandbox.config import SandboxConfig
from coderforge.sandbox.housekeeping import owned_name, remove_stale, remove_tree
from coderforge.sandbox.isolation import SANDBOX_UID, Execution, Isolation, Limits
from coderforge.sandbox.program import Program, Result, Status
from coderforge.sandbox.toolchains import NoToolchainError, Plan, Toolchain, get_toolchain, host_tools

logger = logging.getLogger(__name__)


def default_work_root() -> Path:
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "coderforge" / "sandbox"


class Runner:
    """Turns programs into results on one backend; safe to call from many threads."""

    def __init__(self, config: SandboxConfig, backend: Isolation) -> None:
        self.config = config
        self.backend = backend
        root = config.work_root or default_work_root()
        remove_stale(root, "coderforge-sandbox-")
        self.work_root = Path(tempfile.mkdtemp(prefix=owned_name("coderforge-sandbox-"), dir=root))
        self.work_root.chmod(0o711)
        self.cache = CompileCache(config.cache_dir or default_cache_dir()) if config.compile_cache else None
        self.tools = host_tools()
        self._versions: dict[str, str] = {}
        self._lock = threading.Lock()
        self._chown = os.geteuid() == 0

    def close(self) -> None:
        remove_tree(self.work_root)

    def version(self, toolchain: Toolchain) -> str:
        """The toolchain's version line, probed once; part of the compile cache key."""
        with self._lock:
            if toolchain.language not in self._versions:
                try:
                    out = subprocess.run(toolchain.probe(self.tools), capture_output=True, text=True, timeout=60)
                    text = (out.stdout or out.stderr).strip()
                    self._versions[toolchain.language] = text.splitlines()[0] if text else ""
                except (OSError, subprocess.SubprocessError, IndexError):
                    self._versions[toolchain.language] = ""
            return self._versions[toolchain.language]

    def run(self, program: Program) -> Result:
        try:
            toolchain = get_toolchain(program.language)
        except NoToolchainError as e:
            return _sandbox_error(program, str(e))
        workdir = Path(tempfile.mkdtemp(prefix="p-", dir=self.work_root))
        try:
            return self._run_in(program, toolchain, workdir)
        finally:
            remove_tree(workdir)  # never raises: one program's leftovers must not cost its result

    def _limits(self, *, timeout_s: float, memory_mb: int) -> Limits:
        c = self.config
        return Limits(timeout_s=timeout_s, memory_mb=memory_mb, pids=c.pids, cpus=c.cpus,
                      output_limit=c.output_limit_bytes, file_size_mb=c.file_size_mb)

    def _write_files(self, workdir: Path, files: dict[str, str]) -> None:
        for name, text in files.items():
            path = workdir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        if self._chown:
            workdir.chmod(0o700)
            for path in [workdir, *workdir.rglob("*")]:
                os.lchown(path, SANDBOX_UID, SANDBOX_UID)

    def _run_in(self, program: Program, toolchain: Toolchain, workdir: Path) -> Result:
        c = self.config
        memory_mb = program.memory_mb or c.memory_mb or toolchain.memory_mb
        timeout_s = program.timeout_s or c.timeout_s or toolchain.timeout_s
        plan = Plan(code=program.code, memory_mb=memory_mb, cpus=c.cpus, tools=self.tools)
        # The program's own extra files first, so they cannot replace the toolchain's layout.
        files = {**program.files, **toolchain.layout(program.code)}
        self._write_files(workdir, files)

        compile_time = 0.0
        if toolchain.compile is not None:
            built = self._compile(program, toolchain, plan, workdir, files=files)
            if isinstance(built, Result):
                return built
            compile_time = built

        limits = self._limits(timeout_s=timeout_s, memory_mb=memory_mb)
        stdin = program.stdin.encode() if program.stdin is not None else None
        done = self.backend.run(toolchain.run(plan), workdir=workdir, env=toolchain.env, stdin=stdin, limits=limits)
        if done.error:
            return _sandbox_error(program, done.error, compile_time_s=compile_time)
        return self._result(program, toolchain, done, compile_time_s=compile_time)

    def _compile(self, program: Program, toolchain: Toolchain, plan: Plan, workdir: Path, *,
                 files: dict[str, str]) -> float | Result:
        """Compile `files` (every input, headers included) in the sandbox, or fetch the cached build;
        the seconds it took, or the failing Result."""
        assert toolchain.compile is not None
        argv = toolchain.compile(plan)
        key = None
        if self.cache is not None:
            key = cache_key(language=toolchain.language, toolchain_version=self.version(toolchain),
                            compile_argv=argv, files=files)
            start = time.monotonic()
            if self.cache.fetch(key, workdir, uid=SANDBOX_UID if self._chown else None):
                return time.monotonic() - start
        timeout_s = self.config.compile_timeout_s or toolchain.compile_timeout_s
        limits = self._limits(timeout_s=timeout_s, memory_mb=toolchain.compile_memory_mb)
        done = self.backend.run(argv, workdir=workdir, env=toolchain.env, stdin=None, limits=limits)
        if done.error:
            return _sandbox_error(program, done.error, compile_time_s=done.wall_s)
        if done.exit_code == 0 and not (done.timed_out or done.output_exceeded):
            if key is not None and self.cache is not None:
                self.cache.store(key, workdir, toolchain.artifacts)
            return done.wall_s
        why = ("compilation timed out" if done.timed_out else "compiler ran out of memory" if done.memory_exceeded
               else "compiler output limit exceeded" if done.output_exceeded else "")
        stderr = (done.stderr + done.stdout).decode(errors="replace")
        if why:
            stderr = f"{stderr}\n[coderforge sandbox: {why} after {done.wall_s:.1f}s]".lstrip()
        text, cut = self._keep(stderr.encode())
        return Result(id=program.id, status=Status.compile_error, exit_code=None, stdout="", stderr=text,
                      stdout_truncated=False, stderr_truncated=cut, compile_time_s=done.wall_s, run_time_s=0.0)

    def _keep(self, data: bytes) -> tuple[str, bool]:
        keep = self.config.keep_output_bytes
        return data[:keep].decode(errors="replace"), len(data) > keep

    def _result(self, program: Program, toolchain: Toolchain, done: Execution, *, compile_time_s: float) -> Result:
        stderr_text = done.stderr.decode(errors="replace")
        if done.timed_out or done.exit_code == 128 + 24:  # SIGXCPU: the CPU-seconds rlimit
            status = Status.timeout
        elif done.output_exceeded:
            status = Status.output_exceeded
        elif done.memory_exceeded or (done.exit_code != 0 and any(m in stderr_text for m in toolchain.memory_markers)):
            status = Status.memory_exceeded
        elif done.exit_code == 0:
            status = Status.passed
        else:
            status = Status.failed
        stdout, out_cut = self._keep(done.stdout)
        stderr, err_cut = self._keep(done.stderr)
        limit = self.config.output_limit_bytes
        return Result(id=program.id, status=status, exit_code=done.exit_code, stdout=stdout, stderr=stderr,
                      stdout_truncated=out_cut or len(done.stdout) >= limit,
                      stderr_truncated=err_cut or len(done.stderr) >= limit,
                      compile_time_s=compile_time_s, run_time_s=done.wall_s)


def _sandbox_error(program: Program, message: str, *, compile_time_s: float = 0.0) -> Result:
    logger.error("sandbox error on %s: %s", program.id, message)
    return Result(id=program.id, status=Status.sandbox_error, exit_code=None, stdout="", stderr=message,
                  stdout_truncated=False, stderr_truncated=False, compile_time_s=compile_time_s, run_time_s=0.0)
