"""Evaluation pieces: pass@k, edit similarity, and the HumanEval harness run in the real sandbox on
known-good and known-bad completions."""

from __future__ import annotations

import pytest
from coderforge.sandbox import SandboxConfig
from coderforge.trainer.evaluate import edit_similarity, pass_at_k, read_humaneval, score_humaneval


def test_pass_at_k_matches_the_combinatorial_definition() -> None:
    from math import comb

    for n, c, k in [(10, 3, 1), (10, 3, 5), (20, 0, 5), (5, 5, 2), (7, 2, 7)]:
        assert pass_at_k(n, c, k) == pytest.approx(1 - comb(n - c, k) / comb(n, k))


def test_edit_similarity() -> None:
    assert edit_similarity("", "") == 1.0
    assert edit_similarity("abc", "abc") == 1.0
    assert edit_similarity("kitten", "sitting") == pytest.approx(1 - 3 / 7)
    assert edit_similarity("abc", "") == 0.0


def test_humaneval_harness_passes_canonical_and_fails_wrong_completions() -> None:
    problems = read_humaneval(None, limit=4)
    # Two samples per problem: the canonical body, then a wrong one.
    samples = [[p["canonical_solution"], "    return None\n"] for p in problems]
    # A chat reply restating the whole function in a fenced block, as an instruct model answers.
    chat = [[f"Here you go:\n```python\n{p['prompt']}{p['canonical_solution']}```\n"] for p in problems]
    config = SandboxConfig(workers=2)
    summary, rows = score_humaneval(problems, samples, chat=False, sandbox_config=config, ks=[1, 2])
    assert [r["status"] for r in rows] == ["passed", "failed"] * 4
    assert summary["pass@k"] == {"pass@1": 0.5, "pass@2": 1.0}
    summary, _ = score_humaneval(problems, chat, chat=True, sandbox_config=config, ks=[1])
    assert summary["pass@k"]["pass@1"] == 1.0
