"""Output selection from logged tasks: coarse and fine tiers, DPO pairs grounded in the shared tests
(then judge margins), rejected items with reasons, published schemas."""

from __future__ import annotations

import jsonschema
import pytest

from coderforge.outputs import (
    _dpo_pairs,
    _fine,
    _judged_only,
    _rejections,
    _sft_record,
    chatml,
    record_schema,
    validate_record,
)


def _candidate(cid: str, *, status: str | None, score: float | None = None, judge: bool | None = None,
               syntax: bool = True, attempts: list[tuple[str, str]] | None = None, clean: bool = True) -> dict:
    verdicts = [{"stage": "parse", "passed": syntax, "reason": "parses" if syntax else "ERROR at 1:1"}]
    if syntax and status is not None:
        verdicts.append({"stage": "sandbox", "passed": status == "passed", "reason": status, "status": status,
                         "checks": 3 if status == "passed" else 0})
    verdicts.append({"stage": "decontam", "passed": clean, "reason": "clean" if clean else "overlaps"})
    if judge is not None:
        verdicts.append({"stage": "judge", "passed": judge, "reason": "judged", "total": score})
    accepted = all(v["passed"] for v in verdicts) and status == "passed"
    code = f"def f():\n    return {cid!r}\n"
    history = [{"code": c, "status": st, "checks": 0, "error": "", "clean": True} for c, st in attempts or []]
    history.append({"code": code, "status": status if syntax else "syntax_error", "checks": 0, "error": "",
                    "clean": clean})
    return {"id": cid, "solution": code, "score": score, "verdicts": verdicts, "accepted": accepted,
            "repairs": len(history) - 1, "model": "m", "prompt_hash": "0123456789ab", "response": "...",
            "attempts": history}


def _task(tid: str, candidates: list[dict], *, trusted: bool = True) -> dict:
    return {"event": "task", "id": f"task:{tid}", "language": "python", "slot": 0, "kind": "write",
            "target": {"concept": "loops", "seed_id": "s", "difficulty": "easy"}, "adapted_from": None,
            "instruction": {"id": tid, "text": f"Task {tid}"}, "rejection": None, "candidates": candidates,
            "tests": {"code": "assert f() is not None\n", "trusted": trusted, "candidates": len(candidates),
                      "passed": sum(c["accepted"] for c in candidates)}}


def test_dpo_pairs_a_candidate_failing_the_shared_tests() -> None:
    task = _task("t1", [_candidate("a", status="passed", score=6.0, judge=True),
                        _candidate("b", status="passed", score=8.0, judge=True),
                        _candidate("c", status="failed")])
    (pair,) = _dpo_pairs(task, margin=1.0, limit=2)
    assert (pair["chosen_id"], pair["rejected_id"]) == ("b", "c")
    assert pair["chosen_verdict"]["status"] == "passed" and pair["rejected_verdict"]["status"] == "failed"
    assert "shared tests" in pair["reason"]
    validate_record("dpo", pair)


def test_dpo_takes_failed_attempts_before_a_repair_and_syntax_errors() -> None:
    repaired = _candidate("a", status="passed", score=7.0, judge=True,
                          attempts=[("def f():\n    return 0\n", "failed")])
    task = _task("t1", [repaired, _candidate("b", status=None, syntax=False)])
    pairs = _dpo_pairs(task, margin=1.0, limit=3)
    assert [(p["rejected_id"], p["rejected_verdict"]["status"]) for p in pairs] == [
        ("b", "syntax_error"), ("a", "failed")]
    assert pairs[1]["rejected"][0]["content"] == "```python\ndef f():\n    return 0\n```"
    assert len(_dpo_pairs(task, margin=1.0, limit=1)) == 1


