"""Benchmark decontamination: word n-gram overlap (10-grams, as in the Qwen2.5-Coder report) and
exact matches of long substrings, against an index built once per benchmark set and cached on disk.

Matching ignores case, whitespace and punctuation for n-grams (words are ``\\w+`` runs), and case
and whitespace for substrings. Both checks hash windows with a polynomial rolling hash mod 2**64
computed by numpy over whole batches, and confirm every hit against the stored benchmark text, so a
hash collision can never reject a clean sample. Words absent from every benchmark get id 0, which
no indexed n-gram contains: most windows of clean text are discarded before any lookup.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np

from coderforge.errors import CoderforgeError
from coderforge.filters.config import BenchmarkSource, DecontamConfig
from coderforge.records import (
    Record,
    add_verdict,
    atomic_writer,
    instruction_text,
    json_object,
    solution_text,
    tests_text,
)

__all__ = ["BenchmarkError", "DecontamConfig", "Decontaminator", "Match", "load_benchmark"]

log = logging.getLogger(__name__)

STAGE = "decontam"
_INDEX_VERSION = 4
_WORD = re.compile(r"\w+")
_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd, so invertible mod 2**64
_MIN_DISTINCT_TENTHS = 7  # an indexed n-gram has at least 70% distinct words
_SEP = "\x00"  # joins texts; windows across it are dropped
_ID_FIELDS = ("task_id", "id", "unique_id")  # tried in order when a source names no id_field
_TEXT_GETTERS = {"instruction": instruction_text, "solution": solution_text, "tests": tests_text}


class BenchmarkError(CoderforgeError, ValueError):
    """A benchmark file is missing or does not hold the fields it was registered with."""


@dataclass(frozen=True)
class Match:
    """Where a text overlaps a benchmark: which item, by which check, and the shared text."""

    benchmark: str
    item_id: str
    kind: Literal["ngram", "substring"]
    matched: str
    """The shared n-gram (its words, space-joined) or substring (normalised)."""


@dataclass(frozen=True)
class _Item:
    benchmark: str
    item_id: str
    text: str


def normalise(text: str) -> str:
    """Lower-case with whitespace runs collapsed to one space (what substring matching compares)."""
    return " ".join(text.lower().split())


def _field_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    return json.dumps(value, ensure_ascii=False)


def default_benchmark_dir() -> Path:
    """`shared/benchmarks` beside the checkout coderforge runs from, if there is one, else ".". """
    beside = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks"
    return beside if beside.is_dir() else Path(".")


def resolve_path(source: BenchmarkSource, benchmark_dir: str | Path | None) -> Path:
    """The file a source names: a package resource, an absolute path or one under benchmark_dir
    (`default_benchmark_dir()` when None)."""
    if source.path.startswith("package:"):
        package, _, inner = source.path.removeprefix("package:").partition("/")
        try:
            return Path(str(resources.files(package).joinpath(inner)))
        except ModuleNotFoundError as e:
            raise BenchmarkError(f"benchmark {source.name}: package {package!r} is not installed") from e
    path = Path(source.path).expanduser()
    return path if path.is_absolute() else Path(benchmark_dir or default_benchmark_dir()) / path


def _read_lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


def load_benchmark(source: BenchmarkSource, path: Path) -> list[_Item]:
    """The items of one benchmark file: its registered fields joined, with their ids."""
    items: list[_Item] = []
    seen_fields: set[str] = set()
    try:
        for lineno, line in enumerate(_read_lines(path), 1):
            if not line.strip():
                continue
            try:
                obj = json_object(line)
            except ValueError as e:
                raise BenchmarkError(f"benchmark {source.name}: {path}:{lineno}: {e}") from e
            present = [f for f in source.fields if obj.get(f) not in (None, "", [])]
            seen_fields.update(present)
            if not present:
                continue
            id_field = source.id_field or next((f for f in _ID_FIELDS if f in obj), None)
            item_id = str(obj.get(id_field, lineno)) if id_field else str(lineno)
            items.append(_Item(source.name, item_id, "\n".join(_field_text(obj[f]) for f in present)))
    except OSError as e:
        raise BenchmarkError(f"benchmark {source.name}: cannot read {path}: {e.strerror or e}") from e
    missing = [f for f in source.fields if f not in seen_fields]
    if missing:
        raise BenchmarkError(f"benchmark {source.name}: no item of {path} has the field(s) {', '.join(missing)}")
    if not items:
        raise BenchmarkError(f"benchmark {source.name}: {path} holds no items")
    return items


class _Hasher:
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


def _windows_without(values: np.ndarray, k: int, sentinel: int) -> np.ndarray:
    """Start positions of the length-k windows that contain no ``sentinel``."""
    bad = np.concatenate([[0], np.cumsum(values == sentinel)])
    return np.flatnonzero(bad[k:] - bad[:-k] == 0)


_FILTER_BITS = 23  # a 2**23-entry presence map in front of each sorted table (8 MiB)


def _presence(table: np.ndarray) -> np.ndarray:
    """Which top-23-bit prefixes occur in the table: most absent keys are ruled out by one gather,
    before any binary search. (Top bits: a polynomial hash mod 2**64 mixes upwards.)"""
    present = np.zeros(1 << _FILTER_BITS, dtype=bool)
    present[table >> np.uint64(64 - _FILTER_BITS)] = True
    return present


def _lookup(table: np.ndarray, present: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(indexes into keys, positions in the sorted table) of the keys the table holds."""
    maybe = np.flatnonzero(present[keys >> np.uint64(64 - _FILTER_BITS)])
    if not len(table) or not len(maybe):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    candidates = keys[maybe]
    where = np.minimum(np.searchsorted(table, candidates), len(table) - 1)
    found = np.flatnonzero(table[where] == candidates)
    return maybe[found], where[found]


