"""`coderforge generate` end to end: a real model, the real sandbox and grammars, a real SIGKILL in the
middle of a run and a resume that loses and duplicates nothing (on the fast SmolLM2: this checks the
run's bookkeeping, not the data). Plus quick CLI checks."""

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
from shared_data import PACKAGED_DECONTAM
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.io import read_jsonl
from coderforge.outputs import validate_record


def _small_config(tmp_path: Path) -> Path:
    """One Python pool with a tiny budget on the bundled SmolLM2 (transformers backend)."""
    data = {
        "backend": {"kind": "transformers", "model": "bundled", "transformers": {"threads": 1}},
        "generate": {"languages": ["python"], "instructions_per_language": 2, "seeds_per_language": 2,
                     "tasks_in_flight": 2, "candidates": 2,
                     "roles": {"instruction": {"max_tokens": 160}, "review": {"max_tokens": 96},
                               "tests": {"max_tokens": 160}, "solution": {"max_tokens": 160},
                               "repair": {"max_tokens": 160}}},
        "code": {"seeds": {"max_tokens": 200}},
        "filters": {"stages": ["parse", "dedup", "decontam", "sandbox"], "decontam": PACKAGED_DECONTAM},
    }
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _generate(config: Path, out: Path) -> subprocess.Popen[str]:
    # The installed entry point next to this interpreter (a venv's bin/).
    entry = str(Path(sys.executable).with_name("coderforge"))
    command = [entry, "generate", "--config", str(config), "--out", str(out)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "COLUMNS": "200"})


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True) if path.exists() else []


@pytest.mark.slow
def test_generate_survives_kill_and_resumes_without_loss_or_duplicates(tmp_path: Path, bundled_model: Path) -> None:
    config, out = _small_config(tmp_path), tmp_path / "run"
    events = out / "events.jsonl"
    proc = _generate(config, out)
    deadline = time.monotonic() + 600
    # Kill it mid-run: after the first task is logged and before the run ends.
    while time.monotonic() < deadline and proc.poll() is None:
        if any('"event": "task"' in line for line in _lines(events)):
            break
        time.sleep(0.2)
    assert proc.poll() is None, f"the run ended before it could be killed:\n{proc.communicate()[0][-3000:]}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = [line for line in _lines(events) if line.endswith("\n")]
    assert before, "events were logged before the kill"

    resumed = _generate(config, out)
    output, _ = resumed.communicate(timeout=900)
    assert resumed.returncode == 0, output[-3000:]
    assert "funnel" in output

    after = _lines(events)
    assert after[: len(before)] == before, "nothing logged before the kill was lost or rewritten"
    logged = [json.loads(line) for line in after]
    ids = [e["id"] for e in logged]
    assert len(ids) == len(set(ids)), "no event is logged twice"
    tasks = [e for e in logged if e["event"] == "task"]
    assert sorted(t["id"] for t in tasks) == sorted(
        f"task:python-{slot:05d}" for slot in range(2))

    funnel = json.loads((out / "funnel.json").read_text())
    counts = funnel["languages"]["python"]
    assert counts["tasks"] == 2 and counts["seeds"] >= 1
    assert counts["candidates"] >= counts["parsed"] >= counts["tests_pass"] >= counts["accepted"]
    # Every dropped item is accounted for with its reason.
    rejected = list(read_jsonl(out / "rejected.jsonl"))
    candidates = sum(len(t["candidates"]) for t in tasks)
    accepted = sum(bool(c.get("accepted")) for t in tasks for c in t["candidates"])
    assert sum(r["item"] == "candidate" for r in rejected) == candidates - accepted
    assert counts["instructions_kept"] <= counts["instructions"] <= counts["tasks"]
    # The resumed session wrote the second task: its roles' requests and tokens are in the provenance.
    used = funnel["provenance"]["tokens_this_session"]
    assert used and all(u["requests"] >= 1 and u["prompt_tokens"] > 0 for u in used.values()), used
    assert sum(u["completion_tokens"] for u in used.values()) > 0, used
    assert all(r["reason"] for r in rejected)

    import datasets

    files = sorted(p for p in out.rglob("*.jsonl") if p.name != "events.jsonl")
    assert out / "rejected.jsonl" in files and any(p.parent.name == "fim" for p in files)
    for path in files:
        kind = "rejected" if path.name == "rejected.jsonl" else path.relative_to(out).parts[0]
        records = list(read_jsonl(path))
        for record in records:
            validate_record(kind, record)
        assert len({r["id"] for r in records}) == len(records), f"duplicates in {path}"
        loaded = datasets.load_dataset("json", data_files=str(path), split="train")
        assert loaded.num_rows == len(records)
    card = (out / "README.md").read_text()
    assert "| accepted |" in card and (out / "plots" / "coverage.png").is_file()

    stats = CliRunner().invoke(app, ["graph", "stats", str(out)])
    assert stats.exit_code == 0 and "coverage" in stats.output


def test_graph_stats_on_a_folder_without_a_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["graph", "stats", str(tmp_path)])
    assert result.exit_code == 1 and "no memory graph" in result.output


def test_generate_rejects_a_bad_config(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("generate:\n  languages: [klingon]\n")
    result = CliRunner().invoke(app, ["generate", "--config", str(bad), "--out", str(tmp_path / "run")])
    assert result.exit_code == 2 and "klingon" in result.output
    assert not (tmp_path / "run").exists()
