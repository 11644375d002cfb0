"""Throughput of `coderforge generate`: completion tokens/s through the agents against the raw
backend on the same prompts, in the same process on the same loaded engine (target ratio >= 0.9),
accepted samples per minute, and the funnel. Prints a table; writes
benchmarks/results/generate_throughput.json.

    python benchmarks/generate_throughput.py [--config examples/quickstart.yaml] [--budget 4]

The agents' figure is every completion token the run asked for (all roles and the judge) over the
wall time from the run's first request to its last response; the raw figure replays exactly those
requests through the same backend, all submitted at once, which is the engine's best case. Both
are also given per CPU-second of this process, which a shared machine's load does not skew.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from coderforge.config import load_config, validate_data
from coderforge.generate_cli import funnel_table
from coderforge.llm import Backend, Request, Response
from coderforge.pipeline import Generation, build_backends

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "generate_throughput.json"


class MeteredBackend(Backend):
    """Passes requests through, recording each one, its completion tokens and the busy span."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.model = inner.model
        self.requests: list[Request] = []
        self.completion_tokens = 0
        self.first: tuple[float, float] | None = None  # (wall, process CPU) at the first request
        self.last = (0.0, 0.0)

    async def generate(self, requests: Sequence[Request]) -> list[Response]:
        self.first = self.first or (time.perf_counter(), time.process_time())
        self.requests.extend(requests)
        responses = await self.inner.generate(requests)
        self.completion_tokens += sum(r.completion_tokens for r in responses)
        self.last = (time.perf_counter(), time.process_time())
        return responses


async def measure(config_path: Path, *, budget: int | None, languages: list[str] | None, out: Path) -> dict:
    data = load_config(config_path).model_dump(mode="json")
    changes = {"instructions_per_language": budget, "languages": languages}
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
        funnel = await Generation(config, out, backends=dict.fromkeys(backends, metered)).run()
        run_s = time.perf_counter() - started
        first = metered.first or metered.last
        agents_s, agents_cpu = metered.last[0] - first[0], metered.last[1] - first[1]

        raw_started, raw_cpu_started = time.perf_counter(), time.process_time()
        raw = await engine.generate(metered.requests)
        raw_s, raw_cpu = time.perf_counter() - raw_started, time.process_time() - raw_cpu_started
    finally:
        await engine.aclose()
    raw_tokens = sum(r.completion_tokens for r in raw)
    accepted = sum(c["accepted"] for c in funnel["languages"].values())
    agents_tps = metered.completion_tokens / agents_s if agents_s else 0.0
    raw_tps = raw_tokens / raw_s if raw_s else 0.0
    # Tokens per CPU-second of this process: a shared machine's load skews wall time, not this.
    agents_tpc = metered.completion_tokens / agents_cpu if agents_cpu else 0.0
    raw_tpc = raw_tokens / raw_cpu if raw_cpu else 0.0
    return {
        "config": str(config_path), "backend": config.backend.kind, "model": engine.model,
        "languages": config.generate.languages, "instructions_per_language": config.generate.instructions_per_language,
        "requests": len(metered.requests),
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
    parser.add_argument("--languages", nargs="+", default=None, help="language pools (default: the config's)")
    parser.add_argument("--out", type=Path, default=None, help="run folder (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coderforge-bench-") as tmp:
        result = asyncio.run(measure(args.config, budget=args.budget, languages=args.languages,
                                     out=args.out or Path(tmp) / "run"))
    console = Console()
    table = Table("measure", "agents", "raw backend", title=f"generate throughput ({result['model']})")
    table.add_row("requests", str(result["requests"]), str(result["requests"]))
    for label, key in (("completion tokens", "completion_tokens"), ("seconds", "seconds"),
                       ("tokens/s", "tokens_per_s"), ("CPU seconds (this process)", "cpu_seconds"),
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
