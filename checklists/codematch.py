"""The code rule of decontamination: which benchmark solution or test a code sample copies.

Code is read as tokens (words, numbers, single punctuation marks, string literals whole),
lower-cased, with every identifier that is not a keyword replaced by one placeholder and each
string's whitespace and quote style normalised, so renamed variables and reformatting change
nothing. A benchmark code document (an item's solution, or its tests) is represented by its
*distinctive* token n-grams: those found in at most `max_items` benchmark items. N-grams that many
benchmark items share are idioms (`for i in range(len(a))`, a swap, an assert header) and prove
nothing. A sample copies a document when it holds at least `min_share` of the document's
distinctive n-grams; a document with fewer than `min_grams` of them (`return a + b`) can never
make a sample contaminated on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from coderforge.checklists.minhash import WindowHasher, lookup, presence, windows_without

_TOKEN = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                    r"|[^\W\d]\w*|\d+|[^\w\s]")
_SEP = 0  # separates documents and samples; no window spans it
IDENT = 1  # every identifier that is not a keyword
#: Reserved words of Python, and those of JavaScript, Java, C/C++, Go and Rust that Python code
#: hardly uses as names: a renamed copy still holds them. (Soft keywords and type names such as
#: `type`, `string`, `char`, `match` are often variable names, so they count as identifiers.)
KEYWORDS = frozenset({
    "false", "none", "true", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "boolean", "catch",
    "const", "do", "extends", "final", "fn", "func", "function", "goto", "impl", "implements", "instanceof",
    "interface", "let", "namespace", "new", "null", "nil", "private", "protected", "public", "static",
    "struct", "super", "switch", "template", "this", "throw", "throws", "typedef", "typename", "undefined",
    "unsigned", "void", "var", "chan", "defer", "fallthrough", "int", "long", "float", "double", "bool",
})


def code_tokens(text: str) -> list[str]:
    """The lower-cased tokens of a code text; a string literal is one token, its whitespace runs
    collapsed and its quotes made double (so a reformatter's changes do not show)."""
    return [_string(t) if len(t) > 1 and t[0] in "\"'" else t for t in _TOKEN.findall(text.lower())]


def _string(token: str) -> str:
    quotes = 3 if token[:3] in ('"""', "'''") else 1
    return '"' + " ".join(token[quotes:-quotes].split()) + '"'


@dataclass(frozen=True)
class CodeDoc:
    """One benchmark code document: an item's solution or its tests."""

    benchmark: str
    item_id: str
    role: str
    text: str


@dataclass(frozen=True)
class CodeHit:
    """The document a sample copies, the share of its distinctive n-grams found, and the longest
    run of the sample made of them."""

    doc: int
    share: float
    span: str


class CodeIndex:
    """Distinctive token n-grams of benchmark code documents, with a lookup for batches of samples."""

    def __init__(self, *, vocab: dict[str, int], tokens: np.ndarray, hash: np.ndarray, doc: np.ndarray,
                 pos: np.ndarray, doc_grams: np.ndarray, ngram: int, min_share: float) -> None:
        self.vocab, self.ngram, self.min_share = vocab, ngram, min_share
        self.tokens, self.hash, self.doc, self.pos, self.doc_grams = tokens, hash, doc, pos, doc_grams
        self._present = presence(hash)
        self._hasher = WindowHasher()

    @classmethod
    def build(cls, docs: Sequence[CodeDoc], *, ngram: int, min_share: float, min_grams: int,
              max_items: int) -> CodeIndex:
        vocab: dict[str, int] = {}
        ids: list[int] = []
        starts: list[int] = []
        for d in docs:
            starts.append(len(ids))
            ids.extend(vocab.setdefault(t, len(vocab) + 2) if _kept(t) else IDENT for t in code_tokens(d.text))
            ids.append(_SEP)
        tokens = np.array(ids, dtype=np.uint64)
        windows = windows_without(tokens, ngram, _SEP)
        hashes = WindowHasher().windows(tokens, ngram)[windows]
        doc_of = np.searchsorted(np.array(starts), windows, side="right") - 1
        items = {(d.benchmark, d.item_id): i for i, d in enumerate(docs)}
        item_of = np.array([items[(d.benchmark, d.item_id)] for d in docs], dtype=np.int64)[doc_of]
        # How many benchmark items hold each n-gram: those in more than max_items are idioms.
        pairs, first = np.unique(np.stack([hashes, doc_of.astype(np.uint64)]), axis=1, return_index=True)
        unique_items = np.unique(np.stack([hashes, item_of.astype(np.uint64)]), axis=1)
        gram, item_count = np.unique(unique_items[0], return_counts=True)
        distinctive = item_count[np.searchsorted(gram, pairs[0])] <= max_items
        pairs, first = pairs[:, distinctive], first[distinctive]
        doc_grams = np.bincount(pairs[1].astype(np.int64), minlength=len(docs))
        usable = doc_grams[pairs[1].astype(np.int64)] >= min_grams
        pairs, first = pairs[:, usable], first[usable]
        order = np.argsort(pairs[0], kind="stable")
        return cls(vocab=vocab, tokens=tokens, hash=pairs[0][order], doc=pairs[1][order].astype(np.int64),
                   pos=windows[first[order]], doc_grams=doc_grams, ngram=ngram, min_share=min_share)

    def arrays(self) -> dict[str, np.ndarray]:
        """What `from_arrays` needs, for np.savez."""
        return {"code_vocab": np.array(list(self.vocab), dtype=str), "code_tokens": self.tokens,
                "code_hash": self.hash, "code_doc": self.doc, "code_pos": self.pos,
                "code_doc_grams": self.doc_grams}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], *, ngram: int, min_share: float) -> CodeIndex:
        vocab = {str(t): i for i, t in enumerate(arrays["code_vocab"], 2)}
        return cls(vocab=vocab, tokens=arrays["code_tokens"], hash=arrays["code_hash"], doc=arrays["code_doc"],
                   pos=arrays["code_pos"], doc_grams=arrays["code_doc_grams"], ngram=ngram, min_share=min_share)

    def shares(self, texts: Sequence[str]) -> list[dict[int, tuple[int, np.ndarray]]]:
        """For each text, the documents it shares distinctive n-grams with: doc -> (n-grams shared,
        start token positions in the text of the windows that hold them)."""
        get = self.vocab.get
        ids: list[int] = []
        starts: list[int] = []
        for text in texts:
            starts.append(len(ids))
            ids.extend([get(t, IDENT) for t in code_tokens(text)])
            ids.append(_SEP)
        values = np.array(ids, dtype=np.uint64)
        out: list[dict[int, tuple[int, np.ndarray]]] = [{} for _ in texts]
        windows = windows_without(values, self.ngram, _SEP)
        if not len(windows) or not len(self.hash):
            return out
        keys = self._hasher.windows(values, self.ngram)[windows]
        hit, first = lookup(self.hash, self._present, keys)
        if not len(hit):
            return out
        # An n-gram several documents hold sits in the table once per document: expand the ranges.
        last = np.searchsorted(self.hash, keys[hit], side="right")
        repeat = last - first
        window_of = np.repeat(hit, repeat)
        entry = np.repeat(first - np.cumsum(repeat) + repeat, repeat) + np.arange(repeat.sum())
        at = windows[window_of]
        span = np.arange(self.ngram)
        same = (values[at[:, None] + span] == self.tokens[self.pos[entry][:, None] + span]).all(axis=1)
        at, doc, gram = at[same], self.doc[entry[same]], keys[window_of[same]]
        owner = np.searchsorted(np.array(starts), at, side="right") - 1
        # Group the hits by (text, document), positions in order, and count distinct n-grams per group.
        docs = len(self.doc_grams)
        key = owner * docs + doc
        order = np.lexsort((at, key))
        key, at, gram = key[order], at[order], gram[order]
        groups, first_hit = np.unique(key, return_index=True)
        _, grams = np.unique(np.unique(np.stack([key.astype(np.uint64), gram]), axis=1)[0], return_counts=True)
        for group, count, positions in zip(groups, grams, np.split(at, first_hit[1:]), strict=True):
            text, d = divmod(int(group), docs)
            out[text][d] = (int(count), positions - starts[text])
        return out

    def check_many(self, texts: Sequence[str]) -> list[CodeHit | None]:
        """The document each text copies most (by share), when the share reaches min_share."""
        found: list[CodeHit | None] = []
        for text, docs in zip(texts, self.shares(texts), strict=True):
            best = max(docs.items(), key=lambda kv: kv[1][0] / self.doc_grams[kv[0]], default=None)
            if best is None or best[1][0] < self.min_share * self.doc_grams[best[0]]:
                found.append(None)
                continue
            doc, (grams, at) = best
            found.append(CodeHit(doc, grams / int(self.doc_grams[doc]), _longest_run(text, at, self.ngram)))
        return found


def _kept(token: str) -> bool:
    """Whether a token stays itself (keyword, number, punctuation) rather than becoming IDENT."""
    return token in KEYWORDS or not (token[0].isalpha() or token[0] == "_")


def _longest_run(text: str, at: np.ndarray, ngram: int) -> str:
    """The text of the longest run of overlapping matched windows (token start positions `at`)."""
    breaks = np.flatnonzero(np.diff(at) > ngram)
    run_starts = np.concatenate([[0], breaks + 1])
    run_ends = np.concatenate([breaks, [len(at) - 1]])
    best = int(np.argmax(at[run_ends] - at[run_starts]))
    first, last = int(at[run_starts[best]]), int(at[run_ends[best]]) + ngram - 1
    lowered = text.lower()
    spans = [m.span() for m in _TOKEN.finditer(lowered)]
    source = text if len(lowered) == len(text) else lowered
    return source[spans[first][0]: spans[last][1]]
