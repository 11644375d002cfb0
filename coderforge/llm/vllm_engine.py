"""The vllm backend: vLLM's offline engine (`vllm.LLM`) in-process, fed whole batches.

Structured output goes through vLLM's own structured-output decoding (`StructuredOutputsParams`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from coderforge.config import BackendConfig
from coderforge.llm.base import Completion, FinishReason, Request
from coderforge.llm.local import BatchingBackend, EngineOutput
from coderforge.llm.render import prompt_token_ids
from coderforge.models import resolve_model

log = logging.getLogger(__name__)


class VllmBackend(BatchingBackend):
    def __init__(self, config: BackendConfig) -> None:
        super().__init__(model=config.model, batch_window_s=config.batch_window_ms / 1000, max_batch=config.max_batch)
        self._options = config.vllm
        self._llm: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        opts = self._options
        # vLLM's CPU build reads these when its engine starts, not at import.
        if opts.cpu_kv_cache_gb is not None:
            os.environ["VLLM_CPU_KVCACHE_SPACE"] = f"{opts.cpu_kv_cache_gb:g}"
        if opts.cpu_threads_bind is not None:
            os.environ["VLLM_CPU_OMP_THREADS_BIND"] = opts.cpu_threads_bind
            os.environ["VLLM_CPU_NUM_OF_RESERVED_CPU"] = "0"
        from transformers import AutoTokenizer
        from vllm import LLM

        path = resolve_model(self.model)
        log.info("vllm: starting the engine on %s", path)
        self._tokenizer = AutoTokenizer.from_pretrained(path)
        self._llm = LLM(
            model=path,
            dtype=opts.dtype,
            max_model_len=opts.max_model_len,
            gpu_memory_utilization=opts.gpu_memory_utilization,
            tensor_parallel_size=opts.tensor_parallel_size,
            enforce_eager=opts.enforce_eager,
        )

    def _run_batch(self, requests: Sequence[Request]) -> list[EngineOutput]:
        from vllm.inputs import TokensPrompt

        prompts = [TokensPrompt(prompt_token_ids=prompt_token_ids(self._tokenizer, r)) for r in requests]
        params = [self.sampling_params(r) for r in requests]
        results = self._llm.generate(prompts, params, use_tqdm=False)
        return [
            EngineOutput(
                tuple(
                    Completion(c.text, _finish_reason(c.finish_reason), len(c.token_ids)) for c in out.outputs
                ),
                len(out.prompt_token_ids),
            )
            for out in results
        ]

    @staticmethod
    def sampling_params(request: Request) -> Any:
        """vLLM's SamplingParams for a request (also used by the benchmark's direct baseline)."""
        from vllm import SamplingParams
        from vllm.sampling_params import StructuredOutputsParams

        s = request.sampling
        structured = (
            StructuredOutputsParams(json=dict(request.json_schema)) if request.json_schema is not None else None
        )
        return SamplingParams(
            n=s.n,
            temperature=s.temperature,
            top_p=s.top_p,
            max_tokens=s.max_tokens,
            stop=list(s.stop) or None,
            seed=s.seed,
            structured_outputs=structured,
        )

    def _unload(self) -> None:
        if self._llm is not None:
            engine = getattr(self._llm, "llm_engine", None)
            shutdown = getattr(engine, "shutdown", None)
            if callable(shutdown):
                shutdown()
            self._llm = None


def _finish_reason(reason: str | None) -> FinishReason:
    return "length" if reason == "length" else "stop" if reason in ("stop", None) else "error"
