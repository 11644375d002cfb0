"""The memory graph the language pools share: languages, concepts, seeds, instructions, solutions,
tests, FIM samples and verdicts as nodes; lineage and similarity as edges. It decides what to
write next (least-covered concept x language with seeded random tie-breaks, a cap on failures per
concept, a difficulty mix that follows observed pass rates), remembers what was written (for the
prompts: tasks already written about a concept, verified examples of a language), finds verified
tasks in other languages to adapt, and spots near-duplicate instructions. The counters behind these
are kept up to date as nodes are added, so no query scans the whole graph. A run rebuilds the graph
from its event log; the node-link JSON snapshot (written atomically) is for inspection.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import networkx as nx
from coderforge.checklists import minhash
from datasketch import MinHash, MinHashLSH

from coderforge.io import atomic_write_json

GRAPH_FILE = "graph.json"
_NUM_PERM = 64
#: Estimated Jaccard at which the index offers a candidate: a text holding 80% of the 3-grams of one
#: 2.5 times its length is at 0.3.
_CANDIDATE_JACCARD = 0.3
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
    """A verified instruction in another language that the target language has not adapted yet."""

    instruction_id: str
    language: str
    instruction: str
    concept: str
    difficulty: str


class GraphView(Protocol):
    """The graph queries a language pool makes (besides folding its events in): what MemoryGraph
    answers in one process, and what a shared graph actor answers across a cluster."""

    def seeds_without_concepts(self, language: str) -> list[str]: ...

    def next_target(self, language: str, *, difficulty_mix: Mapping[str, float], exclude: Iterable[str] = (),
                    salt: str = "", max_failures: int | None = None) -> Target | None: ...

    def adaptable(self, language: str) -> list[Adaptable]: ...

    def near_duplicate(self, text: str, language: str) -> str | None: ...

    def written_about(self, language: str, concept: str, *, limit: int = 3) -> list[str]: ...

    def verified_examples(self, language: str, *, limit: int = 2) -> list[str]: ...


def _shingles(text: str) -> set[str]:
    # ASCII words, like concept keys (dedup's are Unicode): similarities stay what runs computed.
    return minhash.word_shingles(text, 3, word=_WORD)


def copied_from(text: str, sources: Sequence[str], *, threshold: float) -> int | None:
    """The index of the first source holding at least `threshold` of `text`'s word 3-grams, or whose
    own 3-grams `text` holds that share of: `text` copies it, trimmed or with more appended (a draft
    that repeats an example task of its prompt, or two of them)."""
    own = _shingles(text)
    for k, source in enumerate(sources):
        theirs = _shingles(source)
        shared = len(own & theirs)
        if own and theirs and shared >= threshold * min(len(own), len(theirs)):
            return k
    return None


_CALLED = re.compile(r"`([A-Za-z_]\w*)\(")


def mixed_in(text: str, sources: Sequence[str]) -> int | None:
    """The index of the first source whose function (named as called: `` `name(` ``) `text` names
    beside another one: a task with an example task's lines pasted into it (seen on Qwen 0.5B:
    `is_prime`, then "- Task: Write a function `merge_intervals(...)`")."""
    named = set(_CALLED.findall(text))
    if len(named) < 2:
        return None
    return next((k for k, source in enumerate(sources) if named & set(_CALLED.findall(source))), None)


def _minhash(text: str) -> MinHash:
    return minhash.signature(_shingles(text), num_perm=_NUM_PERM, seed=7)


def normalize_concept(name: str) -> str:
    """Concept node key: lower case, single spaces, no surrounding punctuation."""
    return " ".join(_WORD.findall(name.lower().replace("-", " ")))


def _tiebreak(salt: str, concept: str) -> str:
    """A reproducible pseudo-random order of concepts, different for every salt (task slot)."""
    return hashlib.blake2b(f"{salt}:{concept}".encode(), digest_size=8).hexdigest()


class MemoryGraph:
    """A networkx DiGraph with the operations the pools need; node ids are `<kind>:<id>`."""

    def __init__(self, *, near_duplicate_threshold: float = 0.8) -> None:
        self.g = nx.DiGraph()
        self.g.graph["applied_events"] = []
        self._threshold = near_duplicate_threshold
        # The index finds candidates by estimated Jaccard, low enough to find an instruction that holds
        # another with lines added (`Input: ...`, `Output: ...`); copied_from decides on exact 3-grams.
        self._lsh = MinHashLSH(threshold=min(near_duplicate_threshold, _CANDIDATE_JACCARD), num_perm=_NUM_PERM)
        self._applied: set[str] = set()
        # Counters kept up to date as nodes are added (queries never scan the graph).
        self._concept_seeds: dict[str, list[str]] = defaultdict(list)
        self._attempted: Counter[tuple[str, str]] = Counter()
        self._verified: Counter[tuple[str, str]] = Counter()
        self._written: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._difficulties: dict[str, Counter[str]] = defaultdict(Counter)
        self._outcomes: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        self._verified_tasks: dict[str, list[tuple[float, str]]] = defaultdict(list)
        self._adapted: dict[str, set[str]] = defaultdict(set)

    # -- persistence ---------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> MemoryGraph:
        """A saved snapshot, for inspection (`graph stats`); runs rebuild the graph from their log."""
        graph = cls()
        if path.is_file():
            data = json.loads(path.read_text())
            graph.g = nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")
            graph._applied = set(graph.g.graph.get("applied_events", []))
        return graph

    def save(self, path: Path) -> None:
        """Write atomically: a kill mid-save leaves the previous snapshot."""
        self.g.graph["applied_events"] = sorted(self._applied)
        atomic_write_json(path, nx.node_link_data(self.g, edges="edges"), indent=None)

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
                if seed not in self._concept_seeds[key]:
                    self._concept_seeds[key].append(seed)
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
        verified: bool = False,
        tested: bool = False,
        score: float | None = None,
    ) -> str:
        """Add a finished instruction: `tested` when its shared tests ran against candidates (it
        counts for the pass rate of its difficulty), `verified` when a sample of it was accepted.
        A near-duplicate is kept (for lineage) but left out of the index and the counters."""
        node = self._node(
            f"instruction:{instruction_id}", INSTRUCTION, language=language, text=text, concept=concept,
            difficulty=difficulty, verified=verified, duplicate_of=duplicate_of, score=score,
        )
        self._edge(node, self.add_language(language), IN_LANGUAGE)
        self._edge(node, self._node(f"concept:{concept}", CONCEPT, name=concept), ABOUT)
        if seed_id is not None:
            self._edge(node, f"seed:{seed_id}", INSPIRED_BY)
        if adapted_from is not None:
            self._edge(node, f"instruction:{adapted_from}", ADAPTED_FROM)
            self._adapted[language].add(adapted_from)
        if duplicate_of is not None:
            self._edge(node, f"instruction:{duplicate_of}", SIMILAR)
            return node
        self._lsh.insert(node, _minhash(text))
        key = (language, concept)
        self._attempted[key] += 1
        self._verified[key] += verified
        self._written[key].append(text)
        self._difficulties[language][difficulty] += 1
        if tested:
            outcome = self._outcomes[(language, difficulty)]
            outcome[0] += verified
            outcome[1] += 1
        if verified and adapted_from is None:
            self._verified_tasks[language].append((-(score or 0.0), instruction_id))
        return node

    def add_tests(self, instruction_id: str, *, trusted: bool, mutant_killed: bool | None) -> str:
        """The instruction's shared tests (trusted when a candidate passed them)."""
        node = self._node(f"tests:{instruction_id}", TESTS, trusted=trusted, mutant_killed=mutant_killed)
        self._edge(node, f"instruction:{instruction_id}", TESTED_BY)
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
        """Add a candidate solution (run against its instruction's shared tests)."""
        instruction = f"instruction:{instruction_id}"
        language = self.g.nodes[instruction]["language"]
        node = self._node(
            f"solution:{solution_id}", SOLUTION, language=language, code=code if verified else "",
            status=status, verified=verified, score=score,
        )
        self._edge(node, instruction, ANSWERS)
        if f"tests:{instruction_id}" in self.g:
            self._edge(f"tests:{instruction_id}", node, TESTED_BY)
        if repairs is not None:
            self._edge(node, f"solution:{repairs}", REPAIRS)
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

    def near_duplicate(self, text: str, language: str) -> str | None:
        """The id of an indexed instruction of `language` that `text` copies (`copied_from`: the
        threshold's share of the shorter one's word 3-grams in the other, so a copy with lines added
        counts); a task adapted from another language is meant to be that task."""
        hits = sorted(h for h in self._lsh.query(_minhash(text)) if self.g.nodes[h]["language"] == language)
        k = copied_from(text, [self.g.nodes[h]["text"] for h in hits], threshold=self._threshold)
        return None if k is None else hits[k].removeprefix("instruction:")

    def next_target(self, language: str, *, difficulty_mix: Mapping[str, float], exclude: Iterable[str] = (),
                    salt: str = "", max_failures: int | None = None) -> Target | None:
        """What `language` should write next: the concept with the fewest verified, then fewest
        attempted instructions (concepts of its own seeds first), ties broken in a reproducible
        random order given by `salt`; concepts with `max_failures` unverified instructions are
        skipped. The seed rotates among the concept's seeds; the difficulty is the one furthest
        below its share of the mix, shares weighted by observed pass rates.

        `exclude` names concepts already being written (in flight), so concurrent picks spread out.
        """
        busy = Counter(exclude)
        best: tuple[Any, ...] | None = None
        for concept, seeds in self._concept_seeds.items():
            key = (language, concept)
            if max_failures is not None and self._attempted[key] - self._verified[key] >= max_failures:
                continue
            own = [s for s in seeds if self.g.nodes[s]["language"] == language]
            rank = (self._verified[key], self._attempted[key] + busy[concept], not own, _tiebreak(salt, concept))
            if best is None or rank < best[0]:
                pool = own or seeds
                best = (rank, concept, pool[self._attempted[key] % len(pool)])
        if best is None:
            return None
        _, concept, seed = best
        return Target(language, concept, seed.removeprefix("seed:"), self.next_difficulty(language, difficulty_mix))

    def pass_rate(self, language: str, difficulty: str) -> float:
        """Share of tested instructions of this difficulty that got a verified sample (Laplace-smoothed)."""
        verified, tested = self._outcomes[(language, difficulty)]
        return (verified + 1) / (tested + 2)

    def next_difficulty(self, language: str, mix: Mapping[str, float]) -> str:
        """The difficulty with the largest deficit against its target share; a difficulty that rarely
        verifies gets a smaller share (the budget goes where it yields samples), never zero."""
        weights = {d: w * (0.25 + self.pass_rate(language, d)) for d, w in mix.items()}
        total_weight = sum(weights.values())
        counts = self._difficulties[language]
        total = sum(counts.values()) + 1
        return max(weights, key=lambda d: weights[d] / total_weight - counts[d] / total)

    def written_about(self, language: str, concept: str, *, limit: int = 3) -> list[str]:
        """The latest instructions already written about `concept` in `language` (for the prompt)."""
        return self._written[(language, concept)][-limit:]

    def verified_examples(self, language: str, *, limit: int = 2) -> list[str]:
        """The best-scored verified instructions of `language` (few-shot examples for the prompt)."""
        return [self.g.nodes[f"instruction:{iid}"]["text"] for _, iid in sorted(self._verified_tasks[language])[:limit]]

    def adaptable(self, language: str) -> list[Adaptable]:
        """Verified original instructions of other languages that `language` has not adapted yet,
        best-scored first."""
        done = self._adapted[language]
        out = []
        for other, tasks in sorted(self._verified_tasks.items()):
            if other == language:
                continue
            for _, iid in sorted(tasks):
                if iid not in done:
                    a = self.g.nodes[f"instruction:{iid}"]
                    out.append(Adaptable(iid, other, a["text"], a["concept"], a["difficulty"]))
        return sorted(out, key=lambda a: (-(self.g.nodes[f"instruction:{a.instruction_id}"]["score"] or 0.0),
                                          a.instruction_id))

    def stats(self) -> dict[str, Any]:
        """Counts per node kind, and per language: concepts covered, instructions, verified."""
        kinds = Counter(a.get("kind") for _, a in self.g.nodes(data=True))
        languages = sorted(a["name"] for _, a in self.nodes_of(LANGUAGE))
        per_language = {}
        coverage = {}
        for language in languages:
            instructions = [a for _, a in self.nodes_of(INSTRUCTION)
                            if a["language"] == language and not a.get("duplicate_of")]
            attempted = Counter(a["concept"] for a in instructions)
            verified = Counter(a["concept"] for a in instructions if a.get("verified"))
            coverage[language] = (attempted, verified)
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
