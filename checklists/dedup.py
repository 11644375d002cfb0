"""Near-duplicate removal: exact duplicates by a hash of the normalised text, then MinHash LSH
(datasketch) over word shingles of code and instruction; the best-scored member of each cluster
is kept and every member records its cluster."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coderforge.checklists import minhash
from coderforge.checklists.config import DedupConfig
from datasketch import MinHash, MinHashLSH

from coderforge.records import Record, add_verdict, instruction_text, record_id, solution_text, tests_text, verdict

__all__ = ["Clusters", "DedupConfig", "Deduplicator", "UnionFind", "cluster_verdicts", "record_score"]

STAGE = "dedup"
_TEXT_GETTERS = {"instruction": instruction_text, "solution": solution_text, "tests": tests_text}


def record_score(record: Record) -> tuple[float, float, float]:
    """How good a record is, for choosing a cluster's keeper: sandbox verdict first (passed >
    not run > failed), then the judge's weighted total, then a ``score`` field the record carries."""
    sandbox = verdict(record, "sandbox")
    judged = verdict(record, "judge")
    return (
        0.0 if sandbox is None else (1.0 if sandbox["passed"] else -1.0),
        float((judged or {}).get("total") or 0.0),
        float(record.get("score") or 0.0),
    )


@dataclass(frozen=True)
class Clusters:
    """Near-duplicate clusters of a list of texts."""

    roots: Sequence[int]
    """Each text's cluster, named by its earliest member."""
    exact_of: Sequence[int] | Mapping[int, int]
    """Each text's earliest exact duplicate (itself when it is the first)."""
    signatures: dict[int, MinHash]
    """MinHash of each first exact copy that has words."""

    def similarity(self, i: int, j: int) -> float:
        """Estimated Jaccard similarity of texts i and j (1.0 for exact duplicates)."""
        a, b = self.exact_of[i], self.exact_of[j]
        if a == b:
            return 1.0
        if a in self.signatures and b in self.signatures:
            return float(self.signatures[a].jaccard(self.signatures[b]))
        return 0.0


class UnionFind:
    """Disjoint sets of 0..n-1; a set is named by its smallest member."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class Deduplicator:
    """Clusters texts by exact and near duplication; `dedup_records` keeps one record per cluster."""

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()

    @staticmethod
    def exact_key(text: str) -> str:
        """Hash of the normalised text (lower case, whitespace runs collapsed): equal for exact duplicates."""
        return hashlib.blake2b(" ".join(text.lower().split()).encode(), digest_size=16).hexdigest()

    def signature(self, text: str) -> MinHash | None:
        """MinHash of the text's word shingles (None when it has no words)."""
        shingles = minhash.word_shingles(text, self.config.shingle)
        return minhash.signature(shingles, num_perm=self.config.num_perm, seed=self.config.seed) if shingles else None

    def lsh(self) -> MinHashLSH:
        """An empty LSH index with this config's banding. Every candidate it returns is checked
        against the threshold, so the banding is tuned to miss few true pairs (weights: false
        positives 0.1, false negatives 0.9)."""
        return MinHashLSH(threshold=self.config.threshold, num_perm=self.config.num_perm, weights=(0.1, 0.9))

    def cluster(self, texts: Sequence[str]) -> Clusters:
        """Cluster texts: exact duplicates of the normalised text, then MinHash LSH neighbours."""
        found = UnionFind(len(texts))
        first_of: dict[str, int] = {}
        exact_of: list[int] = []
        for i, text in enumerate(texts):
            exact_of.append(first_of.setdefault(self.exact_key(text), i))
            found.union(exact_of[i], i)
        lsh = self.lsh()
        signatures: dict[int, MinHash] = {}
        for i in sorted(set(exact_of)):
            signature = self.signature(texts[i])
            if signature is None:
                continue
            # LSH candidates are probable matches only; join those whose estimate clears the threshold.
            for j in lsh.query(signature):
                if signature.jaccard(signatures[j]) >= self.config.threshold:
                    found.union(j, i)
            signatures[i] = signature
            lsh.insert(i, signature)
        return Clusters([found.find(i) for i in range(len(texts))], exact_of, signatures)

    def text(self, record: Record) -> str:
        return "\n".join(_TEXT_GETTERS[f](record) for f in self.config.fields)

    def dedup_records(self, records: Sequence[Record], *,
                      score: Callable[[Record], tuple[float, ...]] = record_score) -> list[Record]:
        """Add a dedup verdict to every record: the best-scored member of each cluster passes (the
        earliest on ties), the others fail naming it. Returns the records."""
        clusters = self.cluster([self.text(r) for r in records])
        members: dict[int, list[int]] = {}
        for i, root in enumerate(clusters.roots):
            members.setdefault(root, []).append(i)
        for group in members.values():
            verdicts = cluster_verdicts(group, clusters=clusters, scores={i: score(records[i]) for i in group},
                                        names={i: record_id(records[i], i) for i in group})
            for i, fields in verdicts.items():
                add_verdict(records[i], **fields)
        return list(records)


def cluster_verdicts(group: Sequence[int], *, clusters: Clusters, scores: Mapping[int, tuple[float, ...]],
                     names: Mapping[int, str]) -> dict[int, dict[str, Any]]:
    """The dedup verdict (`add_verdict` arguments) of each member of one cluster, members given in
    input order: the best-scored passes (the earliest on ties), the others fail naming it."""
    keeper = max(group, key=lambda i: (scores[i], -i))
    details = {"cluster": names[group[0]], "cluster_size": len(group)}
    out: dict[int, dict[str, Any]] = {}
    for i in group:
        if i == keeper:
            reason = "unique" if len(group) == 1 else f"best-scored of a cluster of {len(group)}"
            out[i] = {"stage": STAGE, "passed": True, "reason": reason, **details}
            continue
        similarity = round(clusters.similarity(i, keeper), 3)
        kind = "exact" if clusters.exact_of[i] == clusters.exact_of[keeper] else "near"
        out[i] = {"stage": STAGE, "passed": False,
                  "reason": f"{kind} duplicate of {names[keeper]} (estimated Jaccard {similarity:.2f})",
                  "duplicate_of": names[keeper], "kind": kind, "similarity": similarity, **details}
    return out
