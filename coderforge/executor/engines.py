"""Local engines (transformers, vLLM) as Ray actors, and the Backend seam over them: what `generate`
shards and the filter chain's judge on Ray share. An engine runs as one or more replicas; each call
goes to the replica with the fewest of the caller's calls in flight."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coderforge.errors import ConfigError
from coderforge.llm.base import Backend, Request, Response
from coderforge.llm.config import BackendConfig

__all__ = ["EngineActor", "LeastBusy", "RemoteBackend", "replica_plan", "start_replicas"]


class EngineActor:
    """One local engine serving every caller; concurrent calls batch together."""

    def __init__(self, config: BackendConfig) -> None:
        from coderforge.llm import make_backend

        self._backend = make_backend(config)
        self._served = 0

    def model(self) -> str:
        return self._backend.model

    def served(self) -> int:
        """Requests answered so far."""
        return self._served

    async def generate(self, requests: list[Request]) -> list[Response]:
        responses = await self._backend.generate(requests)
        self._served += len(responses)
        return responses

    async def aclose(self) -> None:
        await self._backend.aclose()


class LeastBusy:
    """Actors of one kind; each call goes to the one with the fewest calls in flight (as this caller
    sees them), ties taken in turn from `offset` on, so calls and callers spread out."""

    def __init__(self, actors: Sequence[Any], *, offset: int = 0) -> None:
        self._actors = list(actors)
        self._busy = [0] * len(actors)
        self._next = offset % len(actors)

    async def call(self, method: str, *args: Any) -> Any:
        turn = [(self._next + k) % len(self._actors) for k in range(len(self._actors))]
        k = min(turn, key=lambda i: self._busy[i])
        self._next = (k + 1) % len(self._actors)
        self._busy[k] += 1
        try:
            return await getattr(self._actors[k], method).remote(*args)
        finally:
            self._busy[k] -= 1


class RemoteBackend(Backend):
    """The Backend seam over an engine's replicas (actors); callers on the same engine may share `replicas`."""

    def __init__(self, replicas: LeastBusy, *, model: str) -> None:
        self._replicas = replicas
        self.model = model

    async def generate(self, requests: Sequence[Request]) -> list[Response]:
        return await self._replicas.call("generate", list(requests))


def replica_plan(ray: Any, backend: BackendConfig, configured: int | None) -> tuple[int, int]:
    """How many replicas of `backend` to start, and the GPUs each asks for: `configured`, else with
    GPUs in the cluster one vLLM engine per `tensor_parallel_size` GPUs (a ConfigError when they
    are fewer than that), else one (on CPUs)."""
    gpus = int(ray.cluster_resources().get("GPU", 0))
    each = backend.vllm.tensor_parallel_size if gpus and backend.kind == "vllm" else 0
    if each > gpus:  # the actor would wait for ever for GPUs the cluster does not have
        raise ConfigError(f"vllm.tensor_parallel_size {each} needs {each} GPUs for one engine; the Ray cluster "
                          f"has {gpus}", source="backend.vllm.tensor_parallel_size")
    return configured or (gpus // each if each else 1), each


def start_replicas(ray: Any, backend: BackendConfig, count: int, gpus_each: int) -> list[Any]:
    """`count` engine actors of `backend`, one CPU (and `gpus_each` GPUs) each, spread over the nodes."""
    engine = ray.remote(EngineActor).options(num_cpus=1, num_gpus=gpus_each, scheduling_strategy="SPREAD")
    return [engine.remote(backend) for _ in range(count)]
