"""The filter chain: composable stages run in cost order (parse, dedup, decontam, sandbox, judge).
A stage sees only the records every earlier stage passed and adds its verdict to each; the chain
counts a funnel per stage and language, with the reasons records were dropped."""

from __future__ import annotations

import abc
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from coderforge.checklists.config import FiltersConfig

from coderforge.records import Record, add_verdict, instruction_text, passed_all, record_id, solution_text, tests_text

if TYPE_CHECKING:
    from coderforge.checklists.decontam import Decontaminator
    from coderforge.checklists.dedup import Deduplicator
    from coderforge.checklists.judge import Judge
    from coderforge.sandbox import Sandbox

    from coderforge.llm import Backend

__all__ = ["DecontamStage", "DedupStage", "FilterChain", "Funnel", "JudgeStage", "ParseStage", "SandboxStage",
           "Stage", "build_chain", "record_code"]

UNKNOWN_LANGUAGE = "unknown"


def record_code(record: Record) -> str:
    """The record's code: its ``code`` field, else the code blocks of its solution (the solution
    itself when it has no fences)."""
    if record.get("code"):
        return record["code"]
    from coderforge.code.blocks import extract_code_blocks

    solution = solution_text(record)
    blocks = extract_code_blocks(solution)
    return "\n\n".join(b.code for b in blocks) if blocks else solution


class Stage(abc.ABC):
    """One filter: adds its verdict to every record it is given."""

    name: ClassVar[str]

    @abc.abstractmethod
    async def run(self, records: list[Record]) -> None:
        """Add this stage's verdict to each record."""

    def label(self, verdict: dict[str, Any]) -> str:
        """A short, countable name for why a record was rejected (funnel keys)."""
        return verdict["reason"].split(":")[0]


class ParseStage(Stage):
    """Rejects code that tree-sitter cannot parse cleanly (no code at all is rejected too)."""

    name = "parse"

    async def run(self, records: list[Record]) -> None:
        from coderforge.code.syntax import parse
        from coderforge.languages import UnknownLanguageError, get_language

        for record in records:
            code = record_code(record)
            language = record.get("language")
            if not code.strip():
                add_verdict(record, stage=self.name, passed=False, reason="no code")
                continue
            try:
                grammar = get_language(language).grammar if language else None
            except UnknownLanguageError as e:
                add_verdict(record, stage=self.name, passed=False, reason=f"unknown language: {e}")
                continue
            if grammar is None:
                add_verdict(record, stage=self.name, passed=True, reason=f"not parsed: no grammar for {language!r}")
                continue
            result = parse(code, language)
            if result.ok:
                add_verdict(record, stage=self.name, passed=True, reason="parses")
            else:
                add_verdict(record, stage=self.name, passed=False,
                            reason=f"syntax errors: {result.error_count} error and {result.missing_count} missing "
                                   f"node(s); first: {result.first_error}",
                            error_count=result.error_count, missing_count=result.missing_count)


class DedupStage(Stage):
    name = "dedup"

    def __init__(self, deduplicator: Deduplicator) -> None:
        self.deduplicator = deduplicator

    async def run(self, records: list[Record]) -> None:
        self.deduplicator.dedup_records(records)

    def label(self, verdict: dict[str, Any]) -> str:
        return f"{verdict['kind']} duplicate"


class DecontamStage(Stage):
    name = "decontam"

    def __init__(self, decontaminator: Decontaminator, *, fields: Sequence[str]) -> None:
        self.decontaminator = decontaminator
        self.fields = list(fields)

    async def run(self, records: list[Record]) -> None:
        self.decontaminator.check_records(records, fields=self.fields)

    def label(self, verdict: dict[str, Any]) -> str:
        return f"overlaps {verdict['benchmark']}"


class SandboxStage(Stage):
    """Runs each record's code against its tests through the test harness (passed: at least one
    check executed and held, and the example its instruction states holds too), or its whole
    ``program`` as is. Records with neither tests nor a program pass unexecuted, saying so."""

    name = "sandbox"

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def run(self, records: list[Record]) -> None:
        from coderforge.sandbox import Program, Status, harness

        programs: list[Program] = []
        runnable: list[tuple[Record, harness.TestProgram | None]] = []  # None: a whole program
        for i, record in enumerate(records):
            language, tests = record.get("language"), tests_text(record)
            if record.get("program") and language:
                programs.append(Program(record_id(record, i), language, record["program"]))
                runnable.append((record, None))
            elif tests.strip() and language and harness.supports(language):
                tp = harness.test_program(record_id(record, i), language, solution=record_code(record), tests=tests)
                programs.append(tp.program)
                runnable.append((record, tp))
            else:
                add_verdict(record, stage=self.name, passed=True, status=None,
                            reason="not executed: no tests, no language or no test harness for it")
        results = await self.sandbox.aexecute(programs)
        outcomes = [None if tp is None else harness.outcome(tp, result)
                    for (_, tp), result in zip(runnable, results, strict=True)]
        examples = await self._stated_examples([record for (record, _), tested in zip(runnable, outcomes, strict=True)
                                                if tested is not None and tested.status == Status.passed])
        for (record, _), result, tested in zip(runnable, results, outcomes, strict=True):
            if tested is not None:
                passed, status, why = tested.status == Status.passed, tested.status, tested.error
                extra = {"checks": tested.checks}
                if id(record) in examples:
                    extra["stated_examples"], failure = examples[id(record)]
                    if failure:
                        passed, status, why = False, Status.failed, failure
            else:
                passed, status, extra = result.status == Status.passed, str(result.status), {}
                why = ((result.stderr or result.stdout or "").strip().splitlines()[-1:] or [""])[0]
            add_verdict(record, stage=self.name, passed=passed,
                        reason="tests pass" if passed else f"{status}: {why[:300]}",
                        status=status, exit_code=result.exit_code, run_time_s=result.run_time_s,
                        stderr=(result.stderr or "")[-2000:], **extra)

    async def _stated_examples(self, passing: list[Record]) -> dict[int, tuple[int, str]]:
        """For records that passed their tests: the examples their instruction states, run against
        their code (sandbox/stated.py), as id(record) -> (examples run, why the first failed or "")."""
        from coderforge.sandbox import Status, harness, stated

        runs = []
        for i, record in enumerate(passing):
            suite = stated.stated_tests(instruction_text(record), tests_text(record), record["language"])
            if suite is not None:
                runs.append((record, suite.checks, harness.test_program(
                    f"{record_id(record, i)}-stated", record["language"], solution=record_code(record),
                    tests=suite.code)))
        results = await self.sandbox.aexecute([tp.program for _, _, tp in runs]) if runs else []
        found = {}
        for (record, count, tp), result in zip(runs, results, strict=True):
            tested = harness.outcome(tp, result)
            failure = "" if tested.status == Status.passed else \
                f"{stated.NOT_HELD}: {stated.report(tested.error)}"
            found[id(record)] = (count, failure)
        return found

    def label(self, verdict: dict[str, Any]) -> str:
        return str(verdict.get("status"))


