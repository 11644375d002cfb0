"""The openai backend: any OpenAI-compatible server (vLLM's, llama.cpp's, hosted APIs).

Requests are balanced over several endpoints (least in flight first), each with a concurrency
limit; connection errors, timeouts, 429 and 5xx are retried with exponential backoff, on the
next endpoint when there is one. Each attempt has a total deadline and a cap on the reply's size,
so a server trickling bytes or sending without end cannot hold a request forever; a reply of the
wrong shape is a BackendError. Chat requests use /chat/completions with `response_format`
for JSON Schemas; raw prompts use /completions, where a schema is sent as vLLM's
`structured_outputs` extension (other servers may not honour it).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from coderforge.errors import BackendError
from coderforge.llm.base import Backend, Completion, FinishReason, Request, Response
from coderforge.llm.config import BackendConfig

log = logging.getLogger(__name__)

_RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


class _Retryable(Exception):
    """A failure worth another try (transport error, timeout, 429, 5xx)."""


@dataclass
class _Endpoint:
    url: str
    headers: dict[str, str]
    limit: int
    in_flight: int = 0
    semaphore: asyncio.Semaphore | None = None


class OpenAIBackend(Backend):
    def __init__(self, config: BackendConfig) -> None:
        self.model = config.model
        self._config = config
        self._endpoints = [self._endpoint(i, e.url, e.api_key_env) for i, e in enumerate(config.endpoints)]
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next = 0

    def _endpoint(self, index: int, url: str, key_env: str | None) -> _Endpoint:
        headers = {}
        if key_env is not None:
            key = os.environ.get(key_env)
            if not key:
                raise BackendError(
                    f"backend.endpoints[{index}].api_key_env names {key_env}, which is not set in the environment"
                )
            headers["Authorization"] = f"Bearer {key}"
        return _Endpoint(url.rstrip("/"), headers, self._config.max_concurrency)

    def _bind(self) -> httpx.AsyncClient:
        """One client and one set of semaphores per event loop (a backend may outlive a loop)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._loop = loop
            self._client = httpx.AsyncClient(timeout=self._config.request_timeout_s)
            for e in self._endpoints:
                e.semaphore = asyncio.Semaphore(e.limit)
                e.in_flight = 0
        return self._client

    async def generate(self, requests: Sequence[Request]) -> list[Response]:
        client = self._bind()
        return list(await asyncio.gather(*(self._one(client, r) for r in requests)))

    def _pick(self) -> _Endpoint:
        """Least in flight; ties go round-robin so idle endpoints share the load."""
        order = self._endpoints[self._next :] + self._endpoints[: self._next]
        self._next = (self._next + 1) % len(self._endpoints)
        return min(order, key=lambda e: e.in_flight)

    async def _one(self, client: httpx.AsyncClient, request: Request) -> Response:
        path, body = self._body(request)
        start = time.perf_counter()
        delay = self._config.retry_backoff_s
        last: Exception | None = None
        for attempt in range(self._config.max_retries + 1):
            endpoint = self._pick()
            try:
                data = await self._post(client, endpoint, path, body)
                return self._response(data, request, time.perf_counter() - start)
            except _Retryable as e:
                last = e
                if attempt < self._config.max_retries:
                    log.warning("%s%s: %s; retry %d in %.1fs", endpoint.url, path, e, attempt + 1, delay)
                    await asyncio.sleep(delay)
                    delay *= 2
        raise BackendError(f"{self.model}: gave up after {self._config.max_retries + 1} attempts: {last}") from last

    async def _post(self, client: httpx.AsyncClient, endpoint: _Endpoint, path: str, body: dict[str, Any]) -> Any:
        assert endpoint.semaphore is not None
        timeout = self._config.request_timeout_s
        async with endpoint.semaphore:
            endpoint.in_flight += 1
            try:
                # httpx's timeout applies to each read; this one bounds the whole exchange.
                async with asyncio.timeout(timeout):
                    status, raw = await self._fetch(client, endpoint.url + path, body, endpoint.headers)
            except TimeoutError as e:
                raise _Retryable(f"no complete reply within request_timeout_s={timeout:g}s") from e
            except httpx.TransportError as e:  # connection refused/reset, timeouts
                raise _Retryable(f"{type(e).__name__}: {e}") from e
            finally:
                endpoint.in_flight -= 1
        text = raw[:500].decode(errors="replace")
        if status in _RETRY_STATUS:
            raise _Retryable(f"HTTP {status}: {text[:200]}")
        if status >= 400:
            raise BackendError(f"{endpoint.url}{path}: HTTP {status}: {text}")
        try:
            return json.loads(raw)
        except (ValueError, RecursionError) as e:  # RecursionError: nesting deeper than the parser's stack
            raise _Retryable(f"the reply is not JSON: {text[:200]!r}") from e

    async def _fetch(self, client: httpx.AsyncClient, url: str, body: dict[str, Any],
                     headers: dict[str, str]) -> tuple[int, bytes]:
        """(status, body) of one POST, reading at most max_response_bytes (decoded) of the body."""
        limit = self._config.max_response_bytes
        async with client.stream("POST", url, json=body, headers=headers) as reply:
            chunks: list[bytes] = []
            size = 0
            async for chunk in reply.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    raise BackendError(f"{url}: the reply is larger than backend.max_response_bytes={limit}")
                chunks.append(chunk)
            return reply.status_code, b"".join(chunks)

    def _body(self, request: Request) -> tuple[str, dict[str, Any]]:
        s = request.sampling
        body: dict[str, Any] = {
            "model": self.model,
            "n": s.n,
            "temperature": s.temperature,
            "top_p": s.top_p,
            "max_tokens": s.max_tokens,
        }
        if s.stop:
            body["stop"] = list(s.stop)
        if s.seed is not None:
            body["seed"] = s.seed
        if request.messages is not None:
            body["messages"] = [dict(m) for m in request.messages]
            if request.json_schema is not None:
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": "output", "schema": dict(request.json_schema), "strict": True},
                }
            return "/chat/completions", body
        body["prompt"] = request.prompt
        if request.json_schema is not None:
            body["structured_outputs"] = {"json": dict(request.json_schema)}
        return "/completions", body

    def _response(self, data: Any, request: Request, latency: float) -> Response:
        try:
            choices = sorted(data["choices"], key=lambda c: c.get("index", 0))
            texts = [c["message"]["content"] or "" if request.messages is not None else c["text"] for c in choices]
            reasons = [_finish_reason(c.get("finish_reason")) for c in choices]
            usage = data.get("usage") or {}
            completion_tokens, prompt_tokens = (int(usage.get(k, 0)) for k in ("completion_tokens", "prompt_tokens"))
            model = data.get("model", self.model)
        except (KeyError, TypeError, AttributeError, ValueError) as e:
            raise BackendError(f"{self.model}: unexpected reply shape ({type(e).__name__}: {e}): "
                               f"{str(data)[:300]}") from e
        if not texts or not all(isinstance(t, str) for t in texts) or not isinstance(model, str):
            raise BackendError(f"{self.model}: the reply holds no text choices: {str(data)[:300]}")
        counts = _split_tokens(completion_tokens, texts)
        completions = tuple(Completion(t, r, c) for t, r, c in zip(texts, reasons, counts, strict=True))
        return Response(completions, prompt_tokens, latency, model)

    async def aclose(self) -> None:
        # A client made on an earlier (now closed) loop cannot close its sockets gracefully.
        if self._client is not None and self._loop is asyncio.get_running_loop():
            await self._client.aclose()
        self._client = None


def _finish_reason(reason: str | None) -> FinishReason:
    return "length" if reason == "length" else "stop" if reason in ("stop", None, "eos") else "error"


def _split_tokens(total: int, texts: list[str]) -> list[int]:
    """Servers report completion tokens per request; share them over the n choices by length."""
    if len(texts) == 1:
        return [total]
    chars = sum(len(t) for t in texts) or len(texts)
    counts = [total * (len(t) or 1) // chars for t in texts]
    counts[0] += total - sum(counts)
    return counts
