"""`coderforge train pretrain|sft|dpo|all` and `coderforge eval`. Commands parse arguments and call
the stage; torch, transformers and trl are imported inside them."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from coderforge.cli.support import console, tagged, user_errors

train_app = typer.Typer(help="Train a code model: pretrain, coarse/fine SFT, DPO, or the whole chain.",
                        no_args_is_help=True)

ConfigOption = Annotated[Path | None, typer.Option("--config", "-c", help="YAML config file (its `train` section).")]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="Output folder (the stage resumes there).")]
InitOption = Annotated[str, typer.Option(
    "--init", help="Model to start from: the previous stage's output, any HF model folder, `bundled`, a prepared "
                   "model's name (coderforge models list) or a hub id.")]


class SftStage(StrEnum):
    coarse = "coarse"
    fine = "fine"


def _show(title: str, out: Path, metrics: dict) -> None:
    loss = metrics.get("train_loss") or metrics.get("train", {}).get("train_loss")
    tail = f" · mean train loss {loss:.3f}" if isinstance(loss, float) else ""
    console.print(tagged(f"{title} done", "green", f"-> {out}{tail}"))


@train_app.command("pretrain")
def pretrain(out: OutOption, config: ConfigOption = None) -> None:
    """Pretrain on file- and repo-level code (with FIM), text and math, packed to the context length."""
    from coderforge.config import load_config

    with user_errors():
        from coderforge.trainer.pretrain import run_pretrain

        _show("pretrain", out, run_pretrain(load_config(config).train, out=out))


@train_app.command("sft")
def sft(
    out: OutOption,
    init: InitOption,
    stage: Annotated[SftStage, typer.Option(help="coarse (broad split) or fine (curated split).")] = SftStage.coarse,
    config: ConfigOption = None,
) -> None:
    """Supervised fine-tuning on `messages`, loss on assistant tokens, FIM instructions mixed in."""
    from coderforge.config import load_config

    with user_errors():
        from coderforge.trainer.sft import run_sft

        _show(f"SFT {stage.value}", out, run_sft(load_config(config).train, stage=stage.value, init=init, out=out))


@train_app.command("dpo")
def dpo(out: OutOption, init: InitOption, config: ConfigOption = None) -> None:
    """Offline DPO on preference pairs, from the fine SFT checkpoint."""
    from coderforge.config import load_config

    with user_errors():
        from coderforge.trainer.dpo import run_dpo

        _show("DPO", out, run_dpo(load_config(config).train, init=init, out=out))


@train_app.command("all")
def train_all(
    out: OutOption,
    config: ConfigOption = None,
    evaluate: Annotated[bool, typer.Option("--eval/--no-eval", help="Evaluate the base and the final model.")] = True,
) -> None:
    """The whole chain: pretrain -> coarse SFT -> fine SFT -> DPO -> eval (of the base and the final model)."""
    from coderforge.config import load_config

    with user_errors():
        from coderforge.trainer.stages import run_all

        summary = run_all(load_config(config), out=out, evaluate=evaluate)
    for stage in ("pretrain", "dpo"):
        if f"eval-{stage}" in summary:
            console.print_json(data={stage: summary[f"eval-{stage}"]})
    console.print(tagged("done", "green", f"-> {out} (summary.json)"))


def eval_command(
    model: Annotated[str, typer.Option(
        "--model", "-m", help="What to evaluate: a checkpoint or any HF model folder, `bundled`, a prepared model's "
                              "name, or a model the configured backend serves.")],
    out: OutOption,
    config: ConfigOption = None,
    held_out: Annotated[Path | None, typer.Option(
        "--held-out", help="heldout.jsonl from a pretrain output (FIM and held-out loss); default: none.")] = None,
) -> None:
    """Evaluate a model: pass@k on HumanEval(-X) and MBPP in the sandbox, FIM and loss on held-out files."""
    from coderforge.config import load_config

    with user_errors():
        from coderforge.trainer.corpus import read_held_out
        from coderforge.trainer.evaluate import run_eval

        cfg = load_config(config)
        report = run_eval(cfg, model=model, out=out, held_out=read_held_out(held_out) if held_out else None,
                          context_length=cfg.train.pretrain.context_length)
    console.print_json(data=report)
