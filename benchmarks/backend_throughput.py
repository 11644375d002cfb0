"""Completion tokens/s of each CPU engine on the default model (Qwen2.5-Coder-0.5B-Instruct) at
several batch sizes, same prompts, same run, one engine process at a time: coderforge's transformers
backend (mixed static batches), vLLM's offline engine (continuous batching), vLLM's OpenAI server,
llama.cpp's OpenAI server from llama-cpp-python, and llama.cpp's own `llama-server` (parallel slots),
both on the verified GGUF as is. Each is measured through coderforge and, as a baseline, called
directly without coderforge's layer (target ratio >= 0.95); `vs transformers` compares engines at
the same batch size. `--context-chars` quotes code before each task, so that prompt tokens weigh as
they do in a generate run (its prompts are mostly quoted seeds, tasks and programs).

    python benchmarks/backend_throughput.py [--model NAME]
        [--backends transformers,vllm,openai,llamacpp,llamaserver] [--batches 1,8] [--context-chars 0]
        [--llama-python PYTHON] [--llama-server BINARY]

Prints a table and writes benchmarks/results/backend_throughput.json. An engine that cannot run here
(llama-cpp-python not installed, no llama-server binary) is listed as not measured, with the reason.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import inspect
import itertools
import json
import json.decoder
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from coderforge.llm import Backend, Request, SamplingParams, make_backend
from coderforge.llm.config import BackendConfig, Endpoint, VllmOptions
from coderforge.llm.render import prompt_token_ids
from coderforge.models import DEFAULT_MODEL, catalog_entry, locate_parts, prepare, verify_parts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test suite's helpers
from vllm_server_support import free_port, local_server, vllm_server

TASKS = [
    "Write a Python function that returns the n-th Fibonacci number.",
    "Write a C function that reverses a string in place.",
    "Explain what a hash map is in two sentences.",
    "Write a JavaScript function that removes duplicates from an array.",
    "Write a Go function that sums a slice of ints.",
    "Write a Rust function that checks whether a number is prime.",
    "Write a Bash script that counts the lines of every .txt file.",
    "Write a Java method that returns the maximum of an int array.",
]


def requests_for(batch: int, max_tokens: int, context_chars: int = 0, *, run: int = 0) -> list[Request]:
    """`batch` chat requests, unlike those of any other `run` from their first words on (engines
    reuse a cached prompt prefix, which a repeated batch would measure); with `context_chars`, each
    quotes that much of a standard-library file, as generate's prompts quote seeds, tasks and
    programs: prompt tokens then weigh as they do in a generate run."""
    sampling = SamplingParams(max_tokens=max_tokens)
    source = inspect.getsource(json.decoder) * 4 if context_chars else ""

    def content(i: int) -> str:
        task = f"Request {run}.{i}: {TASKS[i % len(TASKS)]}"
        if not context_chars:
            return task
        start = ((run * batch + i) * 997) % max(1, len(source) - context_chars)
        return f"{task}\nSome code for context:\n```python\n{source[start:start + context_chars]}\n```"

    return [Request.chat([{"role": "user", "content": content(i)}], sampling=sampling) for i in range(batch)]


Measured = Callable[[int], Callable[[], int]]
"""Given a run number, a callable that sends that run's requests and returns the completion tokens."""


def best_rates(ours: Measured, theirs: Measured, repeats: int) -> tuple[float, float]:
    """Best completion tokens/s of each side over `repeats` runs, after a warm-up of each, every run
    on requests of its own. The two sides alternate, so a shared machine's changing load falls on
    both alike."""
    runs = itertools.count()

    def rate(side: Measured) -> float:
        send = side(next(runs))  # prompts rendered before the clock starts
        start = time.perf_counter()
        tokens = send()
        return tokens / (time.perf_counter() - start)

    rate(ours), rate(theirs)
    rates: dict[int, list[float]] = {0: [], 1: []}
    for _ in range(repeats):
        for k, side in enumerate((ours, theirs)):
            rates[k].append(rate(side))
    return max(rates[0]), max(rates[1])


def through_coderforge(backend: Backend, requests: list[Request]) -> Callable[[], int]:
    def run() -> int:
        responses = asyncio.run(backend.generate(requests))
        return sum(r.completion_tokens for r in responses)
    return run


