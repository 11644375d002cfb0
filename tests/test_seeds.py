"""Seed extraction on real installed sources, and the `coderforge seeds` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sources_support import real_sources
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.code.config import SeedConfig
from coderforge.code.corpus import SkipCounter
from coderforge.code.seeds import extract_seeds, seed_id
from coderforge.code.syntax import nothing_to_compute
from coderforge.code.tokens import TokenCounter, load_token_counter

SOURCE = '''import math
from typing import List


def hypot(a, b):
    """Length of the hypotenuse."""
    return math.sqrt(a * a + b * b)


# Sum of squares of the items.
def squares(items: List[int]) -> int:
    return sum(x * x for x in items)


class Box:
    """A box."""

    def volume(self):
        return self.w * self.h * self.d * hypot(1, 2)

    def tiny(self):
        pass
'''


@pytest.fixture(scope="module")
def counter(bundled_model: Path) -> TokenCounter:
    return load_token_counter(str(bundled_model))


def test_extract_seeds_fields_and_bounds(counter: TokenCounter) -> None:
    skipped = SkipCounter()
    seeds = extract_seeds(SOURCE, "python", path="geo.py", counter=counter, config=SeedConfig(min_tokens=12),
                          skipped=skipped)
    by_name = {s["name"]: s for s in seeds}
    assert set(by_name) == {"hypot", "squares", "Box", "volume"}
    assert skipped["too_few_tokens"] == 1  # tiny()
    hypot = by_name["hypot"]
    assert hypot["kind"] == "function" and hypot["docstring"] == "Length of the hypotenuse."
    assert (hypot["start_line"], hypot["end_line"]) == (5, 7)
    assert hypot["self_contained"] and hypot["imports"] == ["import math"]
    assert hypot["tokens"] == counter.count(hypot["code"])
    assert hypot["id"] == seed_id(hypot["code"]) and hypot["parses"]
    squares = by_name["squares"]
    assert squares["code"].startswith("# Sum of squares") and squares["docstring"] == "Sum of squares of the items."
    assert squares["self_contained"] and squares["imports"] == ["from typing import List"]
    volume = by_name["volume"]
    assert volume["kind"] == "method" and volume["code"].startswith("def volume(self):")  # dedented
    assert not volume["self_contained"]
    assert volume["needs"] == ["hypot (defined elsewhere in the file)", "its class (uses the receiver)"]
    few = extract_seeds(SOURCE, "python", path="geo.py", counter=counter, skipped=SkipCounter(),
                        config=SeedConfig(min_tokens=1, max_tokens=20, kinds=["function"], require_doc=True))
    assert [s["name"] for s in few] == []
    assert seed_id("def f():\n    pass   \n") == seed_id("def f():\n    pass\n")


TESTABLE = {  # (file text, the names of its testable functions)
    "python": ("import os\nimport time\n\ndef mean(xs):\n    return sum(xs) / len(xs)\n\n"
               "def home():\n    return os.environ['HOME']\n\ndef show(x):\n    print(x)\n\n"
               "class Box:\n    def get(self):\n        return self.v\n\n"
               # Nothing to compute (a constant; a builtin's work), or a result that changes call to call.
               "def answer():\n    return 42\n\ndef biggest(xs):\n    return max(xs)\n\n"
               "def due(t):\n    return time.monotonic() > t\n", ["mean"]),
    "javascript": ("const LIMIT = 3;\nconst clamp = (x) => Math.min(x, 10) | 0;\n"
                   "const bold = (s) => String.raw(s);\nconst stamp = (x) => Date.now() - x;\n"
                   "function capped(x) {\n  return Math.min(x, LIMIT);\n}\n"
                   "function load(p) {\n  return require('fs').readFileSync(p);\n}\n", ["clamp"]),
    "cpp": ("#include <cstddef>\ninline std::size_t mix(std::size_t a, std::size_t b) {\n  return a ^ (b << 6);\n}\n"
            "std::size_t __hash_impl(std::size_t a) {\n  return a * 31;\n}\nstruct S {\n  int n_;\n"
            "  int size() const { return n_; }\n};\nvoid log_it(int x) {\n  x += 1;\n}\n"
            "static const char* type_name() { return \"null\"; }\nint forward(int x) { return mix(x, x); }\n", ["mix"]),
}


@pytest.mark.parametrize("language", sorted(TESTABLE))
def test_testable_seeds_are_functions_a_task_can_be_tested_on_alone(language: str, counter: TokenCounter) -> None:
    text, names = TESTABLE[language]
    config = SeedConfig(min_tokens=1, testable=True)
    seeds = extract_seeds(text, language, path="f", counter=counter, config=config, skipped=SkipCounter())
    assert [s["name"] for s in seeds] == names
    assert len(extract_seeds(text, language, path="f", counter=counter, config=SeedConfig(min_tokens=1),
                             skipped=SkipCounter())) > len(names), "without the option the others stay"



@pytest.mark.parametrize(("language", "code", "why"), [
    ("python", "def f(cls_name, value):\n    return type(cls_name, (), {})._reconstruct(value)\n",
     "it only calls type(cls_name, (), {})._reconstruct"),
    ("python", 'def f(s, *args):\n    """Parse."""\n    from email.parser import Parser\n'
               "    return Parser(*args).parsestr(s)\n", "it only calls Parser(*args).parsestr"),
    ("python", "def f(x):\n    return 1\n", "it uses none of its arguments"),
    ("python", "def f(x):\n    return x.is_finite()\n", None),           # a call on the argument computes
    ("python", "def f(xs):\n    return max(xs[1:])\n", None),              # work before the call
    ("javascript", "const f = s => chalk.magenta.bold(s)\n", "it only calls chalk.magenta.bold"),
    ("javascript", "const f = p => p.split('\\\\').join('/')\n", None),
    ("javascript", "const f = (a, b) => a && b === a\n", None),
    ("cpp", 'static constexpr const char* f() { return "null"; }\n', "it takes no arguments"),
    ("cpp", "int f(const S& s) { return ::check(s); }\n", "it only calls ::check"),
    ("cpp", "double f(C c) {\n  return c.real();\n}\n", None),
    ("cpp", "long f(long a, long b) {\n  return std::max(a * 2, b);\n}\n", None),
    ("c", "int f(void) { return 3; }\n", "it takes no arguments"),
    ("go", "func f(a int) int { return abs(a) }\n", "it only calls abs"),
    ("rust", "fn f(a: i32) -> i32 { a * 2 }\n", None),
])
def test_nothing_to_compute(language: str, code: str, why: str | None) -> None:
    """A seed whose task would have nothing to compute: no arguments, none used, or only handed on."""
    assert nothing_to_compute(code, language) == why


@pytest.mark.parametrize("language", ["python", "go", "java", "javascript", "ruby", "rust"])
def test_real_sources_give_seeds(language: str, counter: TokenCounter) -> None:
    seeds = []
    for f in real_sources(language, limit=6, seed=4):
        seeds += extract_seeds(f.text, language, path=f.path, counter=counter, config=SeedConfig(),
                               skipped=SkipCounter())
    assert len(seeds) >= 5
    for s in seeds:
        assert 16 <= s["tokens"] <= 1024 and s["code"].strip() and s["name"]
        assert s["start_line"] <= s["end_line"]
    assert any(s["self_contained"] for s in seeds)


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "pkg").mkdir(parents=True)
    (corpus / "pkg" / "geo.py").write_text(SOURCE)
    (corpus / "pkg" / "copy.py").write_text(SOURCE)  # exact duplicates
    (corpus / "main.go").write_text('package main\n\nimport "fmt"\n\n// Greet prints a greeting for name.\n'
                                    'func Greet(name string) {\n\tfmt.Println("hello", name, len(name))\n}\n')
    (corpus / "blob.py").write_bytes(b"\x00\x01binary")
    (corpus / "latin.py").write_bytes(b"caf\xe9 = 1\n")
    (corpus / "gone.py").symlink_to(tmp_path / "missing")
    (corpus / "notes.txt").write_text("not code")
    return corpus


def test_seeds_command_dedups_resumes_and_counts_bad_files(tmp_path: Path, bundled_model: Path) -> None:
    corpus, out = _corpus(tmp_path), tmp_path / "seeds.jsonl"
    args = ["seeds", str(corpus), "--out", str(out), "--tokenizer", str(bundled_model), "--min-tokens", "8"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len({r["id"] for r in records}) == len(records)
    assert {(r["language"], r["name"]) for r in records} >= {("python", "hypot"), ("go", "Greet")}
    assert sum(r["name"] == "hypot" for r in records) == 1  # the copy was deduplicated
    assert "binary 1" in result.output and "undecodable 1" in result.output
    assert "outside_corpus 1" in result.output  # gone.py, a link out of the corpus
    go = next(r for r in records if r["name"] == "Greet")
    assert go["docstring"] == "Greet prints a greeting for name." and go["self_contained"]
    # A run killed mid-write leaves a torn line: the rerun drops it and writes only what is missing.
    text = out.read_text()
    out.write_text(text[: len(text) - len(text.splitlines()[-1]) // 2 - 1])
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert [json.loads(line) for line in out.read_text().splitlines()] == records
    only_go = tmp_path / "go.jsonl"
    CliRunner().invoke(app, [*args[:3], str(only_go), *args[4:], "--lang", "golang"])
    assert {json.loads(line)["language"] for line in only_go.read_text().splitlines()} == {"go"}


def test_seeds_command_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["seeds", str(tmp_path / "nope"), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1 and "does not exist" in result.output
    result = CliRunner().invoke(app, ["seeds", str(tmp_path), "--out", str(tmp_path / "o.jsonl"),
                                      "--min-tokens", "50", "--max-tokens", "10"])
    assert result.exit_code == 2 and "min_tokens" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    result = CliRunner().invoke(app, ["seeds", str(tmp_path), "--out", str(bad), "--tokenizer", str(tmp_path)])
    assert result.exit_code == 1 and "tokenizer" in result.output
