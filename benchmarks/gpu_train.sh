#!/usr/bin/env bash
# One GPU: the pretraining throughput benchmark on the 0.5B preset (tokens/s, MFU, against the plain
# HF Trainer loop), then a short pretrain -> SFT -> DPO chain on 0.5B in bf16, printing each stage's
# tokens/s and MFU from its trainer_state.json.
#   bash benchmarks/gpu_train.sh [OUT_DIR]      (default runs/gpu-train)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}  # CODERFORGE overrides the CLI path the same way
OUT=${1:-runs/gpu-train}
mkdir -p "$OUT"
"$PY" -c "import torch; assert torch.cuda.is_available(), 'no CUDA GPU visible'; print(torch.cuda.get_device_name())"

"$PY" benchmarks/train_throughput.py --preset 0.5b --context 2048 --batch 8 --steps 10 --max-files 3000 \
  --vocab 32768 --out "$OUT/throughput.json"

STDLIB=$("$PY" -c "import sysconfig; print(sysconfig.get_paths()['stdlib'])")
cat > "$OUT/train_gpu.yaml" <<YAML
train:
  data_dir: tests/data/train
  tokenizer: {vocab_size: 32768}
  model: {preset: 0.5b}
  pretrain:
    code: [$STDLIB]
    text: [tests/data/train/corpus/text.jsonl]
    math: [tests/data/train/corpus/math.jsonl]
    context_length: 2048
    max_tokens: 3000000
    run: {max_steps: 40, per_device_train_batch_size: 8, learning_rate: 6.0e-4, save_steps: 1000, logging_steps: 5, bf16: true}
  sft:
    coarse: {files: [sft/*.jsonl], run: {max_steps: 20, per_device_train_batch_size: 16, learning_rate: 1.0e-4, bf16: true}}
    fine: {files: [sft/fine/*.jsonl], run: {max_steps: 10, per_device_train_batch_size: 16, learning_rate: 5.0e-5, bf16: true}}
  dpo:
    run: {max_steps: 20, per_device_train_batch_size: 8, learning_rate: 5.0e-6, bf16: true}
  eval: {limit: 20, max_new_tokens: 256, fim_samples: 20}
backend:
  transformers: {dtype: bfloat16, per_device_train_batch_size: 32}
YAML
"${CODERFORGE:-.venv/bin/coderforge}" train all --config "$OUT/train_gpu.yaml" --out "$OUT/chain"

"$PY" - "$OUT/chain" <<'PY'
import json
import sys
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModelForCausalLM

peak = {"H200": 989e12, "H100": 989e12, "A100": 312e12}
name = torch.cuda.get_device_name()
peak_flops = next((v for k, v in peak.items() if k in name), None)
print(f"\n{name}\n| stage | steps | seconds | tokens/s | MFU |\n|---|---:|---:|---:|---:|")
for stage in ("pretrain", "sft-coarse", "sft-fine", "dpo"):
    folder = Path(sys.argv[1]) / stage
    state = json.loads((folder / "trainer_state.json").read_text())
    runtime = next(e["train_runtime"] for e in state["log_history"] if "train_runtime" in e)
    tokens = state.get("num_input_tokens_seen") or 0
    with torch.device("meta"):
        params = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(folder)).num_parameters()
    # DPO runs the policy forward+backward and the frozen reference forward: 8N per token, not 6N.
    flops = (8 if stage == "dpo" else 6) * params * tokens
    mfu = f"{100 * flops / runtime / peak_flops:.1f}%" if peak_flops else "-"
    print(f"| {stage} | {state['global_step']} | {runtime:.1f} | {tokens / runtime:,.0f} | {mfu} |")
PY
