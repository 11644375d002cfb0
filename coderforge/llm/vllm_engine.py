"""The vllm backend: vLLM's offline engine (`vllm.LLM`) in-process, with continuous batching.

Requests join the running engine between its steps (`llm_engine.add_request`, then `step`), so
a short request never waits for a long one started before it, and a caller that arrives while
the engine is busy starts decoding at the next step, not after the whole current batch.

Structured output goes through vLLM's own structured-output decoding (`StructuredOutputsParams`).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import platform
from collections.abc import Sequence
from typing import Any

from coderforge.errors import BackendError
from coderforge.llm.base import Completion, FinishReason, Request
from coderforge.llm.config import BackendConfig
from coderforge.llm.local import EngineOutput, LocalEngine, Pending
from coderforge.llm.render import prompt_token_ids
from coderforge.models import resolve_model

log = logging.getLogger(__name__)


class VllmBackend(LocalEngine):
    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self._options = config.vllm
        self._llm: Any = None
        self._tokenizer: Any = None
        self._request_ids = itertools.count()

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
            dtype=engine_dtype(opts.dtype),
            max_model_len=opts.max_model_len,
            gpu_memory_utilization=opts.gpu_memory_utilization,
            tensor_parallel_size=opts.tensor_parallel_size,
            enforce_eager=opts.enforce_eager,
        )

    # -- continuous batching ---------------------------------------------------------------
    async def _work(self) -> None:
        """Add waiting requests to the engine (at most `max_batch` in it at once) and run one engine
        step, until nothing is left; each request's future is resolved the step it finishes."""
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        in_flight: dict[str, Pending] = {}
        while True:
            if not self._pending and not in_flight:
                await self._wake.wait()
                self._wake.clear()
                if self._window:
                    await asyncio.sleep(self._window)  # let concurrent callers join the first step
            room = max(self._max_batch - len(in_flight), 0)
            new = [p for p in self._pending[:room] if not p.future.done()]
            del self._pending[:room]
            dropped = [rid for rid, p in in_flight.items() if p.future.done()]  # callers that gave up
            for rid in dropped:
                del in_flight[rid]
            try:
                added, finished = await loop.run_in_executor(
                    self._executor, self._step, [p.request for p in new], dropped)
            except Exception as e:  # the engine failed: every request in it fails, the loop goes on
                for p in [*in_flight.values(), *new]:
                    p.fail(e, self.model)
                in_flight.clear()
                continue
            for p, rid in zip(new, added, strict=True):
                if isinstance(rid, Exception):
                    p.fail(rid, self.model)
                else:
                    in_flight[rid] = p
            for rid, out in finished:
                if (p := in_flight.pop(rid, None)) is not None:
                    p.resolve(out, self.model)

    def _step(self, requests: Sequence[Request], abort: Sequence[str]
              ) -> tuple[list[str | BackendError], list[tuple[str, EngineOutput]]]:
        """Add requests to the engine (each alone, so a bad one fails only itself), abort abandoned
        ones, run one engine step (worker thread). Returns the new request ids, or why one was
        rejected, and the finished outputs."""
        from vllm.inputs import TokensPrompt
        from vllm.sampling_params import RequestOutputKind

        self._load_once()
        engine = self._llm.llm_engine
        if abort:
            engine.abort_request(list(abort))
        added: list[str | BackendError] = []
        for r in requests:
            try:
                params = self.sampling_params(r)
                params.output_kind = RequestOutputKind.FINAL_ONLY  # one output per request, when done
                rid = f"coderforge-{next(self._request_ids)}"
                engine.add_request(rid, TokensPrompt(prompt_token_ids=prompt_token_ids(self._tokenizer, r)), params)
                added.append(rid)
            except Exception as e:  # e.g. a prompt longer than max_model_len
                error = BackendError(f"{self.model}: request rejected: {e}")
                error.__cause__ = e
                added.append(error)
        if not engine.has_unfinished_requests():
            return added, []
        return added, [(out.request_id, _engine_output(out)) for out in engine.step() if out.finished]

    @staticmethod
    def sampling_params(request: Request) -> Any:
        """vLLM's SamplingParams for a request (also used by the benchmark's direct baseline). On
        vLLM's CPU build requests go unseeded: a seeded request whose sampled token the engine
        discards (a partial or recomputed prefill) rewinds its generator's offset, which a CPU torch
        generator does not have, and the engine dies ("CPU Generator does not use offset", seen in
        a quickstart run: 17 units of work left undone)."""
        from vllm import SamplingParams
        from vllm.platforms import current_platform
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
            seed=None if current_platform.is_cpu() else s.seed,
            structured_outputs=structured,
        )

    def _unload(self) -> None:
        """Stop the engine. `vllm.LLM` has no close(): its engine core runs in a child process that
        must be told to stop, or it outlives the engine and the interpreter waits for it at exit."""
        if self._llm is not None:
            self._llm.llm_engine.engine_core.shutdown()
            self._llm = None


def engine_dtype(requested: str) -> str:
    """The dtype to start vLLM with: `requested`, except that `auto` on vLLM's CPU build is float32
    on an x86 CPU without AVX-512 (vLLM's own choice there, bfloat16, has no fast kernel: oneDNN
    cannot build its matmul and falls back to torch's, and the 0.5B default decoded 16 sequences at
    13.6 tokens/s against 40.9 in float32 on a 2-core AVX2 machine)."""
    from vllm.platforms import current_platform

    if requested != "auto" or not current_platform.is_cpu():
        return requested
    return cpu_dtype(platform.machine(), _cpu_flags())


def cpu_dtype(machine: str, flags: set[str]) -> str:
    """`auto` or float32 for a CPU of this architecture with these /proc/cpuinfo flags."""
    if machine in ("x86_64", "AMD64") and "avx512f" not in flags:
        log.info("vllm: float32 weights (this x86 CPU has no AVX-512 for vLLM's bfloat16 kernels)")
        return "float32"
    return "auto"


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo") as f:
            return next((set(line.split(":", 1)[1].split()) for line in f if line.startswith("flags")), set())
    except OSError:
        return set()


def _engine_output(out: Any) -> EngineOutput:
    completions = tuple(Completion(c.text, _finish_reason(c.finish_reason), len(c.token_ids)) for c in out.outputs)
    return EngineOutput(completions, len(out.prompt_token_ids))


def _finish_reason(reason: str | None) -> FinishReason:
    return "length" if reason == "length" else "stop" if reason in ("stop", None) else "error"
