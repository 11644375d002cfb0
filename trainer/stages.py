"""`coderforge train all`: pretrain -> coarse SFT -> fine SFT -> DPO -> eval, one folder per stage
under the output folder. Each stage resumes or is skipped when already finished."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from coderforge.trainer.common import STAGES, check_all_arguments
from coderforge.trainer.config import TrainerSettings
from coderforge.trainer.corpus import read_held_out

from coderforge.io import atomic_write_json

log = logging.getLogger(__name__)

def run_all(config: TrainerSettings, *, out: Path, evaluate: bool = True) -> dict[str, Any]:
    """Run the whole chain into `out` (then evaluate the base and the final model unless `evaluate`
    is False); returns (and writes to summary.json) each stage's results. Under `accelerate launch`
    every process trains; the main process alone evaluates and writes the summary."""
    from accelerate import PartialState
    from coderforge.trainer.dpo import run_dpo
    from coderforge.trainer.evaluate import run_eval
    from coderforge.trainer.pretrain import run_pretrain
    from coderforge.trainer.pretrain_data import HELD_OUT_FILE
    from coderforge.trainer.sft import run_sft

    cfg = config.train
    check_all_arguments(cfg)
    dirs = {stage: out / stage for stage in STAGES}
    summary: dict[str, Any] = {"pretrain": run_pretrain(cfg, out=dirs["pretrain"])}
    summary["sft-coarse"] = run_sft(cfg, stage="coarse", init=dirs["pretrain"], out=dirs["sft-coarse"])
    summary["sft-fine"] = run_sft(cfg, stage="fine", init=dirs["sft-coarse"], out=dirs["sft-fine"])
    summary["dpo"] = run_dpo(cfg, init=dirs["sft-fine"], out=dirs["dpo"])
    if not PartialState().is_main_process:
        return summary
    if evaluate:
        held_out = read_held_out(dirs["pretrain"] / HELD_OUT_FILE)
        for stage in ("pretrain", "dpo"):
            summary[f"eval-{stage}"] = run_eval(config, model=dirs[stage], out=out / "eval" / stage,
                                                held_out=held_out, context_length=cfg.pretrain.context_length)
    atomic_write_json(out / "summary.json", summary, default=str)
    return summary
