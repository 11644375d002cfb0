"""One agent pool per language. A pool extracts concepts from its seeds, then works through its
budget of task slots (`tasks_in_flight` at once): pick a target from the memory graph (or an item
verified in another language to adapt), write the instruction, sample n candidate programs, check
them (syntax, sandbox with a bounded repair round, decontamination, judge) and log the whole task as
one event. Events are the run's source of truth; the graph is rebuilt from them on resume."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from coderforge.agents.checks import NOT_EXECUTED, Checks
from coderforge.agents.config import GenerateConfig
from coderforge.agents.graph import GraphView, MemoryGraph
from coderforge.agents.prompting import combined_hash
from coderforge.agents.roles import Agents, Answer

from coderforge.records import add_verdict, passed_all

log = logging.getLogger(__name__)

Event = dict[str, Any]
#: Characters of a failing program's output kept in the task event.
MAX_ERROR_KEEP = 2000


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
        instruction = event["instruction"]
        target = event.get("target") or {}
        graph.add_instruction(
            instruction["id"], language=event["language"], text=instruction["text"],
            concept=target.get("concept", "adaptation"), difficulty=target.get("difficulty", "medium"),
            seed_id=target.get("seed_id"), adapted_from=event.get("adapted_from"),
            duplicate_of=instruction.get("duplicate_of"),
        )
        for candidate in event.get("candidates", []):
            previous = None
            attempts = [a for a in candidate.get("attempts", []) if a.get("code")]
            for k, attempt in enumerate(attempts):
                sid = candidate["id"] if k == 0 else f"{candidate['id']}.r{k}"
                final = k == len(attempts) - 1
                graph.add_solution(sid, instruction_id=instruction["id"], code=attempt["code"],
                                   status=attempt["status"], verified=final and bool(candidate.get("accepted")),
                                   score=candidate.get("score") if final else None, repairs=previous)
                previous = sid
            for verdict in candidate.get("verdicts", []) if previous else []:
                graph.add_verdict(previous, stage=verdict["stage"], passed=verdict["passed"], reason=verdict["reason"])
    graph.mark_applied(event["id"])


class LanguagePool:
    """The agents writing one language's share of the run."""

    def __init__(
        self,
        language: str,
        *,
        config: GenerateConfig,
        agents: Agents,
        checks: Checks,
        graph: GraphView,
        seeds: Mapping[str, Mapping[str, Any]],
        record: Callable[[Event], None],
        done_events: list[Event],
        slots: Sequence[int] | None = None,
    ) -> None:
        """`slots`: the task slots this pool fills (default: the language's whole budget); an
        executor that splits a run into shards gives each shard's pool its own range."""
        self.language = language
        self._cfg = config
        self._agents = agents
        self._checks = checks
        self._graph = graph
        self._seeds = seeds
        self._record = record
        self.slots = list(range(config.instructions_per_language) if slots is None else slots)
        done_tasks = [e for e in done_events if e["event"] == "task" and e["language"] == language
                      and e["slot"] in self.slots]
        self.done_slots = {e["slot"] for e in done_tasks}
        self._adapted = sum(1 for e in done_tasks if e["kind"] == "adapt")
        self._busy_concepts: list[str] = []
        self._busy_sources: set[str] = set()

    # -- concepts --------------------------------------------------------------------------------
    async def extract_concepts(self) -> None:
        """Concepts for this language's seeds that have none yet (all at once: one engine batch)."""
        pending = self._graph.seeds_without_concepts(self.language)
        await asyncio.gather(*(self._concepts(seed_id) for seed_id in pending))

    async def _concepts(self, seed_id: str) -> None:
        answer = await self._agents.concepts(self._seeds[seed_id])
        self._record({
            "event": "concepts", "id": f"concepts:{seed_id}", "language": self.language, "seed_id": seed_id,
            "concepts": answer.value or [], "response": answer.text, "prompt_hash": answer.prompt_hash,
            "model": self._agents.model("concepts"), "rejection": _rejection(answer),
        })

    # -- tasks -----------------------------------------------------------------------------------
    def remaining_slots(self) -> list[int]:
        return [s for s in self.slots if s not in self.done_slots]

    async def run(self) -> None:
        """Extract concepts, then fill every remaining slot."""
        await self.extract_concepts()
        await self.run_tasks()

    async def run_tasks(self) -> None:
        """Fill every remaining slot, `tasks_in_flight` at a time."""
        queue: asyncio.Queue[int] = asyncio.Queue()
        for slot in self.remaining_slots():
            queue.put_nowait(slot)

        async def worker() -> None:
            while not queue.empty():
                slot = queue.get_nowait()
                self._record(await self.run_task(slot))
                self.done_slots.add(slot)

        await asyncio.gather(*(worker() for _ in range(self._cfg.tasks_in_flight)))

    async def run_task(self, slot: int) -> Event:
        tid = task_id(self.language, slot)
        event: Event = {"event": "task", "id": f"task:{tid}", "language": self.language, "slot": slot,
                        "kind": "write", "target": None, "adapted_from": None, "instruction": None,
                        "rejection": None, "candidates": []}
        quota = round(self._cfg.adapt_fraction * len(self.slots))
        sources = [a for a in self._graph.adaptable(self.language) if a.solution_id not in self._busy_sources]
        if self._adapted < quota and sources:
            self._adapted += 1
            source = sources[0]
            self._busy_sources.add(source.solution_id)
            try:
                await self._adapt_task(event, tid, source)
            finally:
                self._busy_sources.discard(source.solution_id)
            return event
        target = self._graph.next_target(self.language, difficulty_mix=self._cfg.difficulty_mix,
                                         exclude=self._busy_concepts)
        if target is None:
            event["rejection"] = {"stage": "plan", "reason": "no seed with concepts to write from"}
            return event
        event["target"] = {"concept": target.concept, "seed_id": target.seed_id, "difficulty": target.difficulty}
        self._busy_concepts.append(target.concept)
        try:
            answer = await self._agents.instruction(language=self.language, seed=self._seeds[target.seed_id],
                                                    concept=target.concept, difficulty=target.difficulty)
            if not answer.ok:
                event["rejection"] = _rejection(answer) | {"response": answer.text}
                return event
            answers = await self._agents.solutions(language=self.language, instruction=answer.value,
                                                   n=self._cfg.candidates)
            await self._finish(event, tid, answer.value, answer.prompt_hash, "instruction", answers)
        finally:
            self._busy_concepts.remove(target.concept)
        return event

    async def _adapt_task(self, event: Event, tid: str, source: Any) -> None:
        event["kind"] = "adapt"
        event["adapted_from"] = source.solution_id
        event["target"] = {"concept": source.concept, "seed_id": None, "difficulty": source.difficulty}
        answer = await self._agents.adapt(language=self.language, source=source)
        if not answer.ok:
            event["rejection"] = _rejection(answer) | {"response": answer.text}
            return
        instruction, code = answer.value
        first = Answer(code, None, answer.text, answer.prompt_hash)
        more = []
        if self._cfg.candidates > 1:
            more = await self._agents.solutions(language=self.language, instruction=instruction,
                                                n=self._cfg.candidates - 1)
        await self._finish(event, tid, instruction, answer.prompt_hash, "adapt", [first, *more])

    async def _finish(self, event: Event, tid: str, instruction: str, instruction_hash: str, role: str,
                      answers: list[Answer]) -> None:
        """Dedup and decontaminate the instruction, check every candidate, judge, mark accepted."""
        event["instruction"] = {"id": tid, "text": instruction, "prompt_hash": instruction_hash,
                                "model": self._agents.model(role)}
        if duplicate := self._graph.near_duplicate(instruction):
            event["instruction"]["duplicate_of"] = duplicate
            event["rejection"] = {"stage": "dedup", "reason": f"near-duplicate of instruction {duplicate}"}
            return
        if why := self._checks.contamination(instruction):
            event["rejection"] = {"stage": "decontam", "reason": f"instruction overlaps a benchmark: {why}"}
            return
        candidates = await asyncio.gather(*(
            self._candidate(f"{tid}-c{k}", instruction, instruction_hash, answer) for k, answer in enumerate(answers)
        ))
        judged = [c for c in candidates if passed_all(c) or _not_executed(c)]
        await self._checks.judge_all(judged)
        for c in candidates:
            c["accepted"] = passed_all(c) and _sandbox_status(c) == "passed"
        event["candidates"] = list(candidates)

    async def _candidate(self, cid: str, instruction: str, instruction_hash: str, answer: Answer) -> Event:
        """Check one candidate: program parsed, syntax, run with repair rounds, decontamination."""
        record: Event = {"id": cid, "language": self.language, "instruction": instruction, "response": answer.text,
                         "model": self._agents.model("solution"), "attempts": [], "solution": None}
        hashes = [instruction_hash, answer.prompt_hash]
        if not answer.ok:
            add_verdict(record, stage=answer.rejection.stage, passed=False, reason=answer.rejection.reason)
            record["prompt_hash"] = combined_hash(*hashes)
            return record
        add_verdict(record, stage="program", passed=True, reason="code block in the language, with tests")
        code = answer.value
        for round_ in range(self._cfg.repair_rounds + 1):
            status, error = await self._run(f"{cid}.r{round_}", code)
            record["attempts"].append({"code": code, "status": status, "error": error[-MAX_ERROR_KEEP:]})
            if status == "passed" or status in NOT_EXECUTED or round_ == self._cfg.repair_rounds:
                break
            fix = await self._agents.repair(language=self.language, instruction=instruction, code=code,
                                            status=status, error=error)
            hashes.append(fix.prompt_hash)
            if not fix.ok:
                record["attempts"].append({"code": None, "status": "repair_rejected", "error": fix.rejection.reason})
                break
            code = fix.value
        last = next(a for a in reversed(record["attempts"]) if a["code"])
        record["solution"] = last["code"]
        record["repairs"] = sum(1 for a in record["attempts"] if a["code"]) - 1
        record["prompt_hash"] = combined_hash(*hashes)
        if last["status"] == "syntax_error":
            add_verdict(record, stage="syntax", passed=False, reason=last["error"])
        else:
            add_verdict(record, stage="syntax", passed=True, reason="parses")
            add_verdict(record, stage="sandbox", passed=last["status"] == "passed", reason=last["status"],
                        status=last["status"], repairs=record["repairs"])
        if why := self._checks.contamination(last["code"]):
            add_verdict(record, stage="decontam", passed=False, reason=f"solution overlaps a benchmark: {why}")
        return record

    async def _run(self, program_id: str, code: str) -> tuple[str, str]:
        """Status and error text of one program: a syntax error found by tree-sitter, or the sandbox's result."""
        if error := self._checks.syntax_error(code, self.language):
            return "syntax_error", error
        result = await self._checks.execute(program_id, self.language, code)
        return result["status"], (result.get("stderr") or "") + (result.get("stdout") or "")[-500:]


def _rejection(answer: Answer) -> dict[str, str] | None:
    return None if answer.rejection is None else {"stage": answer.rejection.stage, "reason": answer.rejection.reason}


def _sandbox_status(candidate: Event) -> str | None:
    return next((v.get("status") for v in candidate.get("verdicts", []) if v["stage"] == "sandbox"), None)


def _not_executed(candidate: Event) -> bool:
    """Parsed, but the sandbox could not run it: only the judge can rank it (for DPO)."""
    return _sandbox_status(candidate) in NOT_EXECUTED
