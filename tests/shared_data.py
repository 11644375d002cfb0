"""Where the shared benchmark copies (HumanEval-X, MBPP) are: beside the repository, or beside the
folder its worktrees live in; None when neither has them (those tests skip)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parents[1]
SHARED_BENCHMARKS = next((p / "shared" / "benchmarks" for p in (ROOT.parent, ROOT.parents[1])
                          if (p / "shared" / "benchmarks" / "humaneval-x").is_dir()), None)
