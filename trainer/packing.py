"""Packing tokenized documents into fixed-length rows, best-fit decreasing, with position ids that
restart at each document so attention never crosses a document boundary.

transformers turns position ids that restart (and no attention mask) into a block-diagonal causal
mask for sdpa and eager attention, and into varlen kernels for flash-attention 2, so the same rows
train correctly on CPU and GPU. The first token of each document gets no loss: nothing before it
in its own document predicts it.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
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

    @property
    def efficiency(self) -> float:
        """Fraction of row slots filled with real tokens."""
        return self.real_tokens / max(1, self.input_ids.numel())

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


def pack(docs: Sequence[Sequence[int]], *, length: int, pad_id: int) -> PackedRows:
    """Pack token documents into rows of `length` tokens."""
    plan = plan_rows(docs, length)
    input_ids = torch.full((len(plan), length), pad_id, dtype=torch.long)
    position_ids = torch.zeros((len(plan), length), dtype=torch.long)
    labels = torch.full((len(plan), length), IGNORE_INDEX, dtype=torch.long)
    real = 0
    for r, pieces in enumerate(plan):
        at = 0
        for piece in pieces:
            n = len(piece)
            ids = torch.as_tensor(piece, dtype=torch.long)
            input_ids[r, at:at + n] = ids
            position_ids[r, at:at + n] = torch.arange(n)
            labels[r, at + 1:at + n] = ids[1:]
            at += n
        real += at
        position_ids[r, at:] = torch.arange(length - at)
    return PackedRows(input_ids, position_ids, labels, real)
