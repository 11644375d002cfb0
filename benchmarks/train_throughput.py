"""Pretraining throughput: coderforge's packed rows (best-fit decreasing, document boundaries kept by
position ids) against a plain HF Trainer recipe on the same model and documents, in one process.

  plain-padded   one document per sequence, truncated to the context, padded per batch
                 (DataCollatorForLanguageModeling): the plain HF Trainer loop
  concat-chunk   run_clm's group_texts: documents concatenated and cut into rows; no padding, but
                 attention crosses document boundaries (shown for reference)
  coderforge     pack() + HF Trainer, attention kept inside documents

Reports real (non-padding) tokens/s, the ratio against plain-padded, packing efficiency and, on a
GPU, MFU. Writes benchmarks/results/train_throughput.json.

  python benchmarks/train_throughput.py                       # CPU: tiny model, stdlib corpus
  python benchmarks/train_throughput.py --preset 0.5b --context 2048 --batch 8 --steps 10   # GPU
"""

from __future__ import annotations

import argparse
import json
import random
import sysconfig
import time
from pathlib import Path

import torch
from coderforge.trainer.config import ModelConfig, PretrainConfig
from coderforge.trainer.corpus import scan_code
from coderforge.trainer.documents import code_documents
from coderforge.trainer.modeling import new_model
from coderforge.trainer.packing import PackedRows, pack
from coderforge.trainer.pretrain import PackedDataset, tokenize_documents
from coderforge.trainer.tokenizer import train_tokenizer
from transformers import (
    DataCollatorForLanguageModeling,
    Trainer,
    TrainerCallback,
    TrainingArguments,
    default_data_collator,
)

# Dense bf16 peak FLOP/s by GPU name fragment (vendor datasheets), for MFU.
PEAK_BF16 = {"H200": 989e12, "H100": 989e12, "A100": 312e12, "L40S": 362e12, "A10G": 125e12}


class Timer(TrainerCallback):
    """Wall time of the steps after `warmup` steps (first steps pay for allocation and compilation)."""

    def __init__(self, warmup: int) -> None:
        self.warmup, self.start = warmup, 0.0

    def on_step_begin(self, args, state, control, **kw):
        if state.global_step == self.warmup:
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            self.start = time.perf_counter()

    def elapsed(self) -> float:
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        return time.perf_counter() - self.start


def real_tokens(batch: dict[str, torch.Tensor]) -> int:
    return int((batch["labels"][:, 1:] != -100).sum())


class CountingCollator:
    """Wraps a collator to count the real tokens it hands to the model after the warm-up steps."""

    def __init__(self, collate, *, skip_batches: int) -> None:
        self.collate, self.skip, self.seen, self.tokens, self.slots = collate, skip_batches, 0, 0, 0

    def __call__(self, features):
        batch = self.collate(features)
        self.seen += 1
        if self.seen > self.skip:
            self.tokens += real_tokens(batch)
            self.slots += batch["input_ids"].numel()
        return batch


