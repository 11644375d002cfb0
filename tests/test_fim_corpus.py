"""The `coderforge fim` command on a corpus of real installed sources: file-level, repo-level and
instruction samples, resumption, bad inputs; plus one end-to-end run of the installed command."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.code.fim import format_fim
from coderforge.code.installed import installed_languages, sample_sources
from coderforge.code.special_tokens import FILE_SEP, REPO_NAME
from coderforge.code.syntax import parse

_EXT = {"python": ".py", "go": ".go", "java": ".java", "javascript": ".js", "ruby": ".rb", "rust": ".rs", "c": ".c",
        "typescript": ".ts"}


def _corpus(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Two files per installed language (one sub-directory each), plus bad files."""
    corpus = tmp_path / "corpus"
    originals = {}
    for language, ext in _EXT.items():
        if language not in installed_languages():
            continue
        folder = corpus / language
        folder.mkdir(parents=True)
        clean = [f for f in sample_sources(language, limit=12, seed=8) if parse(f.text, language).ok]
        for i, f in enumerate(clean[:2]):
            rel = f"{language}/f{i}{ext}"
            (corpus / rel).write_text(f.text)
            originals[rel] = f.text
    (corpus / "python" / "blob.py").write_bytes(b"\x00\x01binary")
    (corpus / "python" / "latin.py").write_bytes(b"caf\xe9 = 1\n")
    (corpus / "python" / "broken.py").write_text("def f(:\n")
    originals["python/broken.py"] = "def f(:\n"
    return corpus, originals


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_file_level(tmp_path: Path, bundled_model: Path) -> None:
    corpus, originals = _corpus(tmp_path)
    # Python, C and (with the system packages) Go and TypeScript anywhere; 8 languages on a full machine.
    assert len({rel.split("/")[0] for rel in originals}) >= 3
    out = tmp_path / "fim.jsonl"
    args = ["fim", str(corpus), "--out", str(out), "--order", "mix", "--seed", "3", "--samples", "2",
            "--tokenizer", str(bundled_model), "--max-tokens", "1024"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    records = _records(out)
    assert len(records) >= 2 * len(originals) - 2
    for r in records:
        start, end = r["window"]
        assert r["prefix"] + r["middle"] + r["suffix"] == originals[r["path"]][start:end]
        assert r["text"] == format_fim(r["prefix"], r["middle"], r["suffix"], order=r["order"])
        assert r["language"] and r["node_type"] and r["mode"] == "file"
    assert {r["order"] for r in records} == {"psm", "spm"}
    assert "binary 1" in result.output and "undecodable 1" in result.output
    assert any(r["path"] == "python/broken.py" for r in records)  # local parse errors: still sampled
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and _records(out) == records
    assert f"{len(records)} already there" in again.output


def test_repo_level_and_instructions(tmp_path: Path, bundled_model: Path) -> None:
    corpus, originals = _corpus(tmp_path)
    out = tmp_path / "repo.jsonl"
    result = CliRunner().invoke(app, ["fim", str(corpus), "--out", str(out), "--repo-level", "--seed", "1",
                                      "--tokenizer", str(bundled_model), "--max-tokens", "4096"])
    assert result.exit_code == 0, result.output
    records = _records(out)
    assert len(records) >= 4
    for r in records:
        assert r["text"].startswith(f"{REPO_NAME}{r['repo']}\n")
        for path in r["files"]:
            assert f"{FILE_SEP}{path}\n{(corpus / r['repo'] / path).read_text()}\n" in r["text"]
        start, end = r["window"]
        assert r["prefix"] + r["middle"] + r["suffix"] == originals[f"{r['repo']}/{r['path']}"][start:end]
    inst = tmp_path / "inst.jsonl"
    result = CliRunner().invoke(app, ["fim", str(corpus), "--out", str(inst), "--instructions"])
    assert result.exit_code == 0, result.output
    for r in _records(inst):
        assert [m["role"] for m in r["messages"]] == ["user", "assistant"]
        assert r["prefix"] + r["middle"] + r["suffix"] == originals[r["path"]]


@pytest.mark.slow
def test_end_to_end_installed_command(tmp_path: Path) -> None:
    corpus, _ = _corpus(tmp_path)
    exe = shutil.which("coderforge", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the coderforge command is not installed next to this Python")
    out = tmp_path / "fim.jsonl"
    run = subprocess.run([exe, "fim", str(corpus), "--out", str(out), "--order", "spm"], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert all(r["order"] == "spm" for r in _records(out))
    seeds = tmp_path / "seeds.jsonl"
    run = subprocess.run([exe, "seeds", str(corpus), "--out", str(seeds)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    assert len(_records(seeds)) >= 5
