"""coderforge.io: atomic writes, JSONL reading with errors that name file and line, resumable appending."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from coderforge.io import (
    JsonlAppender,
    RecordError,
    atomic_write_json,
    atomic_writer,
    read_jsonl,
    read_numbered_jsonl,
    write_jsonl,
)


@pytest.mark.parametrize("mode", ["w", "wb"])
def test_atomic_writer_keeps_the_old_file_when_the_writer_raises(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "out.jsonl"
    write_jsonl(path, [{"a": 1}])
    with pytest.raises(RuntimeError), atomic_writer(path, mode) as handle:  # type: ignore[arg-type]
        handle.write(b"partial" if mode == "wb" else "partial")
        raise RuntimeError("killed")
    assert path.read_text() == '{"a": 1}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"], "the temporary file is removed"


def test_atomic_write_replaces_with_the_umask_permissions(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "out.json"
    atomic_write_json(path, {"ü": 1})
    atomic_write_json(path, {"b": 2}, indent=None)
    assert path.read_text() == '{"b": 2}'
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_read_jsonl_names_file_and_line_of_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"a": 1}\n\n[1]\n')
    with pytest.raises(RecordError, match=r"in\.jsonl:3: expected a JSON object, got list"):
        list(read_jsonl(path))
    path.write_text('{"a": 1}\n{"a": \n')
    with pytest.raises(RecordError, match=r"in\.jsonl:2: not valid JSON"):
        list(read_jsonl(path))
    path.write_bytes(b'{"a": 1}\n{"a": "\xff"}\n')
    with pytest.raises(RecordError, match=r"in\.jsonl:2: 'utf-8' codec can't decode"):
        list(read_jsonl(path))
    with pytest.raises(RecordError, match=r"absent\.jsonl: cannot read: No such file"):
        list(read_jsonl(tmp_path / "absent.jsonl"))


def test_read_jsonl_reads_gzip_and_numbers_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write('{"a": 1}\n\n{"a": "ü"}\n')
    assert list(read_numbered_jsonl(path)) == [(1, {"a": 1}), (3, {"a": "ü"})]
    path.write_text('{"a": 1}\n')
    with pytest.raises(RecordError, match=r"in\.jsonl\.gz: cannot read: Not a gzipped file"):
        list(read_jsonl(path))


def test_appender_drops_a_torn_last_line_and_resumes(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"id": "a"}\n{"id": 2}\n{"id": "c", "cut')
    with JsonlAppender(path) as sink:
        assert sink.done == 2
        assert "a" in sink and "2" in sink and "c" not in sink
        sink.append({"id": "c"})
        sink.extend([{"id": "d"}, {"id": "e"}])
        assert sink.done == 5 and "e" in sink
    assert [r["id"] for r in read_jsonl(path)] == ["a", 2, "c", "d", "e"]
    with JsonlAppender(tmp_path / "new" / "out.jsonl") as fresh:
        assert fresh.done == 0


def test_appender_refuses_a_file_it_did_not_write(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    text = '{"id": "a"}\nnot json\n{"id": "c", "cut'
    path.write_text(text)
    with pytest.raises(RecordError, match=r"out\.jsonl:2: not valid JSON .*give another output"):
        JsonlAppender(path)
    assert path.read_text() == text, "a file that is not ours is left as it was"


def test_appender_keeps_the_records_read_and_appended_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text('{"id": "a"}\n{"id": "b"}\n{"id": "c", "to')
    with JsonlAppender(path, keep_records=True) as log:
        log.append({"id": "d"})
        assert log.records == [{"id": "a"}, {"id": "b"}, {"id": "d"}]
    with JsonlAppender(path) as plain:
        assert plain.records is None and plain.done == 3
