"""Run configuration: typed models (the one source of truth, defaults included), the JSON Schema
generated from them and shipped in the package, and YAML loading with errors that name the field.

Each section documents its fields with a docstring under the attribute; those docstrings become
the schema's descriptions (`coderforge config schema`).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jsonschema
import yaml
from pydantic import Field, ValidationError, model_validator

from coderforge.code.config import CodeConfig
from coderforge.errors import ConfigError
from coderforge.models import DEFAULT_MODEL
from coderforge.section import Section  # re-exported: parts subclass it from either module

SCHEMA_RESOURCE = "config.schema.json"


class Endpoint(Section):
    url: str = Field(pattern=r"^https?://[^\s/]+")
    """Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1."""
    api_key_env: str | None = None
    """Name of the environment variable holding the API key (none: no key is sent)."""


class VllmOptions(Section):
    dtype: str = "auto"
    """Weights and activations dtype (auto, bfloat16, float16, float32)."""
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


# Part sections subclass Section (defined above), so they are imported once it exists; the filters'
# and generate sections also hold optional BackendConfigs (above) for the judge and the agent roles.
from coderforge.agents.config import GenerateConfig  # noqa: E402
from coderforge.executor.config import ExecutorConfig  # noqa: E402
from coderforge.filters.config import FiltersConfig  # noqa: E402
from coderforge.sandbox.config import SandboxConfig  # noqa: E402
from coderforge.trainer.config import TrainConfig  # noqa: E402


class Config(Section):
    """A coderforge run configuration."""

    backend: BackendConfig = Field(default_factory=BackendConfig)
    """The LLM backend every role uses unless routed elsewhere."""
    filters: FiltersConfig = Field(default_factory=FiltersConfig)
    """Quality filters: the chain's stages, decontamination, near-dedup and the checklist judge."""
    sandbox: SandboxConfig = Field(default_factory=SandboxConfig)
    """Isolated execution of generated programs (bwrap or docker), limits and workers."""
    generate: GenerateConfig = Field(default_factory=GenerateConfig)
    """`coderforge generate`: language pools, budget, corpus, roles, candidates, outputs."""
    code: CodeConfig = Field(default_factory=CodeConfig)
    """Code analysis: tokenizer for budgets, FIM sample building, seed extraction."""
    train: TrainConfig = Field(default_factory=TrainConfig)
    """The trainer: tokenizer, model, pretrain, SFT, DPO and eval (coderforge train / eval)."""
    executor: ExecutorConfig = Field(default_factory=ExecutorConfig)
    """Where the work runs: this process (local) or a Ray cluster (ray)."""


def generated_schema() -> dict[str, Any]:
    """The JSON Schema derived from the models above (what the shipped file must equal)."""
    schema = Config.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "coderforge configuration"
    return schema


@cache
def shipped_schema() -> dict[str, Any]:
    """The JSON Schema shipped in the package, used for validation."""
    return json.loads(resources.files("coderforge").joinpath(SCHEMA_RESOURCE).read_text())


def _format_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _describe(error: jsonschema.ValidationError) -> str:
    """A readable message, unpacking anyOf (pydantic's Optional) into the types it allowed."""
    if error.context:
        if all(sub.validator == "type" for sub in error.context):
            allowed = " or ".join(str(sub.validator_value) for sub in error.context)
            return f"expected {allowed}, got {error.instance!r}"
        return jsonschema.exceptions.best_match(error.context).message
    return error.message


def validate_data(data: Any, *, source: str = "<config>") -> Config:
    """Validate a parsed YAML/JSON document; raises ConfigError naming the first bad field."""
    validator = jsonschema.Draft202012Validator(shipped_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.path))))
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
        raise ConfigError(_describe(first) + more, source=source, path=_format_path(first.absolute_path))
    try:
        return Config.model_validate(data)
    except ValidationError as e:  # cross-field checks the schema cannot express
        err = e.errors()[0]
        raise ConfigError(err["msg"].removeprefix("Value error, "), source=source,
                          path=_format_path(err["loc"])) from e


def load_config(path: str | Path | None) -> Config:
    """Read and validate a YAML config file; ``None`` gives the defaults."""
    if path is None:
        return Config()
    source = str(path)
    try:
        text = Path(path).read_text()
    except OSError as e:
        raise ConfigError(f"cannot read the file: {e.strerror}", source=source) from e
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ConfigError(f"not valid YAML: {where}{getattr(e, 'problem', e)}", source=source) from e
    return validate_data({} if data is None else data, source=source)
