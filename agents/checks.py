"""The checks a candidate goes through inside a task, cheapest first: syntax (tree-sitter),
decontamination, sandbox execution of the program with its tests, and the checklist judge.
Each check appends a verdict to the candidate record (coderforge.records)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

#: Sandbox statuses that say the program could not be judged by running it (no toolchain,
#: infrastructure trouble), as opposed to the program being wrong.
NOT_EXECUTED = frozenset({"sandbox_error"})


@dataclass
class Checks:
    """The real checking parts of a run; `decontaminator` and `judge` are optional stages."""

    sandbox: Any
    """A coderforge.sandbox.Sandbox."""
    decontaminator: Any | None = None
    """A coderforge.filters.decontam.Decontaminator (None: stage off)."""
    judge: Any | None = None
    """A coderforge.checklists.judge.Judge (None: stage off)."""
    sandbox_concurrency: int = 8

    def __post_init__(self) -> None:
        self._sandbox_limit = asyncio.Semaphore(self.sandbox_concurrency)

    @staticmethod
    def syntax_error(code: str, language: str) -> str | None:
        """The first syntax error tree-sitter finds, or None (also None for languages without a grammar)."""
        from coderforge.code.parsing import NoGrammarError, parse

        try:
            result = parse(code, language)
        except NoGrammarError:
            return None
        if result.ok:
            return None
        return str(result.first_error or f"{result.error_count} syntax error(s)")

    def contamination(self, text: str) -> str | None:
        """Why `text` overlaps a benchmark, or None."""
        if self.decontaminator is None:
            return None
        match = self.decontaminator.check(text)
        return None if match is None else str(match)

    async def execute(self, program_id: str, language: str, code: str) -> dict[str, Any]:
        """Run one program (solution + tests); the sandbox Result as a dict."""
        from coderforge.sandbox import Program

        async with self._sandbox_limit:
            (result,) = await self.sandbox.aexecute([Program(program_id, language, code)])
        return result.to_dict()

    async def judge_all(self, records: Sequence[dict[str, Any]]) -> None:
        """Judge the records (instruction + solution); each gets a judge verdict and its `score`."""
        if self.judge is None or not records:
            return
        results = await self.judge.judge(list(records))
        for record, result in zip(records, results, strict=True):
            result.apply(record)
            record["score"] = result.total
