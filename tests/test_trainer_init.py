"""`train sft --init` and `train dpo --init` start from any model: the bundled SmolLM2 by name (its
chat template lacks generation markers and its vocabulary the FIM tokens), or a plain HF folder
that is no stage output of ours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from trainer_support import loss_curve
from typer.testing import CliRunner

from coderforge.cli import app

DATA = Path(__file__).parent / "data" / "train"
runner = CliRunner()

pytestmark = pytest.mark.slow


def _config(tmp_path: Path, run: str) -> Path:
    config = tmp_path / "train.yaml"
    config.write_text(f"""
train:
  data_dir: {DATA}
  sft:
    coarse: {{files: [sft/*.jsonl], run: {{logging_steps: 1, warmup_steps: 0, max_length: 128, {run}}}}}
    fim_ratio: 0.1
  dpo: {{run: {{logging_steps: 1, warmup_steps: 0, max_length: 128, {run}}}}}
""")
    return config


def test_sft_starts_from_the_bundled_model_by_name(bundled_model: Path, tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    config = _config(tmp_path, "max_steps: 2, per_device_train_batch_size: 2")
    out = tmp_path / "sft"
    result = runner.invoke(app, ["train", "sft", "--init", "bundled", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    losses = loss_curve(out)
    assert len(losses) == 2 and all(0 < loss < 20 for loss in losses)
    tokenizer = AutoTokenizer.from_pretrained(out)
    model = AutoModelForCausalLM.from_pretrained(out)
    assert model.config.model_type == "llama"
    # The FIM tokens SmolLM2 lacked were added, and the embeddings grew to hold them.
    assert tokenizer.convert_tokens_to_ids("<|fim_middle|>") < model.get_input_embeddings().num_embeddings
    assert tokenizer.eos_token == "<|im_end|>"


def test_dpo_starts_from_a_plain_hf_folder(tmp_path: Path) -> None:
    from coderforge.trainer.config import ModelConfig
    from coderforge.trainer.corpus import iter_repos
    from coderforge.trainer.modeling import new_model
    from coderforge.trainer.tokenizer import train_tokenizer

    from coderforge.code.corpus import SkipCounter

    repos = iter_repos([str(DATA / "corpus" / "code")], max_file_bytes=100_000, skipped=SkipCounter())
    code = [f.code for r in repos for f in r.files]
    tokenizer = train_tokenizer(code, vocab_size=600)
    folder = tmp_path / "plain"
    new_model(ModelConfig(preset="tiny"), tokenizer=tokenizer, seed=0).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    assert not (folder / "trainer_state.json").exists()
    config = _config(tmp_path, "max_steps: 3, per_device_train_batch_size: 4")
    out = tmp_path / "dpo"
    result = runner.invoke(app, ["train", "dpo", "--init", str(folder), "--config", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    history = json.loads((out / "trainer_state.json").read_text())["log_history"]
    assert [e["step"] for e in history if "loss" in e] == [1, 2, 3]


def test_init_that_is_no_model_is_a_clear_error(tmp_path: Path) -> None:
    config = _config(tmp_path, "max_steps: 1")
    unfinished = tmp_path / "unfinished"
    (unfinished / "checkpoint-5").mkdir(parents=True)
    for init, message in [(str(tmp_path / "missing"), "no such model folder"),
                          (str(unfinished), "an unfinished stage output"),
                          (str(DATA), "has no config.json")]:
        result = runner.invoke(app, ["train", "sft", "--init", init, "--config", str(config),
                                     "--out", str(tmp_path / "o")])
        assert result.exit_code == 1 and message in result.output, (init, result.output)


def test_eval_takes_a_model_by_name(bundled_model: Path, tmp_path: Path) -> None:
    """`coderforge eval --model bundled`: a prepared model by name, in chat form (it is instruction-tuned)."""
    config = tmp_path / "eval.yaml"
    config.write_text("train:\n  eval: {limit: 2, max_new_tokens: 64}\nsandbox: {workers: 2}\n")
    out = tmp_path / "eval"
    result = runner.invoke(app, ["eval", "--model", "bundled", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    report = json.loads((out / "report.json").read_text())
    assert report["model"] == "bundled" and report["mode"] == "chat"
    assert [(r["benchmark"], r["language"], r["problems"]) for r in report["pass@k"]] == [("humaneval", "python", 2)]
    assert len((out / "samples" / "humaneval-python.jsonl").read_text().splitlines()) == 2
