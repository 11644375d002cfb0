"""FIM samples: format, syntactic and random middles, truncation to a token budget, repo-level
documents and instruction samples, on real installed sources; hypothesis for reconstruction."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sources_support import real_sources

from coderforge.code import fim
from coderforge.code.blocks import extract_code_blocks
from coderforge.code.config import FimConfig, UnitWeights
from coderforge.code.fim import (
    HOLE,
    FimSkipped,
    RepoFile,
    build_fim_sample,
    build_repo_sample,
    fim_instruction_sample,
    format_fim,
)
from coderforge.code.installed import installed_languages, sample_sources
from coderforge.code.special_tokens import ENDOFTEXT, FILE_SEP, FIM_MIDDLE, FIM_PREFIX, FIM_SUFFIX, REPO_NAME
from coderforge.code.syntax import parse
from coderforge.code.tokens import TokenCounter, load_token_counter

CODE = '''import math


def area(r):
    """Area of a circle."""
    if r < 0:
        raise ValueError("negative radius")
    return math.pi * r * r


class Shape:
    def scale(self, k):
        for i in range(k):
            self.size = self.size * 2
        return self
'''


@pytest.fixture(scope="module")
def counter(bundled_model) -> TokenCounter:
    return load_token_counter(str(bundled_model))


def test_format_psm_and_spm() -> None:
    assert format_fim("P", "M", "S", order="psm") == f"{FIM_PREFIX}P{FIM_SUFFIX}S{FIM_MIDDLE}M{ENDOFTEXT}"
    assert format_fim("P", "M", "S", order="spm") == f"{FIM_PREFIX}{FIM_SUFFIX}S{FIM_MIDDLE}PM{ENDOFTEXT}"


@pytest.mark.parametrize("kind", ["function_body", "block", "statement", "expression", "line_span"])
def test_each_unit_kind_can_be_chosen_alone(kind: str) -> None:
    weights = UnitWeights(**{k: (1.0 if k == kind else 0.0) for k in UnitWeights.model_fields})
    config = FimConfig(random_span_rate=0.0, unit_weights=weights)
    for seed in range(5):
        sample = build_fim_sample(CODE, "python", rng=random.Random(seed), config=config)
        assert sample.unit == kind
        assert sample.prefix + sample.middle + sample.suffix == CODE
        assert sample.window == (0, len(CODE))
        assert sample.text == format_fim(sample.prefix, sample.middle, sample.suffix, order="psm")
        if kind != "expression":  # whole lines
            assert sample.prefix == "" or sample.prefix.endswith("\n")
            assert sample.middle.endswith("\n") or sample.suffix == ""


def test_function_body_middle_is_the_body() -> None:
    config = FimConfig(random_span_rate=0.0, unit_weights=UnitWeights(
        function_body=1, block=0, statement=0, expression=0, line_span=0))
    bodies = {build_fim_sample(CODE, "python", rng=random.Random(s), config=config).middle for s in range(20)}
    assert '    """Area of a circle."""\n    if r < 0:\n        raise ValueError("negative radius")\n' \
           '    return math.pi * r * r\n' in bodies


def test_random_spans_and_orders() -> None:
    config = FimConfig(random_span_rate=1.0, max_middle_chars=50, spm_rate=1.0)
    sample = build_fim_sample(CODE, "python", rng=random.Random(1), config=config, order="mix")
    assert sample.unit == sample.node_type == "random_span"
    assert sample.order == "spm" and 1 <= len(sample.middle) <= 50
    expected = f"{FIM_PREFIX}{FIM_SUFFIX}{sample.suffix}{FIM_MIDDLE}{sample.prefix}{sample.middle}{ENDOFTEXT}"
    assert sample.text == expected


def test_files_with_local_parse_errors_get_middles_from_error_free_subtrees() -> None:
    broken = "def bad(:\n    return\n\n\n"
    code = broken + CODE
    assert not parse(code, "python").ok
    config = FimConfig(random_span_rate=0.0)
    units = set()
    for seed in range(30):
        sample = build_fim_sample(code, "python", rng=random.Random(seed), config=config)
        assert sample.prefix + sample.middle + sample.suffix == code
        units.add(sample.unit)
        if sample.unit != "line_span":  # a syntactic middle never holds the error
            assert len(sample.prefix) >= len("def bad(:")
    assert units - {"line_span", "random_span"}
    # Nothing parses at all: a random span still makes a sample.
    assert build_fim_sample("def f(:\n", "python", rng=random.Random(0)).unit in ("random_span", "line_span")


def test_at_least_90_percent_of_real_files_per_language_yield_samples(counter: TokenCounter) -> None:
    """Real code: zlib's example C files (macros such as `local` confuse the grammar) and the installed
    sources of each language, broken parses included."""
    corpora = {lang: [f.text for f in sample_sources(lang, limit=20, seed=5)] for lang in installed_languages()}
    zlib = sorted(Path("/usr/share/doc/zlib1g-dev/examples").glob("*.[ch]"))
    corpora["c (zlib examples)"] = [p.read_text(encoding="utf-8", errors="replace") for p in zlib]
    assert len(zlib) >= 12, "zlib1g-dev's example files are missing (scripts/system-deps.sh installs them)"
    for name, texts in corpora.items():
        language = name.split()[0]
        made = 0
        for i, text in enumerate(texts):
            try:
                sample = build_fim_sample(text, language, rng=random.Random(i), order="mix", counter=counter,
                                          budget=1024)
            except FimSkipped:
                continue
            start, end = sample.window
            made += sample.prefix + sample.middle + sample.suffix == text[start:end]
        assert made >= 0.9 * len(texts), (name, made, len(texts))
    assert sum(not parse(t, "c").ok for t in corpora["c (zlib examples)"]) >= 8  # the case in point


def test_bad_inputs_are_skipped_with_a_reason() -> None:
    with pytest.raises(FimSkipped) as e:
        build_fim_sample("  \n", "python", rng=random.Random(0))
    assert e.value.reason == "empty"


def test_truncation_keeps_the_middle_whole_and_fits(counter: TokenCounter) -> None:
    text = CODE * 20
    for seed in range(10):
        try:
            sample = build_fim_sample(text, "python", rng=random.Random(seed), counter=counter, budget=200,
                                      order="mix", config=FimConfig(max_middle_chars=200))
        except FimSkipped as e:
            assert e.reason in ("middle_over_budget", "budget")
            continue
        start, end = sample.window
        assert (start, end) != (0, len(text))
        assert sample.prefix + sample.middle + sample.suffix == text[start:end]
        assert counter.count(sample.text) <= 200
        assert start == 0 or text[start - 1] == "\n"


def test_middle_over_budget_is_skipped(counter: TokenCounter) -> None:
    config = FimConfig(random_span_rate=1.0, min_middle_chars=2000, max_middle_chars=2000)
    with pytest.raises(FimSkipped) as e:
        build_fim_sample(CODE * 20, "python", rng=random.Random(0), config=config, counter=counter, budget=64)
    assert e.value.reason == "middle_over_budget"


@pytest.mark.parametrize("language", ["python", "javascript", "go", "java", "ruby", "rust", "c", "typescript"])
def test_real_sources_reconstruct(language: str, counter: TokenCounter) -> None:
    rng = random.Random(7)
    made = 0
    for f in real_sources(language, limit=8, seed=11):
        for _ in range(3):
            try:
                sample = build_fim_sample(f.text, language, rng=rng, order="mix", counter=counter, budget=1024,
                                          path=f.path)
            except FimSkipped as e:
                assert e.reason in ("middle_over_budget", "budget")
                continue
            made += 1
            start, end = sample.window
            assert sample.prefix + sample.middle + sample.suffix == f.text[start:end]
            assert counter.count(sample.text) <= 1024
    assert made >= 5


_real = [f.text for lang in ("python", "go") for f in sample_sources(lang, limit=6, seed=1)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.sampled_from(_real) | st.text(min_size=1, max_size=400), seed=st.integers(0, 2**32),
       budget=st.integers(64, 800), rate=st.floats(0, 1), order=st.sampled_from(["psm", "spm", "mix"]))
def test_reconstruction_property(counter: TokenCounter, doc: str, seed: int, budget: int, rate: float,
                                 order: str) -> None:
    language = "python" if doc.startswith(('"""', "#", "import", "from")) else ("go" if "package " in doc else None)
    config = FimConfig(random_span_rate=rate, max_middle_chars=300)
    try:
        sample = build_fim_sample(doc, language, rng=random.Random(seed), config=config, order=order,
                                  counter=counter, budget=budget)
    except FimSkipped as e:
        assert e.reason in ("empty", "middle_over_budget", "budget")
        return
    start, end = sample.window
    assert sample.middle and sample.prefix + sample.middle + sample.suffix == doc[start:end]
    assert counter.count(sample.text) <= budget


