"""Configuration of the LLM backend: which engine serves requests, its model and its limits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from coderforge.models import DEFAULT_MODEL
from coderforge.section import Section


class Endpoint(Section):
    url: str = Field(pattern=r"^https?://[^\s/]+")
    """Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1."""
    api_key_env: str | None = None
    """Name of the environment variable holding the API key (none: no key is sent)."""


class VllmOptions(Section):
    dtype: str = "auto"
    """Weights and activations dtype (auto, bfloat16, float16, float32). auto: vLLM's choice (the
    model's own dtype, bfloat16 for Qwen2.5), except float32 on vLLM's CPU build on an x86 CPU
    without AVX-512, where its bfloat16 runs about 3x slower."""
    max_model_len: int = Field(default=4096, ge=128)
    """Context length the engine reserves KV cache for."""
    gpu_memory_utilization: float = Field(default=0.9, gt=0, le=1)
    """Fraction of GPU memory vLLM may take (ignored on CPU)."""
    tensor_parallel_size: int = Field(default=1, ge=1)
    """GPUs one model is split over."""
    enforce_eager: bool = False
    """Skip torch.compile and CUDA graphs: faster start, slower decoding."""
    cpu_kv_cache_gb: float | None = Field(default=None, gt=0)
    """CPU builds only: KV cache size in GiB (sets VLLM_CPU_KVCACHE_SPACE before the engine starts)."""
    cpu_threads_bind: str | None = None
    """CPU builds only: cores the engine's OpenMP threads bind to, e.g. `0-1` or `auto`
    (sets VLLM_CPU_OMP_THREADS_BIND, and reserves no core for the frontend)."""


class TransformersOptions(Section):
    device: str = "auto"
    """Torch device: auto (cuda when present, else cpu), cpu, cuda, cuda:1, ..."""
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"
    """auto: bfloat16 on GPU, float32 on CPU."""
    batch_size: int = Field(default=16, ge=1)
    """Sequences decoded together in one forward batch (a request with n samples takes n), whatever
    their sampling settings or JSON schemas."""
    threads: int | None = Field(default=None, ge=1)
    """CPU threads torch may use (none: torch's default, one per core). Use 1 when other work
    (sandboxed programs) shares a small machine: OpenMP threads that spin on busy cores slow
    everything down."""


class BackendConfig(Section):
    kind: Literal["transformers", "vllm", "openai"] = "transformers"
    """Which engine serves requests: transformers (CPU fallback), vllm (offline engine), openai (HTTP)."""
    model: str = DEFAULT_MODEL
    """A catalog name (`coderforge models list`: qwen2.5-coder-0.5b-instruct, qwen2.5-coder-1.5b-instruct,
    smollm2-135m-instruct alias `bundled`), prepared from its packages on first use; a local HF folder;
    a hub id; or for `openai` the model name the server knows."""
    max_concurrency: int = Field(default=64, ge=1)
    """Requests in flight at once through this backend (per endpoint for openai)."""
    batch_window_ms: float = Field(default=20.0, ge=0)
    """Local engines: how long to gather concurrent requests before the first batch (or step)."""
    max_batch: int = Field(default=256, ge=1)
    """Local engines: the most requests handed to the engine at once (transformers: per batch;
    vllm: in the engine at a time)."""
    endpoints: list[Endpoint] = Field(default_factory=list)
    """openai: servers to balance requests over (data parallelism)."""
    request_timeout_s: float = Field(default=600.0, gt=0)
    """openai: seconds a request may take in all, from connecting to the reply's last byte; a
    slower one counts as failed and is retried."""
    max_response_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    """openai: the largest reply body accepted; a longer one fails the request (not retried)."""
    max_retries: int = Field(default=4, ge=0)
    """openai: retries on connection errors, timeouts, 429 and 5xx, with exponential backoff."""
    retry_backoff_s: float = Field(default=1.0, ge=0)
    """openai: first backoff delay; doubles each retry."""
    vllm: VllmOptions = Field(default_factory=VllmOptions)
    """Options of the vllm backend."""
    transformers: TransformersOptions = Field(default_factory=TransformersOptions)
    """Options of the transformers backend."""

    @model_validator(mode="after")
    def _endpoints_for_openai(self) -> BackendConfig:
        if self.kind == "openai" and not self.endpoints:
            raise ValueError("kind 'openai' needs at least one entry in endpoints (e.g. url: http://127.0.0.1:8000/v1)")
        return self
