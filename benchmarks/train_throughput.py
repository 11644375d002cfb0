"""Pretraining data and throughput: peak memory of coderforge's data preparation (pretrain_data:
Arrow on disk, packed a window at a time) at 1x and 10x corpus size, each in a fresh process; then
its packed rows (best-fit decreasing, document boundaries kept by position ids) against a plain HF
Trainer recipe on the same model and documents.

  plain-padded   one document per sequence, truncated to the context, padded per batch
                 (DataCollatorForLanguageModeling): the plain HF Trainer loop
  concat-chunk   run_clm's group_texts: documents concatenated and cut into rows; no padding, but
                 attention crosses document boundaries (shown for reference)
  coderforge     pack() + HF Trainer, attention kept inside documents

Reports peak RSS of preparation (target: 10x <= 1.2x of 1x), packing efficiency (target >= 98%),
real (non-padding) tokens/s, the ratio against plain-padded and, on a GPU, MFU. Writes
benchmarks/results/train_throughput.json.

  python benchmarks/train_throughput.py                       # CPU: tiny model, stdlib corpus
  python benchmarks/train_throughput.py --preset 0.5b --context 2048 --batch 8 --steps 10   # GPU
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import sysconfig
import time
from collections import Counter
from pathlib import Path

import torch
from coderforge.trainer.config import ModelConfig, TrainConfig
from coderforge.trainer.corpus import iter_repos
from coderforge.trainer.documents import code_documents
from coderforge.trainer.modeling import new_model
from coderforge.trainer.packing import PackedRows
from coderforge.trainer.pretrain import tokenize_documents
from coderforge.trainer.pretrain_data import PackedRowsDataset
from coderforge.trainer.tokenizer import load_tokenizer, train_tokenizer
from transformers import (
    DataCollatorForLanguageModeling,
    Trainer,
    TrainerCallback,
    TrainingArguments,
    default_data_collator,
)

from coderforge.code.corpus import SkipCounter

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


class RowsDataset(torch.utils.data.Dataset):
    """In-memory rows (the concat-chunk baseline)."""

    def __init__(self, rows: PackedRows) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {"input_ids": self.rows.input_ids[i], "position_ids": self.rows.position_ids[i],
                "labels": self.rows.labels[i]}


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


def data_config(corpus: Path, *, tokenizer: Path, context: int, num_proc: int) -> TrainConfig:
    """Code only, file-level, half FIM: the documents the throughput loops share."""
    return TrainConfig.model_validate({"seed": 0, "tokenizer": {"path": str(tokenizer)}, "pretrain": {
        "code": [str(corpus)], "mix": {"code": 1.0}, "fim_rate": 0.5, "repo_level_rate": 0.0,
        "held_out_fraction": 0.0, "context_length": context, "max_file_bytes": 60_000, "num_proc": num_proc}})


def prepare_in_child(config: TrainConfig, out: Path) -> dict:
    """Run prepare_data in a fresh process; its peak RSS (and the RSS after imports) come back."""
    code = ("import json, resource, sys, time; from pathlib import Path\n"
            "from coderforge.trainer.config import TrainConfig\n"
            "from coderforge.trainer.pretrain_data import prepare_data\n"
            "from coderforge.trainer.tokenizer import load_tokenizer\n"
            "cfg = TrainConfig.model_validate_json(sys.argv[1]); out = Path(sys.argv[2])\n"
            "tok = load_tokenizer(cfg.tokenizer.path)\n"
            "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; t = time.perf_counter()\n"
            "stats = prepare_data(cfg, out=out, tokenizer=tok)\n"
            "print(json.dumps({'seconds': time.perf_counter() - t, 'rss_after_imports_mb': base / 1024,\n"
            "  'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,\n"
            "  'children_peak_rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,\n"
            "  'stats': stats}))\n")
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", code, config.model_dump_json(), str(out)], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_corpus(folder: Path, files: list[Path], *, root: Path, copies: int) -> Path:
    """`copies` repositories, each a copy of `files` (kept at their paths under `root`)."""
    shutil.rmtree(folder, ignore_errors=True)
    for c in range(copies):
        for f in files:
            target = folder / f"repo{c:02d}" / f.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path(sysconfig.get_paths()["stdlib"]),
                        help="code folder (default: stdlib)")
    parser.add_argument("--max-files", type=int, default=600)
    parser.add_argument("--scale", type=int, default=10, help="the large corpus is this many copies of the small")
    parser.add_argument("--num-proc", type=int, default=1, help="tokenizing processes in preparation")
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

    scratch = Path("runs/bench-train")
    repos = iter_repos([str(args.corpus)], max_file_bytes=60_000, skipped=SkipCounter())
    found = sorted(args.corpus / (f"{r.name}/{f.path}" if r.name else f.path) for r in repos for f in r.files)
    files = random.Random(0).sample(found, min(args.max_files, len(found)))
    tokenizer = train_tokenizer((p.read_text() for p in files), vocab_size=args.vocab)
    tokenizer.save_pretrained(str(scratch / "tokenizer"))
    tokenizer = load_tokenizer(scratch / "tokenizer")
    prep = {}
    for scale in (1, args.scale):
        corpus = make_corpus(scratch / f"corpus-{scale}x", files, root=args.corpus, copies=scale)
        config = data_config(corpus, tokenizer=scratch / "tokenizer", context=args.context, num_proc=args.num_proc)
        shutil.rmtree(scratch / f"prep-{scale}x", ignore_errors=True)
        prep[scale] = prepare_in_child(config, scratch / f"prep-{scale}x")
    small = prep[1]
    stats = small["stats"]

    config = data_config(scratch / "corpus-1x", tokenizer=scratch / "tokenizer", context=args.context, num_proc=1)
    # The same documents prepare_data wrote (same walk, seed and FIM draws), in memory for the baselines.
    docs = tokenize_documents(tokenizer, list(code_documents(
        iter_repos(config.pretrain.code, max_file_bytes=60_000, skipped=SkipCounter()), config=config.pretrain,
        tokenizer=tokenizer, rng=random.Random(config.seed), counts=Counter())))
    model_config = ModelConfig(preset=args.preset, attn_implementation=args.attn)
    lm_collate = DataCollatorForLanguageModeling(tokenizer, mlm=False)
    plain = ListDataset([{"input_ids": d[:args.context]} for d in docs])
    rows = PackedRowsDataset(scratch / "prep-1x", length=args.context, pad_id=tokenizer.pad_token_id)
    loops = [("plain-padded", plain, lm_collate),
             ("concat-chunk", RowsDataset(concat_chunk(docs, args.context)), default_data_collator),
             ("coderforge", rows, default_data_collator)]
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
    big = prep[args.scale]
    report = {
        "device": torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu",
        "preset": args.preset, "context": args.context, "batch": args.batch, "steps": args.steps,
        "rounds": args.rounds, "files": len(files), "documents": len(docs),
        "document_tokens": sum(map(len, docs)), "packing_efficiency": stats["packing_efficiency"],
        "rows": stats["rows"], "preparation": {f"{k}x": v for k, v in prep.items()},
        "peak_rss_ratio": big["peak_rss_mb"] / small["peak_rss_mb"], "results": results,
    }
    print(f"\n{report['device']} · preset {args.preset} · context {args.context} · batch {args.batch} · "
          f"{len(files)} files, {len(docs)} documents, {report['document_tokens']} tokens\n")
    print("| corpus | documents | rows | packing efficiency | prep seconds | RSS after imports | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for scale, p in prep.items():
        print(f"| {scale}x | {p['stats']['documents']} | {p['stats']['rows']} | "
              f"{100 * p['stats']['packing_efficiency']:.2f}% | {p['seconds']:.1f} | "
              f"{p['rss_after_imports_mb']:.0f} MiB | {p['peak_rss_mb']:.0f} MiB |")
    print(f"\npeak RSS {args.scale}x / 1x: {report['peak_rss_ratio']:.3f} (target <= 1.2)\n")
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
