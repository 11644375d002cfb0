"""Each stage's `run` section passes any TrainingArguments / trl SFTConfig / DPOConfig field through,
checked against the real dataclass: unknown fields and wrong types are config errors naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from coderforge.trainer.common import training_arguments
from coderforge.trainer.config import TrainConfig
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.errors import ConfigError

runner = CliRunner()


def _cfg(section: dict) -> TrainConfig:
    return TrainConfig.model_validate({"seed": 7, **section})


def test_any_dataclass_field_reaches_the_stage_arguments(tmp_path: Path) -> None:
    from transformers import TrainingArguments
    from trl import DPOConfig, SFTConfig

    cfg = _cfg({
        "pretrain": {"run": {"adam_beta2": 0.95, "gradient_accumulation_steps": 4, "lr_scheduler_type": "linear"}},
        "sft": {"coarse": {"files": ["sft/*.jsonl"],
                           "run": {"packing": True, "neftune_noise_alpha": 5, "max_length": "256"}}},
        "dpo": {"run": {"beta": 0.3, "loss_type": ["ipo"], "ld_alpha": 0.5}},
    })
    pretrain = training_arguments(cfg, "pretrain", out=tmp_path / "p")
    assert type(pretrain) is TrainingArguments and pretrain.output_dir == str(tmp_path / "p")
    assert (pretrain.adam_beta2, pretrain.gradient_accumulation_steps) == (0.95, 4)
    assert pretrain.lr_scheduler_type == "linear" and pretrain.seed == pretrain.data_seed == 7
    assert pretrain.max_steps == 100 and pretrain.warmup_steps == 0.05  # coderforge's defaults underneath
    coarse = training_arguments(cfg, "sft-coarse", out=tmp_path / "c")
    assert isinstance(coarse, SFTConfig) and coarse.packing and coarse.neftune_noise_alpha == 5
    assert coarse.max_length == 256 and coarse.assistant_only_loss and coarse.eos_token == "<|im_end|>"
    fine = training_arguments(cfg, "sft-fine", out=tmp_path / "f")
    assert fine.learning_rate == 5e-5 and not fine.packing
    dpo = training_arguments(cfg, "dpo", out=tmp_path / "d")
    assert isinstance(dpo, DPOConfig) and (dpo.beta, dpo.loss_type, dpo.ld_alpha) == (0.3, ["ipo"], 0.5)


@pytest.mark.parametrize(
    ("section", "stage", "message"),
    [
        ({"sft": {"coarse": {"files": [], "run": {"batch_size": 8}}}}, "sft-coarse",
         r"train\.sft\.coarse\.run\.batch_size: unknown field for trl\.trainer\.sft_config\.SFTConfig; "
         r"did you mean .*per_device_train_batch_size"),
        ({"pretrain": {"run": {"beta": 0.1}}}, "pretrain", r"train\.pretrain\.run\.beta: unknown field"),
        ({"dpo": {"run": {"max_steps": "many"}}}, "dpo", r"train\.dpo\.run\.max_steps: 'many' is not a valid"),
        ({"pretrain": {"run": {"output_dir": "x"}}}, "pretrain", r"train\.pretrain\.run\.output_dir: set by --out"),
        ({"pretrain": {"run": {"lr_scheduler_type": "wobbly"}}}, "pretrain", r"train\.pretrain\.run: .*wobbly"),
    ],
)
def test_bad_run_fields_are_config_errors_naming_them(section: dict, stage: str, message: str,
                                                      tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=message):
        training_arguments(_cfg(section), stage, out=tmp_path)


def test_train_all_rejects_a_bad_field_of_a_later_stage_before_training(tmp_path: Path) -> None:
    config = tmp_path / "train.yaml"
    config.write_text("train:\n  dpo:\n    run: {betta: 0.1}\n")
    result = runner.invoke(app, ["train", "all", "--config", str(config), "--out", str(tmp_path / "run")])
    assert result.exit_code == 2 and "train.dpo.run.betta" in result.output and "beta" in result.output
    assert not (tmp_path / "run").exists()
