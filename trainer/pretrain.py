"""`coderforge train pretrain`: a base model from file- and repo-level code (with FIM), text and
math, mixed to token fractions, packed to the context length, trained with HF Trainer."""

from __future__ import annotations

import dataclasses
import json
import logging
import random
from pathlib import Path
from typing import Any

import torch
from accelerate import PartialState
from coderforge.trainer.common import is_done, train_and_save, training_arguments
from coderforge.trainer.config import TrainConfig
from coderforge.trainer.corpus import Repo, read_texts, scan_code, split_held_out, write_held_out
from coderforge.trainer.documents import code_documents
from coderforge.trainer.mixing import mix
from coderforge.trainer.modeling import new_model
from coderforge.trainer.packing import PackedRows, pack
from coderforge.trainer.tokenizer import load_tokenizer, train_tokenizer
from transformers import PreTrainedTokenizerBase, Trainer, TrainingArguments, default_data_collator

log = logging.getLogger(__name__)

HELD_OUT_FILE = "heldout.jsonl"
STATS_FILE = "pretrain_stats.json"
ROWS_FILE = "packed_rows.pt"


class PackedDataset(torch.utils.data.Dataset):
    """Rows of a PackedRows as the dicts Trainer feeds the model (no attention mask: see packing)."""

    def __init__(self, rows: PackedRows) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {"input_ids": self.rows.input_ids[i], "position_ids": self.rows.position_ids[i],
                "labels": self.rows.labels[i]}


def tokenize_documents(tokenizer: PreTrainedTokenizerBase, texts: list[str]) -> list[list[int]]:
    """Token ids of each document, each ending with the end-of-text token."""
    if not texts:
        return []
    eos = tokenizer.convert_tokens_to_ids(tokenizer.eos_token)
    return [[*ids, eos] for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]]


def prepare_tokenizer(cfg: TrainConfig, *, out: Path, texts: list[str]) -> PreTrainedTokenizerBase:
    """The configured tokenizer, or one trained on `texts`; saved in `out` so a resumed run reuses it."""
    if (out / "tokenizer.json").is_file():
        return load_tokenizer(out)
    if cfg.tokenizer.path:
        tokenizer = load_tokenizer(cfg.tokenizer.path)
    else:
        tokenizer = train_tokenizer(texts, vocab_size=cfg.tokenizer.vocab_size,
                                    min_frequency=cfg.tokenizer.min_frequency)
    tokenizer.save_pretrained(str(out))
    return tokenizer


def build_rows(cfg: TrainConfig, *, repos: list[Repo], texts: dict[str, list[str]],
               tokenizer: PreTrainedTokenizerBase) -> tuple[PackedRows, dict[str, Any]]:
    """Documents from every source, mixed and packed; with counts for the stats file."""
    pcfg = cfg.pretrain
    code = code_documents(repos, config=pcfg, tokenizer=tokenizer, rng=random.Random(cfg.seed))
    tokens = {"code": tokenize_documents(tokenizer, code.texts)}
    tokens.update({name: tokenize_documents(tokenizer, docs) for name, docs in texts.items()})
    weights = {name: pcfg.mix.get(name, 0.0) for name in ("code", "text", "math")}
    stream, used = mix(tokens, weights, max_tokens=pcfg.max_tokens, seed=cfg.seed)
    rows = pack(stream, length=pcfg.context_length, pad_id=tokenizer.pad_token_id)
    stats = {"documents": len(stream), "tokens_per_source": used, "rows": len(rows),
             "packing_efficiency": rows.efficiency, "code_documents": code.counts}
    return rows, stats


def run_pretrain(cfg: TrainConfig, *, out: Path) -> dict[str, Any]:
    """Pretrain into `out` (resuming there); returns the stats and training metrics."""
    if is_done(out):
        log.info("pretraining already finished in %s", out)
        return json.loads((out / STATS_FILE).read_text())
    out.mkdir(parents=True, exist_ok=True)
    pcfg = cfg.pretrain
    # Under accelerate, rank 0 builds and saves the tokenizer and the packed rows first; the other
    # ranks (and a resumed run) load them, so every process trains on the same rows.
    with PartialState().main_process_first():
        if (out / ROWS_FILE).is_file() and (out / STATS_FILE).is_file():
            tokenizer = load_tokenizer(out)
            rows = PackedRows(**torch.load(out / ROWS_FILE, weights_only=True))
            stats = json.loads((out / STATS_FILE).read_text())
        else:
            tokenizer, rows, stats = _prepare_data(cfg, out=out)
    log.info("pretraining on %d rows of %d tokens (%.1f%% real tokens)", len(rows), pcfg.context_length,
             100 * rows.efficiency)
    model = new_model(cfg.model, tokenizer=tokenizer, seed=cfg.seed)
    args = TrainingArguments(**training_arguments(pcfg.run, out=out, seed=cfg.seed))
    trainer = Trainer(model=model, args=args, train_dataset=PackedDataset(rows),
                      data_collator=default_data_collator, processing_class=tokenizer)
    return stats | {"train": train_and_save(trainer, out=out, tokenizer=tokenizer)}


def _prepare_data(cfg: TrainConfig, *, out: Path) -> tuple[PreTrainedTokenizerBase, PackedRows, dict[str, Any]]:
    """Held-out split, tokenizer and packed rows, each written to `out` (atomically) for reuse."""
    pcfg = cfg.pretrain
    repos, held = split_held_out(scan_code(pcfg.code, max_file_bytes=pcfg.max_file_bytes) if pcfg.code else [],
                                 fraction=pcfg.held_out_fraction)
    write_held_out(held, out / HELD_OUT_FILE)
    texts = {"text": read_texts(pcfg.text), "math": read_texts(pcfg.math)}
    tokenizer = prepare_tokenizer(
        cfg, out=out, texts=[f.code for r in repos for f in r.files] + texts["text"] + texts["math"])
    rows, stats = build_rows(cfg, repos=repos, texts=texts, tokenizer=tokenizer)
    stats["held_out_files"] = len(held)
    tmp = out / (ROWS_FILE + ".tmp")
    torch.save(dataclasses.asdict(rows), tmp)
    tmp.replace(out / ROWS_FILE)
    tmp = out / (STATS_FILE + ".tmp")
    tmp.write_text(json.dumps(stats, indent=2))
    tmp.replace(out / STATS_FILE)
    return tokenizer, rows, stats
