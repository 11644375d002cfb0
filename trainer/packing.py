"""Packing tokenized documents into fixed-length rows, best-fit decreasing, with position ids that
restart at each document so attention never crosses a document boundary.

transformers turns position ids that restart (and no attention mask) into a block-diagonal causal
mask for sdpa and eager attention, and into varlen kernels for flash-attention 2, so the same rows
train correctly on CPU and GPU. The first token of each document gets no loss: nothing before it
in its own document predicts it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import torch

IGNORE_INDEX = -100


@dataclass(frozen=True)
class PackedRows:
    input_ids: torch.Tensor
    """(rows, length) token ids; padding is `pad_id`."""
    position_ids: torch.Tensor
    """(rows, length); restart at 0 at each document (and at the padding tail)."""
    labels: torch.Tensor
    """(rows, length); IGNORE_INDEX on padding and on each document's first token."""
    real_tokens: int
    """Tokens that came from documents (not padding)."""

    def __len__(self) -> int:
        return self.input_ids.shape[0]


def _pieces(docs: Sequence[Sequence[int]], length: int) -> list[Sequence[int]]:
    """Documents longer than a row are cut into row-sized pieces (each piece fills a row exactly)."""
    out: list[Sequence[int]] = []
    for doc in docs:
        for start in range(0, len(doc), length):
            piece = doc[start:start + length]
            if len(piece) > 1:  # a lone token has nothing to predict within its piece
                out.append(piece)
    return out


def plan_rows(docs: Sequence[Sequence[int]], length: int) -> list[list[Sequence[int]]]:
    """Best-fit decreasing: each piece, longest first, goes to the row whose free space fits it most
    tightly. Rows are kept sorted by free space, so each placement is a binary search."""
    rows: list[list[Sequence[int]]] = []
    free: list[int] = []  # free space of open rows, ascending
    order: list[int] = []  # row index for each entry of `free`
    for piece in sorted(_pieces(docs, length), key=len, reverse=True):
        at = bisect.bisect_left(free, len(piece))
        if at == len(free):
            rows.append([piece])
            row, left = len(rows) - 1, length - len(piece)
        else:
            row, left = order.pop(at), free.pop(at) - len(piece)
            rows[row].append(piece)
        if left > 1:  # a one-slot gap cannot hold a useful piece
            at = bisect.bisect_left(free, left)
            free.insert(at, left)
            order.insert(at, row)
    return rows


def pack_windows(docs: Iterable[Sequence[int]], *, length: int, window_rows: int) -> Iterator[list[Sequence[int]]]:
    """The rows of a document stream, packed best-fit decreasing a window of about `window_rows` rows'
    worth of tokens at a time, so memory holds one window, whatever the stream's length."""
    window: list[Sequence[int]] = []
    tokens = 0
    for doc in docs:
        window.append(doc)
        tokens += len(doc)
        if tokens >= window_rows * length:
            yield from plan_rows(window, length)
            window, tokens = [], 0
    if window:
        yield from plan_rows(window, length)


def row_tensors(pieces: Sequence[Sequence[int]], *, length: int, pad_id: int) -> dict[str, torch.Tensor]:
    """input_ids, position_ids (restarting per piece, and for the padding tail) and labels of one row."""
    input_ids = torch.full((length,), pad_id, dtype=torch.long)
    position_ids = torch.zeros(length, dtype=torch.long)
    labels = torch.full((length,), IGNORE_INDEX, dtype=torch.long)
    at = 0
    for piece in pieces:
        n = len(piece)
        ids = torch.as_tensor(piece, dtype=torch.long)
        input_ids[at:at + n] = ids
        position_ids[at:at + n] = torch.arange(n)
        labels[at + 1:at + n] = ids[1:]
        at += n
    position_ids[at:] = torch.arange(length - at)
    return {"input_ids": input_ids, "position_ids": position_ids, "labels": labels}


def pack(docs: Sequence[Sequence[int]], *, length: int, pad_id: int) -> PackedRows:
    """Pack token documents into rows of `length` tokens, all in memory (held-out evaluation)."""
    plan = plan_rows(docs, length)
    rows = [row_tensors(pieces, length=length, pad_id=pad_id) for pieces in plan]
    if not rows:
        empty = torch.zeros((0, length), dtype=torch.long)
        return PackedRows(empty, empty, empty, 0)
    return PackedRows(*(torch.stack([r[k] for r in rows]) for k in ("input_ids", "position_ids", "labels")),
                      real_tokens=sum(len(p) for pieces in plan for p in pieces))
