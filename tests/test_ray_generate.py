"""`coderforge generate` on a real two-node Ray cluster with the bundled model: shards as Ray tasks,
the memory graph as a named actor, the engine and the sandboxes as actors. The same event ids and
counts as the local executor on the same config, and a shard worker SIGKILLed mid-run loses and
duplicates nothing: Ray reruns the shard from its log, and a rerun of the command redoes nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from coderforge.executor.cluster import LocalCluster
from coderforge.executor.ray_generate import Shard, plan_shards
from coderforge.io import read_jsonl

ROOT = Path(__file__).resolve().parent.parent
QUICKSTART = ROOT / "examples" / "quickstart.yaml"


def _config(tmp_path: Path, name: str, executor: dict) -> Path:
    """The quickstart cut to one language, one shard of two slots worked one at a time, no judge, on
    the fast bundled SmolLM2 (this checks the executor's bookkeeping, not the data)."""
    data = yaml.safe_load(QUICKSTART.read_text())
    data["backend"] = {"kind": "transformers", "model": "bundled", "transformers": {"threads": 1}}
    data["generate"].update(languages=["python"], instructions_per_language=2, seeds_per_language=1, candidates=1,
                            repair_rounds=0, tasks_in_flight=1)
    data["filters"]["stages"] = ["parse", "dedup", "decontam", "sandbox"]
    # A seed of its own: SmolLM2 gives no concept for some installed ones (then no task runs, and no
    # worker is there to kill), and which one comes first changes with the machine's files.
    corpus = tmp_path / "corpus.py"
    corpus.write_text('def word_counts(text):\n    """Count how often each word occurs in text."""\n'
                      "    counts = {}\n    for word in text.split():\n        counts[word] = counts.get(word, 0) + 1\n"
                      "    return counts\n")
    data["generate"]["corpus"] = {"python": [str(corpus)]}
    data["executor"] = executor
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _generate(config: Path, out: Path) -> subprocess.Popen[str]:
    entry = str(Path(sys.executable).with_name("coderforge"))
    return subprocess.Popen([entry, "generate", "--config", str(config), "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "COLUMNS": "200"})


def _finish(proc: subprocess.Popen[str]) -> str:
    output, _ = proc.communicate(timeout=900)
    assert proc.returncode == 0, output[-4000:]
    return output


def _events(out: Path) -> list[dict]:
    logs = sorted((out / "shards").glob("*.jsonl")) if (out / "shards").is_dir() else [out / "events.jsonl"]
    return [e for path in logs for e in read_jsonl(path)]


def _shard_workers() -> list[int]:
    """Pids of Ray worker processes running a generate shard (Ray titles them after the task)."""
    import psutil

    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if cmdline.startswith("ray::_run_shard"):
            found.append(proc.pid)
    return found


@pytest.mark.slow
@pytest.mark.ray
def test_generate_on_ray_matches_local_and_survives_a_killed_worker(
        tmp_path: Path, bundled_model: Path, ray_cluster: LocalCluster) -> None:
    local_out, ray_out = tmp_path / "local", tmp_path / "ray"
    # The local reference runs beside the Ray run (their idle moments overlap), and is awaited at the end.
    local = _generate(_config(tmp_path, "local", {"kind": "local"}), local_out)

    # Two engine replicas: every request goes to one of them, and the outputs are the local run's.
    config = _config(tmp_path, "ray", {"kind": "ray", "address": ray_cluster.address, "shard_slots": 2,
                                       "engine_replicas": 2})
    proc = _generate(config, ray_out)
    shard_log = ray_out / "shards" / "python-00000-00002.jsonl"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        if shard_log.is_file() and '"event": "task"' in shard_log.read_text():
            break
        time.sleep(0.2)
    workers = _shard_workers()
    assert proc.poll() is None and workers, f"the run ended before a worker could be killed:\n{proc.communicate()[0]}"
    before = shard_log.read_text()
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    output = proc.communicate(timeout=900)[0]
    if proc.returncode != 0:  # Ray's retries ran out: the command says so, and a rerun finishes the run
        assert "error" in output.lower(), output[-3000:]
        _finish(_generate(config, ray_out))

    _finish(local)
    after = shard_log.read_text()
    assert after.startswith(before.rstrip("\n").rsplit("\n", 1)[0]), "what was logged before the kill is kept"
    events = _events(ray_out)
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids)), "no event is logged twice"
    assert sorted(ids) == sorted(e["id"] for e in _events(local_out)), "the same events as the local run"
    local_funnel = json.loads((local_out / "funnel.json").read_text())["languages"]["python"]
    ray_funnel = json.loads((ray_out / "funnel.json").read_text())["languages"]["python"]
    for count in ("seeds", "seeds_with_concepts", "tasks"):
        assert ray_funnel[count] == local_funnel[count], count
    # Both replicas ran; which answered what depends on the shards' own turns (a run this small may make
    # each shard attempt's first call only: all to one replica). Turn-taking has its own test below.
    [engine] = json.loads((ray_out / "funnel.json").read_text())["provenance"]["engine_requests"]
    assert len(engine["requests"]) == 2 and sum(engine["requests"]) > 0, engine
    tasks = [e for e in events if e["event"] == "task"]
    assert sorted(t["slot"] for t in tasks) == [0, 1]
    assert all(len(t["candidates"]) in (0, 1) for t in tasks)

    # A rerun finds every shard finished: nothing is generated again, the outputs are rebuilt the same.
    outputs = {p: p.read_bytes() for p in ray_out.rglob("*.jsonl")}
    _finish(_generate(config, ray_out))
    assert {p: p.read_bytes() for p in ray_out.rglob("*.jsonl")} == outputs


def test_shards_cover_every_slot_once_in_language_then_slot_order() -> None:
    shards = plan_shards(["python", "go"], budget=5, shard_slots=2)
    assert [(s.language, s.start, s.stop) for s in shards] == [
        ("python", 0, 2), ("python", 2, 4), ("python", 4, 5), ("go", 0, 2), ("go", 2, 4), ("go", 4, 5)]
    assert shards[0].name == "python-00000-00002" and Shard("go", 0, 0).name == "go-concepts"


def test_a_run_folder_is_resumed_by_the_executor_that_made_it(tmp_path: Path) -> None:
    import asyncio

    from coderforge.config import Config
    from coderforge.errors import CoderforgeError
    from coderforge.executor.ray_generate import RayGenerateRun
    from coderforge.generate_run import GenerateRun

    (tmp_path / "ray" / "shards").mkdir(parents=True)
    with pytest.raises(CoderforgeError, match=r"executor\.kind ray"):
        asyncio.run(GenerateRun(Config(), tmp_path / "ray").run())
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "events.jsonl").write_text("")
    with pytest.raises(CoderforgeError, match=r"executor\.kind local"):
        asyncio.run(RayGenerateRun(Config(), tmp_path / "local").run())


