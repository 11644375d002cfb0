"""Record helpers: verdicts and text fields (JSONL reading and writing: test_io.py)."""

from __future__ import annotations

from coderforge import records
from coderforge.records import add_verdict, instruction_text, passed_all, solution_text, verdict


def test_verdicts_accumulate_in_order() -> None:
    record: dict = {"id": "a"}
    add_verdict(record, stage="parse", passed=True, reason="parses")
    add_verdict(record, stage="judge", passed=False, reason="low", total=3.0)
    assert [v["stage"] for v in record["verdicts"]] == ["parse", "judge"]
    assert verdict(record, "judge") == {"stage": "judge", "passed": False, "reason": "low", "total": 3.0}
    assert verdict(record, "sandbox") is None
    assert not passed_all(record)


def test_text_fields_fall_back_to_messages() -> None:
    chat = {"messages": [{"role": "system", "content": "sys"}, {"role": "user", "content": "do x"},
                         {"role": "assistant", "content": "first"}, {"role": "assistant", "content": "x()"}]}
    assert instruction_text(chat) == "do x"
    assert solution_text(chat) == "x()"
    explicit = {**chat, "instruction": "I", "solution": "S", "tests": ["assert 1", "assert 2"]}
    texts = (instruction_text(explicit), solution_text(explicit), records.tests_text(explicit))
    assert texts == ("I", "S", "assert 1\nassert 2")