def direct_transformers(backend: Any, requests: list[Request]) -> Callable[[], int]:
    """model.generate on the same padded batch the backend builds, and nothing else."""
    import torch

    tok, lm = backend._tokenizer, backend._lm
    prompts = [prompt_token_ids(tok, r) for r in requests]
    width = max(map(len, prompts))
    pad = tok.pad_token_id
    ids = torch.tensor([[pad] * (width - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    max_tokens = requests[0].sampling.max_tokens

    def run() -> int:
        with torch.inference_mode():
            out = lm.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_tokens, do_sample=False,
                              pad_token_id=pad, temperature=None, top_p=None, top_k=None)
        new = out[:, width:]
        eos = tok.eos_token_id
        # tokens up to and including the first end-of-sequence, as the backend counts them
        return sum(int(row.tolist().index(eos)) + 1 if eos in row.tolist() else len(row) for row in new)
    return run


def direct_vllm(backend: Any, requests: list[Request]) -> Callable[[], int]:
    from vllm.inputs import TokensPrompt

    prompts = [TokensPrompt(prompt_token_ids=prompt_token_ids(backend._tokenizer, r)) for r in requests]
    params = backend.sampling_params(requests[0])

    def run() -> int:
        outs = backend._llm.generate(prompts, params, use_tqdm=False)
        return sum(len(c.token_ids) for o in outs for c in o.outputs)
    return run


def direct_openai(url: str, served: str, requests: list[Request]) -> Callable[[], int]:
    """The official `openai` client, all requests concurrently, as a user would without coderforge."""
    from openai import AsyncOpenAI

    async def main() -> int:
        client = AsyncOpenAI(base_url=url, api_key="unused", max_retries=0)
        s = requests[0].sampling
        replies = await asyncio.gather(*(
            client.chat.completions.create(model=served, messages=[dict(m) for m in r.messages or ()],
                                           max_tokens=s.max_tokens, temperature=s.temperature)
            for r in requests))
        await client.close()
        return sum(r.usage.completion_tokens for r in replies)

    return lambda: asyncio.run(main())


def bench_backend(name: str, backend: Backend, direct: Callable[[list[Request]], Callable[[], int]],
                  batches: list[int], max_tokens: int, repeats: int, context_chars: int) -> list[dict[str, Any]]:
    rows = []
    for batch in batches:
        def fresh(run: int, batch: int = batch) -> list[Request]:
            return requests_for(batch, max_tokens, context_chars, run=run)

        ours, theirs = best_rates(lambda run: through_coderforge(backend, fresh(run)),
                                  lambda run: direct(fresh(run)), repeats)
        rows.append({"backend": name, "batch": batch, "coderforge_tok_s": ours, "direct_tok_s": theirs,
                     "ratio": ours / theirs})
    return rows


@contextlib.contextmanager
def llama_cpp_server(python: str, gguf: Path, *, served_name: str, log_path: Path) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server on the GGUF, in its own process group, ended on exit."""
    port = free_port()
    cmd = [python, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", served_name, "--host",
           "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", str(os.cpu_count() or 1)]
    with local_server(cmd, port=port, log_path=log_path, env={}, startup_timeout_s=300,
                      what="llama.cpp server") as url:
        yield url


@contextlib.contextmanager
def llama_server(binary: str, gguf: Path, *, served_name: str, slots: int, log_path: Path) -> Iterator[str]:
    """llama.cpp's own `llama-server` on the GGUF with `slots` parallel slots (continuous batching),
    4096 tokens of context each, in its own process group, ended on exit."""
    port = free_port()
    cmd = [binary, "--model", str(gguf), "--alias", served_name, "--host", "127.0.0.1", "--port", str(port),
           "--parallel", str(slots), "--ctx-size", str(4096 * slots), "--threads", str(os.cpu_count() or 1)]
    with local_server(cmd, port=port, log_path=log_path, env={}, startup_timeout_s=300,
                      what="llama-server") as url:
        yield url


def bench_server(name: str, url: str, served: str, batches: list[int], max_tokens: int,
                 repeats: int, context_chars: int) -> list[dict[str, Any]]:
    backend = make_backend(BackendConfig(kind="openai", model=served, endpoints=[Endpoint(url=url)]))
    rows = bench_backend(name, backend, lambda r: direct_openai(url, served, r), batches, max_tokens, repeats,
                         context_chars)
    asyncio.run(backend.aclose())
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL, help="a catalog name (coderforge models list)")
    parser.add_argument("--backends", default="transformers,vllm,openai,llamacpp,llamaserver")
    parser.add_argument("--batches", default="1,8")
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--context-chars", type=int, default=0,
                        help="quote this much code before each task (generate's prompts are mostly quoted code)")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--llama-python", default=sys.executable,
                        help="a Python with llama-cpp-python[server] installed (default: this one)")
    parser.add_argument("--llama-server", default=shutil.which("llama-server") or "llama-server",
                        help="llama.cpp's llama-server binary (built from llama.cpp's source)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "backend_throughput.json")
    args = parser.parse_args()
    batches = [int(b) for b in args.batches.split(",")]
    names = args.backends.split(",")
    model = str(prepare(args.model))
    rows: list[dict[str, Any]] = []
    not_measured: dict[str, str] = {}
    vllm_options = VllmOptions(enforce_eager=True, max_model_len=4096, cpu_kv_cache_gb=1, cpu_threads_bind="0-1")
    measure = {"batches": batches, "max_tokens": args.max_tokens, "repeats": args.repeats,
               "context_chars": args.context_chars}

    # One engine process at a time: each is closed before the next starts.
    if "transformers" in names:
        backend = make_backend(BackendConfig(kind="transformers", model=model,
                                             transformers={"batch_size": max(batches)}))
        asyncio.run(backend.start())
        rows += bench_backend("transformers", backend, lambda r: direct_transformers(backend, r), **measure)
        asyncio.run(backend.aclose())
    if "vllm" in names:
        backend = make_backend(BackendConfig(kind="vllm", model=model, vllm=vllm_options))
        asyncio.run(backend.start())
        rows += bench_backend("vllm", backend, lambda r: direct_vllm(backend, r), **measure)
        asyncio.run(backend.aclose())
    if "openai" in names:
        with tempfile.TemporaryDirectory() as tmp, vllm_server(
            model, served_name=args.model, log_path=Path(tmp) / "server.log"
        ) as url:
            rows += bench_server("openai (vLLM server)", url, args.model, **measure)
    servers = {"llamacpp": "llama-cpp-python's server", "llamaserver": "llama.cpp's llama-server"}
    if "llamacpp" in names:
        has_llama = subprocess.run([args.llama_python, "-c", "import llama_cpp.server"], capture_output=True)
        if has_llama.returncode != 0:
            not_measured["llamacpp"] = (f"llama-cpp-python[server] is not importable from {args.llama_python} "
                                        "(pip install 'llama-cpp-python[server]' builds it from source)")
            servers.pop("llamacpp")
    if "llamaserver" in names and not shutil.which(args.llama_server):
        not_measured["llamaserver"] = (f"no llama-server binary at {args.llama_server} (build llama.cpp's "
                                       "llama-server target, e.g. from llama-cpp-python's sdist, vendor/llama.cpp)")
        servers.pop("llamaserver")
    wanted = [name for name in servers if name in names]
    if wanted:
        entry = catalog_entry(args.model)
        with tempfile.TemporaryDirectory(dir=Path(model).parent) as tmp:
            gguf = Path(tmp) / "model.gguf"
            verify_parts(entry, locate_parts(entry), join_to=gguf)
            for name in wanted:
                log_path = Path(tmp) / f"{name}.log"
                server = (llama_cpp_server(args.llama_python, gguf, served_name=args.model, log_path=log_path)
                          if name == "llamacpp" else
                          llama_server(args.llama_server, gguf, served_name=args.model, slots=max(batches),
                                       log_path=log_path))
                with server as url:
                    rows += bench_server(f"openai ({servers[name]})", url, args.model, **measure)

    base = {r["batch"]: r["coderforge_tok_s"] for r in rows if r["backend"] == "transformers"}
    for r in rows:
        r["vs_transformers"] = r["coderforge_tok_s"] / base[r["batch"]] if r["batch"] in base else None
    table = Table("engine", "batch", "coderforge tok/s", "direct tok/s", "ratio", "vs transformers",
                  title=f"backend throughput, {args.model}, {args.max_tokens} new tokens, "
                        f"{args.context_chars} characters of quoted code")
    for r in rows:
        vs = r["vs_transformers"]
        table.add_row(r["backend"], str(r["batch"]), f"{r['coderforge_tok_s']:.1f}", f"{r['direct_tok_s']:.1f}",
                      f"{r['ratio']:.3f}", "" if vs is None else f"{vs:.2f}x")
    for name, why in not_measured.items():
        table.add_row(name, "-", "not measured", why, "", "")
    Console().print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": platform.machine(), "cpus": os.cpu_count(), "model": args.model,
                                    "max_tokens": args.max_tokens, "context_chars": args.context_chars,
                                    "target_ratio": 0.95, "rows": rows,
                                    "not_measured": not_measured}, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
