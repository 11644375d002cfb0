"""`coderforge train dpo`: offline DPO with trl's DPOTrainer on conversational preference pairs,
from the fine SFT checkpoint (which is also the frozen reference)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from coderforge.trainer.common import expand_files, is_done, resolve_init, train_and_save, training_arguments
from coderforge.trainer.config import TrainConfig
from coderforge.trainer.datafiles import read_preferences
from coderforge.trainer.modeling import load_model
from coderforge.trainer.tokenizer import load_tokenizer

from coderforge.errors import CoderforgeError

log = logging.getLogger(__name__)


def run_dpo(cfg: TrainConfig, *, init: str | Path, out: Path) -> dict[str, Any]:
    """Train `init` (a stage output, any HF model folder or a model name) on the preference pairs into
    `out` (resuming there)."""
    from datasets import Dataset
    from trl import DPOTrainer

    if is_done(out):
        log.info("DPO already finished in %s", out)
        return {}
    args = training_arguments(cfg, "dpo", out=out)
    init = resolve_init(init)
    base = Path(cfg.data_dir)
    files = expand_files(cfg.dpo.files, base=base)
    if not files:
        raise CoderforgeError(f"DPO: no files match {cfg.dpo.files} under {base}")
    pairs = read_preferences(files)
    log.info("DPO: %d preference pairs from %d files", len(pairs), len(files))
    tokenizer = load_tokenizer(init)
    model = load_model(init, attn_implementation=cfg.model.attn_implementation, tokenizer=tokenizer)
    # ref_model None: trl keeps a frozen copy of the starting weights as the reference.
    trainer = DPOTrainer(model=model, args=args, train_dataset=Dataset.from_list(pairs), processing_class=tokenizer)
    return train_and_save(trainer, out=out, tokenizer=tokenizer)
