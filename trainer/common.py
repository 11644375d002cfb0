"""What every training stage shares: its TrainingArguments (coderforge's defaults under the config's
pass-through `run` values), the model it starts from, resuming from the newest checkpoint, and
writing the final checkpoint atomically."""

from __future__ import annotations

import dataclasses
import difflib
import glob
import logging
import shutil
import typing
from pathlib import Path
from typing import Any, Literal

import pydantic
import torch
from coderforge.trainer.config import TrainConfig
from transformers import PreTrainedModel, PreTrainedTokenizerBase, Trainer, TrainingArguments
from transformers.trainer_utils import get_last_checkpoint

from coderforge.code.special_tokens import IM_END
from coderforge.errors import CoderforgeError, ConfigError

log = logging.getLogger(__name__)

DONE_MARKER = "trainer_state.json"
Stage = Literal["pretrain", "sft-coarse", "sft-fine", "dpo"]
STAGES: tuple[Stage, ...] = typing.get_args(Stage)


# coderforge's defaults under each stage's `run` values (trl's configs extend TrainingArguments).
# warmup_steps below 1 is a fraction of max_steps (transformers >= 5).
COMMON_DEFAULTS: dict[str, Any] = {
    "max_steps": 100, "per_device_train_batch_size": 8, "learning_rate": 3e-4, "warmup_steps": 0.05,
    "lr_scheduler_type": "cosine", "weight_decay": 0.1, "max_grad_norm": 1.0, "save_strategy": "steps",
    "save_steps": 500, "save_total_limit": 2, "logging_steps": 10, "logging_first_step": True,
    "report_to": "none", "dataloader_num_workers": 0, "disable_tqdm": True,
    "include_num_input_tokens_seen": "non_padding",
}
STAGE_DEFAULTS: dict[Stage, dict[str, Any]] = {
    "pretrain": {},
    # assistant_only_loss needs {% generation %} in the template (tokenizer.use_training_template).
    "sft-coarse": {"max_length": 1024, "assistant_only_loss": True, "eos_token": IM_END},
    "sft-fine": {"max_length": 1024, "assistant_only_loss": True, "eos_token": IM_END, "learning_rate": 5e-5},
    "dpo": {"max_length": 1024, "beta": 0.1, "learning_rate": 5e-6},
}


def run_section(cfg: TrainConfig, stage: Stage) -> tuple[str, dict[str, Any]]:
    """The config path and the `run` values of a stage."""
    if stage == "pretrain":
        return "train.pretrain.run", cfg.pretrain.run
    if stage == "dpo":
        return "train.dpo.run", cfg.dpo.run
    sft_stage = stage.removeprefix("sft-")
    return f"train.sft.{sft_stage}.run", getattr(cfg.sft, sft_stage).run


def _arguments_class(stage: Stage) -> type[TrainingArguments]:
    if stage == "pretrain":
        return TrainingArguments
    from trl import DPOConfig, SFTConfig

    return DPOConfig if stage == "dpo" else SFTConfig


def training_arguments(cfg: TrainConfig, stage: Stage, *, out: Path) -> TrainingArguments:
    """The stage's TrainingArguments (trl's SFTConfig / DPOConfig for those stages): our defaults,
    then the config's `run` values, each checked against the dataclass's fields and types."""
    where, run = run_section(cfg, stage)
    cls = _arguments_class(stage)
    fields = {f.name for f in dataclasses.fields(cls) if f.init}
    for name in run:
        if name == "output_dir":
            raise ConfigError("set by --out, not in the config", path=f"{where}.output_dir")
        if name not in fields:
            close = dict.fromkeys([*sorted(f for f in fields if name in f), *difflib.get_close_matches(name, fields)])
            hint = f"; did you mean {', '.join(list(close)[:4])}?" if close else ""
            raise ConfigError(f"unknown field for {cls.__module__}.{cls.__name__}{hint}", path=f"{where}.{name}")
    hints = typing.get_type_hints(cls)
    values = {**COMMON_DEFAULTS, **STAGE_DEFAULTS[stage], "seed": cfg.seed, "data_seed": cfg.seed,
              "bf16": torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
              "dataloader_pin_memory": torch.cuda.is_available(),
              # Without a GPU, processes started by `accelerate launch --multi_gpu` (torchrun) join
              # over gloo only when told they run on the CPU (accelerate's MULTI_CPU).
              "use_cpu": not torch.cuda.is_available()}
    for name, value in run.items():
        try:
            values[name] = pydantic.TypeAdapter(hints[name]).validate_python(value)
        except pydantic.ValidationError as e:
            raise ConfigError(f"{value!r} is not a valid {hints[name]}: {e.errors()[0]['msg']}",
                              path=f"{where}.{name}") from e
    try:
        return cls(output_dir=str(out), **values)
    except (ValueError, TypeError) as e:
        raise ConfigError(str(e), path=where) from e


def check_all_arguments(cfg: TrainConfig) -> None:
    """Build every stage's arguments once, so a bad `run` field fails before the first stage trains."""
    for stage in STAGES:
        training_arguments(cfg, stage, out=Path("unused"))


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
    args = trainer.args
    log.info("training in process %d of %d (%s)", args.process_index + 1, args.world_size,
             args.distributed_state.distributed_type)
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
    # The next stage (in every process) starts from this folder: none may look before it is complete.
    trainer.accelerator.wait_for_everyone()
    return dict(result.metrics)


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