class JudgeStage(Stage):
    name = "judge"

    def __init__(self, judge: Judge) -> None:
        self.judge = judge

    async def run(self, records: list[Record]) -> None:
        async for _ in self.judge.judge_in_batches(records):
            pass

    def label(self, verdict: dict[str, Any]) -> str:
        return "judge_error" if verdict.get("error") else "low score"


@dataclass
class Funnel:
    """Records in and out of each stage, per language, and why records were dropped."""

    stages: list[str] = field(default_factory=list)
    entered: dict[str, Counter[str]] = field(default_factory=dict)
    passed: dict[str, Counter[str]] = field(default_factory=dict)
    reasons: dict[str, Counter[str]] = field(default_factory=dict)

    def count(self, stage: Stage, records: Sequence[Record]) -> None:
        self.stages.append(stage.name)
        entered, passed, reasons = Counter(), Counter(), Counter()
        for record in records:
            language = record.get("language") or UNKNOWN_LANGUAGE
            entered[language] += 1
            last = record["verdicts"][-1]
            if last["passed"]:
                passed[language] += 1
            else:
                reasons[stage.label(last)] += 1
        self.entered[stage.name], self.passed[stage.name], self.reasons[stage.name] = entered, passed, reasons

    def to_dict(self) -> dict[str, Any]:
        return {
            "stages": [
                {"stage": s, "in": sum(self.entered[s].values()), "passed": sum(self.passed[s].values()),
                 "per_language": {lang: {"in": n, "passed": self.passed[s][lang]}
                                  for lang, n in sorted(self.entered[s].items())},
                 "rejected_by": dict(self.reasons[s].most_common())}
                for s in self.stages
            ]
        }


@dataclass
class ChainResult:
    kept: list[Record]
    rejected: list[Record]
    funnel: Funnel


class FilterChain:
    """Runs stages in order; each sees only the records all earlier stages passed."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        names = [s.name for s in stages]
        if len(set(names)) != len(names):
            raise ValueError(f"a chain runs each stage once; got {names}")
        self.stages = list(stages)

    def stage(self, name: str) -> Stage | None:
        """The chain's stage called `name`, or None when the chain does not run it."""
        return next((s for s in self.stages if s.name == name), None)

    async def run(self, records: Sequence[Record]) -> ChainResult:
        alive = [r for r in records if passed_all(r)]
        funnel = Funnel()
        for stage in self.stages:
            await stage.run(alive)
            funnel.count(stage, alive)
            alive = [r for r in alive if r["verdicts"][-1]["passed"]]
        kept_ids = {id(r) for r in alive}
        return ChainResult(alive, [r for r in records if id(r) not in kept_ids], funnel)


def build_chain(config: FiltersConfig, *, stages: Sequence[str] | None = None, judge_backend: Backend | None = None,
                sandbox: Sandbox | None = None) -> FilterChain:
    """The chain of the configured (or given) stages. The judge needs a backend and the sandbox
    stage a Sandbox; both are owned (and closed) by the caller."""
    built: list[Stage] = []
    for name in stages or config.stages:
        if name == "parse":
            built.append(ParseStage())
        elif name == "dedup":
            from coderforge.checklists.dedup import Deduplicator

            built.append(DedupStage(Deduplicator(config.dedup)))
        elif name == "decontam":
            from coderforge.checklists.decontam import Decontaminator

            built.append(DecontamStage(Decontaminator.from_config(config.decontam), fields=config.decontam.fields))
        elif name == "sandbox":
            if sandbox is None:
                raise ValueError("the sandbox stage needs a Sandbox")
            built.append(SandboxStage(sandbox))
        elif name == "judge":
            if judge_backend is None:
                raise ValueError("the judge stage needs a backend")
            from coderforge.checklists.judge import Judge

            built.append(JudgeStage(Judge(judge_backend, config=config.judge)))
        else:
            raise ValueError(f"unknown filter stage {name!r}")
    return FilterChain(built)
