"""`filter` stages on Ray Data against the local path, on a generated set with planted near and
exact duplicates (plant_support.duplicate_set, 100k records by default) in JSONL shards:
the same kept and rejected records byte for byte (checked, not assumed), the planted copies found,
and the wall time of each path (Ray on a local cluster of two one-CPU nodes, started beforehand
and not timed).

    .venv/bin/python benchmarks/ray_filters.py [--records 100000] [--shards 16] [--stages dedup]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import ray
from coderforge.checklists.chain import build_chain
from rich.console import Console
from rich.table import Table

from coderforge.config import Config
from coderforge.executor.cluster import local_cluster
from coderforge.executor.config import ExecutorConfig
from coderforge.executor.ray_filters import run_sharded
from coderforge.io import dumps, read_jsonl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test suite's helpers
from plant_support import duplicate_set

RESULTS = Path(__file__).parent / "results" / "ray_filters.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--shards", type=int, default=16)
    parser.add_argument("--stages", default="parse,dedup")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    stages = args.stages.split(",")
    console = Console()
    records = duplicate_set(args.records, seed=0)
    planted = sum("planted_from" in r for r in records)
    with tempfile.TemporaryDirectory(prefix="cf-bench-") as tmp:
        folder = Path(tmp, "shards")
        folder.mkdir()
        size = -(-len(records) // args.shards)
        for k in range(args.shards):
            Path(folder, f"part-{k:04d}.jsonl").write_text(
                "".join(dumps(r) + "\n" for r in records[k * size:(k + 1) * size]))
        lines = [dumps(r) for r in records]

        start = time.perf_counter()
        result = asyncio.run(build_chain(Config().filters, stages=stages).run([json.loads(line) for line in lines]))
        local_s = time.perf_counter() - start
        local_kept = "".join(dumps(r) + "\n" for r in result.kept)
        local_rejected = "".join(dumps(r) + "\n" for r in result.rejected)

        with local_cluster(nodes=2, num_cpus=1, object_store_mb=500) as cluster:
            config = Config(executor=ExecutorConfig(kind="ray", address=cluster.address))
            start = time.perf_counter()
            sharded = run_sharded(config, inputs=sorted(folder.glob("*.jsonl")), stages=stages,
                                  out=Path(tmp, "kept"), rejected=Path(tmp, "rejected"), only_passing=True)
            ray_s = time.perf_counter() - start
            ray.shutdown()
        ray_kept = "".join(p.read_text() for p in sorted(Path(tmp, "kept").glob("*.jsonl")))
        ray_rejected = "".join(p.read_text() for p in sorted(Path(tmp, "rejected").glob("*.jsonl")))
        same = ray_kept == local_kept and ray_rejected == local_rejected
        cluster_of = {r["id"]: r["verdicts"][-1].get("cluster") for folder in ("kept", "rejected")
                      for p in Path(tmp, folder).glob("*.jsonl") for r in read_jsonl(p)}
    found = sum(1 for r in records if "planted_from" in r and cluster_of[r["id"]] == cluster_of[r["planted_from"]])
    table = Table("path", "records", "kept", "rejected", "seconds", title=f"{','.join(stages)} on {args.shards} shards")
    table.add_row("local (one process)", str(len(records)), str(len(result.kept)), str(len(result.rejected)),
                  f"{local_s:.1f}")
    table.add_row("ray (2 nodes x 1 CPU)", str(len(records)), str(sharded.kept), str(sharded.rejected), f"{ray_s:.1f}")
    console.print(table)
    console.print(f"identical outputs: {same}; planted copies in their original's cluster: {found}/{planted}; "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"records": len(records), "shards": args.shards, "stages": stages,
                                       "planted": planted, "planted_clustered_with_original": found, "identical": same,
                                       "local_s": local_s, "ray_s": ray_s, "kept": sharded.kept,
                                       "rejected": sharded.rejected, "load_average": os.getloadavg()[0]}, indent=2))
    console.print(f"wrote {args.output}")
    if not same:
        raise SystemExit("the Ray outputs differ from the local ones")


if __name__ == "__main__":
    main()
