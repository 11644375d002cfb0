"""Shared fixtures: the prepared bundled model (once per session) and temp dirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from coderforge.executor.cluster import LocalCluster


@pytest.fixture(scope="session")
def bundled_model() -> Path:
    """The bundled SmolLM2-135M-Instruct as an HF folder, prepared once into the user cache."""
    from coderforge.models import BUNDLED, prepare

    return prepare(BUNDLED)


@pytest.fixture(scope="session")
def default_model() -> Path:
    """The default model (Qwen2.5-Coder-0.5B-Instruct) as an HF folder, prepared once into the user cache."""
    from coderforge.models import DEFAULT_MODEL, prepare

    return prepare(DEFAULT_MODEL)



# vLLM engines are module-scoped: only test_backends uses them, and an idle engine should not
# hold cores and memory through the rest of the suite.
@pytest.fixture(scope="module")
def vllm_backend(bundled_model: Path):
    """One vLLM offline engine on the bundled model for the whole session (start is slow)."""
    pytest.importorskip("vllm", reason="vLLM is not installed (pip install '.[cpu]' or '.[gpu]')")
    import asyncio

    from coderforge.llm import make_backend
    from coderforge.llm.config import BackendConfig, VllmOptions

    backend = make_backend(
        BackendConfig(
            kind="vllm",
            model="bundled",
            vllm=VllmOptions(enforce_eager=True, max_model_len=2048, cpu_kv_cache_gb=1, cpu_threads_bind="0-1"),
        )
    )
    asyncio.run(backend.start())
    yield backend
    import psutil

    cores = [p for p in psutil.Process().children() if "EngineCor" in p.name()]  # vLLM's engine-core process
    asyncio.run(backend.aclose())
    _, alive = psutil.wait_procs(cores, timeout=60)
    assert not alive, "aclose left vLLM's engine core running (the interpreter would wait for it at exit)"


@pytest.fixture(scope="module")
def vllm_server(bundled_model: Path, tmp_path_factory: pytest.TempPathFactory):
    """A real vLLM OpenAI-compatible server on 127.0.0.1, serving the bundled model as `bundled`."""
    pytest.importorskip("vllm", reason="vLLM is not installed (pip install '.[cpu]' or '.[gpu]')")
    from vllm_server_support import vllm_server

    log_path = tmp_path_factory.mktemp("vllm") / "server.log"
    with vllm_server(str(bundled_model), served_name="bundled", log_path=log_path) as url:
        yield url


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[LocalCluster]:
    """A real Ray cluster on this machine: a head and a second worker node as processes, two
    logical CPUs (room for two engine actors and a sandbox) and 300 MB of object store each (the
    machine is small and shared). The test process joins it
    as the driver when a command runs with `executor: {kind: ray, address: ...}`."""
    pytest.importorskip("ray", reason="Ray is not installed (pip install '.[ray]')")
    import ray

    from coderforge.executor.cluster import local_cluster

    with local_cluster(nodes=2, num_cpus=2, object_store_mb=300) as cluster:
        yield cluster
        ray.shutdown()
