"""Configuration of `coderforge generate`: languages and budget, the corpus seeds come from, agent
roles (each routable to its own backend), concurrency, candidates and repair rounds."""

from __future__ import annotations

from pydantic import Field, field_validator

from coderforge.languages import canonical_name
from coderforge.llm.config import BackendConfig
from coderforge.section import Section


class RoleConfig(Section):
    backend: BackendConfig | None = None
    """This role's own backend and model; none: the run's `backend` (one engine shared by all roles)."""
    temperature: float = Field(default=0.7, ge=0)
    """Sampling temperature (0 is greedy)."""
    max_tokens: int = Field(default=512, ge=1)
    """Most tokens one answer may have; a cut answer is rejected as truncated."""
    concurrency: int | None = Field(default=None, ge=1)
    """Requests of this role in flight at once, over all language pools; none: no limit of the
    role's own, only its backend's (`max_batch`, `max_concurrency`), so the pools keep a
    continuous-batching engine as full as their work allows."""


def _role(temperature: float, max_tokens: int) -> RoleConfig:
    return RoleConfig(temperature=temperature, max_tokens=max_tokens)


class RolesConfig(Section):
    concepts: RoleConfig = Field(default_factory=lambda: _role(0.0, 64))
    """Concept extractor: seed code -> the programming concepts it shows."""
    instruction: RoleConfig = Field(default_factory=lambda: _role(0.7, 256))
    """Instruction writer: a self-contained task from a seed, its concepts and a target difficulty;
    it also writes the one revision the reviewer asks for."""
    review: RoleConfig = Field(default_factory=lambda: _role(0.0, 160))
    """Reviewer: checks an instruction (self-contained, solvable, unambiguous, no solution inside)
    before any solution is drawn for it; answers JSON."""
    tests: RoleConfig = Field(default_factory=lambda: _role(0.5, 512))
    """Test writer: `generate.test_suites` independent suites for the instruction, each written once;
    the chosen one is shared by every candidate solution."""
    solution: RoleConfig = Field(default_factory=lambda: _role(0.8, 512))
    """Solution writer: one candidate solution, without tests, per sample."""
    adapt: RoleConfig = Field(default_factory=lambda: _role(0.7, 256))
    """Cross-language adapter: a task verified in another language, rewritten for this one."""
    repair: RoleConfig = Field(default_factory=lambda: _role(0.2, 512))
    """Repair round: a solution failing the shared tests and what failed -> a fixed solution (the
    tests never change)."""


class GenerateConfig(Section):
    languages: list[str] = Field(default_factory=lambda: ["python"], min_length=1)
    """Languages to generate for, one agent pool each (canonical names or aliases)."""
    instructions_per_language: int = Field(default=8, ge=1)
    """Budget: instructions each pool writes (adaptations included)."""
    corpus: dict[str, list[str]] = Field(default_factory=dict)
    """Source files or folders per language to draw seeds from; languages left out use source
    already on the machine (the Python standard library, Node's bundled JavaScript, /usr/include...)."""
    seeds_per_language: int = Field(default=16, ge=1)
    """Most seeds taken from each language's corpus (deterministic order, so runs resume)."""
    starters: dict[str, str] = Field(default_factory=dict)
    """A YAML file (a list of task texts) per language that the instruction writer imitates until the
    run has verified tasks of its own; languages left out use the starter set in coderforge.prompts."""
    candidates: int = Field(default=4, ge=1, le=16)
    """Candidate solutions sampled per instruction (best-of-n for SFT, pairs for DPO); the shared tests
    are trusted only when one of them passes."""
    min_pass_share: float = Field(default=0.5, ge=0, le=1)
    """Share of the n candidates that must pass the shared tests (after repairs) before they are
    trusted (at least one always): a task most of whose solutions, each written apart, fail its tests
    is mostly one that they read differently (ambiguous, or contradicting itself), or whose tests hold
    a quirk that only the odd solution shares."""
    test_suites: int = Field(default=2, ge=1, le=4)
    """Test suites drawn per instruction, each written apart from the solutions and never changed;
    the candidates' first versions run against each, and the suite that kills a stub and that the
    most of them pass becomes the instruction's tests, before any repair (a small model often gets
    one expected value of a suite wrong)."""
    repair_rounds: int = Field(default=1, ge=0, le=5)
    """Repair attempts per failing candidate, each fed with the sandbox's error."""
    draft_attempts: int = Field(default=2, ge=1, le=5)
    """Drafts a written task may spend: a draft dropped before its tests are drawn (too short, a copy
    of a starter task, another language's values, a near-duplicate, contaminated) costs little, and
    the slot writes again about another concept, up to this many times."""
    adapt_fraction: float = Field(default=0.25, ge=0, le=1)
    """Share of each pool's budget spent adapting items verified in other languages (when any exist)."""
    difficulty_mix: dict[str, float] = Field(default_factory=lambda: {"easy": 0.4, "medium": 0.4, "hard": 0.2})
    """Target share of each difficulty among instructions."""
    max_failures_per_concept: int = Field(default=3, ge=1)
    """Instructions about one concept (per language) that may end without a verified sample before
    the scheduler stops picking that concept."""
    tasks_in_flight: int = Field(default=8, ge=1)
    """Instructions each pool works on at once (keeps the shared engine's batches full)."""
    near_duplicate_threshold: float = Field(default=0.8, gt=0, le=1)
    """Share of the shorter text's word 3-grams found in the other above which a new instruction
    counts as a near-duplicate of an earlier one (the same task, reworded a little or with lines
    added), and a draft as a copy of a starter task of its prompt."""
    seed: int = 0
    """Random seed of sampling choices (FIM spans, sampling seeds)."""
    roles: RolesConfig = Field(default_factory=RolesConfig)
    """Per-role sampling, concurrency and backend routing."""

    @field_validator("languages")
    @classmethod
    def _canonical(cls, value: list[str]) -> list[str]:
        names = [canonical_name(v) for v in value]
        if len(set(names)) != len(names):
            raise ValueError(f"languages lists a language twice: {value}")
        return names

    @field_validator("corpus", "starters")
    @classmethod
    def _canonical_keys(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {canonical_name(k): v for k, v in value.items()}

    @field_validator("difficulty_mix")
    @classmethod
    def _positive_mix(cls, value: dict[str, float]) -> dict[str, float]:
        if not value or any(w < 0 for w in value.values()) or sum(value.values()) <= 0:
            raise ValueError(f"difficulty_mix needs non-negative weights with a positive sum, got {value}")
        return value
