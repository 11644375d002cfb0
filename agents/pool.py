"""One agent pool per language. A pool extracts concepts from its seeds, then works through its
budget of task slots (`tasks_in_flight` at once). A task: pick a target from the memory graph (or a
task verified in another language to adapt); write the instruction (with the graph's memory in the
prompt), have it reviewed and revised once; drop it when it copies a starter task, is a
near-duplicate or overlaps a benchmark (a task dropped this early leaves its slot free to write
again); draw its test suites (each written apart from the solutions, never changed); sample n
solutions, run their first versions against every suite (when none passes any, a check every
candidate fails alike is set aside) and keep the suite that a stub fails and the most of them pass
as the instruction's tests; run each candidate against those tests through the filter chain,
repairing the solution (never the tests) a bounded number of times; trust the tests only when a
candidate passes them, the task names what they call, and mutants of that candidate fail them
(functions returning nothing; returning what the tests expect most often; returning their first
argument), and the passing answers agree on inputs the tests do not hold (sandbox/probes.py);
judge; log the task as one event (coderforge/events.py types them). Events are the run's source
of truth; the graph is rebuilt from them on resume.

A backend failure (`BackendUnavailable`) never becomes data: the task is not logged, and a later
run with the same command does it."""

from __future__ import annotations

import asyncio
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coderforge.agents.answers import solution_inside
from coderforge.agents.config import GenerateConfig
from coderforge.agents.graph import Adaptable, GraphView, MemoryGraph, Target, copied_from, mixed_in
from coderforge.agents.prompting import combined_hash, language_notes, starter_tasks
from coderforge.agents.restrictions import printing, restrictions
from coderforge.agents.roles import Agents, Answer, BackendUnavailable
from coderforge.agents.signatures import declared_void, signature_mismatch
from coderforge.agents.vocabulary import foreign_terms
from coderforge.checklists.chain import FilterChain
from coderforge.sandbox import Status, case_tables, checks, harness, probes

from coderforge.errors import BackendError
from coderforge.events import Attempt, Candidate, Draft, Event, NotRun, Rejection, SetAside, TaskEvent, Tests
from coderforge.records import Record, verdict

log = logging.getLogger(__name__)

#: Characters of a failing program's output kept in the task event.
MAX_ERROR_KEEP = 2000
#: Statuses that say the program could not be judged by running it (no toolchain, infrastructure
#: trouble, no test harness for the language), as opposed to the program being wrong.
NOT_EXECUTED = frozenset({Status.sandbox_error, NotRun.not_executed})
#: Few-shot examples and already-written tasks quoted in an instruction prompt.
EXAMPLES_IN_PROMPT = 2
#: Seconds between looks at the graph while an adaptation slot waits for a verified task.
ADAPT_POLL_S = 1.0
WRITTEN_IN_PROMPT = 3
#: What the author is asked to change for each problem found without the reviewer, and why a
#: revision that still has it goes no further.
_ASK = {"foreign_terms": "It uses {found}, which is not {display}: use {display}'s own values and types.",
        "returns_void": "It declares {found} returning `void`: tests check what a function returns, so make "
                        "it return its result (and print nothing).",
        "restrictions": "It restricts how to solve it ({found}), which no test can check: say what the "
                        "function computes, not how, and drop the restriction.",
        "prints": "It asks the function to print ({found}): tests check what a function returns, so make it "
                  "return its result and print nothing."}
_STILL = {"foreign_terms": "the revised task still uses another language's {found}",
          "returns_void": "the revised task still declares {found} returning void",
          "restrictions": "the revised task still restricts how to solve it: {found}",
          "prints": "the revised task still asks the function to print: {found}"}
#: Checks of one suite that may be set aside, and how many a passing candidate must still run then
#: (and no fewer than were set aside). The 0.5B test writer gets three or four values of a suite
#: wrong often enough (`sumOfSquares(2, 2) == 4`, `countVowels("abcdefg") == 4`) that two lost them.
MAX_SET_ASIDE = 4
MIN_CHECKS_LEFT = 3


def task_id(language: str, slot: int) -> str:
    return f"{language}-{slot:05d}"


def apply_event(graph: MemoryGraph, event: Event, seeds: Mapping[str, Mapping[str, Any]]) -> None:
    """Fold one logged event into the graph (idempotent: applied event ids are remembered)."""
    if graph.is_applied(event["id"]):
        return
    if event["event"] == "concepts":
        if event["seed_id"] in seeds:
            graph.add_seed(seeds[event["seed_id"]])
        if f"seed:{event['seed_id']}" in graph.g:  # else a seed this machine's corpus no longer has
            graph.set_concepts(event["seed_id"], event.get("concepts") or [])
    elif event["event"] == "task" and event.get("instruction"):
        _apply_task(graph, event)
    graph.mark_applied(event["id"])