class Decontaminator:
    """An index over benchmark items; `check` finds a text's first overlap with any of them.

    Build it with `from_config` (cached on disk) or from sources directly.
    """

    def __init__(self, sources: Sequence[BenchmarkSource], *, benchmark_dir: str | Path | None = None, ngram: int = 10,
                 min_substring_chars: int = 64, cache_dir: str | Path | None = None) -> None:
        if not sources:
            raise BenchmarkError("no benchmarks to decontaminate against")
        self.ngram = ngram
        self.min_substring_chars = min_substring_chars
        self._hasher = _Hasher()
        paths = [resolve_path(s, benchmark_dir) for s in sources]
        missing = [f"{s.name} ({p})" for s, p in zip(sources, paths, strict=True) if not p.is_file()]
        if missing:
            raise BenchmarkError(f"benchmark file(s) not found: {', '.join(missing)}; set decontam.benchmark_dir, "
                                 "fix the paths in decontam.benchmarks, or pass --bench NAME=PATH:FIELD")
        key = self._cache_key(sources, paths)
        cache = Path(cache_dir).expanduser() if cache_dir else Path.home() / ".cache" / "coderforge" / "decontam"
        cache_file = cache / f"index-{key}.npz"
        if cache_file.is_file():
            self._load(cache_file)
            log.debug("decontam index loaded from %s", cache_file)
        else:
            self._build([item for s, p in zip(sources, paths, strict=True) for item in load_benchmark(s, p)])
            self._save(cache_file)
            log.info("decontam index built (%d items, %d n-grams) and cached in %s",
                     len(self._items), len(self._ngram_hash), cache_file)
        self.benchmarks = tuple(s.name for s in sources)
        self._ngram_present, self._sub_present = _presence(self._ngram_hash), _presence(self._sub_hash)

    @classmethod
    def from_config(cls, config: DecontamConfig) -> Decontaminator:
        return cls(config.benchmarks, benchmark_dir=config.benchmark_dir, ngram=config.ngram,
                   min_substring_chars=config.min_substring_chars, cache_dir=config.cache_dir)

    def _cache_key(self, sources: Sequence[BenchmarkSource], paths: Sequence[Path]) -> str:
        digest = hashlib.sha256(f"v{_INDEX_VERSION}:{self.ngram}:{self.min_substring_chars}".encode())
        for source, path in zip(sources, paths, strict=True):
            digest.update(source.model_dump_json(exclude={"path"}).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()[:24]

    # -- building and caching ------------------------------------------------------------------

    def _build(self, items: list[_Item]) -> None:
        self._items = [(it.benchmark, it.item_id) for it in items]
        self._build_ngrams(items)
        self._build_substrings(items)

    def _build_ngrams(self, items: list[_Item]) -> None:
        vocab: dict[str, int] = {}
        word_ids: list[int] = []
        word_starts: list[int] = []
        for it in items:
            word_starts.append(len(word_ids))
            word_ids.extend(vocab.setdefault(w, len(vocab) + 1) for w in _WORD.findall(it.text.lower()))
            word_ids.append(0)
        self._vocab = vocab
        self._words = np.array(word_ids, dtype=np.uint64)
        self._word_starts = np.array(word_starts, dtype=np.int64)
        # N-grams mostly of numbers ("a total of 4 2 4 2 8 8") or of few distinct words ("for i in range
        # n for j in range n") are common in clean text: only varied, mostly-word n-grams are indexed.
        numeric = np.array([False] + [w.isdigit() for w in vocab], dtype=bool)[self._words.astype(np.int64)]
        starts = _windows_without(self._words, self.ngram, 0)
        wordy = np.concatenate([[0], np.cumsum(~numeric)])
        starts = starts[2 * (wordy[starts + self.ngram] - wordy[starts]) >= self.ngram]
        windows = np.sort(np.lib.stride_tricks.sliding_window_view(self._words, self.ngram)[starts], axis=1)
        distinct = 1 + np.count_nonzero(np.diff(windows, axis=1), axis=1)
        starts = starts[distinct * 10 >= self.ngram * _MIN_DISTINCT_TENTHS]
        self._ngram_hash, self._ngram_pos = self._table(self._words, starts, self.ngram)

    def _build_substrings(self, items: list[_Item]) -> None:
        texts = [normalise(it.text) for it in items]
        self._chars = _SEP.join(texts) + _SEP
        self._char_starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]], dtype=np.int64)
        codes = self._codes(self._chars)
        starts = self._anchored_windows(codes, self.min_substring_chars) if self.min_substring_chars else np.empty(0)
        self._sub_hash, self._sub_pos = self._table(codes, starts.astype(np.int64), self.min_substring_chars)

    def _table(self, values: np.ndarray, starts: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Sorted unique window hashes and the first position of each."""
        if not len(starts):
            return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
        hashes = self._hasher.windows(values, k)[starts]
        unique, first = np.unique(hashes, return_index=True)
        return unique, starts[first]

    def _save(self, path: Path) -> None:
        meta = {"vocab": list(self._vocab), "items": self._items, "chars": self._chars}
        with atomic_writer(path.with_suffix(".json")) as handle:
            json.dump(meta, handle, ensure_ascii=False)
        # np.savez appends .npz to names without it, so hand it an open file.
        with atomic_writer(path) as handle, open(handle.fileno(), "wb", closefd=False) as raw:
            np.savez(raw, words=self._words, word_starts=self._word_starts, ngram_hash=self._ngram_hash,
                     ngram_pos=self._ngram_pos, char_starts=self._char_starts, sub_hash=self._sub_hash,
                     sub_pos=self._sub_pos)

    def _load(self, path: Path) -> None:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        self._vocab = {w: i for i, w in enumerate(meta["vocab"], 1)}
        self._items = [tuple(it) for it in meta["items"]]
        self._chars = meta["chars"]
        with np.load(path) as arrays:
            for name in ("words", "word_starts", "ngram_hash", "ngram_pos", "char_starts", "sub_hash", "sub_pos"):
                setattr(self, f"_{name}", arrays[name])

    # -- checking ---------------------------------------------------------------------------------

    @staticmethod
    def _codes(text: str) -> np.ndarray:
        return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)

    @staticmethod
    def _anchored_windows(codes: np.ndarray, k: int) -> np.ndarray:
        """Substring windows start at word starts only: any shared substring longer than k plus
        the longest word still holds one, and there are several times fewer windows to hash."""
        starts = _windows_without(codes, k, 0)
        anchored = np.ones(len(codes), dtype=bool)
        anchored[1:] = (codes[:-1] == 32) | (codes[:-1] == 0)
        anchored &= codes != 32
        return starts[anchored[starts]]

    def check(self, text: str) -> Match | None:
        """The first overlap of ``text`` with a benchmark item, or None when it is clean."""
        return self.check_many([text])[0]

    def check_many(self, texts: Sequence[str]) -> list[Match | None]:
        """`check` for a batch (much faster per text: the hashing runs once over the batch)."""
        found: list[Match | None] = [None] * len(texts)
        self._check_ngrams(texts, found)
        if self.min_substring_chars:
            self._check_substrings(texts, found)
        return found

    def _check_ngrams(self, texts: Sequence[str], found: list[Match | None]) -> None:
        vocab_get = self._vocab.get
        ids: list[int] = []
        starts: list[int] = []
        for text in texts:
            starts.append(len(ids))
            ids.extend([vocab_get(w, 0) for w in _WORD.findall(text.lower())])
            ids.append(0)
        values = np.array(ids, dtype=np.uint64)
        candidates = _windows_without(values, self.ngram, 0)
        if not len(candidates):
            return
        hashes = self._hasher.windows(values, self.ngram)[candidates]
        hit, where = _lookup(self._ngram_hash, self._ngram_present, hashes)
        owners = np.searchsorted(np.array(starts), candidates[hit], side="right") - 1
        for pos, table_pos, owner in zip(candidates[hit], self._ngram_pos[where], owners, strict=True):
            if found[owner] is not None:
                continue
            window = values[pos: pos + self.ngram]
            if not np.array_equal(window, self._words[table_pos: table_pos + self.ngram]):
                continue  # a hash collision, not a match
            item = int(np.searchsorted(self._word_starts, table_pos, side="right") - 1)
            offset = int(pos) - starts[owner]  # every word of the text has an id, so offsets agree
            ngram = " ".join(_WORD.findall(texts[owner].lower())[offset: offset + self.ngram])
            found[owner] = Match(*self._items[item], kind="ngram", matched=ngram)

    def _check_substrings(self, texts: Sequence[str], found: list[Match | None]) -> None:
        pending = [i for i, m in enumerate(found) if m is None]
        if not pending:
            return
        normed = [normalise(texts[i]) for i in pending]
        joined = _SEP.join(normed) + _SEP
        codes = self._codes(joined)
        k = self.min_substring_chars
        candidates = self._anchored_windows(codes, k)
        if not len(candidates):
            return
        hit, where = _lookup(self._sub_hash, self._sub_present, self._hasher.windows(codes, k)[candidates])
        offsets = np.cumsum([0] + [len(t) + 1 for t in normed[:-1]], dtype=np.int64)
        owners = np.searchsorted(offsets, candidates[hit], side="right") - 1
        for pos, table_pos, owner in zip(candidates[hit], self._sub_pos[where], owners, strict=True):
            index = pending[owner]
            piece = joined[pos: pos + k]
            if found[index] is not None or piece != self._chars[table_pos: table_pos + k]:
                continue
            item = int(np.searchsorted(self._char_starts, table_pos, side="right") - 1)
            found[index] = Match(*self._items[item], kind="substring", matched=piece)

    # -- records --------------------------------------------------------------------------------

    def check_records(self, records: Sequence[Record], *, fields: Iterable[str] = ("instruction", "solution",
                                                                                     "tests")) -> list[Record]:
        """Add a decontam verdict to each record (checking the given text fields) and return them."""
        fields = list(fields)
        texts = [_TEXT_GETTERS[f](r) for r in records for f in fields]
        matches = self.check_many(texts)
        for i, record in enumerate(records):
            per_field = matches[i * len(fields): (i + 1) * len(fields)]
            hit = next(((f, m) for f, m in zip(fields, per_field, strict=True) if m is not None), None)
            if hit is None:
                add_verdict(record, stage=STAGE, passed=True, reason="no benchmark overlap")
                continue
            field, m = hit
            what = f"word {self.ngram}-gram" if m.kind == "ngram" else f"{self.min_substring_chars}-char substring"
            add_verdict(record, stage=STAGE, passed=False,
                        reason=f"{field} shares a {what} with {m.benchmark} {m.item_id}: {m.matched!r}",
                        benchmark=m.benchmark, item_id=m.item_id, match=m.kind, matched=m.matched, field=field)
        return list(records)
