"""What every training stage shares: TrainingArguments from a RunConfig, precision, resuming from
the newest checkpoint, and writing the final checkpoint atomically."""

from __future__ import annotations

import glob
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import torch
from coderforge.trainer.config import RunConfig
from transformers import PreTrainedModel, PreTrainedTokenizerBase, Trainer
from transformers.trainer_utils import get_last_checkpoint

from coderforge.errors import CoderforgeError

log = logging.getLogger(__name__)

DONE_MARKER = "trainer_state.json"


def use_bf16(run: RunConfig) -> bool:
    if run.precision == "fp32":
        return False
    gpu_bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    if run.precision == "bf16" and not gpu_bf16:
        log.warning("precision bf16 asked for but no bf16-capable GPU; training in fp32")
    return gpu_bf16


def training_arguments(run: RunConfig, *, out: Path, seed: int) -> dict[str, Any]:
    """The TrainingArguments fields a RunConfig decides (trl's configs take the same ones)."""
    return {
        "output_dir": str(out),
        "max_steps": run.max_steps,
        "per_device_train_batch_size": run.batch_size,
        "per_device_eval_batch_size": run.batch_size,
        "gradient_accumulation_steps": run.grad_accum,
        "learning_rate": run.learning_rate,
        "warmup_steps": round(run.warmup_ratio * run.max_steps),
        "lr_scheduler_type": run.lr_scheduler,
        "weight_decay": run.weight_decay,
        "max_grad_norm": run.max_grad_norm,
        "save_strategy": "steps",
        "save_steps": run.save_steps,
        "save_total_limit": run.save_total_limit,
        "logging_steps": run.logging_steps,
        "logging_first_step": True,
        "bf16": use_bf16(run),
        "gradient_checkpointing": run.gradient_checkpointing,
        "seed": seed,
        "data_seed": seed,
        "report_to": "none",
        "dataloader_num_workers": 0,
        "disable_tqdm": True,
        "dataloader_pin_memory": torch.cuda.is_available(),
        "include_num_input_tokens_seen": "non_padding",
    }


def is_done(out: Path) -> bool:
    """A stage whose final checkpoint was written (the marker is written last)."""
    return (out / DONE_MARKER).is_file() and (out / "config.json").is_file()


def train_and_save(trainer: Trainer, *, out: Path, tokenizer: PreTrainedTokenizerBase) -> dict[str, Any]:
    """Train (resuming from the newest checkpoint in `out` if any) and write the final checkpoint.

    The model and tokenizer go to a temporary folder first; trainer_state.json, the completion
    marker, is written last, so a killed run is never mistaken for a finished one.
    """
    last = get_last_checkpoint(str(out)) if out.is_dir() else None
    if last:
        log.info("resuming from %s", last)
    model: PreTrainedModel = trainer.model
    # Packed rows rely on position ids for document boundaries, and transformers ignores them for
    # masking whenever a KV cache is passed (masking_utils._preprocess_mask_arguments).
    model.config.use_cache = False
    result = trainer.train(resume_from_checkpoint=last)
    model.config.use_cache = True
    staging = out / ".final"
    main = trainer.is_world_process_zero()
    if main:
        shutil.rmtree(staging, ignore_errors=True)
    trainer.save_model(str(staging))  # every rank takes part (FSDP gathers), rank 0 writes
    if main:
        tokenizer.save_pretrained(str(staging))
        for item in staging.iterdir():
            item.replace(out / item.name)
        staging.rmdir()
        trainer.state.save_to_json(str(out / DONE_MARKER))
    return dict(result.metrics)


def loss_curve(out: Path) -> list[float]:
    """Training losses logged in a finished stage's trainer_state.json, in step order."""
    state = json.loads((out / DONE_MARKER).read_text())
    return [e["loss"] for e in state["log_history"] if "loss" in e]


def expand_files(patterns: list[str], *, base: Path) -> list[Path]:
    """Files matching glob patterns relative to `base` (absolute patterns as given), sorted, unique."""
    found: set[Path] = set()
    for pattern in patterns:
        full = pattern if Path(pattern).is_absolute() else str(base / pattern)
        found.update(Path(p) for p in glob.glob(full, recursive=True) if Path(p).is_file())
    return sorted(found)


def resolve_init(init: str | Path) -> str:
    """The model a stage starts from: a previous stage's output, any HF model folder, a prepared
    model's name (`bundled`, a folder in the model cache) or a hub id, as from_pretrained takes it."""
    from coderforge.models import resolve_model

    name = str(init)
    path = Path(name).expanduser()
    if not path.exists() and (path.is_absolute() or name.startswith((".", "~"))):
        raise CoderforgeError(f"--init {name}: no such model folder")
    if path.is_dir() and any(path.glob("checkpoint-*")) and not is_done(path):
        raise CoderforgeError(f"--init {name}: an unfinished stage output (checkpoints but no {DONE_MARKER}); "
                              "rerun that stage with the same --out to finish it")
    return resolve_model(name)