def _apply_task(graph: MemoryGraph, event: TaskEvent) -> None:
    instruction = event["instruction"]
    target = event.get("target") or {}
    tests = event.get("tests") or {}
    accepted = [c for c in event.get("candidates", []) if c.get("accepted")]
    iid = instruction["id"]
    graph.add_instruction(
        iid, language=event["language"], text=instruction["text"], concept=target.get("concept", "adaptation"),
        difficulty=target.get("difficulty", "medium"), seed_id=target.get("seed_id"),
        adapted_from=event.get("adapted_from"), duplicate_of=instruction.get("duplicate_of"),
        verified=bool(accepted), tested=bool(event.get("candidates")) and tests.get("executed", False),
        score=max((c.get("score") or 0.0 for c in accepted), default=None),
    )
    if tests:
        mutant = tests.get("mutant") or {}
        graph.add_tests(iid, trusted=bool(tests.get("trusted")), mutant_killed=mutant.get("killed"))
    for candidate in event.get("candidates", []):
        previous = None
        attempts = [a for a in candidate.get("attempts", []) if a.get("code")]
        for k, attempt in enumerate(attempts):
            sid = candidate["id"] if k == 0 else f"{candidate['id']}.r{k}"
            final = k == len(attempts) - 1
            graph.add_solution(sid, instruction_id=iid, code=attempt["code"], status=attempt["status"],
                               verified=final and bool(candidate.get("accepted")),
                               score=candidate.get("score") if final else None, repairs=previous)
            previous = sid
        for v in candidate.get("verdicts", []) if previous else []:
            graph.add_verdict(previous, stage=v["stage"], passed=v["passed"], reason=v["reason"])


@dataclass(frozen=True)
class _Suite:
    """A drawn test suite as the candidates' first versions ran against it."""

    index: int
    """Its place among the suites drawn."""
    code: str
    set_aside: list[SetAside]
    """Checks set aside (see LanguagePool._settle): each one's statement, the failure report every
    candidate reaching it gave, and how many did."""
    firsts: list[Attempt | None]
    """Each candidate's first attempt against `code` (None: the candidate has no code)."""


@dataclass(frozen=True)
class _Instruction:
    """A written (and reviewed) instruction ready for tests and solutions."""

    text: str
    hashes: tuple[str, ...]


