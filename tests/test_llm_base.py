"""The backend seam without a model: request validation, micro-batching, HTTP retries and balancing."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from coderforge.errors import BackendError
from coderforge.llm import Completion, Request, SamplingError, SamplingParams
from coderforge.llm.config import BackendConfig, Endpoint
from coderforge.llm.local import BatchingBackend, EngineOutput
from coderforge.llm.openai_http import OpenAIBackend


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [({"n": 0}, "n"), ({"temperature": -1}, "temperature"), ({"top_p": 0}, "top_p"),
     ({"max_tokens": 0}, "max_tokens"), ({"stop": "x"}, "stop"), ({"n": 2}, "n")],
)
def test_sampling_params_name_the_bad_parameter(kwargs: dict, parameter: str) -> None:
    with pytest.raises(SamplingError) as info:
        SamplingParams(**kwargs)
    assert info.value.parameter == parameter


def test_request_needs_exactly_one_form() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Request(prompt="x", messages=({"role": "user", "content": "y"},))
    with pytest.raises(ValueError, match=r"messages\[0\]"):
        Request.chat([{"role": "robot", "content": "hi"}])
    assert Request.raw("<|fim_prefix|>a").prompt == "<|fim_prefix|>a"


class EchoEngine(BatchingBackend):
    """Orchestration test double: echoes prompts and records the batches it was handed."""

    def __init__(self, *, window: float = 0.05, max_batch: int = 64, fail_on: str | None = None) -> None:
        super().__init__(BackendConfig(model="echo", batch_window_ms=window * 1000, max_batch=max_batch))
        self.batches: list[int] = []
        self.fail_on = fail_on

    def _load(self) -> None:
        pass

    def _run_batch(self, requests: Sequence[Request]) -> list[EngineOutput]:
        self.batches.append(len(requests))
        if self.fail_on and any(r.prompt == self.fail_on for r in requests):
            raise RuntimeError("engine exploded")
        return [EngineOutput((Completion(r.prompt or "", "stop", 1),), 1) for r in requests]


def test_concurrent_callers_share_one_batch() -> None:
    engine = EchoEngine()

    async def main() -> list[str]:
        calls = [engine.generate([Request.raw(f"p{i}")]) for i in range(10)]
        return [r[0].text for r in await asyncio.gather(*calls)]

    assert asyncio.run(main()) == [f"p{i}" for i in range(10)]
    assert engine.batches == [10]
    asyncio.run(engine.aclose())


def test_batches_are_capped_and_order_kept() -> None:
    engine = EchoEngine(max_batch=4)
    responses = asyncio.run(engine.generate([Request.raw(str(i)) for i in range(10)]))
    assert [r.text for r in responses] == [str(i) for i in range(10)]
    assert engine.batches == [4, 4, 2]
    assert all(r.model == "echo" and r.latency_s >= 0 for r in responses)


def test_engine_failure_reaches_only_its_batch_and_backend_survives_loops() -> None:
    engine = EchoEngine(max_batch=1, fail_on="boom")
    with pytest.raises(BackendError, match="engine exploded"):
        asyncio.run(engine.generate([Request.raw("boom")]))
    # A new event loop (a new asyncio.run) keeps working with the same engine.
    assert asyncio.run(engine.generate([Request.raw("ok")]))[0].text == "ok"


class ScriptedHandler(BaseHTTPRequestHandler):
    """Serves OpenAI-shaped replies, each after the server's `hold_s`; the first `failures` requests
    of a server get a 503."""

    def do_POST(self) -> None:
        server = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server.bodies.append((self.path, body))  # type: ignore[attr-defined]
        time.sleep(server.hold_s)  # type: ignore[attr-defined]
        if server.failures > 0:  # type: ignore[attr-defined]
            server.failures -= 1  # type: ignore[attr-defined]
            self.send_response(503)
            self.end_headers()
            self.wfile.write(b"overloaded")
            return
        if self.path.endswith("/chat/completions"):
            choices = [{"index": i, "message": {"content": f"{server.name}:{i}"}, "finish_reason": "stop"}
                       for i in range(body["n"])]  # type: ignore[attr-defined]
        else:
            choices = [{"index": 0, "text": body["prompt"][::-1], "finish_reason": "length"}]
        reply = json.dumps({"choices": choices, "model": body["model"],
                            "usage": {"prompt_tokens": 7, "completion_tokens": 4 * body["n"]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def scripted_servers():
    servers = []
    for name in ("a", "b"):
        server = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedHandler)
        server.name, server.failures, server.bodies, server.hold_s = name, 0, [], 0.0  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


def _config(servers, **overrides) -> BackendConfig:
    endpoints = [Endpoint(url=f"http://127.0.0.1:{s.server_address[1]}/v1") for s in servers]
    return BackendConfig(kind="openai", model="m", endpoints=endpoints, retry_backoff_s=0.01, **overrides)


def test_openai_balances_and_shapes_requests(scripted_servers) -> None:
    for server in scripted_servers:  # every request in flight at once: balancing by in-flight counts shows
        server.hold_s = 0.2          # (a server answering at once may take them all on a loaded machine)
    backend = OpenAIBackend(_config(scripted_servers))
    schema = {"type": "object", "properties": {"x": {"type": "integer"}}}
    requests = [Request.chat([{"role": "user", "content": "hi"}], sampling=SamplingParams(n=2, temperature=0.5),
                             json_schema=schema) for _ in range(8)] + [Request.raw("abc")]
    responses = asyncio.run(backend.generate(requests))
    assert [c.text.split(":")[1] for c in responses[0].completions] == ["0", "1"]
    assert responses[0].completion_tokens == 8 and responses[0].prompt_tokens == 7
    assert responses[-1].text == "cba" and responses[-1].completions[0].finish_reason == "length"
    served = [len(s.bodies) for s in scripted_servers]
    assert sum(served) == 9 and min(served) >= 3, served
    bodies = [body for server in scripted_servers for body in server.bodies]
    chats = [body for path, body in bodies if path == "/v1/chat/completions"]
    assert len(chats) == 8 and [path for path, _ in bodies].count("/v1/completions") == 1
    assert all(body["response_format"]["json_schema"]["schema"] == schema for body in chats)


def test_openai_retries_5xx_then_succeeds(scripted_servers) -> None:
    for s in scripted_servers:
        s.failures = 2
    backend = OpenAIBackend(_config(scripted_servers, max_retries=4))
    (response,) = asyncio.run(backend.generate([Request.raw("xy")]))
    assert response.text == "yx"
    assert sum(len(s.bodies) for s in scripted_servers) >= 3


def test_openai_gives_up_with_a_clear_error(scripted_servers) -> None:
    for s in scripted_servers:
        s.failures = 100
    backend = OpenAIBackend(_config(scripted_servers, max_retries=2))
    with pytest.raises(BackendError, match=r"gave up after 3 attempts.*503"):
        asyncio.run(backend.generate([Request.raw("xy")]))


def test_openai_connection_refused_is_retried_then_reported() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    config = BackendConfig(kind="openai", model="m", endpoints=[Endpoint(url=f"http://127.0.0.1:{port}/v1")],
                           max_retries=1, retry_backoff_s=0.01)
    with pytest.raises(BackendError, match="ConnectError"):
        asyncio.run(OpenAIBackend(config).generate([Request.raw("x")]))


def test_openai_missing_api_key_env_is_named(monkeypatch) -> None:
    monkeypatch.delenv("CF_TEST_KEY", raising=False)
    config = BackendConfig(kind="openai", model="m",
                           endpoints=[Endpoint(url="http://127.0.0.1:1/v1", api_key_env="CF_TEST_KEY")])
    with pytest.raises(BackendError, match=r"endpoints\[0\].api_key_env names CF_TEST_KEY"):
        OpenAIBackend(config)


class RawHandler(BaseHTTPRequestHandler):
    """Answers every POST with the server's `send(handler)`: trickling, huge or malformed replies."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.send(self)  # type: ignore[attr-defined]

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def raw_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), RawHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _send(handler: BaseHTTPRequestHandler, body: bytes, *, chunk: int | None = None, pause_s: float = 0.0) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    step = chunk or len(body)
    try:
        for i in range(0, len(body), step):
            handler.wfile.write(body[i:i + step])
            handler.wfile.flush()
            time.sleep(pause_s)
    except OSError:  # the client gave up
        pass


