"""The memory graph the language pools share: languages, concepts, seeds, instructions, solutions,
tests, FIM samples and verdicts as nodes; lineage and similarity as edges. It decides what to
write next (least-covered concept x language, a difficulty mix), finds verified items in other
languages to adapt, and spots near-duplicate instructions. Persisted as node-link JSON, atomically.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import networkx as nx
from datasketch import MinHash, MinHashLSH

GRAPH_FILE = "graph.json"
_NUM_PERM = 64
_WORD = re.compile(r"[a-z0-9_]+")

# Node kinds and edge relations, as stored in the `kind` / `rel` attributes.
LANGUAGE, CONCEPT, SEED, INSTRUCTION, SOLUTION, TESTS, FIM, VERDICT = (
    "language", "concept", "seed", "instruction", "solution", "tests", "fim", "verdict",
)
IN_LANGUAGE, ABOUT, INSPIRED_BY, ADAPTED_FROM, ANSWERS, REPAIRS, TESTED_BY, JUDGES, BUILT_FROM, SIMILAR = (
    "in_language", "about", "inspired_by", "adapted_from", "answers", "repairs", "tested_by", "judges",
    "built_from", "similar",
)


@dataclass(frozen=True)
class Target:
    """What a pool should write next."""

    language: str
    concept: str
    seed_id: str
    difficulty: str


@dataclass(frozen=True)
class Adaptable:
    """A verified solution in another language that the target language has not adapted yet."""

    solution_id: str
    instruction_id: str
    language: str
    instruction: str
    code: str
    concept: str
    difficulty: str


class GraphView(Protocol):
    """The graph operations a language pool uses (besides folding its events in): what MemoryGraph
    answers in one process, and what a shared graph actor answers across a cluster."""

    def seeds_without_concepts(self, language: str) -> list[str]: ...

    def next_target(self, language: str, *, difficulty_mix: Mapping[str, float],
                    exclude: Iterable[str] = ()) -> Target | None: ...

    def adaptable(self, language: str) -> list[Adaptable]: ...

    def near_duplicate(self, text: str) -> str | None: ...


def _shingles(text: str, size: int = 3) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _minhash(text: str) -> MinHash:
    m = MinHash(num_perm=_NUM_PERM, seed=7)
    for s in _shingles(text):
        m.update(s.encode())
    return m


def normalize_concept(name: str) -> str:
    """Concept node key: lower case, single spaces, no surrounding punctuation."""
    return " ".join(_WORD.findall(name.lower().replace("-", " ")))


class MemoryGraph:
    """A networkx DiGraph with the operations the pools need; node ids are `<kind>:<id>`."""

    def __init__(self, *, near_duplicate_threshold: float = 0.8) -> None:
        self.g = nx.DiGraph()
        self.g.graph["applied_events"] = []
        self._threshold = near_duplicate_threshold
        self._lsh = MinHashLSH(threshold=near_duplicate_threshold, num_perm=_NUM_PERM)
        self._applied: set[str] = set()

    # -- persistence ---------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path, *, near_duplicate_threshold: float = 0.8) -> MemoryGraph:
        graph = cls(near_duplicate_threshold=near_duplicate_threshold)
        if path.is_file():
            data = json.loads(path.read_text())
            graph.g = nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")
            graph._applied = set(graph.g.graph.get("applied_events", []))
            for node, attrs in graph.g.nodes(data=True):
                if attrs.get("kind") == INSTRUCTION and not attrs.get("duplicate_of"):
                    graph._lsh.insert(node, _minhash(attrs.get("text", "")))
        return graph

    def save(self, path: Path) -> None:
        """Write to a temporary file in the same folder and rename it over the old one."""
        self.g.graph["applied_events"] = sorted(self._applied)
        data = nx.node_link_data(self.g, edges="edges")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "w") as f:
                json.dump(data, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def is_applied(self, event_id: str) -> bool:
        return event_id in self._applied

    def mark_applied(self, event_id: str) -> None:
        self._applied.add(event_id)

    # -- building ------------------------------------------------------------------------------
    def _node(self, node: str, kind: str, **attrs: Any) -> str:
        if node in self.g:
            self.g.nodes[node].update(attrs)
        else:
            self.g.add_node(node, kind=kind, **attrs)
        return node

    def _edge(self, src: str, dst: str, rel: str, **attrs: Any) -> None:
        self.g.add_edge(src, dst, rel=rel, **attrs)

    def add_language(self, language: str) -> str:
        return self._node(f"language:{language}", LANGUAGE, name=language)

    def add_seed(self, seed: Mapping[str, Any]) -> str:
        node = self._node(
            f"seed:{seed['id']}", SEED, language=seed["language"], name=seed.get("name", ""),
            path=seed.get("path", ""), code=seed["code"],
        )
        self._edge(node, self.add_language(seed["language"]), IN_LANGUAGE)
        return node

    def set_concepts(self, seed_id: str, concepts: Iterable[str]) -> list[str]:
        """Attach concepts to a seed (marks the seed as processed even when the list is empty)."""
        seed = f"seed:{seed_id}"
        self.g.nodes[seed]["concepts_done"] = True
        keys = []
        for name in concepts:
            key = normalize_concept(name)
            if key and key not in keys:
                keys.append(key)
                self._edge(seed, self._node(f"concept:{key}", CONCEPT, name=key), ABOUT)
        return keys

    def add_instruction(
        self,
        instruction_id: str,
        *,
        language: str,
        text: str,
        concept: str,
        difficulty: str,
        seed_id: str | None = None,
        adapted_from: str | None = None,
        duplicate_of: str | None = None,
    ) -> str:
        """Add an instruction; a near-duplicate is kept (for lineage) but left out of the index."""
        node = self._node(
            f"instruction:{instruction_id}", INSTRUCTION, language=language, text=text, concept=concept,
            difficulty=difficulty, verified=False, duplicate_of=duplicate_of,
        )
        self._edge(node, self.add_language(language), IN_LANGUAGE)
        self._edge(node, self._node(f"concept:{concept}", CONCEPT, name=concept), ABOUT)
        if seed_id is not None:
            self._edge(node, f"seed:{seed_id}", INSPIRED_BY)
        if adapted_from is not None:
            self._edge(node, f"solution:{adapted_from}", ADAPTED_FROM)
        if duplicate_of is not None:
            self._edge(node, f"instruction:{duplicate_of}", SIMILAR)
        else:
            self._lsh.insert(node, _minhash(text))
        return node

    def add_solution(
        self,
        solution_id: str,
        *,
        instruction_id: str,
        code: str,
        status: str,
        verified: bool,
        score: float | None = None,
        repairs: str | None = None,
    ) -> str:
        """Add a candidate solution (its program holds the tests) and its tests node."""
        instruction = f"instruction:{instruction_id}"
        language = self.g.nodes[instruction]["language"]
        node = self._node(
            f"solution:{solution_id}", SOLUTION, language=language, code=code if verified else "",
            status=status, verified=verified, score=score,
        )
        self._edge(node, instruction, ANSWERS)
        self._edge(self._node(f"tests:{solution_id}", TESTS, status=status), node, TESTED_BY)
        if repairs is not None:
            self._edge(node, f"solution:{repairs}", REPAIRS)
        if verified:
            self.g.nodes[instruction]["verified"] = True
        return node

    def add_verdict(self, solution_id: str, *, stage: str, passed: bool, reason: str) -> str:
        node = self._node(f"verdict:{solution_id}:{stage}", VERDICT, stage=stage, passed=passed, reason=reason)
        self._edge(node, f"solution:{solution_id}", JUDGES)
        return node

    def add_fim(self, fim_id: str, *, language: str, source: str) -> str:
        """A FIM sample built from `source`, a node id (`solution:...` or `seed:...`)."""
        node = self._node(f"fim:{fim_id}", FIM, language=language)
        self._edge(node, source, BUILT_FROM)
        return node

    # -- queries -------------------------------------------------------------------------------
    def nodes_of(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        return [(n, a) for n, a in self.g.nodes(data=True) if a.get("kind") == kind]

    def seeds_without_concepts(self, language: str) -> list[str]:
        return [n.removeprefix("seed:") for n, a in self.nodes_of(SEED)
                if a["language"] == language and not a.get("concepts_done")]

    def near_duplicate(self, text: str) -> str | None:
        """The id of an indexed instruction whose estimated word-3-gram Jaccard >= threshold."""
        hits = self._lsh.query(_minhash(text))
        return min(hits).removeprefix("instruction:") if hits else None

    def _coverage(self, language: str) -> tuple[Counter[str], Counter[str]]:
        attempted: Counter[str] = Counter()
        verified: Counter[str] = Counter()
        for _, a in self.nodes_of(INSTRUCTION):
            if a["language"] == language and not a.get("duplicate_of"):
                attempted[a["concept"]] += 1
                verified[a["concept"]] += bool(a.get("verified"))
        return attempted, verified

    def next_target(self, language: str, *, difficulty_mix: Mapping[str, float], exclude: Iterable[str] = ()) -> (
        Target | None
    ):
        """Least-covered concept for `language` (fewest verified, then fewest attempted), a seed
        about it (its own language first), and the difficulty furthest below its share of the mix.

        `exclude` names concepts already being written (in flight), so concurrent picks spread out.
        """
        attempted, verified = self._coverage(language)
        busy = Counter(exclude)
        best: tuple[Any, ...] | None = None
        for node, _ in self.nodes_of(CONCEPT):
            concept = node.removeprefix("concept:")
            seeds = [s for s, _ in self.g.in_edges(node) if self.g.nodes[s].get("kind") == SEED]
            if not seeds:
                continue
            own = sorted(s for s in seeds if self.g.nodes[s]["language"] == language)
            seed = (own or sorted(seeds))[attempted[concept] % len(own or seeds)]
            # Concepts seen in this language's own seeds first; others are for cross-language variety.
            key = (verified[concept], attempted[concept] + busy[concept], not own, concept)
            if best is None or key < best[0]:
                best = (key, concept, seed)
        if best is None:
            return None
        _, concept, seed = best
        return Target(language, concept, seed.removeprefix("seed:"), self._next_difficulty(language, difficulty_mix))

    def _next_difficulty(self, language: str, mix: Mapping[str, float]) -> str:
        counts = Counter(a["difficulty"] for _, a in self.nodes_of(INSTRUCTION) if a["language"] == language)
        total = sum(counts.values()) + 1
        weights = sum(mix.values())
        # The difficulty with the largest deficit against its target share (ties: mix order).
        return max(mix, key=lambda d: mix[d] / weights - counts[d] / total)

    def adaptable(self, language: str) -> list[Adaptable]:
        """Verified solutions from other languages whose instruction `language` has not adapted yet."""
        adapted = {dst for src, dst, rel in self.g.edges(data="rel")
                   if rel == ADAPTED_FROM and self.g.nodes[src]["language"] == language}
        out = []
        for node, a in sorted(self.nodes_of(SOLUTION), key=lambda item: -(item[1].get("score") or 0)):
            if not a.get("verified") or a["language"] == language or node in adapted:
                continue
            instruction = next(d for _, d, r in self.g.out_edges(node, data="rel") if r == ANSWERS)
            # Adapt originals only: chains of adaptations drift away from the seed.
            if any(r == ADAPTED_FROM for _, _, r in self.g.out_edges(instruction, data="rel")):
                continue
            # One adaptation per instruction and target language, whichever candidate it came from.
            siblings = {s for s, _, r in self.g.in_edges(instruction, data="rel") if r == ANSWERS}
            if siblings & adapted:
                continue
            attrs = self.g.nodes[instruction]
            out.append(Adaptable(node.removeprefix("solution:"), instruction.removeprefix("instruction:"),
                                 a["language"], attrs["text"], a["code"], attrs["concept"], attrs["difficulty"]))
        return out

    def stats(self) -> dict[str, Any]:
        """Counts per node kind, and per language: concepts covered, instructions, verified."""
        kinds = Counter(a.get("kind") for _, a in self.g.nodes(data=True))
        languages = sorted(a["name"] for _, a in self.nodes_of(LANGUAGE))
        per_language = {}
        for language in languages:
            attempted, verified = self._coverage(language)
            solutions = [a for _, a in self.nodes_of(SOLUTION) if a["language"] == language]
            per_language[language] = {
                "seeds": sum(1 for _, a in self.nodes_of(SEED) if a["language"] == language),
                "concepts_attempted": len(attempted),
                "concepts_verified": sum(1 for c in verified if verified[c]),
                "instructions": sum(attempted.values()),
                "verified_instructions": sum(verified.values()),
                "solutions": len(solutions),
                "verified_solutions": sum(1 for a in solutions if a.get("verified")),
            }
        coverage = {language: self._coverage(language) for language in languages}
        concepts = {}
        for node, _ in self.nodes_of(CONCEPT):
            concept = node.removeprefix("concept:")
            concepts[concept] = {
                language: {"attempted": attempted[concept], "verified": verified[concept]}
                for language, (attempted, verified) in coverage.items() if attempted[concept]
            }
        return {
            "nodes": dict(sorted(kinds.items())),
            "edges": self.g.number_of_edges(),
            "languages": per_language,
            "concepts": dict(sorted(concepts.items())),
        }
