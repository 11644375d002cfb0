"""Validation on a suite nobody here wrote: HumanEval's 164 canonical solutions pass with their
tests in the sandbox, and a broken variant of each fails."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from coderforge.sandbox import Sandbox, Status
from humaneval_support import humaneval_programs
from sandbox_support import BACKENDS, config_for, require_backend


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_humaneval_canonical_solutions_pass_and_broken_ones_fail(backend: str, tmp_path: Path) -> None:
    require_backend(backend)
    canonical, broken = humaneval_programs(), humaneval_programs(broken=True)
    assert len(canonical) == len(broken) == 164
    with Sandbox(config_for(backend, tmp_path, timeout_s=30)) as sandbox:
        results = sandbox.execute(canonical + broken)
    good, bad = results[:164], results[164:]
    not_passing = {r.id: f"{r.status}: {r.stderr[-300:]}" for r in good if r.status is not Status.passed}
    assert not_passing == {}
    assert Counter(r.status for r in bad) == {Status.failed: 164}
    assert all("AssertionError" in r.stderr or "Error" in r.stderr for r in bad)
