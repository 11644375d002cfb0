"""Ray scaling of generate's sandbox-bound work: HumanEval's programs (canonical solution + tests,
run in bwrap) sent one per call, as a generate shard sends its candidates, to the one-CPU sandbox
actors the Ray executor starts (`RemoteSandbox` over `SandboxActor`s, SPREAD over the nodes), on a
local Ray cluster of 1 and of 2 worker nodes with one CPU each; against the local executor's
Sandbox with one worker (one node's CPU), and with as many workers as the 2-node cluster has CPUs.

Targets (issue 16): 2 nodes >= 1.7x of 1 node; Ray at one node >= 0.9x of local at one worker.
On a machine whose cores other work keeps busy, the second node adds no real cores: read the
numbers with the machine's load (printed).

    .venv/bin/python benchmarks/ray_scaling.py [--repeat 2] [--output benchmarks/results/ray_scaling.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from coderforge.sandbox import Program, Sandbox, SandboxConfig, Status
from rich.console import Console
from rich.table import Table

from coderforge.executor.cluster import local_cluster
from coderforge.executor.ray_generate import RemoteSandbox, SandboxActor

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test suite's helpers
from humaneval_support import humaneval_programs

RESULTS = Path(__file__).parent / "results" / "ray_scaling.json"


def _programs(repeat: int) -> list[Program]:
    return [Program(f"{p.id}#{k}", p.language, p.code) for k in range(repeat) for p in humaneval_programs()]


async def _one_by_one(sandbox: object, programs: Sequence[Program]) -> float:
    """Seconds to run every program, each its own call, all in flight at once (as shards do)."""
    start = time.perf_counter()
    results = await asyncio.gather(*(sandbox.aexecute([p]) for p in programs))  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - start
    failed = [r for (r,) in results if r.status is not Status.passed]
    if failed:
        raise RuntimeError(f"{len(failed)} HumanEval programs did not pass; first: {failed[0].status} "
                           f"{failed[0].stderr[:300]}")
    return elapsed


def local(programs: Sequence[Program], *, workers: int) -> float:
    with Sandbox(SandboxConfig(workers=workers)) as sandbox:
        sandbox.execute(programs[:2])  # warm
        return asyncio.run(_one_by_one(sandbox, programs))


def on_ray(programs: Sequence[Program], *, nodes: int) -> float:
    import ray

    with local_cluster(nodes=nodes, num_cpus=1, object_store_mb=300) as cluster:
        ray.init(address=cluster.address, log_to_driver=False, configure_logging=False)
        try:
            actors = [ray.remote(SandboxActor).options(num_cpus=1, scheduling_strategy="SPREAD").remote(SandboxConfig())
                      for _ in range(nodes)]
            ray.get([a.aexecute.remote(list(programs[:2])) for a in actors])  # started and warm
            return asyncio.run(_one_by_one(RemoteSandbox(actors), programs))
        finally:
            ray.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2, help="copies of HumanEval's 164 programs")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    programs = _programs(args.repeat)
    load_before = os.getloadavg()[0]
    seconds = {
        "local, 1 worker": local(programs, workers=1),
        "ray, 1 node x 1 CPU": on_ray(programs, nodes=1),
        "ray, 2 nodes x 1 CPU": on_ray(programs, nodes=2),
        "local, 2 workers": local(programs, workers=2),
    }
    load_after = os.getloadavg()[0]
    rate = {name: len(programs) / s for name, s in seconds.items()}
    ratios = {"ray 2 nodes / ray 1 node": rate["ray, 2 nodes x 1 CPU"] / rate["ray, 1 node x 1 CPU"],
              "ray 1 node / local 1 worker": rate["ray, 1 node x 1 CPU"] / rate["local, 1 worker"],
              "ray 2 nodes / local 2 workers": rate["ray, 2 nodes x 1 CPU"] / rate["local, 2 workers"]}
    table = Table("setup", "programs", "seconds", "programs/s", title="sandbox-bound work: local vs Ray")
    for name, s in seconds.items():
        table.add_row(name, str(len(programs)), f"{s:.1f}", f"{rate[name]:.2f}")
    table.add_section()
    for name, ratio in ratios.items():
        table.add_row(name, "", "", f"{ratio:.2f}x")
    console = Console()
    console.print(table)
    console.print(f"machine: {os.cpu_count()} cores, load average {load_before:.1f} before, {load_after:.1f} after")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"programs": len(programs), "seconds": seconds, "programs_per_s": rate,
                                       "ratios": ratios, "cores": os.cpu_count(),
                                       "load_average": [load_before, load_after]}, indent=2))
    console.print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
