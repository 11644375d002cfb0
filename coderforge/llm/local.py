"""In-process engines: concurrent `generate` calls are queued for one worker thread that owns the
engine (engines are not thread-safe). `LocalEngine` holds the queue, the thread and the engine's
life cycle; `BatchingBackend` drains the queue a whole batch at a time, gathering concurrent
callers for a short window (one big batch is what makes a static-batching engine fast)."""

from __future__ import annotations

import abc
import asyncio
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from coderforge.errors import BackendError
from coderforge.llm.base import Backend, Completion, Request, Response
from coderforge.llm.config import BackendConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineOutput:
    """What an engine returns for one request, before latency and model are attached."""

    completions: tuple[Completion, ...]
    prompt_tokens: int


@dataclass
class Pending:
    """A queued request and the future its caller awaits."""

    request: Request
    future: asyncio.Future[Response]
    enqueued: float = field(default_factory=time.perf_counter)

    def resolve(self, output: EngineOutput, model: str) -> None:
        if not self.future.done():
            latency = time.perf_counter() - self.enqueued
            self.future.set_result(Response(output.completions, output.prompt_tokens, latency, model))

    def fail(self, error: Exception, model: str) -> None:
        """Fail the caller with a BackendError naming the model (the engine's error as its cause)."""
        if not self.future.done():
            wrapped = error if isinstance(error, BackendError) else BackendError(f"{model}: {error}")
            if wrapped is not error:
                wrapped.__cause__ = error
            self.future.set_exception(wrapped)


class LocalEngine(Backend):
    """Base of the in-process engines: subclasses implement `_load` (worker thread) and `_work`,
    the coroutine that serves `_pending` (woken through `_wake`)."""

    def __init__(self, config: BackendConfig) -> None:
        self.model = config.model
        self._window = config.batch_window_ms / 1000
        self._max_batch = config.max_batch
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{type(self).__name__}")
        self._pending: list[Pending] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._worker: asyncio.Task[None] | None = None
        self._loaded = False

    @abc.abstractmethod
    def _load(self) -> None:
        """Load the engine (worker thread, once)."""

    @abc.abstractmethod
    async def _work(self) -> None:
        """Serve queued requests until cancelled (runs on the caller's event loop)."""

    def _load_once(self) -> None:
        if not self._loaded:
            self._load()
            self._loaded = True

    async def start(self) -> None:
        """Load the engine now rather than on the first request."""
        await asyncio.get_running_loop().run_in_executor(self._executor, self._load_once)

    async def generate(self, requests: Sequence[Request]) -> list[Response]:
        if not requests:
            return []
        loop = asyncio.get_running_loop()
        self._bind(loop)
        items = [Pending(r, loop.create_future()) for r in requests]
        self._pending.extend(items)
        assert self._wake is not None
        self._wake.set()
        return list(await asyncio.gather(*(item.future for item in items)))

    def _bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the batching task on the running loop (a backend outlives `asyncio.run` calls)."""
        if self._loop is loop and self._worker is not None and not self._worker.done():
            return
        self._loop = loop
        self._wake = asyncio.Event()
        self._pending = [p for p in self._pending if not p.future.done() and p.future.get_loop() is loop]
        self._worker = loop.create_task(self._work(), name=f"{type(self).__name__}-batcher")

    async def aclose(self) -> None:
        if self._worker is not None and not self._worker.done():
            self._worker.cancel()
        self._worker = None
        await asyncio.get_running_loop().run_in_executor(self._executor, self._unload)
        self._executor.shutdown(wait=True)

    def _unload(self) -> None:
        """Free the engine (worker thread). Subclasses with resources override this."""


class BatchingBackend(LocalEngine):
    """Static batching: subclasses implement `_load` and `_run_batch` (both on the worker thread)."""

    @abc.abstractmethod
    def _run_batch(self, requests: Sequence[Request]) -> list[EngineOutput]:
        """Generate for a batch, results in order (worker thread)."""

    async def _work(self) -> None:
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self._window:
                await asyncio.sleep(self._window)  # let concurrent callers join this batch
            while self._pending:
                batch = [p for p in self._pending[: self._max_batch] if not p.future.done()]
                del self._pending[: self._max_batch]
                if not batch:
                    continue
                try:
                    outputs = await loop.run_in_executor(self._executor, self._guarded, [p.request for p in batch])
                except Exception as e:  # one bad batch must not kill the batcher
                    for p in batch:
                        p.fail(e, self.model)
                    continue
                for p, out in zip(batch, outputs, strict=True):
                    p.resolve(out, self.model)

    def _guarded(self, requests: Sequence[Request]) -> list[EngineOutput]:
        self._load_once()
        log.debug("%s: batch of %d", self.model, len(requests))
        return self._run_batch(requests)
