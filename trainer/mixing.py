"""Mixing tokenized documents from several sources (code, text, math) to target token fractions."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from coderforge.errors import CoderforgeError


def mix(
    sources: Mapping[str, Sequence[Sequence[int]]],
    weights: Mapping[str, float],
    *,
    max_tokens: int | None,
    seed: int,
) -> tuple[list[Sequence[int]], dict[str, int]]:
    """Interleave documents so each source's share of tokens tracks its weight.

    The next document always comes from the source furthest below its target share. Without
    `max_tokens` the stream ends when a source runs out (nothing is repeated); with it, sources are
    reshuffled and reused until the budget is met. Returns the documents and tokens per source.
    """
    active = {name: w for name, w in weights.items() if w > 0}
    empty = [name for name in active if not sources.get(name)]
    if empty:
        raise CoderforgeError(f"mix gives weight to {', '.join(empty)} but no documents came from it; "
                              "add a source or set its weight to 0")
    if not active:
        raise CoderforgeError("mix gives no source a weight above 0")
    total_w = sum(active.values())
    share = {name: w / total_w for name, w in active.items()}
    rng = random.Random(seed)
    orders = {name: rng.sample(range(len(sources[name])), len(sources[name])) for name in active}
    cursor = dict.fromkeys(active, 0)
    used = dict.fromkeys(active, 0)
    out: list[Sequence[int]] = []
    total = 0
    while max_tokens is None or total < max_tokens:
        name = min(active, key=lambda n: (used[n] - share[n] * total) / share[n])
        if cursor[name] == len(orders[name]):
            if max_tokens is None:
                break
            rng.shuffle(orders[name])
            cursor[name] = 0
        doc = sources[name][orders[name][cursor[name]]]
        cursor[name] += 1
        out.append(doc)
        used[name] += len(doc)
        total += len(doc)
    return out, used
