"""Shared base: LLM backends behind one async, batched interface; `make_backend` picks one from its
section (llm/config.py). Imports nothing above the base (docs/architecture.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coderforge.llm.base import Backend, Completion, Request, Response, SamplingError, SamplingParams

if TYPE_CHECKING:
    from coderforge.llm.config import BackendConfig

__all__ = ["Backend", "Completion", "Request", "Response", "SamplingError", "SamplingParams", "make_backend"]


def make_backend(config: BackendConfig) -> Backend:
    """Build the configured backend; engines are imported only when chosen."""
    if config.kind == "openai":
        from coderforge.llm.openai_http import OpenAIBackend

        return OpenAIBackend(config)
    if config.kind == "vllm":
        from coderforge.llm.vllm_engine import VllmBackend

        return VllmBackend(config)
    from coderforge.llm.hf_local import TransformersBackend

    return TransformersBackend(config)
