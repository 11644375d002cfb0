"""Start and stop a local OpenAI-compatible server, vLLM's or another (tests, benchmarks, single-node runs)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import httpx

from coderforge.errors import BackendError

#: Settings that let vLLM's CPU build use both cores of a small machine with a small KV cache.
SMALL_CPU_ENV = {
    "VLLM_CPU_OMP_THREADS_BIND": "0-1",
    "VLLM_CPU_NUM_OF_RESERVED_CPU": "0",
    "VLLM_CPU_KVCACHE_SPACE": "1",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def vllm_server(
    model: str,
    *,
    served_name: str,
    log_path: Path,
    extra_args: Sequence[str] = ("--enforce-eager", "--max-model-len", "2048"),
    env: Mapping[str, str] = SMALL_CPU_ENV,
    startup_timeout_s: float = 600,
) -> Iterator[str]:
    """Run `python -m vllm.entrypoints.openai.api_server` on 127.0.0.1; yields its /v1 base URL.

    The module entry point is used because `vllm serve` fails under the vllm-cpu package name.
    The server runs in its own process group, which is ended (TERM, then KILL) on exit. Its dtype is
    the one the in-process engine would start with (float32 on a CPU without AVX-512).
    """
    from coderforge.llm.vllm_engine import engine_dtype

    port = free_port()
    cmd = [
        sys.executable, "-m", "vllm.entrypoints.openai.api_server", "--model", model,
        "--served-model-name", served_name, "--host", "127.0.0.1", "--port", str(port),
        "--dtype", engine_dtype("auto"), *extra_args,
    ]
    with local_server(cmd, port=port, log_path=log_path, env=env, startup_timeout_s=startup_timeout_s,
                      what="vLLM server") as url:
        yield url


@contextlib.contextmanager
def local_server(
    cmd: Sequence[str], *, port: int, log_path: Path, env: Mapping[str, str], startup_timeout_s: float, what: str
) -> Iterator[str]:
    """Run an OpenAI-compatible server command listening on 127.0.0.1:`port`; yields its /v1 base URL
    once /v1/models answers. It runs in its own process group, ended (TERM, then KILL) on exit."""
    url = f"http://127.0.0.1:{port}/v1"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **env}, start_new_session=True
        )
    try:
        deadline = time.monotonic() + startup_timeout_s
        while not _ready(url):
            if proc.poll() is not None:
                raise BackendError(f"{what} exited with status {proc.returncode}; see {log_path}")
            if time.monotonic() > deadline:
                raise BackendError(f"{what} not ready after {startup_timeout_s:.0f}s; see {log_path}")
            time.sleep(2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/models", timeout=2).status_code == 200
    except httpx.TransportError:
        return False
