"""Sandbox throughput: programs/s for a trivial program per language with 1..N workers, on the
bwrap and docker backends against a bare subprocess (no isolation) in the same run, the overhead
ratio (bare programs/s over backend programs/s), and the wall time of the HumanEval run.

Compiled languages are measured with their build cached (the first run of the batch compiles),
so the numbers are the cost of running. Target: Python on bwrap within 1.5x of bare. (The bare
python sees the host's whole site-packages; sandboxed programs get the standard library only.)

    .venv/bin/python benchmarks/sandbox_throughput.py [--programs 12] [--max-workers N] [--no-docker]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from coderforge.sandbox import Program, Sandbox, SandboxConfig, Status
from coderforge.sandbox.isolation import SandboxUnavailableError
from coderforge.sandbox.toolchains import HELLO_WORLD
from rich.console import Console
from rich.table import Table
from unsandboxed import LocalBackend

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test suite's helpers
from humaneval_support import humaneval_programs

RESULTS = Path(__file__).parent / "results" / "sandbox_throughput.json"


def _sandbox(backend: str, workers: int, cache: Path) -> Sandbox:
    config = SandboxConfig(backend="docker" if backend == "docker" else "bwrap", workers=workers, cache_dir=cache)
    return Sandbox(config, backend=LocalBackend() if backend == "bare" else None)


def throughput(sandbox: Sandbox, language: str, count: int) -> float:
    """Programs per second for `count` copies of the language's hello-world (build warmed first)."""
    code = HELLO_WORLD[language]
    (warm,) = sandbox.execute([Program("warm", language, code)])
    if warm.status is not Status.passed:
        raise RuntimeError(f"{language} hello-world did not pass on {sandbox.backend.name}: {warm.stderr[:300]}")
    start = time.perf_counter()
    results = sandbox.execute([Program(f"p{i}", language, code) for i in range(count)])
    elapsed = time.perf_counter() - start
    failed = [r for r in results if r.status is not Status.passed]
    if failed:
        raise RuntimeError(f"{language} on {sandbox.backend.name}: {failed[0].status} {failed[0].stderr[:300]}")
    return count / elapsed


def humaneval_wall(sandbox: Sandbox) -> float:
    programs = humaneval_programs()
    start = time.perf_counter()
    results = sandbox.execute(programs)
    elapsed = time.perf_counter() - start
    passed = sum(r.status is Status.passed for r in results)
    if passed != len(programs):
        raise RuntimeError(f"HumanEval on {sandbox.backend.name}: only {passed}/{len(programs)} passed")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--programs", type=int, default=12, help="programs per language and setting")
    parser.add_argument("--max-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--languages", nargs="*", default=list(HELLO_WORLD))
    parser.add_argument("--no-docker", action="store_true", help="skip the docker backend")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    console = Console()

    backends = ["bare", "bwrap"] + ([] if args.no_docker else ["docker"])
    worker_counts = sorted({1, *range(2, args.max_workers + 1, 2), args.max_workers})
    rates: dict[str, dict[str, dict[int, float]]] = {b: {lang: {} for lang in args.languages} for b in backends}
    humaneval: dict[str, float] = {}
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="sandbox-bench-") as tmp:
        for backend in backends:
            for workers in worker_counts:
                try:
                    sandbox = _sandbox(backend, workers, Path(tmp, backend))
                except SandboxUnavailableError as e:
                    skipped[backend] = str(e)
                    break
                with sandbox:
                    for lang in args.languages:
                        rates[backend][lang][workers] = throughput(sandbox, lang, args.programs)
                        console.print(f"{backend:>6} {workers}w {lang:<10} {rates[backend][lang][workers]:7.1f}/s")
                    if workers == max(worker_counts):
                        humaneval[backend] = humaneval_wall(sandbox)
                        console.print(f"{backend:>6} {workers}w HumanEval 164 in {humaneval[backend]:.1f}s")
    for backend in skipped:
        backends.remove(backend)
        del rates[backend]

    table = Table(title=f"sandbox throughput, programs/s ({args.programs} per cell; ratio = bare / backend)")
    table.add_column("language")
    table.add_column("workers", justify="right")
    for backend in backends:
        table.add_column(backend, justify="right")
    for backend in backends[1:]:
        table.add_column(f"{backend}/bare", justify="right")
    ratios: dict[str, dict[str, dict[int, float]]] = {b: {} for b in backends[1:]}
    for lang in args.languages:
        for workers in worker_counts:
            row = [lang, str(workers), *(f"{rates[b][lang][workers]:.1f}" for b in backends)]
            for b in backends[1:]:
                ratio = rates["bare"][lang][workers] / rates[b][lang][workers]
                ratios[b].setdefault(lang, {})[workers] = ratio
                row.append(f"{ratio:.2f}x")
            table.add_row(*row)
    console.print(table)
    for backend, seconds in humaneval.items():
        console.print(f"HumanEval (164 canonical solutions, {max(worker_counts)} workers) on {backend}: {seconds:.1f}s")
    for backend, why in skipped.items():
        console.print(f"[yellow]skipped {backend}[/yellow]: {why}")
    if "python" in args.languages and "bwrap" in ratios:
        worst = max(ratios["bwrap"]["python"].values())
        verdict = "[green]met[/green]" if worst <= 1.5 else "[red]missed[/red]"
        console.print(f"target python bwrap <= 1.5x bare: worst {worst:.2f}x {verdict}")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "programs_per_cell": args.programs, "workers": worker_counts, "cpus": os.cpu_count(),
        "programs_per_s": rates, "overhead_ratio": ratios, "humaneval_wall_s": humaneval, "skipped": skipped,
    }, indent=2) + "\n")
    console.print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
