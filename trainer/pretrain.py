"""`coderforge train pretrain`: a base model from file- and repo-level code (with FIM), text and
math, mixed to token fractions, packed to the context length (pretrain_data, on disk), trained with
HF Trainer."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coderforge.trainer.common import is_done, train_and_save, training_arguments
from coderforge.trainer.config import TrainConfig
from coderforge.trainer.corpus import is_held_out, iter_repos, iter_texts
from coderforge.trainer.modeling import new_model
from coderforge.trainer.pretrain_data import PackedRowsDataset, is_prepared, prepare_data, read_stats
from coderforge.trainer.tokenizer import load_tokenizer, train_tokenizer
from transformers import PreTrainedTokenizerBase, Trainer, default_data_collator

from coderforge.code.corpus import SkipCounter

log = logging.getLogger(__name__)


def tokenize_documents(tokenizer: PreTrainedTokenizerBase, texts: list[str]) -> list[list[int]]:
    """Token ids of each document, each ending with the end-of-text token."""
    if not texts:
        return []
    eos = tokenizer.convert_tokens_to_ids(tokenizer.eos_token)
    return [[*ids, eos] for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]]


def _training_texts(cfg: TrainConfig) -> Iterator[str]:
    """The code (held-out files left out), text and math a new tokenizer learns from, streamed."""
    pcfg = cfg.pretrain
    if pcfg.code:
        for repo in iter_repos(pcfg.code, max_file_bytes=pcfg.max_file_bytes, skipped=SkipCounter()):
            yield from (f.code for f in repo.files if not is_held_out(f, fraction=pcfg.held_out_fraction))
    yield from itertools.chain(iter_texts(pcfg.text), iter_texts(pcfg.math))


def prepare_tokenizer(cfg: TrainConfig, *, out: Path) -> PreTrainedTokenizerBase:
    """The configured tokenizer, or one trained on the corpus; saved in `out` so a resumed run reuses it."""
    if (out / "tokenizer.json").is_file():
        return load_tokenizer(out)
    if cfg.tokenizer.path:
        tokenizer = load_tokenizer(cfg.tokenizer.path)
    else:
        tokenizer = train_tokenizer(_training_texts(cfg), vocab_size=cfg.tokenizer.vocab_size,
                                    min_frequency=cfg.tokenizer.min_frequency)
    tokenizer.save_pretrained(str(out))
    return tokenizer


def run_pretrain(cfg: TrainConfig, *, out: Path) -> dict[str, Any]:
    """Pretrain into `out` (resuming there); returns the stats and training metrics."""
    if is_done(out):
        log.info("pretraining already finished in %s", out)
        return read_stats(out)
    args = training_arguments(cfg, "pretrain", out=out)
    out.mkdir(parents=True, exist_ok=True)
    pcfg = cfg.pretrain
    # Under accelerate, rank 0 prepares the tokenizer and the packed rows first; the other ranks (and a
    # resumed run) load them from disk, so every process trains on the same rows.
    with args.main_process_first(desc="pretraining data"):
        tokenizer = prepare_tokenizer(cfg, out=out)
        stats = read_stats(out) if is_prepared(out) else prepare_data(cfg, out=out, tokenizer=tokenizer)
    rows = PackedRowsDataset(out, length=pcfg.context_length, pad_id=tokenizer.pad_token_id)
    log.info("pretraining on %d rows of %d tokens (%.1f%% real tokens)", len(rows), pcfg.context_length,
             100 * stats["packing_efficiency"])
    model = new_model(cfg.model, tokenizer=tokenizer, seed=cfg.seed)
    trainer = Trainer(model=model, args=args, train_dataset=rows, data_collator=default_data_collator,
                      processing_class=tokenizer)
    return stats | {"train": train_and_save(trainer, out=out, tokenizer=tokenizer)}
