"""Throughput of `coderforge generate`: completion tokens/s through the agents against the raw
backend on the same prompts, in the same process on the same loaded engine (target ratio >= 0.9),
accepted samples per minute, and the funnel. Prints a table; writes
benchmarks/results/generate_throughput.json.

    python benchmarks/generate_throughput.py [--config examples/quickstart.yaml] [--budget 4]
                                             [--tasks-in-flight 8]

The agents' figure is every completion token the run asked for (all roles and the judge) over the
wall time from the run's first request to its last response; the raw figure replays exactly those
requests through the same backend, all submitted at once, which is the engine's best case. Both
are also given per CPU-second of this process and its children (vLLM's engine core runs in one),
which a shared machine's load does not skew.

The agents can only keep the engine as busy as the work they have in flight: a budget of a few
tasks exposes a few dependent chains (concepts -> instruction -> solutions -> repair -> judge),
while the raw replay hands the engine every request at once. Engines whose throughput grows with
the batch (vLLM on a CPU, any engine on a GPU) need `--budget` and `--tasks-in-flight` that give
the pools enough concurrent work; the table says how many requests were in flight on average.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

from coderforge.cli.generate import funnel_table
from coderforge.config import load_config, validate_data
from coderforge.generate_run import GenerateRun, build_backends
from coderforge.llm import Backend, Request, Response

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "generate_throughput.json"


def cpu_snapshot() -> dict[int, float]:
    """CPU seconds of this process and each live child (vLLM's engine core runs in a child)."""
    snapshot = {}
    for process in [psutil.Process(), *psutil.Process().children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            snapshot[process.pid] = sum(process.cpu_times()[:2])
    return snapshot


def cpu_between(start: dict[int, float], end: dict[int, float]) -> float:
    """CPU spent between two snapshots by the processes alive at both: this one and the engine's,
    not the short-lived sandboxed programs (they are not LLM work)."""
    return sum(end[pid] - start[pid] for pid in end.keys() & start.keys())


class MeteredBackend(Backend):
    """Passes requests through, recording each one, its completion tokens, the busy span and the
    time-weighted number of requests in flight."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.model = inner.model
        self.requests: list[Request] = []
        self.completion_tokens = 0
        self.first: tuple[float, dict[int, float]] | None = None  # (wall, CPU) at the first request
        self.last: tuple[float, dict[int, float]] = (0.0, {})
        self._in_flight = 0
        self._since = 0.0
        self.request_seconds = 0.0  # integral of requests in flight over time

    def _count(self, change: int) -> None:
        now = time.perf_counter()
        self.request_seconds += self._in_flight * (now - self._since) if self._since else 0.0
        self._in_flight, self._since = self._in_flight + change, now

    async def generate(self, requests: Sequence[Request]) -> list[Response]:
        self.first = self.first or (time.perf_counter(), cpu_snapshot())
        self.requests.extend(requests)
        self._count(len(requests))
        try:
            responses = await self.inner.generate(requests)
        finally:
            self._count(-len(requests))
        self.completion_tokens += sum(r.completion_tokens for r in responses)
        self.last = (time.perf_counter(), cpu_snapshot())
        return responses


async def measure(config_path: Path, *, budget: int | None, tasks_in_flight: int | None, languages: list[str] | None,
                  out: Path) -> dict:
    data = load_config(config_path).model_dump(mode="json")
    changes = {"instructions_per_language": budget, "tasks_in_flight": tasks_in_flight, "languages": languages}
    data["generate"].update({k: v for k, v in changes.items() if v is not None})
    config = validate_data(data, source=str(config_path))
    backends = build_backends(config)
    shared = {id(b): b for b in backends.values()}
    if len(shared) != 1:
        raise SystemExit("this benchmark compares one shared backend; the config routes roles to several")
    (engine,) = shared.values()
    metered = MeteredBackend(engine)
    try:
        # Load the engine before timing anything.
        await engine.generate([Request.chat([{"role": "user", "content": "hi"}])])
        started = time.perf_counter()
        funnel = await GenerateRun(config, out, backends=dict.fromkeys(backends, metered)).run()
        run_s = time.perf_counter() - started
        first = metered.first or metered.last
        agents_s, agents_cpu = metered.last[0] - first[0], cpu_between(first[1], metered.last[1])

        raw_started, raw_cpu_started = time.perf_counter(), cpu_snapshot()
        raw = await engine.generate(metered.requests)
        raw_s, raw_cpu = time.perf_counter() - raw_started, cpu_between(raw_cpu_started, cpu_snapshot())
    finally:
        await engine.aclose()
    raw_tokens = sum(r.completion_tokens for r in raw)
    accepted = sum(c["accepted"] for c in funnel["languages"].values())
    agents_tps = metered.completion_tokens / agents_s if agents_s else 0.0
    raw_tps = raw_tokens / raw_s if raw_s else 0.0
    # Tokens per CPU-second of this process tree: a shared machine's load skews wall time, not this.
    agents_tpc = metered.completion_tokens / agents_cpu if agents_cpu else 0.0
    raw_tpc = raw_tokens / raw_cpu if raw_cpu else 0.0
    return {
        "config": str(config_path), "backend": config.backend.kind, "model": engine.model,
        "languages": config.generate.languages, "instructions_per_language": config.generate.instructions_per_language,
        "tasks_in_flight": config.generate.tasks_in_flight, "requests": len(metered.requests),
        "mean_requests_in_flight": round(metered.request_seconds / agents_s, 2) if agents_s else 0.0,
        "agents": {"completion_tokens": metered.completion_tokens, "seconds": round(agents_s, 2),
                   "tokens_per_s": round(agents_tps, 2), "cpu_seconds": round(agents_cpu, 2),
                   "tokens_per_cpu_s": round(agents_tpc, 2)},
        "raw": {"completion_tokens": raw_tokens, "seconds": round(raw_s, 2), "tokens_per_s": round(raw_tps, 2),
                "cpu_seconds": round(raw_cpu, 2), "tokens_per_cpu_s": round(raw_tpc, 2)},
        "ratio": round(agents_tps / raw_tps, 3) if raw_tps else None,
        "cpu_ratio": round(agents_tpc / raw_tpc, 3) if raw_tpc else None,
        "run_seconds": round(run_s, 2), "accepted": accepted,
        "accepted_per_minute": round(accepted / (run_s / 60), 3) if run_s else 0.0,
        "funnel": funnel["languages"], "rejected_by_stage": funnel["rejected_by_stage"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "examples" / "quickstart.yaml")
    parser.add_argument("--budget", type=int, default=None, help="instructions per language (default: the config's)")
    parser.add_argument("--tasks-in-flight", type=int, default=None,
                        help="tasks per pool at once (default: the config's)")
    parser.add_argument("--languages", nargs="+", default=None, help="language pools (default: the config's)")
    parser.add_argument("--out", type=Path, default=None, help="run folder (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coderforge-bench-") as tmp:
        result = asyncio.run(measure(args.config, budget=args.budget, tasks_in_flight=args.tasks_in_flight,
                                     languages=args.languages,
                                     out=args.out or Path(tmp) / "run"))
    console = Console()
    table = Table("measure", "agents", "raw backend", title=f"generate throughput ({result['model']})")
    table.add_row("requests", str(result["requests"]), str(result["requests"]))
    table.add_row("mean requests in flight", str(result["mean_requests_in_flight"]), str(result["requests"]))
    for label, key in (("completion tokens", "completion_tokens"), ("seconds", "seconds"),
                       ("tokens/s", "tokens_per_s"), ("CPU seconds (process tree)", "cpu_seconds"),
                       ("tokens/CPU-second", "tokens_per_cpu_s")):
        table.add_row(label, str(result["agents"][key]), str(result["raw"][key]))
    table.add_row("ratio agents/raw, wall (target >= 0.9)", str(result["ratio"]), "")
    table.add_row("ratio agents/raw, CPU", str(result["cpu_ratio"]), "")
    table.add_row("accepted samples / minute", str(result["accepted_per_minute"]), "")
    console.print(table)
    console.print(funnel_table({"languages": result["funnel"], "rejected_by_stage": result["rejected_by_stage"]}))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    console.print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
