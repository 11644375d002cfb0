"""Record helpers: verdicts, text fields, JSONL reading with line-numbered errors, atomic and
resumable writing."""

from __future__ import annotations

import json

import pytest

from coderforge import records
from coderforge.records import (
    RecordError,
    ResumableJsonl,
    add_verdict,
    atomic_writer,
    instruction_text,
    passed_all,
    read_jsonl,
    solution_text,
    verdict,
    write_jsonl,
)


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


def test_read_jsonl_names_the_bad_line(tmp_path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"a": 1}\n\n[1]\n')
    with pytest.raises(RecordError, match=r"in.jsonl:3: expected a JSON object"):
        list(read_jsonl(path))
    path.write_text('{"a": 1}\n{"a": \n')
    with pytest.raises(RecordError, match=r"in.jsonl:2: not valid JSON"):
        list(read_jsonl(path))


def test_atomic_writer_keeps_the_old_file_on_error(tmp_path) -> None:
    path = tmp_path / "out.jsonl"
    write_jsonl(path, [{"a": 1}])
    with pytest.raises(RuntimeError), atomic_writer(path) as handle:
        handle.write("partial")
        raise RuntimeError("killed")
    assert [json.loads(line) for line in path.read_text().splitlines()] == [{"a": 1}]
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_resumable_output_drops_a_torn_line(tmp_path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"a": 1}\n{"a": 2}\n{"a": 3, "cut')
    with ResumableJsonl(path) as sink:
        assert sink.done == 2
        sink.append([{"a": 3}])
    assert [r["a"] for r in read_jsonl(path)] == [1, 2, 3]