class LanguagePool:
    """The agents writing one language's share of the run."""

    def __init__(
        self,
        language: str,
        *,
        config: GenerateConfig,
        agents: Agents,
        chain: FilterChain,
        sandbox: Any,
        graph: GraphView,
        seeds: Mapping[str, Mapping[str, Any]],
        record: Callable[[Event], None],
        done_events: Sequence[Event],
        slots: Sequence[int] | None = None,
    ) -> None:
        """`slots`: the task slots this pool fills (default: the language's whole budget); an
        executor that splits a run into shards gives each shard's pool its own range."""
        self.language = language
        self._cfg = config
        self._agents = agents
        self._chain = chain
        self._sandbox = sandbox
        self._graph = graph
        self._seeds = seeds
        self._record = record
        self._starters = starter_tasks(language, config.starters.get(language))
        # Without a test harness (or a sandbox stage) nothing can be executed: no tests are written,
        # and candidates can only reach the coarse tier through the judge.
        self._executable = harness.supports(language) and chain.stage("sandbox") is not None
        self.slots = list(range(config.instructions_per_language) if slots is None else slots)
        done_tasks = [e for e in done_events if e["event"] == "task" and e["language"] == language
                      and e["slot"] in self.slots]
        self.done_slots = {e["slot"] for e in done_tasks}
        self._adapted = sum(1 for e in done_tasks for d in [e, *e.get("earlier_drafts", [])] if d["kind"] == "adapt")
        self._adapt_quota = round(config.adapt_fraction * len(self.slots))
        self._busy_concepts: list[str] = []
        self._busy_sources: set[str] = set()
        self.undone: list[str] = []
        """Why tasks were left undone this session (backend failures); a rerun does them."""
        self.peers: Sequence[LanguagePool] = ()
        """The run's other pools in this process: while one of them is still writing, this pool's
        adaptation slots wait for a task it verifies (see _sources)."""
        self._adapt_slots: set[int] = set()
        self._left_undone: set[int] = set()

    # -- concepts --------------------------------------------------------------------------------
    async def extract_concepts(self) -> None:
        """Concepts for this language's seeds that have none yet (all at once: one engine batch)."""
        pending = self._graph.seeds_without_concepts(self.language)
        await asyncio.gather(*(self._concepts(seed_id) for seed_id in pending))

    async def _concepts(self, seed_id: str) -> None:
        try:
            answer = await self._agents.concepts(self._seeds[seed_id])
        except BackendUnavailable as e:
            self.undone.append(str(e))
            return
        self._record({
            "event": "concepts", "id": f"concepts:{seed_id}", "language": self.language, "seed_id": seed_id,
            "concepts": answer.value or [], "response": answer.text, "prompt_hash": answer.prompt_hash,
            "model": self._agents.model("concepts"), "rejection": _rejection(answer),
        })

    # -- tasks -----------------------------------------------------------------------------------
    def remaining_slots(self) -> list[int]:
        return [s for s in self.slots if s not in self.done_slots]

    def writing(self) -> bool:
        """Whether a task of this pool may still be verified and adapted: a slot other than its
        adaptation slots is not done (adapted tasks are never adapted again)."""
        return any(s not in self._adapt_slots and s not in self._left_undone for s in self.remaining_slots())

    def _adaptation_slots(self) -> set[int]:
        """The last remaining slots, as many as the adaptation quota has left: they run after the
        others have started, and wait for a task verified in another language."""
        left = self._adapt_quota - self._adapted
        remaining = self.remaining_slots()
        return set(remaining[len(remaining) - left:]) if left > 0 and self.peers else set()

    async def run(self) -> None:
        """Extract concepts, then fill every remaining slot."""
        await self.extract_concepts()
        await self.run_tasks()

    async def run_tasks(self) -> None:
        """Fill every remaining slot, `tasks_in_flight` at a time."""
        queue: asyncio.Queue[int] = asyncio.Queue()
        for slot in self.remaining_slots():
            queue.put_nowait(slot)
        self._adapt_slots = self._adaptation_slots()

        async def worker() -> None:
            while not queue.empty():
                slot = queue.get_nowait()
                try:
                    event = await self.run_task(slot)
                except BackendUnavailable as e:
                    log.warning("%s task %d left undone: %s", self.language, slot, e)
                    self.undone.append(str(e))
                    self._left_undone.add(slot)
                    continue
                self._record(event)
                self.done_slots.add(slot)

        await asyncio.gather(*(worker() for _ in range(self._cfg.tasks_in_flight)))

    async def run_task(self, slot: int) -> TaskEvent:
        """The slot's task: adapted from a task verified in another language (while the adaptation
        quota lasts) or written about the concept the graph picks. An attempt dropped before its
        tests were drawn costs little, and the slot writes again about another concept, up to
        generate.draft_attempts attempts (the earlier ones in `earlier_drafts`)."""
        tid = task_id(self.language, slot)
        sources = await self._sources(wait=slot in self._adapt_slots)
        event = _task_event(self.language, slot)
        earlier: list[Draft] = []
        for attempt in range(self._cfg.draft_attempts):
            if attempt:
                earlier.append({key: event[key] for key in ("kind", "target", "adapted_from", "instruction",
                                                            "rejection")})
                event = _task_event(self.language, slot)
            if attempt == 0 and self._adapted < self._adapt_quota and sources:
                await self._adapt_task(event, tid, sources[0])
            else:
                salt = f"{self._cfg.seed}:{tid}" + (f":{attempt}" if attempt else "")
                tried = [d["target"]["concept"] for d in earlier if d["kind"] == "write"]
                await self._write_task(event, tid, salt=salt, tried=tried)
            if not _dropped_before_tests(event):
                break
        if earlier:
            event["earlier_drafts"] = earlier
        return event

    async def _write_task(self, event: TaskEvent, tid: str, *, salt: str, tried: Sequence[str]) -> None:
        """Write a task about the concept the graph picks next (those in `tried` count once more)."""
        target = self._graph.next_target(self.language, difficulty_mix=self._cfg.difficulty_mix,
                                         exclude=[*self._busy_concepts, *tried], salt=salt,
                                         max_failures=self._cfg.max_failures_per_concept)
        if target is None:
            event["rejection"] = {"stage": "plan", "reason": "no concept left to write about (every concept "
                                  "is without seeds or reached max_failures_per_concept)"}
            return
        event["target"] = {"concept": target.concept, "seed_id": target.seed_id, "difficulty": target.difficulty}
        self._busy_concepts.append(target.concept)
        try:
            written = await self._write(event, target)
            if written is not None:
                await self._finish(event, tid, written)
        finally:
            self._busy_concepts.remove(target.concept)

    def _examples(self) -> list[str]:
        """Verified tasks of this language, topped up from the starter set."""
        verified = self._graph.verified_examples(self.language, limit=EXAMPLES_IN_PROMPT)
        return (verified + self._starters)[:EXAMPLES_IN_PROMPT]

    async def _write(self, event: TaskEvent, target: Target) -> _Instruction | None:
        """Draft, review and (when the reviewer finds problems) revise the instruction once."""
        answer = await self._agents.instruction(
            language=self.language, seed=self._seeds[target.seed_id], concept=target.concept,
            difficulty=target.difficulty, examples=self._examples(),
            avoid=self._graph.written_about(self.language, target.concept, limit=WRITTEN_IN_PROMPT))
        if not answer.ok:
            event["rejection"] = _rejection(answer) | {"response": answer.text}
            return None
        return await self._review(event, answer, role="instruction")

    async def _review(self, event: TaskEvent, answer: Answer, *, role: str) -> _Instruction | None:
        """The review round. What followed the task in the author's answer (a solution, an
        explanation) was trimmed off when it was parsed (`held_solution` says whether it held one);
        the reviewer checks the task, and the author revises once when a problem is found (by the
        reviewer, or one seen without it: another language's values, `undefined` in a Python task;
        a C or C++ function declared `void`; a rule on how to solve it; a demand to print; a revision
        still having one of these goes no further). A draft that copies a starter task (the examples
        of its prompt), or pastes one into its own, goes no further."""
        draft, hashes = answer.value, (answer.prompt_hash,)
        event["instruction"] = {"id": event["id"].removeprefix("task:"), "text": draft, "draft": draft,
                                "answer": answer.text, "held_solution": solution_inside(answer.text, self.language),
                                "review": None, "revised": False, "model": self._agents.model(role),
                                "prompt_hash": combined_hash(*hashes)}
        if why := self._starter_in(draft):
            event["rejection"] = {"stage": "dedup", "reason": why}
            return None
        review = await self._agents.review(language=self.language, instruction=draft)
        hashes = (*hashes, review.prompt_hash)
        event["instruction"]["review"] = review.value if review.ok else {"error": review.rejection.reason}
        event["instruction"]["prompt_hash"] = combined_hash(*hashes)
        problems = [str(review.value["problems"])] if review.ok and review.value["problems"] else []
        display = language_notes(self.language).display
        for kind, found in self._mechanical_problems(draft).items():
            event["instruction"][kind] = found
            quote = '"' if kind in ("restrictions", "prints") else "`"  # a phrase, not code
            problems.append(_ASK[kind].format(found=", ".join(f"{quote}{t}{quote}" for t in found), display=display))
        if not problems:
            return _Instruction(draft, hashes)
        revised = await self._agents.revise(language=self.language, instruction=draft, problems=" ".join(problems))
        hashes = (*hashes, revised.prompt_hash)
        event["instruction"]["prompt_hash"] = combined_hash(*hashes)
        if not revised.ok:
            event["rejection"] = _rejection(revised) | {"response": revised.text}
            return None
        event["instruction"].update(text=revised.value, revised=True)
        if still := self._mechanical_problems(revised.value):
            kind, found = next(iter(still.items()))
            event["rejection"] = {"stage": "instruction", "reason": _STILL[kind].format(found=", ".join(found))}
            return None
        return _Instruction(revised.value, hashes)

    def _mechanical_problems(self, task: str) -> dict[str, list[str]]:
        """Problems a task has that need no reviewer to see, by kind (see _ASK); kinds without any
        are left out."""
        found = {"foreign_terms": foreign_terms(task, self.language),
                 "returns_void": declared_void(task, self.language), "restrictions": restrictions(task),
                 "prints": printing(task)}
        return {kind: terms for kind, terms in found.items() if terms}

    def _starter_in(self, draft: str) -> str | None:
        """Why `draft` is a starter task's text rather than a new task (None: it is not, or there is
        no dedup stage)."""
        if self._chain.stage("dedup") is None:
            return None
        if (k := copied_from(draft, self._starters, threshold=self._cfg.near_duplicate_threshold)) is not None:
            return f"copies starter task {k + 1} of {self.language}, an example of its prompt"
        if (k := mixed_in(draft, self._starters)) is not None:
            return f"mixes starter task {k + 1} of {self.language}, an example of its prompt, into another task"
        return None

    async def _sources(self, *, wait: bool) -> list[Adaptable]:
        """Tasks verified in other languages that this pool may adapt; with `wait`, until there is
        one or no other pool is writing any more (all tasks start together, so without waiting
        none would be verified yet when this pool's slots start)."""
        while True:
            sources = [a for a in self._graph.adaptable(self.language) if a.instruction_id not in self._busy_sources]
            if sources or not wait or not any(p.writing() for p in self.peers):
                return sources
            await asyncio.sleep(ADAPT_POLL_S)

    async def _adapt_task(self, event: TaskEvent, tid: str, source: Adaptable) -> None:
        self._adapted += 1
        self._busy_sources.add(source.instruction_id)
        try:
            await self._adapt(event, tid, source)
        finally:
            self._busy_sources.discard(source.instruction_id)

    async def _adapt(self, event: TaskEvent, tid: str, source: Adaptable) -> None:
        event["kind"] = "adapt"
        event["adapted_from"] = source.instruction_id
        event["target"] = {"concept": source.concept, "seed_id": None, "difficulty": source.difficulty}
        answer = await self._agents.adapt(language=self.language, source_language=source.language,
                                          instruction=source.instruction)
        if not answer.ok:
            event["rejection"] = _rejection(answer) | {"response": answer.text}
            return
        written = await self._review(event, answer, role="adapt")
        if written is not None:
            await self._finish(event, tid, written)

    async def _finish(self, event: TaskEvent, tid: str, written: _Instruction) -> None:
        """Dedup and decontaminate the instruction, draw its test suites and pick one, run every
        candidate against it, check the tests fail a stub solution, judge, mark accepted."""
        instruction = written.text
        duplicate = self._graph.near_duplicate(instruction, self.language)
        if self._chain.stage("dedup") is not None and duplicate:
            event["instruction"]["duplicate_of"] = duplicate
            event["rejection"] = {"stage": "dedup", "reason": f"near-duplicate of instruction {duplicate}"}
            return
        if why := self._contamination(instruction):
            event["rejection"] = {"stage": "decontam", "reason": f"instruction overlaps a benchmark: {why}"}
            return
        hashes = written.hashes
        suites: list[str] = []
        if self._executable:
            drawn = await self._agents.tests(language=self.language, instruction=instruction,
                                             n=self._cfg.test_suites)
            # The test writer's own version of a function the task names is never what gets tested.
            named = set(re.findall(r"\w+", instruction)) - {"main"}
            suites = [harness.without_definitions(t.value, named, self.language) for t in drawn if t.ok]
            # A table of cases that no check reads becomes one check per case.
            if called := case_tables.function_called(instruction):
                suites = [case_tables.unrolled(s, called, self.language) or s for s in suites]
            if not suites:
                event["rejection"] = _rejection(drawn[0]) | {"response": drawn[0].text}
                return
            event["tests"] = {"prompt_hash": drawn[0].prompt_hash, "model": self._agents.model("tests"),
                              "drawn": len(drawn), "unusable": [t.rejection.reason for t in drawn if not t.ok]}
            hashes = (*hashes, drawn[0].prompt_hash)
        answers = await self._agents.solutions(language=self.language, instruction=instruction,
                                               n=self._cfg.candidates)
        firsts: list[Attempt | None] = [None] * len(answers)
        if suites:
            suite, drawn = await self._choose_suite(tid, instruction, suites, answers)
            event["tests"].update(code=suite.code, suites=len(suites), chosen=suite.index, set_aside=suite.set_aside,
                                  others=[{"suite": s.index, "statuses": [a and a["status"] for a in s.firsts]}
                                          for s in drawn if s is not suite])
            firsts = suite.firsts
        candidates = await asyncio.gather(*(
            self._candidate(f"{tid}-c{k}", instruction, (event["tests"] or {}).get("code"), hashes, answer, first)
            for k, (answer, first) in enumerate(zip(answers, firsts, strict=True))
        ))
        if self._executable:
            await self._check_tests(event, tid, instruction, candidates)
        trusted = (event["tests"] or {}).get("trusted", False)
        judge = self._chain.stage("judge")
        to_judge = [c for c in candidates if _clean(c) and (_passed(c) if trusted else _not_executed(c))]
        if judge is not None and to_judge:
            try:
                await judge.run(to_judge)
            except BackendError as e:
                raise BackendUnavailable(f"judge: {e}") from e
            for c in to_judge:
                c["score"] = (verdict(c, "judge") or {}).get("total")
        for c in candidates:
            c["accepted"] = trusted and _passed(c) and all(v["passed"] for v in c.get("verdicts", []))
            for key in ("instruction", "tests"):  # the event holds them once, not per candidate
                c.pop(key, None)
        event["candidates"] = list(candidates)
        if self._executable and not trusted and not event.get("rejection"):
            event["rejection"] = {"stage": "tests", "reason": event["tests"]["why_untrusted"]}

    async def _check_tests(self, event: TaskEvent, tid: str, instruction: str, candidates: Sequence[Candidate]) -> None:
        """Trust the shared tests when enough candidates passed them (generate.min_pass_share), the
        task names every function of it the tests call (`unnamed_in_task`: else passing hinged on
        guessing a name) with the signature it declares (C, C++: types and parameters; Python,
        JavaScript, TypeScript: parameters), and a stub of that candidate
        (every function returning nothing) fails them; record how many of n candidates passed."""
        tests = event["tests"]
        passing = [c for c in candidates if _passed(c)]
        tests.update(passed=len(passing), candidates=len(candidates), mutant=None,
                     executed=any(not _not_executed(c) and verdict(c, "sandbox") for c in candidates))
        if not passing:
            tests.update(trusted=False, why_untrusted=f"no candidate of {len(candidates)} passed the shared tests")
            return
        if len(passing) < (needed := math.ceil(self._cfg.min_pass_share * len(candidates))):
            tests.update(trusted=False, why_untrusted=f"only {len(passing)} of {len(candidates)} candidates passed "
                                                      f"the shared tests (generate.min_pass_share needs {needed}): "
                                                      "the solutions read the task differently")
            return
        best = min(passing, key=lambda c: (c["repairs"], c["id"]))
        if unnamed := unnamed_in_task(instruction, best["solution"], tests["code"], self.language):
            tests.update(trusted=False, why_untrusted=f"the tests call {', '.join(unnamed)}, which the instruction "
                                                      "never names")
            return
        tested = harness.names_tested(best["solution"], tests["code"], self.language)
        if mismatch := signature_mismatch(instruction, best["solution"], tested, self.language):
            tests.update(trusted=False, why_untrusted=f"{mismatch} (the tests followed the answers, not the task)")
            return
        stub = harness.stub_solution(self.language, best["solution"])
        if stub is None:
            tests.update(trusted=False, why_untrusted="no function to stub in the passing solution: the tests "
                                                      "cannot be checked against a stub")
            return
        outcome = await harness.run_tests(self._sandbox, f"{tid}-stub", self.language, solution=stub,
                                          tests=tests["code"])
        killed = outcome.status != Status.passed
        tests["mutant"] = {"status": outcome.status, "checks": outcome.checks, "killed": killed}
        tests["trusted"] = killed
        if not killed:
            tests["why_untrusted"] = "the tests also pass a stub solution whose functions return nothing"
            return
        await self._check_mutants(tid, best["solution"], tests)
        if tests["trusted"]:
            await self._probe(tid, [c["solution"] for c in passing], tests)

    async def _probe(self, tid: str, solutions: Sequence[str], tests: Tests) -> None:
        """Untrust tests that answers computing different functions all pass: each passing answer
        runs on variants of the tests' literal calls (sandbox/probes.py), and two results that
        differ for one call leave open which answer is right. The outcome in tests["probes"]."""
        if len(solutions) < 2:
            return
        names = harness.names_tested(solutions[0], tests["code"], self.language)
        if not (calls := probes.probe_calls(tests["code"], names, self.language)):
            return
        built = [probes.probe_program(f"{tid}-probe{k}", self.language, s, calls) for k, s in enumerate(solutions)]
        ran = await self._sandbox.aexecute([program for program, _ in built])
        shown = [probes.results(r.stdout, nonce, len(calls)) for r, (_, nonce) in zip(ran, built, strict=True)]
        found = probes.disagreement(calls, shown)
        tests["probes"] = {"calls": len(calls), "answers": sum(1 for s in shown if s),
                           "disagreement": found and {"call": found.call, "results": list(found.results)}}
        if found:
            tests.update(trusted=False, why_untrusted=f"answers that pass the tests disagree on {found.call}: "
                                                      f"{found.results[0]} vs {found.results[1]} (the task or its "
                                                      "tests leave open which is right)")

    async def _check_mutants(self, tid: str, solution: str, tests: Tests) -> None:
        """Untrust tests that a solution always returning their most expected value, or its first
        argument, passes (Python, JavaScript, TypeScript, C, C++); each result in
        tests["mutants"][kind]."""
        values = harness.expected_values(tests["code"], self.language)
        value = Counter(values).most_common(1)[0][0] if values else None
        mutants = {"constant": (harness.constant_solution(self.language, solution, value) if value else None,
                                f"always return {value}"),
                   "identity": (harness.identity_solution(self.language, solution), "return their first argument")}
        for kind, (mutant, what) in mutants.items():
            # A passing answer that is the mutant itself (`return z`) runs too: so trivial a task is
            # not one to train on.
            if mutant is None:
                continue
            outcome = await harness.run_tests(self._sandbox, f"{tid}-{kind}", self.language, solution=mutant,
                                              tests=tests["code"])
            killed = outcome.status != Status.passed
            result = tests.setdefault("mutants", {})[kind] = {"status": outcome.status, "checks": outcome.checks,
                                                              "killed": killed}
            if kind == "constant":
                result["value"] = value
            if not killed:
                tests.update(trusted=False, why_untrusted=f"the tests also pass a solution whose functions {what}")
                return

    async def _choose_suite(self, tid: str, instruction: str, suites: Sequence[str],
                            answers: Sequence[Answer]) -> tuple[_Suite, list[_Suite]]:
        """Run every candidate's first version against every suite; when none passes any, each suite
        sets aside its disputed checks (see _settle). The instruction's tests are the suite that a
        stub of its best passing candidate fails and that the most candidates pass (then: more checks
        run, then drawn first). Returns it and every suite as run."""
        async def against_each(k: int, answer: Answer) -> list[Attempt | None]:
            if not answer.ok:
                return [None] * len(suites)
            return list(await asyncio.gather(*(
                self._attempt({"id": f"{tid}-c{k}-s{j}", "language": self.language, "instruction": instruction,
                               "tests": suite}, answer.value) for j, suite in enumerate(suites))))

        firsts = await asyncio.gather(*(against_each(k, answer) for k, answer in enumerate(answers)))
        drawn = [_Suite(j, suite, [], [attempts[j] for attempts in firsts]) for j, suite in enumerate(suites)]
        if not any(_passes(suite) for suite in drawn):
            drawn = list(await asyncio.gather(*(self._settle(tid, instruction, suite, answers) for suite in drawn)))
        if len(drawn) == 1:
            return drawn[0], drawn

        async def rank(suite: _Suite) -> tuple[bool, int, int, int]:
            passing = _passes(suite)
            if not passing:
                return False, 0, 0, -suite.index
            stub = harness.stub_solution(self.language, passing[0]["code"])
            killed = stub is not None and (await harness.run_tests(
                self._sandbox, f"{tid}-s{suite.index}-stub", self.language, solution=stub,
                tests=suite.code)).status != Status.passed
            return killed, len(passing), sum(a["checks"] for a in passing), -suite.index

        ranks = await asyncio.gather(*(rank(suite) for suite in drawn))
        return drawn[max(range(len(drawn)), key=ranks.__getitem__)], drawn

    async def _settle(self, tid: str, instruction: str, suite: _Suite, answers: Sequence[Answer]) -> _Suite:
        """A suite no candidate passes, without the checks in dispute: a check that every candidate
        reaching it fails with one report (the same values, where the language shows them), at least
        half of the n candidates, is set aside and the candidates run again, up to MAX_SET_ASIDE
        times. Small models miscompute expected values (`sum_of_squares([0, -1, -2]) == 0`); n
        solutions written apart agreeing on every earlier check and on this one's result outvote one
        test writer. Not when their reports leave open whether they agree on its value (a C++
        `assert(f(8) == 3)` fails alike for 2 and 5), nor when the check is an example the
        instruction states (the instruction is then in dispute too). Kept only when a candidate then
        passes with MIN_CHECKS_LEFT checks run, and no fewer than were set aside; the mutants still
        have to fail what is left, and the passing answers agree on the probes."""
        settled = suite
        for round_ in range(1, MAX_SET_ASIDE + 1):
            dispute = checks.disputed_check([None if a is None else (a["status"], a["error"])
                                             for a in settled.firsts],
                                            min_agreeing=max(2, math.ceil(len(answers) / 2)))
            narrowed = dispute and checks.without_check(settled.code, dispute.check.line, self.language)
            if not narrowed or not checks.values_agreed(dispute, narrowed[1], self.language) \
                    or checks.states_example(narrowed[1], instruction):
                return suite
            code, statement = narrowed
            firsts = await asyncio.gather(*(
                self._attempt({"id": f"{tid}-c{k}-s{suite.index}-a{round_}", "language": self.language,
                               "instruction": instruction, "tests": code}, answer.value) if answer.ok else _none()
                for k, answer in enumerate(answers)))
            aside: SetAside = {"check": statement, "report": dispute.check.report, "agreeing": dispute.agreeing}
            settled = _Suite(suite.index, code, [*settled.set_aside, aside], list(firsts))
            if passing := _passes(settled):
                left = max(a["checks"] for a in passing)
                return settled if left >= max(MIN_CHECKS_LEFT, len(settled.set_aside)) else suite
        return suite

    async def _candidate(self, cid: str, instruction: str, tests: str | None, hashes: tuple[str, ...],
                         answer: Answer, first: Attempt | None = None) -> Candidate:
        """One candidate through the chain's parse and sandbox stages against the shared tests, with
        repair rounds that change the solution only, then decontamination of the final solution.
        `first`: its first version's attempt, when already run against these tests."""
        record: Candidate = {"id": cid, "language": self.language, "instruction": instruction, "tests": tests,
                         "response": answer.text, "model": self._agents.model("solution"), "attempts": [],
                         "solution": None, "repairs": 0, "verdicts": []}
        hashes = (*hashes, answer.prompt_hash)
        if not answer.ok:
            record["verdicts"].append({"stage": answer.rejection.stage, "passed": False,
                                       "reason": answer.rejection.reason})
            record["prompt_hash"] = combined_hash(*hashes)
            return record
        code = answer.value
        for round_ in range(self._cfg.repair_rounds + 1):
            attempt = first if round_ == 0 and first is not None else await self._attempt(record, code)
            record["attempts"].append(attempt)
            status = attempt["status"]
            if status == Status.passed or status in NOT_EXECUTED or round_ == self._cfg.repair_rounds:
                break
            fix = await self._agents.repair(language=self.language, instruction=instruction, code=code,
                                            status=status, error=attempt["error"])
            hashes = (*hashes, fix.prompt_hash)
            if not fix.ok:
                record["attempts"].append({"code": None, "status": NotRun.repair_rejected,
                                           "error": fix.rejection.reason})
                break
            code = fix.value
        last = next(a for a in reversed(record["attempts"]) if a["code"])
        record["verdicts"] = last.pop("verdicts")
        for a in record["attempts"]:
            a.pop("verdicts", None)
        record["solution"] = last["code"]
        record["repairs"] = sum(1 for a in record["attempts"] if a["code"]) - 1
        record["prompt_hash"] = combined_hash(*hashes)
        return record

    async def _attempt(self, record: Record, code: str) -> Attempt:
        """Run one version of the solution through the configured parse and sandbox stages (the
        sandbox only when it parses), and decontam (every version: a failed one may become the
        rejected side of a DPO pair); its status is the sandbox's, or a NotRun value."""
        trial = {**record, "solution": code, "verdicts": []}
        for name in ("parse", "sandbox", "decontam"):
            stage = self._chain.stage(name)
            if stage is None or (name == "sandbox" and not all(v["passed"] for v in trial["verdicts"])):
                continue
            await stage.run([trial])
        sandbox = verdict(trial, "sandbox")
        parse = verdict(trial, "parse")
        if parse is not None and not parse["passed"]:
            status, error = NotRun.syntax_error, parse["reason"]
        elif sandbox is not None and sandbox["status"] is not None:
            status, error = sandbox["status"], sandbox.get("error") or sandbox["reason"]
        else:
            status, error = NotRun.not_executed, ""
        return {"code": code, "status": status, "checks": (sandbox or {}).get("checks", 0),
                "error": error[-MAX_ERROR_KEEP:], "clean": (verdict(trial, "decontam") or {"passed": True})["passed"],
                "verdicts": trial["verdicts"]}

    def _contamination(self, text: str) -> str | None:
        stage = self._chain.stage("decontam")
        if stage is None:
            return None
        match = stage.decontaminator.check_text(text)
        return None if match is None else str(match)


