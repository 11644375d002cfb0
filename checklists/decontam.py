"""Benchmark decontamination with two rules, against an index built once per benchmark set and
cached on disk (what each benchmark field feeds is set in its registry entry, BenchmarkSource):

- the text rule (instructions against benchmark problem statements): a shared word 10-gram, as in
  the Qwen2.5-Coder report, or a shared long substring. Matching ignores case, whitespace and
  punctuation for n-grams (words are ``\\w+`` runs), and case and whitespace for substrings;
- the code rule (solutions and tests against benchmark solutions and tests): most of a benchmark
  document's distinctive code n-grams, identifiers normalised (coderforge.checklists.codematch).
  On code a word 10-gram is about one idiomatic line, so the text rule is not used there.

Both hash windows with a polynomial rolling hash mod 2**64 computed by numpy over whole batches, and
confirm every hit against the stored benchmark data, so a hash collision never rejects a clean
sample. Words absent from every problem statement get id 0, which no indexed n-gram contains: most
windows of clean text are discarded before any lookup.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
from coderforge.checklists.codematch import CodeDoc, CodeIndex
from coderforge.checklists.config import BenchmarkSource, DecontamConfig
from coderforge.checklists.minhash import WindowHasher, lookup, presence, windows_without

from coderforge.errors import CoderforgeError
from coderforge.io import RecordError, atomic_writer, read_numbered_jsonl
from coderforge.records import Record, add_verdict, instruction_text, solution_text, tests_text

__all__ = ["BenchmarkError", "BenchmarkItem", "DecontamConfig", "Decontaminator", "Match", "load_benchmark"]

log = logging.getLogger(__name__)

STAGE = "decontam"
_INDEX_VERSION = 5
_WORD = re.compile(r"\w+")
_MIN_DISTINCT_TENTHS = 7  # an indexed n-gram has at least 70% distinct words
_SEP = "\x00"  # joins texts; windows across it are dropped
_ID_FIELDS = ("task_id", "id", "unique_id")  # tried in order when a source names no id_field
_TEXT_GETTERS = {"instruction": instruction_text, "solution": solution_text, "tests": tests_text}
_CODE_FIELDS = frozenset({"solution", "tests"})  # record fields the code rule reads; the rest, the text rule
_SHOWN_CHARS = 160  # of a matched span, in str(Match)


class BenchmarkError(CoderforgeError, ValueError):
    """A benchmark file is missing or does not hold the fields it was registered with."""


@dataclass(frozen=True)
class Match:
    """Why a text counts as a copy of a benchmark item: the rule, the item, what matched."""

    rule: Literal["text", "code"]
    benchmark: str
    item_id: str
    part: Literal["problem", "solution", "tests"]
    """Which part of the benchmark item was matched."""
    evidence: str
    """How it matched: "word 10-gram", "64-char substring", "80% of 25 distinctive code 10-grams"."""
    matched: str
    """The matched span: the shared n-gram (its words, space-joined) or substring (normalised), or
    for code the longest run of the sample made of the item's distinctive n-grams."""

    def __str__(self) -> str:
        span = self.matched if len(self.matched) <= _SHOWN_CHARS else self.matched[:_SHOWN_CHARS] + "..."
        return (f"{self.rule} rule: {self.evidence} shared with {self.benchmark} {self.item_id} ({self.part}): "
                f"{span!r}")


@dataclass(frozen=True)
class BenchmarkItem:
    """One benchmark item's texts, by what the registry says its fields hold ("" when none)."""

    benchmark: str
    item_id: str
    problem: str
    solution: str
    tests: str


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


