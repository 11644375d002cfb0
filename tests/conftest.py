"""Shared fixtures: the prepared bundled model (once per session) and temp dirs."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def bundled_model() -> Path:
    """The bundled SmolLM2-135M-Instruct as an HF folder, prepared once into the user cache."""
    from coderforge.models import prepare_bundled

    return prepare_bundled()


VLLM_ENV = {
    # Both cores, no core kept back for the frontend, and a small KV cache: fits CI's 2 cores.
    "VLLM_CPU_OMP_THREADS_BIND": "0-1",
    "VLLM_CPU_NUM_OF_RESERVED_CPU": "0",
    "VLLM_CPU_KVCACHE_SPACE": "1",
}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def vllm_backend(bundled_model: Path):
    """One vLLM offline engine on the bundled model for the whole session (start is slow)."""
    pytest.importorskip("vllm", reason="vLLM is not installed (pip install '.[cpu]' or '.[gpu]')")
    import asyncio

    from coderforge.config import BackendConfig, VllmOptions
    from coderforge.llm import make_backend

    backend = make_backend(
        BackendConfig(
            kind="vllm",
            vllm=VllmOptions(enforce_eager=True, max_model_len=2048, cpu_kv_cache_gb=1, cpu_threads_bind="0-1"),
        )
    )
    asyncio.run(backend.start())
    yield backend
    asyncio.run(backend.aclose())


@pytest.fixture(scope="session")
def vllm_server(bundled_model: Path):
    """A real vLLM OpenAI-compatible server on 127.0.0.1, serving the bundled model as `bundled`."""
    pytest.importorskip("vllm", reason="vLLM is not installed (pip install '.[cpu]' or '.[gpu]')")
    import os
    import signal
    import subprocess
    import sys
    import time

    import httpx

    port = _free_port()
    log_path = Path(os.environ.get("PYTEST_VLLM_LOG", "/tmp")) / f"coderforge-vllm-server-{port}.log"
    # `vllm serve` fails under the vllm-cpu package name; the module entry point works everywhere.
    cmd = [
        sys.executable, "-m", "vllm.entrypoints.openai.api_server", "--model", str(bundled_model),
        "--served-model-name", "bundled", "--host", "127.0.0.1", "--port", str(port),
        "--enforce-eager", "--max-model-len", "2048",
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **VLLM_ENV},
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 600
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"vLLM server exited with {proc.returncode}; log: {log_path}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"vLLM server did not come up in 600 s; log: {log_path}")
            time.sleep(2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
