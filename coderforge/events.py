"""The shapes of a generate run's events (RUN_DIR/events.jsonl), the run's source of truth: the
language pools (agents/pool.py) write them, the memory graph is rebuilt from them, and the outputs
(coderforge/outputs.py), the dataset card and benchmarks/data_report.py are made from them.

Events are plain dicts, in memory and on disk; these TypedDicts only type them, so the JSON stays
what it is. A field that a logged event may lack is NotRequired. Readers still `.get` some fields
that are required here: events logged by older versions may lack them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal, NotRequired, TypedDict

__all__ = ["Attempt", "Candidate", "ConceptsEvent", "Disagreement", "Draft", "Event", "Instruction", "MutantRun",
           "NotRun", "OtherSuite", "Probes", "Rejection", "SetAside", "Target", "TaskEvent", "Tests", "Verdict"]


class Rejection(TypedDict):
    """Why a unit of work went no further."""

    stage: str
    reason: str
    response: NotRequired[str]
    """The model's answer, when it could not be used."""


class Verdict(TypedDict):
    """A filter stage's verdict on a candidate (coderforge.records.add_verdict); each stage adds
    details of its own, of which those the run reads are listed."""

    stage: str
    passed: bool
    reason: str
    status: NotRequired[str | None]
    """sandbox: how the tests ran (a sandbox Status value); None: not executed."""
    checks: NotRequired[int]
    """sandbox: checks that executed and held."""
    total: NotRequired[float | None]
    """judge: the checklist score."""


# -- concepts -------------------------------------------------------------------------------------
class ConceptsEvent(TypedDict):
    """The programming concepts a seed shows."""

    event: Literal["concepts"]
    id: str
    """`concepts:<seed_id>`."""
    language: str
    seed_id: str
    concepts: list[str]
    response: str
    prompt_hash: str
    model: str
    rejection: Rejection | None


# -- tasks ----------------------------------------------------------------------------------------
class Target(TypedDict):
    concept: str
    seed_id: str | None
    """None for an adapted task."""
    difficulty: str


class Instruction(TypedDict):
    """The task statement as written, reviewed and (at most once) revised."""

    id: str
    """The task id without its `task:` prefix (`python-00003`)."""
    text: str
    """The instruction: the draft, or its revision."""
    draft: str
    answer: str
    """The author's whole answer, the draft parsed from it."""
    held_solution: str | None
    """Why the answer held its own solution (trimmed off the draft), or None."""
    review: dict[str, Any] | None
    """The reviewer's checks, or {"error": why the review was unusable}; None: not reviewed."""
    revised: bool
    model: str
    prompt_hash: str
    duplicate_of: NotRequired[str]
    """The instruction this one nearly duplicates."""
    # Problems the draft had that need no reviewer to see (agents/pool.py _ASK), by kind.
    foreign_terms: NotRequired[list[str]]
    returns_void: NotRequired[list[str]]
    restrictions: NotRequired[list[str]]
    prints: NotRequired[list[str]]


class SetAside(TypedDict):
    """A check set aside from the chosen suite: every candidate reaching it failed it alike."""

    check: str
    report: str
    agreeing: int


class OtherSuite(TypedDict):
    """A suite drawn but not chosen, with each candidate's first status against it (None: no code)."""

    suite: int
    statuses: list[str | None]


class MutantRun(TypedDict):
    """A mutant of a passing solution run against the tests: they are trusted only if it fails."""

    status: str
    checks: int
    killed: bool
    value: NotRequired[str]
    """The constant mutant's return value: the value the tests expect most often."""


class Disagreement(TypedDict):
    call: str
    results: list[str]
    """Two different results that answers passing the tests gave for the call."""


class Probes(TypedDict):
    """Passing answers run on variants of the tests' calls (sandbox/probes.py)."""

    calls: int
    answers: int
    """Answers whose results could be read."""
    disagreement: Disagreement | None


class Tests(TypedDict):
    """The instruction's tests: the suite chosen among those drawn, and how far it is trusted."""

    prompt_hash: str
    model: str
    drawn: int
    unusable: list[str]
    """Why each unusable suite was dropped."""
    code: str
    suites: int
    """Suites that were usable."""
    chosen: int
    set_aside: list[SetAside]
    others: list[OtherSuite]
    passed: int
    """Candidates that passed the tests (after repairs)."""
    candidates: int
    mutant: MutantRun | None
    """The stub (every function returning nothing); None: it did not run."""
    executed: bool
    """Whether any candidate ran against the tests."""
    trusted: bool
    why_untrusted: NotRequired[str]
    mutants: NotRequired[dict[str, MutantRun]]
    """Further mutants by kind (`constant`, `identity`), run after a killed stub."""
    probes: NotRequired[Probes]


class NotRun(StrEnum):
    """An attempt's status when the sandbox did not run it (else the sandbox's Status)."""

    syntax_error = "syntax_error"
    """The parse stage rejected the code (syntax errors, no code, an unknown language)."""
    not_executed = "not_executed"
    """It parsed, but nothing ran it against tests (no sandbox stage, no test harness for the language)."""
    repair_rejected = "repair_rejected"
    """The repair answer was unusable: the attempt has no code."""


class Attempt(TypedDict):
    """One version of a candidate's solution (the first, then each repair) and how it ran."""

    code: str | None
    """None: the repair answer was unusable."""
    status: str
    """A sandbox Status value (coderforge.sandbox.Status), or a NotRun value."""
    error: str
    """The end of its error output (the parse reason, the failing check, ...)."""
    checks: NotRequired[int]
    clean: NotRequired[bool]
    """Not a benchmark copy (decontam)."""
    verdicts: NotRequired[list[Verdict]]
    """The chain's verdicts while the candidate runs; the candidate keeps its last version's."""


class Candidate(TypedDict):
    """One sampled solution of the task, through repairs, the filter chain and the judge."""

    id: str
    language: str
    response: str
    model: str
    attempts: list[Attempt]
    solution: str | None
    """The last version with code (None: no usable answer)."""
    repairs: int
    verdicts: list[Verdict]
    prompt_hash: str
    score: NotRequired[float | None]
    """The judge's total, when it judged the candidate."""
    accepted: bool
    instruction: NotRequired[str]
    tests: NotRequired[str | None]
    """The instruction and test code while the candidate runs (the chain's stages read them); the
    task event holds them once, and the logged candidate does not."""


class Draft(TypedDict):
    """What a task's write (or adapt) attempt produced; a task keeps the attempts dropped before
    their tests were drawn as `earlier_drafts`."""

    kind: Literal["write", "adapt"]
    target: Target | None
    adapted_from: str | None
    """The instruction id of the task an adapted task rewrites."""
    instruction: Instruction | None
    rejection: Rejection | None


class TaskEvent(Draft):
    """One task slot's work: its instruction, tests and candidates, or why it stopped."""

    event: Literal["task"]
    id: str
    """`task:<language>-<slot>`."""
    language: str
    slot: int
    tests: Tests | None
    candidates: list[Candidate]
    earlier_drafts: NotRequired[list[Draft]]


Event = ConceptsEvent | TaskEvent
