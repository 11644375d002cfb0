"""The pretraining data on disk: documents streamed from the corpus into an Arrow file, tokenized by
`datasets.map` (num_proc processes), mixed from their token counts and packed a window at a time
into an Arrow file of rows that training memory-maps. No step holds the corpus in memory.

Everything is derived from the config and the seed, so two preparations write the same rows, and
a run resumed from a checkpoint sees the rows in the same order (HF Trainer's seeded sampler)."""

from __future__ import annotations

import itertools
import json
import logging
import random
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
from coderforge.trainer.config import TrainConfig
from coderforge.trainer.corpus import iter_repos, iter_texts, split_held_out
from coderforge.trainer.documents import code_documents
from coderforge.trainer.mixing import mix_order
from coderforge.trainer.packing import pack_windows, row_tensors
from transformers import PreTrainedTokenizerBase

from coderforge.code.corpus import SkipCounter
from coderforge.errors import CoderforgeError

log = logging.getLogger(__name__)

DATA_DIR = "data"
ROWS_FILE = "rows.arrow"
STATS_FILE = "stats.json"
HELD_OUT_FILE = "heldout.jsonl"
SOURCES = ("code", "text", "math")
# Rows packed together (best-fit decreasing): large enough for >= 98% efficiency, small enough that
# one window's tokens are all the packer holds.
WINDOW_ROWS = 1024
# Documents per Arrow record batch while writing: bounds the buffered text.
WRITER_BATCH = 64


def _documents(cfg: TrainConfig, *, tokenizer: PreTrainedTokenizerBase, held_out: Path,
               counts: Counter[str], skipped: SkipCounter) -> Iterator[dict[str, Any]]:
    pcfg = cfg.pretrain
    if pcfg.code:
        repos = split_held_out(iter_repos(pcfg.code, max_file_bytes=pcfg.max_file_bytes, skipped=skipped),
                               fraction=pcfg.held_out_fraction, held_out=held_out)
        for text in code_documents(repos, config=pcfg, tokenizer=tokenizer, rng=random.Random(cfg.seed),
                                   counts=counts):
            yield {"source": 0, "text": text}
    else:
        held_out.write_text("")
    for source, paths in ((1, pcfg.text), (2, pcfg.math)):
        for text in iter_texts(paths):
            yield {"source": source, "text": text}


def _tokenize(batch: dict[str, list[Any]], *, tokenizer: PreTrainedTokenizerBase) -> dict[str, list[Any]]:
    eos = tokenizer.convert_tokens_to_ids(tokenizer.eos_token)
    ids = [[*doc, eos] for doc in tokenizer(batch["text"], add_special_tokens=False)["input_ids"]]
    return {"input_ids": ids, "length": [len(d) for d in ids]}


def _write_arrow(path: Path, rows: Iterator[dict[str, Any]], *, batch: int) -> int:
    from datasets.arrow_writer import ArrowWriter

    count = 0
    with ArrowWriter(path=str(path), writer_batch_size=batch) as writer:
        for row in rows:
            writer.write(row)
            count += 1
        writer.finalize()
    return count


def prepare_data(cfg: TrainConfig, *, out: Path, tokenizer: PreTrainedTokenizerBase) -> dict[str, Any]:
    """Write `out`/data (rows.arrow, stats.json) and `out`/heldout.jsonl; returns the stats.

    Built in a temporary folder renamed into place, so a killed preparation is redone, never half-used.
    """
    from datasets import Dataset

    pcfg = cfg.pretrain
    final, tmp = out / DATA_DIR, out / (DATA_DIR + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    counts: Counter[str] = Counter()
    skipped = SkipCounter()
    documents = _write_arrow(tmp / "documents.arrow", _documents(
        cfg, tokenizer=tokenizer, held_out=out / HELD_OUT_FILE, counts=counts, skipped=skipped), batch=WRITER_BATCH)
    if not documents:
        raise CoderforgeError("no pretraining documents: configure train.pretrain.code, text or math")
    tokens = Dataset.from_file(str(tmp / "documents.arrow")).map(
        _tokenize, batched=True, batch_size=WRITER_BATCH, writer_batch_size=WRITER_BATCH, remove_columns=["text"],
        fn_kwargs={"tokenizer": tokenizer}, num_proc=pcfg.num_proc if pcfg.num_proc > 1 else None,
        cache_file_name=str(tmp / "tokens.arrow"), new_fingerprint=f"tokens-{cfg.seed}", desc="tokenizing")
    source, length = (np.asarray(tokens.with_format("numpy")[c]) for c in ("source", "length"))
    where = {name: np.flatnonzero(source == k) for k, name in enumerate(SOURCES)}
    used: dict[str, int] = {}
    order = mix_order({name: length[idx] for name, idx in where.items()},
                      {name: pcfg.mix.get(name, 0.0) for name in SOURCES}, max_tokens=pcfg.max_tokens,
                      seed=cfg.seed, used=used)
    mixed = (tokens[int(where[name][i])]["input_ids"] for name, i in order)
    real = 0

    def rows() -> Iterator[dict[str, list[int]]]:
        nonlocal real
        for pieces in pack_windows(mixed, length=pcfg.context_length, window_rows=WINDOW_ROWS):
            real += sum(map(len, pieces))
            yield {"input_ids": list(itertools.chain.from_iterable(pieces)), "lengths": [len(p) for p in pieces]}

    n_rows = _write_arrow(tmp / ROWS_FILE, rows(), batch=WINDOW_ROWS)
    del tokens
    for scratch in tmp.glob("*.arrow"):
        if scratch.name != ROWS_FILE:
            scratch.unlink()
    stats = {"documents": documents, "tokens_per_source": used, "rows": n_rows,
             "packing_efficiency": real / max(1, n_rows * pcfg.context_length), "code_documents": dict(counts),
             "skipped_files": dict(skipped), "held_out_files": _count_lines(out / HELD_OUT_FILE)}
    (tmp / STATS_FILE).write_text(json.dumps(stats, indent=2))
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    return stats


def _count_lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def is_prepared(out: Path) -> bool:
    return (out / DATA_DIR / STATS_FILE).is_file()


def read_stats(out: Path) -> dict[str, Any]:
    return json.loads((out / DATA_DIR / STATS_FILE).read_text())


class PackedRowsDataset(torch.utils.data.Dataset):
    """The packed rows, memory-mapped from rows.arrow, as the dicts Trainer feeds the model (no
    attention mask: position ids restart per document, see packing)."""

    def __init__(self, out: Path, *, length: int, pad_id: int) -> None:
        from datasets import Dataset

        self.rows = Dataset.from_file(str(out / DATA_DIR / ROWS_FILE))
        self.length, self.pad_id = length, pad_id

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        row = self.rows[i]
        ids = row["input_ids"]
        bounds = itertools.accumulate(row["lengths"], initial=0)
        pieces = [ids[a:b] for a, b in itertools.pairwise(bounds)]
        return row_tensors(pieces, length=self.length, pad_id=self.pad_id)
