"""Completion tokens/s of each backend on the bundled model at several batch sizes, against the
same engine called directly without coderforge's layer, in the same run. Target ratio >= 0.95.

    python benchmarks/backend_throughput.py [--backends transformers,vllm,openai] [--batches 1,8,32]

Prints a table and writes benchmarks/results/backend_throughput.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from coderforge.config import BackendConfig, Endpoint, VllmOptions
from coderforge.llm import Backend, Request, SamplingParams, make_backend
from coderforge.llm.render import prompt_token_ids
from coderforge.models import BUNDLED, prepare

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


def requests_for(batch: int, max_tokens: int) -> list[Request]:
    sampling = SamplingParams(max_tokens=max_tokens)
    return [Request.chat([{"role": "user", "content": f"{TASKS[i % len(TASKS)]} (#{i})"}], sampling=sampling)
            for i in range(batch)]


def best_rates(ours: Callable[[], int], theirs: Callable[[], int], repeats: int) -> tuple[float, float]:
    """Best completion tokens/s of each side over `repeats` runs, after a warm-up of each. The two
    sides alternate, so a shared machine's changing load falls on both alike."""
    ours(), theirs()
    rates: dict[int, list[float]] = {0: [], 1: []}
    for _ in range(repeats):
        for side, fn in enumerate((ours, theirs)):
            start = time.perf_counter()
            tokens = fn()
            rates[side].append(tokens / (time.perf_counter() - start))
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


def direct_openai(url: str, requests: list[Request]) -> Callable[[], int]:
    """The official `openai` client, all requests concurrently, as a user would without coderforge."""
    from openai import AsyncOpenAI

    async def main() -> int:
        client = AsyncOpenAI(base_url=url, api_key="unused", max_retries=0)
        s = requests[0].sampling
        replies = await asyncio.gather(*(
            client.chat.completions.create(model="bundled", messages=[dict(m) for m in r.messages or ()],
                                           max_tokens=s.max_tokens, temperature=s.temperature)
            for r in requests))
        await client.close()
        return sum(r.usage.completion_tokens for r in replies)

    return lambda: asyncio.run(main())


def bench_backend(name: str, backend: Backend, direct: Callable[[list[Request]], Callable[[], int]],
                  batches: list[int], max_tokens: int, repeats: int) -> list[dict[str, Any]]:
    rows = []
    for batch in batches:
        reqs = requests_for(batch, max_tokens)
        ours, theirs = best_rates(through_coderforge(backend, reqs), direct(reqs), repeats)
        rows.append({"backend": name, "batch": batch, "coderforge_tok_s": ours, "direct_tok_s": theirs,
                     "ratio": ours / theirs})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="transformers,vllm,openai")
    parser.add_argument("--batches", default="1,8,32")
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "backend_throughput.json")
    args = parser.parse_args()
    batches = [int(b) for b in args.batches.split(",")]
    names = args.backends.split(",")
    model = str(prepare(BUNDLED))
    rows: list[dict[str, Any]] = []

    if "transformers" in names:
        backend = make_backend(BackendConfig(kind="transformers", transformers={"batch_size": max(batches)}))
        asyncio.run(backend.start())
        rows += bench_backend("transformers", backend, lambda r: direct_transformers(backend, r),
                              batches, args.max_tokens, args.repeats)
        asyncio.run(backend.aclose())
    if "vllm" in names:
        backend = make_backend(BackendConfig(kind="vllm", vllm=VllmOptions(
            enforce_eager=True, max_model_len=2048, cpu_kv_cache_gb=1, cpu_threads_bind="0-1")))
        asyncio.run(backend.start())
        rows += bench_backend("vllm", backend, lambda r: direct_vllm(backend, r), batches, args.max_tokens,
                              args.repeats)
        asyncio.run(backend.aclose())
    if "openai" in names:
        from coderforge.llm.vllm_server import vllm_server

        with tempfile.TemporaryDirectory() as tmp, vllm_server(
            model, served_name="bundled", log_path=Path(tmp) / "server.log"
        ) as url:
            backend = make_backend(BackendConfig(kind="openai", model="bundled", endpoints=[Endpoint(url=url)]))
            rows += bench_backend("openai", backend, lambda r: direct_openai(url, r), batches, args.max_tokens,
                                  args.repeats)
            asyncio.run(backend.aclose())

    table = Table("backend", "batch", "coderforge tok/s", "direct tok/s", "ratio", title="backend throughput")
    for r in rows:
        table.add_row(r["backend"], str(r["batch"]), f"{r['coderforge_tok_s']:.1f}", f"{r['direct_tok_s']:.1f}",
                      f"{r['ratio']:.3f}")
    Console().print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": platform.machine(), "max_tokens": args.max_tokens,
                                    "target_ratio": 0.95, "rows": rows}, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
