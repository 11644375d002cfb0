"""Held-out labelled code for judge calibration: one-token mutants, and labels that come from
running the tests in the real sandbox (bubblewrap), on a small HumanEval-X-format set written here."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest
from coderforge.checklists.heldout import HeldoutError, heldout_records, mutate
from sandbox_support import config_for, require_backend
from typer.testing import CliRunner

from coderforge.cli import app

PYTHON = [
    {"task_id": "Python/0", "entry_point": "count_evens",
     "prompt": 'def count_evens(xs):\n    """How many numbers in xs are even."""\n',
     "canonical_solution": "    return sum(1 for x in xs if x % 2 == 0)\n",
     "test": "def check(candidate):\n    assert candidate([1, 2, 4]) == 2\n    assert candidate([]) == 0\n"},
    {"task_id": "Python/1", "entry_point": "doubled_positives",
     "prompt": 'def doubled_positives(xs):\n    """Twice each positive number in xs, in order."""\n',
     "canonical_solution": "    return [x * 2 for x in xs if x > 0]\n",
     "test": "def check(candidate):\n    assert candidate([0, 1, -3, 2]) == [2, 4]\n"},
]
# HumanEval-X's JavaScript tests use console.assert, which only prints in node: the mutant must still fail.
JAVASCRIPT = [
    {"task_id": "JavaScript/0",
     "prompt": "/* The sum of a and b. */\nconst add = (a, b) => {\n",
     "canonical_solution": "  return a + b;\n}\n",
     "test": "const testAdd = () => {\n  console.assert(add(2, 3) === 5)\n  console.assert(add(-1, 1) === 0)\n}\n"
             "testAdd()\n"},
]


def _write(folder: Path, name: str, rows: list[dict]) -> None:
    with gzip.open(folder / name, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in rows)


def test_a_mutant_differs_from_its_source_by_one_token() -> None:
    code = "    if x < lo:\n        return lo\n"
    for seed in range(20):
        mutant = mutate(code, random.Random(seed))
        assert mutant is not None and mutant != code
        assert abs(len(mutant) - len(code)) <= 1
        assert sum(a != b for a, b in zip(code.split(), mutant.split(), strict=True)) == 1
    assert mutate("    pass\n", random.Random(0)) is None
    assert mutate(code, random.Random(3)) == mutate(code, random.Random(3))  # reproducible


def test_labels_come_from_running_the_tests(tmp_path: Path) -> None:
    require_backend("bwrap")
    _write(tmp_path, "humaneval_python.jsonl.gz", PYTHON)
    _write(tmp_path, "humaneval_js.jsonl.gz", JAVASCRIPT)
    records = heldout_records(source=tmp_path, languages=["python", "javascript"], per_language=2, seed=1,
                              sandbox=config_for("bwrap", tmp_path))
    assert sorted(r["id"] for r in records) == sorted(
        f"{t}/{k}" for t in ("Python/0", "Python/1", "JavaScript/0") for k in ("canonical", "mutant"))
    for r in records:
        (ran,) = r["verdicts"]
        assert ran["stage"] == "sandbox"
        assert r["solution"].startswith(r["instruction"].split("\n\n", 1)[1])
        # canonical answers pass; every mutation of these answers breaks a tested behaviour
        assert ran["status"] == ("passed" if r["answer_kind"] == "canonical" else "failed"), r


def test_a_missing_benchmark_file_is_named(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["judge", "heldout", str(tmp_path / "out.jsonl"), "--source", str(tmp_path),
                                      "--languages", "python"])
    assert result.exit_code == 1
    assert "humaneval_python.jsonl.gz is missing" in " ".join(result.output.split())
    with pytest.raises(HeldoutError, match="no HumanEval-X file for 'cobol'"):
        heldout_records(source=tmp_path, languages=["cobol"], per_language=1, sandbox=config_for("bwrap", tmp_path))
    assert not (tmp_path / "out.jsonl").exists()
