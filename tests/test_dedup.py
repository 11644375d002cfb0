"""Near-dedup: exact copies after normalisation, MinHash LSH neighbours on real code, the
best-scored keeper, and `coderforge dedup`."""

from __future__ import annotations

import json

from coderforge.checklists.config import DedupConfig
from coderforge.checklists.dedup import Deduplicator
from plant_support import stdlib_functions
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.io import read_jsonl
from coderforge.records import add_verdict


def test_clusters_exact_and_near_duplicates_of_real_code() -> None:
    functions = stdlib_functions(300, min_chars=600)
    original = functions[0]
    lines = original.splitlines()
    edited = "\n".join([*lines[:-1], "    # one more comment line", lines[-1]])  # a small edit
    texts = [original, "  " + original.upper().replace("\n", "\n\n"), *functions[1:], edited]
    clusters = Deduplicator().cluster(texts)
    assert clusters.roots[1] == 0 and clusters.exact_of[1] == 0  # case and whitespace only
    assert clusters.roots[-1] == 0 and 0.7 <= clusters.similarity(0, len(texts) - 1) < 1.0
    others = clusters.roots[2:-1]
    merged = len(others) - len(set(others))
    assert merged <= len(others) * 0.02, merged  # distinct stdlib functions stay apart (overloads aside)


def test_keeps_the_best_scored_member_and_records_the_cluster() -> None:
    base = {"instruction": "Write a function that returns the n-th Fibonacci number using iteration.",
            "solution": "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n"}
    records = [dict(base, id="a"), dict(base, id="b"), dict(base, id="c", solution=base["solution"] + "\n# done\n"),
               {"id": "other", "instruction": "Parse a CSV line into fields.", "solution": "line.split(',')"}]
    add_verdict(records[1], stage="judge", passed=True, reason="good", total=8.5)
    add_verdict(records[0], stage="judge", passed=True, reason="ok", total=7.0)
    add_verdict(records[2], stage="judge", passed=True, reason="ok", total=9.0)
    add_verdict(records[2], stage="sandbox", passed=False, reason="failed", status="failed")
    Deduplicator(DedupConfig(threshold=0.6)).dedup_records(records)
    last = {r["id"]: r["verdicts"][-1] for r in records}
    assert last["b"]["passed"] and last["b"]["reason"] == "best-scored of a cluster of 3"
    assert not last["a"]["passed"] and last["a"]["duplicate_of"] == "b" and last["a"]["kind"] == "exact"
    assert not last["c"]["passed"] and last["c"]["kind"] == "near"  # higher judge total, but its tests fail
    assert {last[i]["cluster"] for i in "abc"} == {"a"} and last["a"]["cluster_size"] == 3
    assert last["other"] == {"stage": "dedup", "passed": True, "reason": "unique", "cluster": "other",
                             "cluster_size": 1}


def test_cli_splits_kept_and_duplicates(tmp_path) -> None:
    tasks = ["Compute the running maximum of a list of integers and return it as a new list.",
             "Parse an ISO 8601 date string and return the weekday name in English.",
             "Merge two sorted linked lists into one sorted list without allocating new nodes."]
    rows = [{"id": i, "instruction": tasks[i % 3], "solution": "..."} for i in range(6)]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = CliRunner().invoke(app, ["dedup", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "k.jsonl"),
                                      "--removed", str(tmp_path / "d.jsonl")])
    assert result.exit_code == 0, result.output
    kept, dupes = list(read_jsonl(tmp_path / "k.jsonl")), list(read_jsonl(tmp_path / "d.jsonl"))
    assert [r["id"] for r in kept] == [0, 1, 2] and sorted(r["id"] for r in dupes) == [3, 4, 5]
    assert {d["verdicts"][0]["duplicate_of"] for d in dupes} == {"0", "1", "2"}
