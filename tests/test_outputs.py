"""Output selection from logged tasks: fine split (best of n, top scores), DPO pairs (tests first,
then judge margins), rejected items with reasons, published schemas."""

from __future__ import annotations

import jsonschema
import pytest

from coderforge.outputs import (
    _dpo_pair,
    _fine,
    _rejections,
    _sft_record,
    chatml,
    record_schema,
    validate_record,
)


def _candidate(cid: str, *, status: str | None, score: float | None = None, judge: bool | None = None,
               syntax: bool = True) -> dict:
    verdicts = [{"stage": "program", "passed": True, "reason": "ok"},
                {"stage": "syntax", "passed": syntax, "reason": "parses" if syntax else "ERROR at 1:1"}]
    if syntax and status is not None:
        verdicts.append({"stage": "sandbox", "passed": status == "passed", "reason": status, "status": status})
    if judge is not None:
        verdicts.append({"stage": "judge", "passed": judge, "reason": "judged", "total": score})
    accepted = all(v["passed"] for v in verdicts) and status == "passed"
    return {"id": cid, "solution": f"print({cid!r})\n", "score": score, "verdicts": verdicts, "accepted": accepted,
            "repairs": 0, "model": "m", "prompt_hash": "0123456789ab", "response": "..."}


def _task(tid: str, candidates: list[dict]) -> dict:
    return {"event": "task", "id": f"task:{tid}", "language": "python", "slot": 0, "kind": "write",
            "target": {"concept": "loops", "seed_id": "s", "difficulty": "easy"}, "adapted_from": None,
            "instruction": {"id": tid, "text": f"Task {tid}"}, "rejection": None, "candidates": candidates}


def test_dpo_prefers_a_failing_candidate_as_rejected() -> None:
    task = _task("t1", [_candidate("a", status="passed", score=6.0, judge=True),
                        _candidate("b", status="passed", score=8.0, judge=True),
                        _candidate("c", status="failed")])
    pair = _dpo_pair(task, margin=1.0)
    assert (pair["chosen_id"], pair["rejected_id"], pair["reason"]) == ("b", "c", "rejected fails its tests")
    validate_record("dpo", pair)


def test_dpo_counts_a_syntax_error_as_failing() -> None:
    task = _task("t1", [_candidate("a", status="passed", score=7.0, judge=True),
                        _candidate("b", status=None, syntax=False)])
    assert _dpo_pair(task, margin=1.0)["rejected_id"] == "b"


def test_dpo_falls_back_to_a_clear_judge_margin() -> None:
    close = _task("t1", [_candidate("a", status="passed", score=7.0, judge=True),
                         _candidate("b", status="passed", score=6.5, judge=True)])
    assert _dpo_pair(close, margin=1.0) is None
    clear = _task("t2", [_candidate("a", status="passed", score=7.0, judge=True),
                         _candidate("b", status="passed", score=5.0, judge=False)])
    assert _dpo_pair(clear, margin=1.0)["reason"] == "judge margin 2.00"


def test_dpo_uses_judge_margins_alone_when_nothing_could_run() -> None:
    task = _task("t1", [_candidate("a", status="sandbox_error", score=8.0, judge=True),
                        _candidate("b", status="sandbox_error", score=3.0, judge=False)])
    pair = _dpo_pair(task, margin=1.0)
    assert (pair["chosen_id"], pair["rejected_id"]) == ("a", "b")
    # Without an accepted candidate where code did run, there is no pair.
    both_fail = _task("t2", [_candidate("a", status="failed"), _candidate("b", status="failed")])
    assert _dpo_pair(both_fail, margin=1.0) is None


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
    events = [
        {"event": "concepts", "id": "concepts:s", "language": "python", "seed_id": "s", "concepts": [],
         "response": "???", "rejection": {"stage": "concepts", "reason": "no concept"}},
        {**_task("t1", []), "instruction": None,
         "rejection": {"stage": "instruction", "reason": "too short (2 words, need 12)", "response": "Do it."}},
        _task("t2", [_candidate("a", status="passed", score=7.0, judge=True), _candidate("b", status="timeout")]),
    ]
    rejected = _rejections(events)
    assert [(r["item"], r["stage"], r["reason"]) for r in rejected] == [
        ("seed", "concepts", "no concept"), ("task", "instruction", "too short (2 words, need 12)"),
        ("candidate", "sandbox", "timeout")]
    for record in rejected:
        validate_record("rejected", record)


def test_schemas_reject_malformed_records() -> None:
    assert set(record_schema("sft")["required"]) >= {"messages", "prompt_hash", "source"}
    with pytest.raises(jsonschema.ValidationError):
        validate_record("dpo", {"id": "x"})
    with pytest.raises(ValueError, match="unknown record kind"):
        record_schema("nope")
