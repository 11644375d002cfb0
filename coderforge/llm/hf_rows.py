"""Mixed batches for transformers' `generate`: every row (one sequence) keeps its own sampling
settings, length limit, stop strings and JSON grammar, so requests from different roles share one
forward pass instead of queueing behind each other in per-setting groups.

`generate` runs greedy; `RowSampler`, its logits processor, draws each sampled row's token itself
(its temperature, top-p and seeded generator) and leaves only that token possible, so the greedy
pick is the row's own draw. `RowStops` ends rows at their own stop strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from transformers import LogitsProcessor, StoppingCriteria

#: Generated tokens decoded to look for a stop string (the longest stop string fits in far fewer).
STOP_WINDOW_TOKENS = 32


@dataclass(frozen=True)
class Row:
    """One sequence of a batch: its prompt and how to continue it."""

    prompt: list[int]
    temperature: float
    top_p: float
    max_tokens: int
    stop: tuple[str, ...] = ()
    seed: int | None = None
    grammar: Any = None
    """An xgrammar CompiledGrammar constraining the row, or None."""


class RowSampler(LogitsProcessor):
    """Per row: applies the grammar's token mask, ends the row at its `max_tokens` with `end_id`,
    and samples (temperature, top-p, seed). Use one instance per `generate` call."""

    def __init__(self, rows: Sequence[Row], *, prompt_width: int, end_id: int, end_ids: set[int]) -> None:
        self._rows = rows
        self._width = prompt_width
        self._end_id = end_id
        self._end_ids = end_ids
        self._ended = [False] * len(rows)
        self._matchers: list[Any] = [None] * len(rows)
        self._bitmask: Any = None
        if any(r.grammar is not None for r in rows):
            import xgrammar

            self._matchers = [None if r.grammar is None else xgrammar.GrammarMatcher(r.grammar) for r in rows]
            vocab = next(r.grammar for r in rows if r.grammar is not None).tokenizer_info.vocab_size
            self._bitmask = xgrammar.allocate_token_bitmask(len(rows), vocab)
        self._generators: list[torch.Generator | None] = [None] * len(rows)

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        step = input_ids.shape[1] - self._width
        if step > 0:
            self._accept(input_ids[:, -1].tolist())
        self._mask_grammars(scores)
        sampled = [i for i, r in enumerate(self._rows) if r.temperature > 0 and not self._ended[i]]
        if sampled:
            self._sample(scores, sampled)
        for i, row in enumerate(self._rows):
            if not self._ended[i] and step >= row.max_tokens:  # out of budget: the end token only
                scores[i] = float("-inf")
                scores[i, self._end_id] = 0.0
        return scores

    def _accept(self, last: list[int]) -> None:
        """Feed each live row's previous token to its grammar; note rows that have ended."""
        for i, token in enumerate(last):
            if self._ended[i]:
                continue
            if token in self._end_ids:
                self._ended[i] = True
            elif (matcher := self._matchers[i]) is not None and not matcher.is_terminated():
                matcher.accept_token(token)

    def _mask_grammars(self, scores: torch.FloatTensor) -> None:
        if self._bitmask is None:
            return
        import xgrammar

        live = [i for i, m in enumerate(self._matchers)
                if m is not None and not self._ended[i] and not m.is_terminated()]
        for i in live:
            self._matchers[i].fill_next_token_bitmask(self._bitmask, i)
        if live:  # xgrammar masks on CPU or CUDA; other devices go through the CPU
            target = scores if scores.device.type in ("cpu", "cuda") else scores.cpu()
            xgrammar.apply_token_bitmask_inplace(target, self._bitmask.to(target.device), indices=live)
            if target is not scores:
                scores.copy_(target)

    def _sample(self, scores: torch.FloatTensor, rows: list[int]) -> None:
        """Draw a token for each sampled row; leave only it possible."""
        index = torch.tensor(rows, device=scores.device)
        temps = torch.tensor([self._rows[i].temperature for i in rows], device=scores.device).unsqueeze(1)
        probs = torch.softmax(scores[index].float() / temps, dim=-1)
        top_p = torch.tensor([self._rows[i].top_p for i in rows], device=scores.device).unsqueeze(1)
        if (top_p < 1).any():  # keep the smallest set of top tokens whose mass reaches top_p
            sorted_probs, order = probs.sort(dim=-1, descending=True)
            before = sorted_probs.cumsum(dim=-1) - sorted_probs
            sorted_probs[before >= top_p] = 0.0
            probs = torch.zeros_like(probs).scatter(-1, order, sorted_probs)
        for k, i in enumerate(rows):
            token = torch.multinomial(probs[k], 1, generator=self._generator(i, scores.device)).item()
            scores[i] = float("-inf")
            scores[i, token] = 0.0

    def _generator(self, i: int, device: torch.device) -> torch.Generator | None:
        """A row's own seeded generator (so its draw does not depend on its batch), or the global one."""
        seed = self._rows[i].seed
        if seed is None:
            return None
        if self._generators[i] is None:
            self._generators[i] = torch.Generator(device=device).manual_seed(seed)
        return self._generators[i]


class RowStops(StoppingCriteria):
    """Ends each row at the first of its own stop strings."""

    def __init__(self, rows: Sequence[Row], *, tokenizer: Any, prompt_width: int) -> None:
        self._stops = [(i, r.stop) for i, r in enumerate(rows) if r.stop]
        self._tokenizer = tokenizer
        self._width = prompt_width

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor, **kwargs: Any) -> torch.BoolTensor:
        done = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)
        start = max(self._width, input_ids.shape[1] - STOP_WINDOW_TOKENS)
        for i, stops in self._stops:
            tail = self._tokenizer.decode(input_ids[i, start:], skip_special_tokens=True)
            done[i] = any(s in tail for s in stops)
        return done
