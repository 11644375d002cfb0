"""Config loading: defaults, the shipped schema, and errors that name file, field and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.config import Config, generated_schema, load_config, shipped_schema
from coderforge.errors import ConfigError

runner = CliRunner()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cfg.yaml"
    path.write_text(text)
    return path


def test_shipped_schema_is_the_generated_one() -> None:
    assert shipped_schema() == generated_schema(), (
        "regenerate: coderforge config schema > coderforge/config.schema.json"
    )


def test_defaults_without_a_file() -> None:
    cfg = load_config(None)
    assert cfg == Config()
    assert cfg.backend.kind == "transformers" and cfg.backend.model == "qwen2.5-coder-0.5b-instruct"


def test_valid_file_overrides_defaults(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, "backend:\n  kind: vllm\n  vllm: {enforce_eager: true}\n"))
    assert cfg.backend.kind == "vllm" and cfg.backend.vllm.enforce_eager
    assert cfg.backend.vllm.max_model_len == 4096  # untouched default


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        ("backend:\n  kind: openai\n  endpoints:\n    - url: http://a:1/v1\n    - url: ftp//x\n",
         "backend.endpoints[1].url", "does not match"),
        ("backend:\n  kind: llama\n", "backend.kind", "is not one of"),
        ("backend:\n  max_concurrency: 0\n", "backend.max_concurrency", "minimum"),
        ("backend:\n  vllm: {cpu_kv_cache_gb: lots}\n", "backend.vllm.cpu_kv_cache_gb", "expected number or null"),
        ("backend:\n  bogus: 1\n", "backend", "'bogus' was unexpected"),
        ("backend:\n  kind: openai\n", "backend", "needs at least one entry in endpoints"),
        ("- just\n- a list\n", "(top level)", "is not of type 'object'"),
        ("generate:\n  chatml: true\n", "generate.chatml", "moved to outputs.chatml"),
    ],
)
def test_errors_name_the_field(tmp_path: Path, text: str, path: str, fragment: str) -> None:
    file = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(file)
    assert info.value.path == path
    assert info.value.source == str(file)
    assert fragment in str(info.value)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"line 3, column 7"):
        load_config(write(tmp_path, "backend:\n  kind: vllm\n   bad: [x\n"))


def test_cli_validate_exit_codes(tmp_path: Path) -> None:
    good = runner.invoke(app, ["config", "validate", str(write(tmp_path, "backend: {kind: vllm}\n"))])
    assert good.exit_code == 0, good.output
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text("backend:\n  endpoints: [{url: nope}]\n")
    bad = runner.invoke(app, ["config", "validate", str(bad_file)])
    assert bad.exit_code == 2
    assert "backend.endpoints[0].url" in bad.output and str(bad_file) in bad.output
    missing = runner.invoke(app, ["config", "validate", str(tmp_path / "absent.yaml")])
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_cli_prints_config_values_and_paths_as_text_not_markup(tmp_path: Path) -> None:
    bad = runner.invoke(app, ["config", "validate", str(write(tmp_path, 'backend: "[/]"\n'))])
    assert bad.exit_code == 2 and "'[/]'" in bad.output, bad.output
    named = tmp_path / "[bold]cfg.yaml"
    named.write_text("backend: {kind: vllm}\n")
    good = runner.invoke(app, ["config", "validate", str(named)])
    assert good.exit_code == 0 and "[bold]cfg.yaml" in good.output, good.output


def test_cli_schema_is_json() -> None:
    result = runner.invoke(app, ["config", "schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["properties"]["backend"]


@pytest.mark.parametrize("example", sorted((Path(__file__).parent.parent / "examples").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_example_configs_validate(example: Path) -> None:
    load_config(example)  # raises ConfigError naming the field
