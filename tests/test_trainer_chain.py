"""The real training chain on CPU (`coderforge train all` with a tiny model on the MBPP-made fixtures):
every stage learns, checkpoints are standard HF folders, DPO separates its pairs, FIM pretraining
beats initialisation on held-out files, eval writes its report, runs resume, bad input exits non-zero."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from shared_data import SHARED_BENCHMARKS
from trainer_support import loss_curve
from typer.testing import CliRunner

from coderforge.cli import app

DATA = Path(__file__).parent / "data" / "train"
runner = CliRunner()
LANGUAGES = ["python", "cpp", "java", "js", "go"]
EVAL_SETS = (f"languages: {LANGUAGES}, humaneval_x: {SHARED_BENCHMARKS}/humaneval-x, "
             f"mbpp: {SHARED_BENCHMARKS}/mbpp.jsonl")

CONFIG = f"""
train:
  data_dir: {DATA}
  seed: 0
  tokenizer: {{vocab_size: 1024}}
  model: {{preset: tiny}}
  pretrain:
    code: [{DATA}/corpus/code]
    text: [{DATA}/corpus/text.jsonl]
    math: [{DATA}/corpus/math.jsonl]
    max_tokens: 60000
    context_length: 128
    held_out_fraction: 0.08
    run: {{max_steps: 40, per_device_train_batch_size: 8, learning_rate: 3.0e-3, save_steps: 20, logging_steps: 5}}
  sft:
    coarse:
      files: [sft/*.jsonl]
      run: {{max_steps: 20, per_device_train_batch_size: 8, learning_rate: 2.0e-3, logging_steps: 4, max_length: 256}}
    fine:
      files: [sft/fine/*.jsonl]
      run: {{max_steps: 12, per_device_train_batch_size: 8, learning_rate: 1.0e-3, logging_steps: 2, warmup_steps: 0,
             max_length: 256}}
    fim_ratio: 0.1
  dpo:
    run: {{max_steps: 20, per_device_train_batch_size: 8, learning_rate: 2.0e-4, logging_steps: 4, warmup_steps: 0,
           beta: 0.1, max_length: 256}}
  eval: {{limit: 2, max_new_tokens: 48, fim_samples: 4, fim_max_new_tokens: 24, {EVAL_SETS}}}
sandbox: {{workers: 2}}
"""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("chain")
    config = root / "train.yaml"
    config.write_text(CONFIG)
    out = root / "run"
    result = runner.invoke(app, ["train", "all", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return config, out


def _early_late(values: list[float]) -> tuple[float, float]:
    k = max(1, len(values) // 3)
    return sum(values[:k]) / k, sum(values[-k:]) / k


@pytest.mark.parametrize("stage", ["pretrain", "sft-coarse", "sft-fine", "dpo"])
def test_each_stage_is_a_hf_checkpoint_whose_loss_falls(chain: tuple[Path, Path], stage: str) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = chain[1] / stage
    model = AutoModelForCausalLM.from_pretrained(folder)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    assert model.config.model_type == "qwen2" and model.config.use_cache
    assert tokenizer.convert_tokens_to_ids("<|fim_middle|>") < model.config.vocab_size
    early, late = _early_late(loss_curve(folder))
    assert late < early, f"{stage}: loss did not fall ({early:.3f} -> {late:.3f})"


def test_sft_trains_only_on_assistant_turns_and_stops_at_im_end(chain: tuple[Path, Path]) -> None:
    from transformers import AutoTokenizer, GenerationConfig

    folder = chain[1] / "sft-fine"
    tokenizer = AutoTokenizer.from_pretrained(folder)
    assert tokenizer.eos_token == "<|im_end|>"
    eos = GenerationConfig.from_pretrained(folder).eos_token_id
    assert set(tokenizer.convert_tokens_to_ids(["<|im_end|>", "<|endoftext|>"])) <= set(eos)


def test_dpo_reward_accuracy_and_margin_rise(chain: tuple[Path, Path]) -> None:
    history = json.loads((chain[1] / "dpo" / "trainer_state.json").read_text())["log_history"]
    accuracies = [e["rewards/accuracies"] for e in history if "rewards/accuracies" in e]
    margins = [e["rewards/margins"] for e in history if "rewards/margins" in e]
    assert len(accuracies) >= 4
    acc_early, acc_late = _early_late(accuracies)
    margin_early, margin_late = _early_late(margins)
    assert acc_late > acc_early and acc_late >= 0.75
    assert margin_late > margin_early and margin_late > 0


def test_fim_pretraining_beats_initialisation_on_held_out_files(chain: tuple[Path, Path], tmp_path: Path) -> None:
    from coderforge.trainer.corpus import read_held_out
    from coderforge.trainer.evaluate import fim_cases, fim_middle_loss, load_for_scoring
    from coderforge.trainer.modeling import new_model

    from coderforge.config import load_config

    config, out = chain
    cfg = load_config(config).train
    trained, tokenizer = load_for_scoring(out / "pretrain")
    initial = new_model(cfg.model, tokenizer=tokenizer, seed=cfg.seed).eval()
    held = read_held_out(out / "pretrain" / "heldout.jsonl")
    cases = [case for mode in ("single_line", "multi_line")
             for case in fim_cases(held, samples=6, tokenizer=tokenizer, budget=120, seed=1, mode=mode)]
    assert len(cases) >= 6
    before, after = fim_middle_loss(initial, tokenizer, cases), fim_middle_loss(trained, tokenizer, cases)
    assert after < before - 1.0, (before, after)


def test_eval_report_has_a_pass_at_k_row_per_language_fim_tasks_and_held_out_loss(chain: tuple[Path, Path]) -> None:
    expected = [("humaneval", lang) for lang in ("python", "cpp", "java", "javascript", "go")]
    expected += [("mbpp", "python")]
    for stage in ("pretrain", "dpo"):
        folder = chain[1] / "eval" / stage
        report = json.loads((folder / "report.json").read_text())
        assert [(row["benchmark"], row["language"]) for row in report["pass@k"]] == expected
        for row in report["pass@k"]:
            assert row["problems"] == 2 and row["samples_per_problem"] == 1 and 0 <= row["pass@1"] <= 1
            assert sum(row["statuses"].values()) == 2
            samples = (folder / "samples" / f"{row['benchmark']}-{row['language']}.jsonl").read_text().splitlines()
            assert [set(json.loads(s)) for s in samples] == [{"task_id", "solution", "completion"}] * 2
        assert len((folder / "results.jsonl").read_text().splitlines()) == 2 * len(expected)
        for task in ("single_line", "multi_line"):
            fim = report["fim"][task]
            assert fim["samples"] == 4 and 0 <= fim["edit_similarity"] <= 1 and fim["by_language"]
        assert 0 < report["held_out"]["loss"] < math.log(1024)
    assert json.loads((chain[1] / "eval" / "pretrain" / "report.json").read_text())["mode"] == "completion"
    assert json.loads((chain[1] / "eval" / "dpo" / "report.json").read_text())["mode"] == "chat"


def test_finished_stage_is_skipped_and_a_killed_run_resumes(chain: tuple[Path, Path], tmp_path: Path) -> None:
    config, out = chain
    result = runner.invoke(app, ["train", "pretrain", "--config", str(config), "--out", str(out / "pretrain")])
    assert result.exit_code == 0, result.output
    # A run killed after its step-20 checkpoint: that checkpoint, the tokenizer and packed rows remain.
    killed = tmp_path / "pretrain"
    shutil.copytree(out / "pretrain", killed, ignore=shutil.ignore_patterns("checkpoint-40"))
    for name in ("trainer_state.json", "model.safetensors", "config.json", "generation_config.json"):
        (killed / name).unlink(missing_ok=True)
    result = runner.invoke(app, ["train", "pretrain", "--config", str(config), "--out", str(killed)])
    assert result.exit_code == 0, result.output
    state = json.loads((killed / "trainer_state.json").read_text())
    assert state["global_step"] == 40
    resumed, original = loss_curve(killed), loss_curve(out / "pretrain")
    assert resumed == pytest.approx(original, rel=1e-3)  # same data order and optimizer state


def test_bad_input_exits_non_zero_naming_what_is_wrong(chain: tuple[Path, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("train:\n  pretrain:\n    fim_rate: 2\n")
    result = runner.invoke(app, ["train", "pretrain", "--config", str(bad), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "train.pretrain.fim_rate" in result.output and str(bad) in result.output
    result = runner.invoke(app, ["train", "dpo", "--init", str(tmp_path / "missing"), "--out", str(tmp_path / "d")])
    assert result.exit_code == 1 and "no such model folder" in result.output
    data = tmp_path / "data"
    (data / "dpo").mkdir(parents=True)
    (data / "dpo" / "python.jsonl").write_text('{"prompt": "not chat"}\n')
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(f"train:\n  data_dir: {data}\n")
    result = runner.invoke(app, ["train", "dpo", "--config", str(cfg), "--init", str(chain[1] / "sft-fine"),
                                 "--out", str(tmp_path / "d")])
    assert result.exit_code == 1 and "python.jsonl:1: missing chosen, rejected" in result.output
