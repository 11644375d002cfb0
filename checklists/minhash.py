"""Hashing shared by the filters and the agents.

MinHash signatures of word shingles: near-duplicate samples (dedup) and instructions (the agents'
memory graph).

Vectorised window hashing and sorted-table lookups, for the decontamination rules: windows are
hashed with a polynomial rolling hash mod 2**64 computed by numpy over whole batches; callers
confirm every hit against the stored benchmark data, so a collision never rejects a sample.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash

WORD = re.compile(r"\w+")


def word_shingles(text: str, k: int, *, word: re.Pattern[str] = WORD) -> set[str]:
    """The lower-cased text's runs of `k` words, space-joined; a text of `k` words or fewer is one
    shingle, a text without words has none."""
    words = word.findall(text.lower())
    if len(words) <= k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i: i + k]) for i in range(len(words) - k + 1)}


def signature(shingles: Iterable[str], *, num_perm: int, seed: int) -> MinHash:
    """The MinHash of a set of shingles."""
    minhash = MinHash(num_perm=num_perm, seed=seed)
    minhash.update_batch([s.encode() for s in shingles])
    return minhash


_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd, so invertible mod 2**64
_FILTER_BITS = 23  # a 2**23-entry presence map in front of each sorted table (8 MiB)


class WindowHasher:
    """Polynomial hashes of every length-k window of a uint64 sequence, vectorised."""

    def __init__(self) -> None:
        self._pow = np.ones(1, dtype=np.uint64)
        self._inv = np.ones(1, dtype=np.uint64)

    def _powers(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self._pow) < n:
            size = max(n, 2 * len(self._pow))
            inv_base = np.uint64(pow(int(_BASE), -1, 2**64))
            with np.errstate(over="ignore"):
                self._pow = np.cumprod(np.concatenate([[np.uint64(1)], np.full(size - 1, _BASE)]), dtype=np.uint64)
                self._inv = np.cumprod(np.concatenate([[np.uint64(1)], np.full(size - 1, inv_base)]),
                                       dtype=np.uint64)
        return self._pow[:n], self._inv[:n]

    def windows(self, values: np.ndarray, k: int) -> np.ndarray:
        """hash(values[i:i+k]) for i in 0..len-k (uint64, wrapping arithmetic)."""
        n = len(values)
        if n < k:
            return np.empty(0, dtype=np.uint64)
        power, inverse = self._powers(n)
        with np.errstate(over="ignore"):
            prefix = np.concatenate([[np.uint64(0)], np.cumsum(values * power, dtype=np.uint64)])
            return (prefix[k:] - prefix[:-k]) * inverse[: n - k + 1]


def windows_without(values: np.ndarray, k: int, sentinel: int) -> np.ndarray:
    """Start positions of the length-k windows that contain no ``sentinel``."""
    bad = np.concatenate([[0], np.cumsum(values == sentinel)])
    return np.flatnonzero(bad[k:] - bad[:-k] == 0)


def presence(table: np.ndarray) -> np.ndarray:
    """Which top-23-bit prefixes occur in the table: most absent keys are ruled out by one gather,
    before any binary search. (Top bits: a polynomial hash mod 2**64 mixes upwards.)"""
    present = np.zeros(1 << _FILTER_BITS, dtype=bool)
    present[table >> np.uint64(64 - _FILTER_BITS)] = True
    return present


def lookup(table: np.ndarray, present: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(indexes into keys, positions in the sorted table) of the keys the table holds; with repeated
    table entries, the position of the first."""
    maybe = np.flatnonzero(present[keys >> np.uint64(64 - _FILTER_BITS)])
    if not len(table) or not len(maybe):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    candidates = keys[maybe]
    where = np.minimum(np.searchsorted(table, candidates), len(table) - 1)
    found = np.flatnonzero(table[where] == candidates)
    return maybe[found], where[found]
