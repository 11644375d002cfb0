"""`accelerate launch` with 2 CPU processes (DDP over gloo) runs pretrain, SFT and DPO with the losses
of one process taking the same global batch; the FSDP config starts real FSDP training on the CPU."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from coderforge.trainer.common import STAGES
from trainer_support import loss_curve
from typer.testing import CliRunner

from coderforge.cli import app

DATA = Path(__file__).parent / "data" / "train"
ACCELERATE = Path(__file__).parents[1] / "examples" / "accelerate"
runner = CliRunner()

pytestmark = pytest.mark.slow


def _config(path: Path, *, per_device: int) -> Path:
    run = f"per_device_train_batch_size: {per_device}, logging_steps: 1, warmup_steps: 0"
    path.write_text(f"""
train:
  data_dir: {DATA}
  tokenizer: {{vocab_size: 600}}
  pretrain:
    code: [{DATA}/corpus/code]
    text: [{DATA}/corpus/text.jsonl]
    math: [{DATA}/corpus/math.jsonl]
    max_tokens: 20000
    context_length: 128
    run: {{max_steps: 6, learning_rate: 3.0e-3, {run}}}
  sft:
    coarse: {{files: [sft/*.jsonl], run: {{max_steps: 3, learning_rate: 1.0e-3, max_length: 128, {run}}}}}
    fine: {{files: [sft/fine/*.jsonl], run: {{max_steps: 3, learning_rate: 1.0e-3, max_length: 128, {run}}}}}
  dpo: {{run: {{max_steps: 3, learning_rate: 2.0e-4, max_length: 128, {run}}}}}
""")
    return path


def _launch(accelerate_config: Path, *args: str, processes: int = 2) -> subprocess.CompletedProcess[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    coderforge = shutil.which("coderforge", path=str(Path(sys.executable).parent))
    command = [sys.executable, "-m", "accelerate.commands.launch", "--config_file", str(accelerate_config),
               "--num_processes", str(processes), "--main_process_port", str(port), coderforge, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=900)


def test_two_cpu_processes_train_every_stage_like_one(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    result = runner.invoke(app, ["train", "all", "--no-eval", "--config",
                                 str(_config(tmp_path / "one.yaml", per_device=8)), "--out", str(one)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    done = _launch(ACCELERATE / "cpu_ddp.yaml", "train", "all", "--no-eval", "--config",
                   str(_config(tmp_path / "two.yaml", per_device=4)), "--out", str(two))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "process 2 of 2" in done.stderr  # both ranks trained, in one process group
    for stage in STAGES:
        single, ddp = loss_curve(one / stage), loss_curve(two / stage)
        assert len(single) == len(ddp) > 0
        assert ddp == pytest.approx(single, rel=1e-2), stage


def test_fsdp_config_trains_on_two_cpu_processes(tmp_path: Path) -> None:
    config = _config(tmp_path / "cfg.yaml", per_device=4)
    done = _launch(ACCELERATE / "fsdp.yaml", "train", "pretrain", "--config", str(config), "--out",
                   str(tmp_path / "pretrain"))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "process 2 of 2" in done.stderr
    assert len(loss_curve(tmp_path / "pretrain")) == 6


@pytest.mark.parametrize(("name", "kind"), [("cpu_ddp.yaml", "MULTI_GPU"), ("ddp.yaml", "MULTI_GPU"),
                                            ("fsdp.yaml", "FSDP"), ("deepspeed_zero3.yaml", "DEEPSPEED")])
def test_accelerate_configs_pass_the_launchers_checks(name: str, kind: str) -> None:
    """A dry launch: accelerate reads the config and validates the launch as `accelerate launch` does,
    up to starting the processes (DeepSpeed itself is only installed on GPU nodes)."""
    from accelerate.commands.launch import _validate_launch_command, launch_command_parser

    args = launch_command_parser().parse_args(["--config_file", str(ACCELERATE / name), "coderforge"])
    args, defaults, _ = _validate_launch_command(args)
    assert str(defaults.distributed_type).endswith(kind) and args.num_processes >= 2
    if kind == "DEEPSPEED":
        assert args.use_deepspeed and args.zero_stage == 3 and args.zero3_save_16bit_model is True
    if kind == "FSDP":
        assert args.use_fsdp and args.fsdp_state_dict_type == "FULL_STATE_DICT"