def _repo() -> list[RepoFile]:
    return [
        RepoFile("app/main.py", "from app.models import User\nfrom app import util\n\n"
                                "def run():\n    return util.greet(User('a'))\n", "python"),
        RepoFile("app/models.py", "class User:\n    def __init__(self, name):\n        self.name = name\n", "python"),
        RepoFile("app/util.py", "from .models import User\n\n\ndef greet(user):\n    return 'hi ' + user.name\n",
                 "python"),
        RepoFile("README.md", "# demo\n", None),
    ]


def test_repo_files_are_ordered_dependencies_first() -> None:
    files = _repo()
    ordered = fim._order(files, fim._dependencies(files))
    assert [f.path for f in ordered] == ["README.md", "app/models.py", "app/util.py", "app/main.py"]


def test_repo_sample_format_and_budget(counter: TokenCounter) -> None:
    record = build_repo_sample("demo", _repo(), rng=random.Random(2), order="psm", counter=counter, budget=4096)
    text = record["text"]
    assert text.startswith(f"{REPO_NAME}demo\n{FILE_SEP}")
    target = record["path"]
    assert text.endswith(f"{FILE_SEP}{target}\n{record['text'].split(FILE_SEP + target + chr(10))[-1]}")
    assert text.count(FILE_SEP) == len(record["files"]) + 1 and target not in record["files"]
    files = {f.path: f for f in _repo()}
    for path in record["files"]:
        assert f"{FILE_SEP}{path}\n{files[path].text}\n" in text
    assert record["prefix"] + record["middle"] + record["suffix"] == files[target].text
    assert counter.count(text) <= 4096
    small = build_repo_sample("demo", _repo(), rng=random.Random(2), counter=counter, budget=120)
    assert counter.count(small["text"]) <= 120 and len(small["files"]) < 4