class _Actor:
    """An actor handle stand-in: `method.remote(...)` is awaitable and holds until released."""

    def __init__(self) -> None:
        self.calls = 0
        self.release = None

    @property
    def work(self):
        async def remote(*args):
            self.calls += 1
            if self.release is not None:
                await self.release.wait()
            return args

        return type("Method", (), {"remote": staticmethod(remote)})


def test_calls_go_to_the_least_busy_replica_taking_ties_in_turn() -> None:
    import asyncio

    from coderforge.executor.engines import LeastBusy

    actors = [_Actor(), _Actor(), _Actor()]
    spread = LeastBusy(actors, offset=1)

    async def scenario() -> None:
        for _ in range(6):  # one call at a time: each replica in turn, from the offset on
            await spread.call("work")
        assert [a.calls for a in actors] == [2, 2, 2]
        actors[1].release = asyncio.Event()  # replica 1, next in turn, hangs on its call
        hung = asyncio.ensure_future(spread.call("work"))
        await asyncio.sleep(0)
        for _ in range(4):
            await spread.call("work")
        assert [a.calls for a in actors] == [4, 3, 4], "a busy replica gets nothing until it is free"
        actors[1].release.set()
        await hung

    asyncio.run(scenario())


def test_a_cluster_without_a_cpu_for_the_sandbox_is_refused_before_any_actor_starts(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from coderforge.config import Config
    from coderforge.errors import CoderforgeError
    from coderforge.executor.ray_generate import RayGenerateRun

    two_cpus = SimpleNamespace(cluster_resources=lambda: {"CPU": 2.0})
    for executor, why in (({"engine_replicas": 2}, "2 for engine actors leave 0"),
                          ({"sandbox_actors": 3}, "leave 1 for the 3 sandbox")):
        config = Config.model_validate({"executor": {"kind": "ray", **executor}})
        with pytest.raises(CoderforgeError, match=why):
            RayGenerateRun(config, tmp_path)._start_engines(two_cpus)


def test_vllm_engines_are_planned_one_per_tensor_parallel_group_of_gpus() -> None:
    # The placement decision a GPU cluster gets (CI has no GPU: the actors themselves start on CPUs).
    from types import SimpleNamespace

    from coderforge.errors import ConfigError
    from coderforge.executor.engines import replica_plan
    from coderforge.llm.config import BackendConfig

    def cluster(gpus: int) -> SimpleNamespace:
        return SimpleNamespace(cluster_resources=lambda: {"CPU": 64.0, "GPU": float(gpus)})

    vllm = BackendConfig.model_validate({"kind": "vllm", "model": "m", "vllm": {"tensor_parallel_size": 2}})
    hf = BackendConfig.model_validate({"kind": "transformers", "model": "m"})
    assert replica_plan(cluster(16), vllm, None) == (8, 2), "16 GPUs, TP 2: 8 engines of 2 GPUs"
    with pytest.raises(ConfigError, match="tensor_parallel_size 2 needs 2 GPUs for one engine; the Ray cluster has 1"):
        replica_plan(cluster(1), vllm, None)  # else the engine actor would wait for ever
    assert replica_plan(cluster(16), vllm, 3) == (3, 2), "the configured count wins"
    assert replica_plan(cluster(0), vllm, None) == (1, 0), "no GPU: one engine on the CPU"
    assert replica_plan(cluster(8), hf, None) == (1, 0), "transformers engines never ask for GPUs"
