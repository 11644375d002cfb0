"""The vLLM backend's continuous-batching loop, driven by a scripted step engine (no vLLM needed):
requests join between steps, finish in their own time, fail alone, and abandoned ones are aborted."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest

from coderforge.errors import BackendError
from coderforge.llm import Request, SamplingParams
from coderforge.llm.config import BackendConfig
from coderforge.llm.vllm_engine import VllmBackend


class WordTokenizer:
    def __call__(self, text: str, **_: Any) -> dict[str, list[int]]:
        return {"input_ids": [len(w) for w in text.split()]}


@dataclass
class StepEngine:
    """Each request needs `max_tokens` steps; `TOO LONG` prompts are refused; `step` can fail."""

    live: dict[str, list] = field(default_factory=dict)  # id -> [steps left, text, max_tokens]
    engine_core: Any = None
    log: list[tuple[str, Any]] = field(default_factory=list)
    fail_next_step: bool = False

    def add_request(self, rid: str, prompt: Any, params: Any) -> None:
        if len(prompt["prompt_token_ids"]) > 5:
            raise ValueError("prompt longer than max_model_len")
        self.live[rid] = [params.max_tokens, f"{rid}:{params.max_tokens}", params.max_tokens]
        self.log.append(("add", rid))

    def abort_request(self, ids: list[str]) -> None:
        for rid in ids:
            self.live.pop(rid, None)
        self.log.append(("abort", tuple(ids)))

    def has_unfinished_requests(self) -> bool:
        return bool(self.live)

    def step(self) -> list[Any]:
        time.sleep(0.001)  # a step takes time, so requests can arrive while others decode
        self.log.append(("step", tuple(sorted(self.live))))
        if self.fail_next_step:
            self.fail_next_step = False
            raise RuntimeError("engine core died")
        done = []
        for rid, state in list(self.live.items()):
            state[0] -= 1
            if state[0] == 0:
                del self.live[rid]
                completion = SimpleNamespace(text=state[1], finish_reason="length", token_ids=[0] * state[2])
                done.append(SimpleNamespace(request_id=rid, finished=True, outputs=[completion],
                                            prompt_token_ids=[1, 2]))
        return done


class ScriptedVllm(VllmBackend):
    def __init__(self, max_batch: int = 256) -> None:
        super().__init__(BackendConfig(kind="vllm", model="bundled", batch_window_ms=0, max_batch=max_batch))
        self.engine = StepEngine()

    def _load(self) -> None:
        self._tokenizer = WordTokenizer()
        self.engine.engine_core = SimpleNamespace(shutdown=lambda: self.engine.log.append(("shutdown", ())))
        self._llm = SimpleNamespace(llm_engine=self.engine)


def raw(prompt: str, max_tokens: int) -> Request:
    return Request.raw(prompt, sampling=SamplingParams(max_tokens=max_tokens))


@pytest.fixture
def sampling_params(monkeypatch: pytest.MonkeyPatch) -> None:
    """vLLM's SamplingParams and TokensPrompt stand-ins, so the loop runs without vLLM installed."""
    import sys

    monkeypatch.setattr(VllmBackend, "sampling_params",
                        staticmethod(lambda r: SimpleNamespace(max_tokens=r.sampling.max_tokens, output_kind=None)))
    monkeypatch.setitem(sys.modules, "vllm", SimpleNamespace())
    monkeypatch.setitem(sys.modules, "vllm.inputs", SimpleNamespace(TokensPrompt=dict))
    monkeypatch.setitem(sys.modules, "vllm.sampling_params",
                        SimpleNamespace(RequestOutputKind=SimpleNamespace(FINAL_ONLY="final")))


@pytest.mark.usefixtures("sampling_params")
def test_a_late_short_request_finishes_before_an_early_long_one() -> None:
    backend = ScriptedVllm()

    async def main() -> list[str]:
        order: list[str] = []

        async def ask(prompt: str, max_tokens: int, delay: float) -> None:
            await asyncio.sleep(delay)
            (response,) = await backend.generate([raw(prompt, max_tokens)])
            order.append(response.text)

        await asyncio.gather(ask("long one", 400, 0), ask("short", 2, 0.05))
        return order

    order = asyncio.run(main())
    assert order == ["coderforge-1:2", "coderforge-0:400"]
    # The short request joined the running engine: some step ran both.
    assert ("step", ("coderforge-0", "coderforge-1")) in backend.engine.log
    asyncio.run(backend.aclose())


@pytest.mark.usefixtures("sampling_params")
def test_a_rejected_request_fails_alone_and_an_engine_failure_fails_only_what_was_in_it() -> None:
    backend = ScriptedVllm()

    async def main() -> tuple[Any, Any]:
        return await asyncio.gather(backend.generate([raw("a b c d e f g", 3)]), backend.generate([raw("ok", 3)]),
                                    return_exceptions=True)

    refused, ok = asyncio.run(main())
    assert isinstance(refused, BackendError) and "max_model_len" in str(refused)
    assert ok[0].text == "coderforge-1:3" and ok[0].completions[0].finish_reason == "length"

    backend.engine.fail_next_step = True
    with pytest.raises(BackendError, match="engine core died"):
        asyncio.run(backend.generate([raw("doomed", 5)]))
    (after,) = asyncio.run(backend.generate([raw("after", 1)]))  # the loop lives on, on a new event loop
    assert after.text.endswith(":1")
    asyncio.run(backend.aclose())


@pytest.mark.usefixtures("sampling_params")
def test_abandoned_requests_are_aborted_and_max_batch_caps_the_engine() -> None:
    backend = ScriptedVllm(max_batch=2)

    async def main() -> None:
        slow = asyncio.ensure_future(backend.generate([raw("slow", 10_000)]))
        await asyncio.sleep(0.05)
        slow.cancel()
        responses = await backend.generate([raw(str(i), 3) for i in range(5)])
        assert [r.completions[0].completion_tokens for r in responses] == [3] * 5

    asyncio.run(main())
    assert ("abort", ("coderforge-0",)) in backend.engine.log
    assert max(len(ids) for kind, ids in backend.engine.log if kind == "step") <= 2
    asyncio.run(backend.aclose())
    assert backend.engine.log[-1] == ("shutdown", ())  # the engine core is told to stop
