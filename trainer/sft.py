"""`coderforge train sft --stage coarse|fine`: trl's SFTTrainer on conversational data, loss on the
assistant's tokens only, with FIM instruction samples mixed in at a ratio."""

from __future__ import annotations

import logging
import random
from pathlib import Path
from typing import Any, Literal

from coderforge.trainer.common import expand_files, is_done, resolve_init, train_and_save, training_arguments
from coderforge.trainer.config import TrainConfig
from coderforge.trainer.datafiles import read_conversations
from coderforge.trainer.modeling import load_model
from coderforge.trainer.tokenizer import load_tokenizer, use_training_template

from coderforge.code.special_tokens import ENDOFTEXT, IM_END
from coderforge.errors import CoderforgeError

log = logging.getLogger(__name__)

Conversation = list[dict[str, str]]


def mix_in(samples: list[Conversation], extra: list[Conversation], *, ratio: float,
           rng: random.Random) -> list[Conversation]:
    """`samples` plus enough of `extra` that it makes up `ratio` of the result (fewer if short), shuffled."""
    want = round(ratio / (1 - ratio) * len(samples)) if ratio else 0
    if want > len(extra):
        log.warning("FIM ratio %.2f wants %d FIM instruction samples; only %d available", ratio, want, len(extra))
    mixed = samples + rng.sample(extra, min(want, len(extra)))
    rng.shuffle(mixed)
    return mixed


def sft_dataset(cfg: TrainConfig, *, stage: Literal["coarse", "fine"]) -> list[Conversation]:
    base = Path(cfg.data_dir)
    stage_cfg = getattr(cfg.sft, stage)
    files = expand_files(stage_cfg.files, base=base)
    if not files:
        raise CoderforgeError(f"SFT {stage}: no files match {stage_cfg.files} under {base}")
    conversations = read_conversations(files)
    fim = read_conversations(expand_files(cfg.sft.fim_files, base=base), skip_raw_fim=True) if cfg.sft.fim_ratio else []
    mixed = mix_in(conversations, fim, ratio=cfg.sft.fim_ratio, rng=random.Random(cfg.seed))
    log.info("SFT %s: %d conversations from %d files + %d FIM instruction samples", stage, len(conversations),
             len(files), len(mixed) - len(conversations))
    return mixed


def run_sft(cfg: TrainConfig, *, stage: Literal["coarse", "fine"], init: str | Path, out: Path) -> dict[str, Any]:
    """Fine-tune `init` (a stage output, any HF model folder or a model name) into `out` (resuming there)."""
    from datasets import Dataset
    from trl import SFTTrainer

    if is_done(out):
        log.info("SFT %s already finished in %s", stage, out)
        return {}
    args = training_arguments(cfg, f"sft-{stage}", out=out)
    init = resolve_init(init)
    data = Dataset.from_list([{"messages": m} for m in sft_dataset(cfg, stage=stage)])
    tokenizer = load_tokenizer(init)
    use_training_template(tokenizer)
    model = load_model(init, attn_implementation=cfg.model.attn_implementation, tokenizer=tokenizer)
    trainer = SFTTrainer(model=model, args=args, train_dataset=data, processing_class=tokenizer)
    # Chat turns end with <|im_end|>; raw completions with <|endoftext|>: generation stops at either.
    model.generation_config.eos_token_id = tokenizer.convert_tokens_to_ids([IM_END, ENDOFTEXT])
    return train_and_save(trainer, out=out, tokenizer=tokenizer)