class ListDataset(torch.utils.data.Dataset):
    def __init__(self, items: list[dict]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> dict:
        return self.items[i]


def concat_chunk(docs: list[list[int]], length: int) -> PackedRows:
    flat = [t for d in docs for t in d]
    n = len(flat) // length
    ids = torch.tensor(flat[:n * length]).view(n, length)
    return PackedRows(ids, torch.arange(length).repeat(n, 1), ids.clone(), ids.numel())


def run(name: str, dataset, collate, *, args: argparse.Namespace, tokenizer, model_config: ModelConfig,
        out: Path) -> dict:
    model = new_model(model_config, tokenizer=tokenizer, seed=0)
    model.config.use_cache = False
    device_bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    counting = CountingCollator(collate, skip_batches=args.warmup * args.grad_accum)
    timer = Timer(args.warmup)
    targs = TrainingArguments(
        output_dir=str(out / name), max_steps=args.warmup + args.steps, per_device_train_batch_size=args.batch,
        gradient_accumulation_steps=args.grad_accum, learning_rate=1e-3, save_strategy="no", report_to="none",
        logging_steps=10_000, bf16=device_bf16, seed=0, data_seed=0, dataloader_num_workers=0, disable_tqdm=True,
        dataloader_pin_memory=torch.cuda.is_available(),
    )
    trainer = Trainer(model=model, args=targs, train_dataset=dataset, data_collator=counting, callbacks=[timer])
    trainer.train()
    return {"seconds": timer.elapsed(), "tokens": counting.tokens, "slots": counting.slots,
            "params": model.num_parameters(), "layers": model.config.num_hidden_layers,
            "hidden": model.config.hidden_size}


def summarize(name: str, runs: list[dict], *, context: int) -> dict:
    """Totals over the rounds of one loop: real tokens/s, real-token share of slots, MFU on a GPU."""
    seconds = sum(r["seconds"] for r in runs)
    tokens, slots = sum(r["tokens"] for r in runs), sum(r["slots"] for r in runs)
    row = {"name": name, "rounds": len(runs), "seconds": seconds, "real_tokens": tokens,
           "slot_efficiency": tokens / max(1, slots), "tokens_per_s": tokens / seconds}
    if torch.cuda.is_available():
        r = runs[0]
        # 6N per token for the dense weights plus causal attention (6 * layers * hidden * context).
        flops_per_token = 6 * r["params"] + 6 * r["layers"] * r["hidden"] * context
        peak = next((v for k, v in PEAK_BF16.items() if k in torch.cuda.get_device_name()), None)
        row["mfu"] = flops_per_token * slots / seconds / peak if peak else None
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=sysconfig.get_paths()["stdlib"], help="code folder (default: stdlib)")
    parser.add_argument("--max-files", type=int, default=600)
    parser.add_argument("--preset", default="tiny")
    parser.add_argument("--context", type=int, default=512)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--grad-accum", type=int, default=1)
    parser.add_argument("--steps", type=int, default=8, help="timed steps per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each loop, alternated")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--vocab", type=int, default=8192)
    parser.add_argument("--attn", default="sdpa", choices=["sdpa", "eager", "flash_attention_2"])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/train_throughput.json"))
    args = parser.parse_args()

    repos = scan_code([args.corpus], max_file_bytes=60_000)
    rng = random.Random(0)
    files = [f for r in repos for f in r.files]
    files = rng.sample(files, min(args.max_files, len(files)))
    repos = [type(repos[0])(None, tuple(files))]
    tokenizer = train_tokenizer([f.code for f in files], vocab_size=args.vocab)
    t0 = time.perf_counter()
    docs_text = code_documents(repos, config=PretrainConfig(fim_rate=0.5, repo_level_rate=0.0,
                                                            context_length=args.context),
                               tokenizer=tokenizer, rng=rng).texts
    docs = tokenize_documents(tokenizer, docs_text)
    t1 = time.perf_counter()
    rows = pack(docs, length=args.context, pad_id=tokenizer.pad_token_id)
    t2 = time.perf_counter()
    model_config = ModelConfig(preset=args.preset, attn_implementation=args.attn)
    scratch = Path("runs/bench-train")
    lm_collate = DataCollatorForLanguageModeling(tokenizer, mlm=False)
    plain = ListDataset([{"input_ids": d[:args.context]} for d in docs])
    loops = [("plain-padded", plain, lm_collate),
             ("concat-chunk", PackedDataset(concat_chunk(docs, args.context)), default_data_collator),
             ("coderforge", PackedDataset(rows), default_data_collator)]
    # Rounds alternate the loops, so a machine whose load drifts treats them alike.
    runs: dict[str, list[dict]] = {name: [] for name, _, _ in loops}
    for _ in range(args.rounds):
        for name, dataset, collate in loops:
            runs[name].append(run(name, dataset, collate, args=args, tokenizer=tokenizer,
                                  model_config=model_config, out=scratch))
    results = [summarize(name, runs[name], context=args.context) for name, _, _ in loops]
    base = results[0]["tokens_per_s"]
    for r in results:
        r["ratio_vs_plain"] = r["tokens_per_s"] / base
    report = {
        "device": torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu",
        "preset": args.preset, "context": args.context, "batch": args.batch, "steps": args.steps,
        "rounds": args.rounds, "documents": len(docs),
        "document_tokens": sum(map(len, docs)), "packing_efficiency": rows.efficiency, "rows": len(rows),
        "tokenize_s": t1 - t0, "pack_s": t2 - t1, "results": results,
    }
    print(f"\n{report['device']} · preset {args.preset} · context {args.context} · batch {args.batch} · "
          f"{len(docs)} documents, {report['document_tokens']} tokens · packing efficiency "
          f"{100 * rows.efficiency:.2f}% ({len(rows)} rows, packed in {t2 - t1:.2f}s)\n")
    print(f"| {'loop':<13} | real tokens/s | ratio vs plain | real-token share of slots | MFU |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        mfu = f"{100 * r['mfu']:.1f}%" if r.get("mfu") else "-"
        print(f"| {r['name']:<13} | {r['tokens_per_s']:,.0f} | {r['ratio_vs_plain']:.2f} | "
              f"{100 * r['slot_efficiency']:.1f}% | {mfu} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