def test_fim_instruction_sample_asks_for_a_logic_block() -> None:
    sample = fim_instruction_sample(CODE, "python", rng=random.Random(4), path="shapes.py")
    user, assistant = sample["messages"]
    assert user["role"] == "user" and assistant["role"] == "assistant"
    assert HOLE in user["content"] and sample["prefix"] + HOLE + sample["suffix"] in user["content"]
    assert sample["unit"] in ("function_body", "block")
    (block,) = extract_code_blocks(assistant["content"])
    assert block.code == sample["middle"].rstrip("\n") and block.language == "python"
    assert sample["prefix"] + sample["middle"] + sample["suffix"] == CODE
    with pytest.raises(FimSkipped):
        fim_instruction_sample("x = 1\n", "python", rng=random.Random(0))



def test_the_fim_instruction_prompt_is_rendered_as_before() -> None:
    """prompts/fim_instruction.yaml renders byte for byte what the inline prompt said."""
    sample = fim_instruction_sample("def add(a, b):\n    return a + b\n", "python", rng=random.Random(0))
    assert sample["messages"] == [
        {"role": "user", "content": "Fill in the missing Python code at <FILL_ME>. Reply with only the code that "
                                    "replaces <FILL_ME>, keeping its indentation.\n\n```python\ndef add(a, b):\n"
                                    "<FILL_ME>\n```"},
        {"role": "assistant", "content": "```python\n    return a + b\n```"}]


def test_same_seed_same_sample() -> None:
    # Nested nodes sharing one span once came back in a varying order, so one seed gave
    # different middles from call to call (seen on this fixture file with seed 10).
    code = (Path(__file__).parent / "data/train/corpus/code/repo_00/mod_10.py").read_text()
    for seed in range(12):
        middles = {build_fim_sample(code, "python", rng=random.Random(seed), order="psm").middle
                   for _ in range(20)}
        assert len(middles) == 1, (seed, middles)
