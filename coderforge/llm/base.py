"""The LLM backend seam: request and result types and the async, batched `Backend` interface."""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["system", "user", "assistant"]


class SamplingError(ValueError):
    """An invalid sampling parameter; names the parameter and its value."""

    def __init__(self, parameter: str, value: Any, expected: str) -> None:
        self.parameter = parameter
        self.value = value
        super().__init__(f"sampling parameter {parameter}={value!r}: expected {expected}")


@dataclass(frozen=True, kw_only=True)
class SamplingParams:
    """Per-request decoding settings, with the meaning OpenAI's API gives them."""

    n: int = 1
    temperature: float = 0.0
    top_p: float = 1.0
    max_tokens: int = 256
    stop: tuple[str, ...] = ()
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.n < 1:
            raise SamplingError("n", self.n, "an integer >= 1")
        if self.temperature < 0:
            raise SamplingError("temperature", self.temperature, "a number >= 0")
        if not 0 < self.top_p <= 1:
            raise SamplingError("top_p", self.top_p, "a number in (0, 1]")
        if self.max_tokens < 1:
            raise SamplingError("max_tokens", self.max_tokens, "an integer >= 1")
        if isinstance(self.stop, str) or any(not s for s in self.stop):
            raise SamplingError("stop", self.stop, "a tuple of non-empty strings")
        if self.n > 1 and self.temperature == 0:
            raise SamplingError("n", self.n, "n == 1 with temperature 0 (greedy samples are identical)")


@dataclass(frozen=True, kw_only=True)
class Request:
    """One generation request: a chat (``messages``) or a raw prompt (``prompt``, for FIM).

    ``json_schema``, when given, constrains the output to a JSON document valid against it.
    """

    messages: tuple[Mapping[str, str], ...] | None = None
    prompt: str | None = None
    sampling: SamplingParams = field(default_factory=SamplingParams)
    json_schema: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if (self.messages is None) == (self.prompt is None):
            raise ValueError("a Request needs exactly one of messages (chat) or prompt (raw)")
        if self.messages is not None:
            if not self.messages:
                raise ValueError("a chat Request needs at least one message")
            for i, m in enumerate(self.messages):
                if m.get("role") not in ("system", "user", "assistant") or not isinstance(m.get("content"), str):
                    raise ValueError(f"messages[{i}] needs a role (system/user/assistant) and string content")

    @classmethod
    def chat(cls, messages: Sequence[Mapping[str, str]], **kwargs: Any) -> Request:
        return cls(messages=tuple(dict(m) for m in messages), **kwargs)

    @classmethod
    def raw(cls, prompt: str, **kwargs: Any) -> Request:
        return cls(prompt=prompt, **kwargs)


FinishReason = Literal["stop", "length", "error"]


@dataclass(frozen=True)
class Completion:
    """One sampled continuation."""

    text: str
    finish_reason: FinishReason
    completion_tokens: int


@dataclass(frozen=True)
class Response:
    """The ``n`` completions of one request, with its accounting."""

    completions: tuple[Completion, ...]
    prompt_tokens: int
    latency_s: float
    model: str

    @property
    def text(self) -> str:
        """The first completion's text (the only one when n == 1)."""
        return self.completions[0].text

    @property
    def completion_tokens(self) -> int:
        return sum(c.completion_tokens for c in self.completions)


class Backend(abc.ABC):
    """An async, batched LLM backend. Concurrent `generate` calls may be batched together."""

    #: The model name results are tagged with.
    model: str

    @abc.abstractmethod
    async def generate(self, requests: Sequence[Request]) -> list[Response]:
        """Run the requests; results come back in the same order."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release engines, threads and connections."""

    async def __aenter__(self) -> Backend:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
