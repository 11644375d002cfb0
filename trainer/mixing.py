"""Mixing documents from several sources (code, text, math) to target token fractions, from their
token counts alone, so the documents themselves can stay on disk."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence

from coderforge.errors import CoderforgeError


def mix_order(
    lengths: Mapping[str, Sequence[int]],
    weights: Mapping[str, float],
    *,
    max_tokens: int | None,
    seed: int,
    used: dict[str, int],
) -> Iterator[tuple[str, int]]:
    """(source, document index) in mixed order, each source's share of tokens tracking its weight at
    every point of the stream, so any stretch of it (a shard) holds the mix too.

    The next document always comes from the source furthest below its target share. Without
    `max_tokens` the stream ends when a source runs out (nothing is repeated); with it, sources are
    reshuffled and reused until the budget is met. `used` gathers tokens per source.
    """
    active = {name: w for name, w in weights.items() if w > 0}
    empty = [name for name in active if not len(lengths.get(name, ()))]
    if empty:
        raise CoderforgeError(f"mix gives weight to {', '.join(empty)} but no documents came from it; "
                              "add a source or set its weight to 0")
    if not active:
        raise CoderforgeError("mix gives no source a weight above 0")
    total_w = sum(active.values())
    share = {name: w / total_w for name, w in active.items()}
    rng = random.Random(seed)
    orders = {name: rng.sample(range(len(lengths[name])), len(lengths[name])) for name in active}
    cursor = dict.fromkeys(active, 0)
    used.update(dict.fromkeys(active, 0))
    total = 0
    while max_tokens is None or total < max_tokens:
        name = min(active, key=lambda n: (used[n] - share[n] * total) / share[n])
        if cursor[name] == len(orders[name]):
            if max_tokens is None:
                return
            rng.shuffle(orders[name])
            cursor[name] = 0
        index = orders[name][cursor[name]]
        cursor[name] += 1
        n = int(lengths[name][index])
        used[name] += n
        total += n
        yield name, index