_VALID = json.dumps({"choices": [{"index": 0, "text": "ok", "finish_reason": "stop"}],
                     "usage": {"prompt_tokens": 1, "completion_tokens": 1}}).encode()


def test_openai_deadline_covers_the_whole_reply_of_a_trickling_server(raw_server) -> None:
    # A byte every 50 ms: each read is quick, the whole valid reply takes seconds.
    raw_server.send = lambda h: _send(h, _VALID, chunk=1, pause_s=0.05)
    backend = OpenAIBackend(_config([raw_server], request_timeout_s=0.5, max_retries=0))
    with pytest.raises(BackendError, match=r"no complete reply within request_timeout_s=0.5s"):
        asyncio.run(backend.generate([Request.raw("x")]))


def test_openai_reply_size_is_capped(raw_server) -> None:
    padded = _VALID[:-1] + b', "pad": "' + b"x" * 200_000 + b'"}'
    raw_server.send = lambda h: _send(h, padded, chunk=16_384)
    backend = OpenAIBackend(_config([raw_server], max_response_bytes=100_000, max_retries=0))
    with pytest.raises(BackendError, match=r"larger than backend.max_response_bytes=100000"):
        asyncio.run(backend.generate([Request.raw("x")]))
    (ok,) = asyncio.run(OpenAIBackend(_config([raw_server], max_retries=0)).generate([Request.raw("x")]))
    assert ok.text == "ok"


@pytest.mark.parametrize("body", [
    b'{"choices": []}',
    b'{"choices": [{"text": "a"}], "usage": "lots"}',
    b'{"choices": [{"text": "a"}], "usage": {"completion_tokens": "many"}}',
    b'{"choices": [{"text": 5}]}',
    b'{"choices": ["a"]}',
    b'["choices"]',
    b"not json at all",
    b"[" * 100_000 + b"]" * 100_000,
], ids=["no-choices", "usage-string", "usage-tokens-string", "text-number", "choice-string", "list", "not-json",
        "deeply-nested"])
def test_openai_malformed_reply_is_a_backend_error(raw_server, body: bytes) -> None:
    raw_server.send = lambda h: _send(h, body)
    backend = OpenAIBackend(_config([raw_server], max_retries=0))
    with pytest.raises(BackendError):
        asyncio.run(backend.generate([Request.raw("x")]))