def test_dpo_never_uses_untrusted_tests_or_contaminated_answers() -> None:
    candidates = [_candidate("a", status="passed", score=7.0, judge=True), _candidate("b", status="failed")]
    assert _dpo_pairs(_task("t1", candidates, trusted=False), margin=1.0, limit=2) == []
    dirty = _task("t2", [_candidate("a", status="passed", score=7.0, judge=True),
                         _candidate("b", status="failed", clean=False)])
    assert _dpo_pairs(dirty, margin=1.0, limit=2) == []


def test_dpo_falls_back_to_a_clear_judge_margin() -> None:
    close = _task("t1", [_candidate("a", status="passed", score=7.0, judge=True),
                         _candidate("b", status="passed", score=6.5, judge=True)])
    assert _dpo_pairs(close, margin=1.0, limit=2) == []
    clear = _task("t2", [_candidate("a", status="passed", score=7.0, judge=True),
                         _candidate("b", status="passed", score=5.0, judge=True)])
    (pair,) = _dpo_pairs(clear, margin=1.0, limit=2)
    assert pair["reason"] == "both pass the shared tests; judge margin 2.00"


def test_coarse_takes_judged_answers_that_could_not_run_fine_does_not() -> None:
    task = _task("t1", [_candidate("a", status="sandbox_error", score=8.0, judge=True),
                        _candidate("b", status="sandbox_error", score=3.0, judge=False)], trusted=False)
    assert [_judged_only(c) for c in task["candidates"]] == [True, False]
    record = _sft_record(task, task["candidates"][0], with_text=False)
    validate_record("sft", record)
    assert not record["executed"] and record["tests"] is None
    assert _fine([record], 1.0) == []


def test_fine_split_is_best_of_n_over_the_top_instructions() -> None:
    tasks = [_task("t1", [_candidate("t1-a", status="passed", score=9.0, judge=True),
                          _candidate("t1-b", status="passed", score=7.0, judge=True)]),
             _task("t2", [_candidate("t2-a", status="passed", score=5.0, judge=True)]),
             _task("t3", [_candidate("t3-a", status="passed", score=8.0, judge=True)])]
    coarse = [_sft_record(t, c, with_text=True) for t in tasks for c in t["candidates"]]
    for record in coarse:
        validate_record("sft", record)
    assert coarse[0]["text"] == chatml(coarse[0]["messages"]) and coarse[0]["text"].startswith("<|im_start|>user\n")
    assert [r["id"] for r in _fine(coarse, 0.5)] == ["t1-a", "t3-a"]
    assert [r["id"] for r in _fine(coarse, 1.0)] == ["t1-a", "t2-a", "t3-a"]


def test_every_dropped_item_has_a_reason() -> None:
    untrusted = _task("t3", [_candidate("c", status="passed", score=7.0, judge=True)], trusted=False)
    untrusted["tests"]["why_untrusted"] = "the tests also pass a stub solution"
    untrusted["candidates"][0]["accepted"] = False
    events = [
        {"event": "concepts", "id": "concepts:s", "language": "python", "seed_id": "s", "concepts": [],
         "response": "???", "rejection": {"stage": "concepts", "reason": "no concept"}},
        {**_task("t1", []), "instruction": None,
         "rejection": {"stage": "instruction", "reason": "too short (2 words, need 12)", "response": "Do it."}},
        _task("t2", [_candidate("a", status="passed", score=7.0, judge=True), _candidate("b", status="timeout")]),
        untrusted,
    ]
    rejected = _rejections(events)
    assert [(r["item"], r["stage"], r["reason"]) for r in rejected] == [
        ("seed", "concepts", "no concept"), ("task", "instruction", "too short (2 words, need 12)"),
        ("candidate", "sandbox", "timeout"), ("candidate", "tests", "the tests also pass a stub solution")]
    for record in rejected:
        validate_record("rejected", record)


def test_schemas_reject_malformed_records() -> None:
    assert set(record_schema("sft")["required"]) >= {"messages", "prompt_hash", "source"}
    with pytest.raises(jsonschema.ValidationError):
        validate_record("dpo", {"id": "x"})
    with pytest.raises(ValueError, match="unknown record kind"):
        record_schema("nope")
