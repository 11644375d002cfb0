"""Run one host process with a wall-clock deadline and capped stdout/stderr, killing it (through a
caller-given function that reaches the whole tree) when either is exceeded."""

from __future__ import annotations

import contextlib
import os
import selectors
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Held while this process forks and while it writes files that will be executed: a child forked
#: mid-write inherits the open file until it execs, and running that file then fails with ETXTBSY
#: ("Text file busy"). The same fix as Go's syscall.ForkLock.
FORK_LOCK = threading.Lock()


@dataclass
class Finished:
    """How a process ended, as seen from the host."""

    exit_code: int | None
    """Shell convention: 128+N when killed by signal N."""
    stdout: bytes
    stderr: bytes
    timed_out: bool
    output_exceeded: bool
    wall_s: float
    info: bytes = b""
    """What arrived on the info pipe (bwrap --info-fd), if one was given."""


def shell_exit_code(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


class InfoPipe:
    """A pipe whose write end a child inherits (at the same fd number) to report on."""

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()
        os.set_inheritable(self.write_fd, True)


def run_limited(
    argv: Sequence[str],
    *,
    stdin: bytes | None,
    timeout_s: float,
    output_limit: int,
    kill: Callable[[subprocess.Popen[bytes]], None],
    env: dict[str, str] | None = None,
    cwd: str | None = None,
    info: InfoPipe | None = None,
    pass_fds: tuple[int, ...] = (),
) -> Finished:
    """Start argv in a new session and collect its output until it exits and its pipes close."""
    start = time.monotonic()
    try:
        with FORK_LOCK:
            proc = subprocess.Popen(
                argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd, start_new_session=True,
                pass_fds=((info.write_fd,) if info else ()) + pass_fds,
            )
    except BaseException:
        if info is not None:
            os.close(info.read_fd)
        raise
    finally:
        if info is not None:
            os.close(info.write_fd)
    assert proc.stdout is not None and proc.stderr is not None
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    streams = {out_fd: bytearray(), err_fd: bytearray()}
    info_data = bytearray()
    timed_out = exceeded = False
    pending = memoryview(stdin or b"")
    with selectors.DefaultSelector() as sel:
        for fd in streams:
            os.set_blocking(fd, False)
            sel.register(fd, selectors.EVENT_READ)
        if info is not None:
            sel.register(info.read_fd, selectors.EVENT_READ)
        in_fd = proc.stdin.fileno() if proc.stdin is not None else -1
        if proc.stdin is not None:
            os.set_blocking(in_fd, False)
            if pending:
                sel.register(in_fd, selectors.EVENT_WRITE)
            else:
                proc.stdin.close()
        deadline = start + timeout_s
        while sel.get_map() and not exceeded:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            for key, _ in sel.select(min(remaining, 0.5)):
                fd = key.fd
                if fd == in_fd:
                    with contextlib.suppress(BlockingIOError):
                        try:
                            pending = pending[os.write(fd, pending[:65536]):]
                        except BrokenPipeError:
                            pending = pending[:0]
                    if not pending:
                        sel.unregister(fd)
                        proc.stdin.close()  # type: ignore[union-attr]
                    continue
                data = os.read(fd, 65536)
                if not data:
                    sel.unregister(fd)
                elif fd in streams:
                    buf = streams[fd]
                    buf += data[: output_limit + 1 - len(buf)]
                    exceeded = exceeded or len(buf) > output_limit
                else:
                    info_data += data
        if not (timed_out or exceeded):
            # Pipes closed; a process still alive after the deadline is hung.
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            timed_out = proc.poll() is None
        if timed_out or exceeded:
            kill(proc)
    proc.wait()
    for f in (proc.stdin, proc.stdout, proc.stderr):
        if f is not None:
            with contextlib.suppress(OSError):
                f.close()
    if info is not None:
        os.close(info.read_fd)
    return Finished(
        exit_code=shell_exit_code(proc.returncode),
        stdout=bytes(streams[out_fd][:output_limit]),
        stderr=bytes(streams[err_fd][:output_limit]),
        timed_out=timed_out,
        output_exceeded=exceeded,
        wall_s=time.monotonic() - start,
        info=bytes(info_data),
    )