def load_benchmark(source: BenchmarkSource, path: Path) -> list[BenchmarkItem]:
    """The items of one benchmark file, their fields joined by what they hold, with their ids."""
    items: list[BenchmarkItem] = []
    seen_fields: set[str] = set()
    try:
        for lineno, obj in read_numbered_jsonl(path):
            present = {f for f in source.fields if obj.get(f) not in (None, "", [])}
            seen_fields |= present
            if not present:
                continue
            id_field = source.id_field or next((f for f in _ID_FIELDS if f in obj), None)
            item_id = str(obj.get(id_field, lineno)) if id_field else str(lineno)
            texts = ["\n".join(_field_text(obj[f]) for f in fields if f in present)
                     for fields in (source.problem, source.solution, source.tests)]
            items.append(BenchmarkItem(source.name, item_id, *texts))
    except RecordError as e:
        raise BenchmarkError(f"benchmark {source.name}: {e}") from e
    missing = [f for f in source.fields if f not in seen_fields]
    if missing:
        raise BenchmarkError(f"benchmark {source.name}: no item of {path} has the field(s) {', '.join(missing)}")
    if not items:
        raise BenchmarkError(f"benchmark {source.name}: {path} holds no items")
    return items


class Decontaminator:
    """An index over benchmark items: `check_text` applies the text rule, `check_code` the code
    rule, `check_records` both to the right record fields.

    Build it with `from_config`, or from sources with a config for the rule settings (its own
    `benchmarks` are then ignored). Indexes are cached on disk.
    """

    def __init__(self, sources: Sequence[BenchmarkSource], *, config: DecontamConfig | None = None) -> None:
        if not sources:
            raise BenchmarkError("no benchmarks to decontaminate against")
        config = config or DecontamConfig()
        self.config = config
        self.ngram = config.ngram
        self.min_substring_chars = config.min_substring_chars
        self._hasher = WindowHasher()
        paths = [resolve_path(s, config.benchmark_dir) for s in sources]
        missing = [f"{s.name} ({p})" for s, p in zip(sources, paths, strict=True) if not p.is_file()]
        if missing:
            raise BenchmarkError(f"benchmark file(s) not found: {', '.join(missing)}; set decontam.benchmark_dir, "
                                 "fix the paths in decontam.benchmarks, or pass --bench NAME=PATH:FIELD")
        key = self._cache_key(sources, paths)
        cache = Path(config.cache_dir or Path.home() / ".cache" / "coderforge" / "decontam").expanduser()
        cache_file = cache / f"index-{key}.npz"
        if cache_file.is_file():
            self._load(cache_file)
            log.debug("decontam index loaded from %s", cache_file)
        else:
            self._build([item for s, p in zip(sources, paths, strict=True) for item in load_benchmark(s, p)])
            self._save(cache_file)
            log.info("decontam index built (%d problem statements, %d n-grams; %d code documents) and cached in %s",
                     len(self._items), len(self._ngram_hash), len(self._code_docs), cache_file)
        self.benchmarks = tuple(s.name for s in sources)
        self._ngram_present, self._sub_present = presence(self._ngram_hash), presence(self._sub_hash)

    @classmethod
    def from_config(cls, config: DecontamConfig) -> Decontaminator:
        return cls(config.benchmarks, config=config)

    def _cache_key(self, sources: Sequence[BenchmarkSource], paths: Sequence[Path]) -> str:
        c = self.config
        digest = hashlib.sha256(f"v{_INDEX_VERSION}:{c.ngram}:{c.min_substring_chars}:{c.code_ngram}:"
                                f"{c.code_min_grams}:{c.code_max_items}".encode())
        for source, path in zip(sources, paths, strict=True):
            digest.update(source.model_dump_json(exclude={"path"}).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()[:24]

    # -- building and caching ------------------------------------------------------------------

    def _build(self, items: list[BenchmarkItem]) -> None:
        problems = [it for it in items if it.problem]
        self._items = [(it.benchmark, it.item_id) for it in problems]
        self._build_ngrams([it.problem for it in problems])
        self._build_substrings([it.problem for it in problems])
        docs = [CodeDoc(it.benchmark, it.item_id, role, text) for it in items
                for role, text in (("solution", it.solution), ("tests", it.tests)) if text]
        self._code_docs = [(d.benchmark, d.item_id, d.role) for d in docs]
        c = self.config
        self._code = CodeIndex.build(docs, ngram=c.code_ngram, min_share=c.code_min_share,
                                     min_grams=c.code_min_grams, max_items=c.code_max_items)

    def _build_ngrams(self, texts: list[str]) -> None:
        vocab: dict[str, int] = {}
        word_ids: list[int] = []
        word_starts: list[int] = []
        for text in texts:
            word_starts.append(len(word_ids))
            word_ids.extend(vocab.setdefault(w, len(vocab) + 1) for w in _WORD.findall(text.lower()))
            word_ids.append(0)
        self._vocab = vocab
        self._words = np.array(word_ids, dtype=np.uint64)
        self._word_starts = np.array(word_starts, dtype=np.int64)
        # N-grams mostly of numbers ("a total of 4 2 4 2 8 8") or of few distinct words ("for i in range
        # n for j in range n") are common in clean text: only varied, mostly-word n-grams are indexed.
        numeric = np.array([False] + [w.isdigit() for w in vocab], dtype=bool)[self._words.astype(np.int64)]
        starts = windows_without(self._words, self.ngram, 0)
        wordy = np.concatenate([[0], np.cumsum(~numeric)])
        starts = starts[2 * (wordy[starts + self.ngram] - wordy[starts]) >= self.ngram]
        windows = np.sort(np.lib.stride_tricks.sliding_window_view(self._words, self.ngram)[starts], axis=1)
        distinct = 1 + np.count_nonzero(np.diff(windows, axis=1), axis=1)
        starts = starts[distinct * 10 >= self.ngram * _MIN_DISTINCT_TENTHS]
        self._ngram_hash, self._ngram_pos = self._table(self._words, starts, self.ngram)

    def _build_substrings(self, texts: list[str]) -> None:
        normed = [normalise(t) for t in texts]
        self._chars = _SEP.join(normed) + _SEP
        self._char_starts = np.cumsum([0] + [len(t) + 1 for t in normed[:-1]], dtype=np.int64)
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

    _TEXT_ARRAYS = ("words", "word_starts", "ngram_hash", "ngram_pos", "char_starts", "sub_hash", "sub_pos")

    def _save(self, path: Path) -> None:
        meta = {"vocab": list(self._vocab), "items": self._items, "chars": self._chars, "code_docs": self._code_docs}
        with atomic_writer(path.with_suffix(".json")) as handle:
            json.dump(meta, handle, ensure_ascii=False)
        arrays = {name: getattr(self, f"_{name}") for name in self._TEXT_ARRAYS} | self._code.arrays()
        # np.savez appends .npz to names without it, so hand it an open file.
        with atomic_writer(path, "wb") as handle:
            np.savez(handle, **arrays)

    def _load(self, path: Path) -> None:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        self._vocab = {w: i for i, w in enumerate(meta["vocab"], 1)}
        self._items = [tuple(it) for it in meta["items"]]
        self._chars = meta["chars"]
        self._code_docs = [tuple(d) for d in meta["code_docs"]]
        with np.load(path) as arrays:
            for name in self._TEXT_ARRAYS:
                setattr(self, f"_{name}", arrays[name])
            self._code = CodeIndex.from_arrays(dict(arrays), ngram=self.config.code_ngram,
                                               min_share=self.config.code_min_share)

    # -- checking ---------------------------------------------------------------------------------

    @staticmethod
    def _codes(text: str) -> np.ndarray:
        return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)

    @staticmethod
    def _anchored_windows(codes: np.ndarray, k: int) -> np.ndarray:
        """Substring windows start at word starts only: any shared substring longer than k plus
        the longest word still holds one, and there are several times fewer windows to hash."""
        starts = windows_without(codes, k, 0)
        anchored = np.ones(len(codes), dtype=bool)
        anchored[1:] = (codes[:-1] == 32) | (codes[:-1] == 0)
        anchored &= codes != 32
        return starts[anchored[starts]]

    def check_text(self, text: str) -> Match | None:
        """The text rule: the first overlap of a problem text (instruction, question) with a
        benchmark problem statement, or None when it is clean."""
        return self.check_texts([text])[0]

    def check_code(self, code: str, language: str | None = None) -> Match | None:
        """The code rule: the benchmark solution or tests that ``code`` copies (renamed and
        reformatted copies too), or None. The tokeniser reads every supported language alike, so
        ``language`` only documents the call."""
        return self.check_codes([code])[0]

    def check(self, text: str) -> Match | None:
        """Both rules, for a text that may be prose or code: the text rule's match, else the code rule's."""
        return self.check_text(text) or self.check_code(text)

    def check_texts(self, texts: Sequence[str]) -> list[Match | None]:
        """`check_text` for a batch (much faster per text: the hashing runs once over the batch)."""
        found: list[Match | None] = [None] * len(texts)
        self._check_ngrams(texts, found)
        if self.min_substring_chars:
            self._check_substrings(texts, found)
        return found

    def check_codes(self, codes: Sequence[str]) -> list[Match | None]:
        """`check_code` for a batch."""
        out: list[Match | None] = []
        for hit in self._code.check_many(codes):
            if hit is None:
                out.append(None)
                continue
            benchmark, item_id, role = self._code_docs[hit.doc]
            evidence = (f"{hit.share:.0%} of {int(self._code.doc_grams[hit.doc])} distinctive code "
                        f"{self.config.code_ngram}-grams")
            out.append(Match("code", benchmark, item_id, role, evidence, hit.span))
        return out

    def _check_ngrams(self, texts: Sequence[str], found: list[Match | None]) -> None:
        vocab_get = self._vocab.get
        ids: list[int] = []
        starts: list[int] = []
        for text in texts:
            starts.append(len(ids))
            ids.extend([vocab_get(w, 0) for w in _WORD.findall(text.lower())])
            ids.append(0)
        values = np.array(ids, dtype=np.uint64)
        candidates = windows_without(values, self.ngram, 0)
        if not len(candidates):
            return
        hashes = self._hasher.windows(values, self.ngram)[candidates]
        hit, where = lookup(self._ngram_hash, self._ngram_present, hashes)
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
            found[owner] = Match("text", *self._items[item], "problem", f"word {self.ngram}-gram", ngram)

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
        hit, where = lookup(self._sub_hash, self._sub_present, self._hasher.windows(codes, k)[candidates])
        offsets = np.cumsum([0] + [len(t) + 1 for t in normed[:-1]], dtype=np.int64)
        owners = np.searchsorted(offsets, candidates[hit], side="right") - 1
        for pos, table_pos, owner in zip(candidates[hit], self._sub_pos[where], owners, strict=True):
            index = pending[owner]
            piece = joined[pos: pos + k]
            if found[index] is not None or piece != self._chars[table_pos: table_pos + k]:
                continue
            item = int(np.searchsorted(self._char_starts, table_pos, side="right") - 1)
            found[index] = Match("text", *self._items[item], "problem", f"{k}-char substring", piece)

    # -- records --------------------------------------------------------------------------------

    def check_records(self, records: Sequence[Record], *, fields: Iterable[str] = ("instruction", "solution",
                                                                                     "tests")) -> list[Record]:
        """Add a decontam verdict to each record and return them: the text rule checks the
        instruction, the code rule the solution and tests (of the given fields)."""
        fields = list(fields)
        per_field: dict[str, list[Match | None]] = {}
        for field in fields:
            texts = [_TEXT_GETTERS[field](r) for r in records]
            per_field[field] = self.check_codes(texts) if field in _CODE_FIELDS else self.check_texts(texts)
        for i, record in enumerate(records):
            hit = next(((f, per_field[f][i]) for f in fields if per_field[f][i] is not None), None)
            if hit is None:
                add_verdict(record, stage=STAGE, passed=True, reason="no benchmark overlap")
                continue
            field, m = hit
            add_verdict(record, stage=STAGE, passed=False, reason=f"{field}: {m}", rule=m.rule,
                        benchmark=m.benchmark, item_id=m.item_id, part=m.part, evidence=m.evidence,
                        matched=m.matched, field=field)
        return list(records)