def unnamed_in_task(instruction: str, solution: str, tests: str, language: str) -> list[str]:
    """The solution's functions and classes that the tests use and that neither the instruction
    nor the language's solution conventions (Java's class `Solution`) name."""
    given = f"{instruction}\n{language_notes(language).solution_style}"
    return [name for name in harness.names_tested(solution, tests, language)
            if not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", given)]


def _task_event(language: str, slot: int) -> TaskEvent:
    return {"event": "task", "id": f"task:{task_id(language, slot)}", "language": language, "slot": slot,
            "kind": "write", "target": None, "adapted_from": None, "instruction": None, "tests": None,
            "rejection": None, "candidates": []}


def _dropped_before_tests(event: TaskEvent) -> bool:
    """Whether a task was dropped before its tests were drawn (so cheaply that the slot may write
    again); a slot with no concept left to write about is not."""
    rejection = event["rejection"]
    return (rejection is not None and rejection["stage"] != "plan" and event["tests"] is None
            and not event["candidates"])


def _rejection(answer: Answer) -> Rejection | None:
    return None if answer.rejection is None else {"stage": answer.rejection.stage, "reason": answer.rejection.reason}


def _passes(suite: _Suite) -> list[Attempt]:
    return [a for a in suite.firsts if a is not None and a["status"] == Status.passed]


async def _none() -> None:
    return None


def _passed(candidate: Candidate) -> bool:
    return (verdict(candidate, "sandbox") or {}).get("status") == Status.passed


def _clean(candidate: Candidate) -> bool:
    """Parsed, and not a benchmark copy (stages that did not run say nothing against it)."""
    return bool(candidate.get("solution")) and all(
        (v := verdict(candidate, stage)) is None or v["passed"] for stage in ("parse", "decontam"))


def _not_executed(candidate: Candidate) -> bool:
    """Not run against tests (no sandbox stage, no harness, or the sandbox failed): only the judge
    can rank it (coarse tier)."""
    return (verdict(candidate, "sandbox") or {}).get("status") in {None, Status.sandbox_error}
