"""The agent roles: concept extractor, instruction writer, solution + tests writer, cross-language
adapter and repairer. Each role renders its prompt, asks its own backend (under its own concurrency
limit) and parses the answer; unusable answers come back as `OutputRejected`, never raised."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coderforge.agents.config import RoleConfig, RolesConfig
from coderforge.agents.graph import Adaptable
from coderforge.agents.parsing import (
    OutputRejected,
    parse_adaptation,
    parse_concepts,
    parse_instruction,
    parse_program,
)
from coderforge.agents.prompting import Rendered, language_notes, render

from coderforge.errors import BackendError
from coderforge.llm import Backend, Completion, Request, SamplingParams

#: Longest seed or program quoted in a prompt (characters); longer ones are cut at a line break.
MAX_QUOTED_CHARS = 2400
#: Longest sandbox error quoted in a repair prompt (its tail: the assertion is usually last).
MAX_ERROR_CHARS = 1200


def _quote(code: str, limit: int = MAX_QUOTED_CHARS) -> str:
    if len(code) <= limit:
        return code.rstrip()
    cut = code.rfind("\n", 0, limit)
    return code[: cut if cut > 0 else limit].rstrip() + "\n..."


@dataclass(frozen=True)
class Answer:
    """One parsed answer of a role, or the reason it was rejected."""

    value: Any
    rejection: OutputRejected | None
    text: str
    prompt_hash: str

    @property
    def ok(self) -> bool:
        return self.rejection is None


class Agents:
    """The roles, each bound to its backend, sampling settings and an optional concurrency limit
    shared by all language pools (to keep one stage from crowding the others out of an engine)."""

    def __init__(self, roles: RolesConfig, backends: Mapping[str, Backend]) -> None:
        self._roles: dict[str, RoleConfig] = {name: getattr(roles, name) for name in RolesConfig.model_fields}
        self._backends = dict(backends)
        self._limits = {name: asyncio.Semaphore(cfg.concurrency) if cfg.concurrency else contextlib.nullcontext()
                        for name, cfg in self._roles.items()}

    def model(self, role: str) -> str:
        return self._backends[role].model

    async def _ask(self, role: str, rendered: Rendered, *, n: int = 1) -> list[Completion]:
        cfg = self._roles[role]
        temperature = cfg.temperature if n == 1 or cfg.temperature > 0 else 0.7  # n > 1 must sample
        sampling = SamplingParams(n=n, temperature=temperature, max_tokens=cfg.max_tokens)
        async with self._limits[role]:
            try:
                (response,) = await self._backends[role].generate([Request.chat(rendered.messages, sampling=sampling)])
            except BackendError as e:
                return [Completion(text=f"backend error: {e}", finish_reason="error", completion_tokens=0)] * n
        return list(response.completions)

    @staticmethod
    def _parse(completion: Completion, rendered: Rendered, parser: Any) -> Answer:
        try:
            return Answer(parser(completion), None, completion.text, rendered.prompt_hash)
        except OutputRejected as e:
            return Answer(None, e, completion.text, rendered.prompt_hash)

    async def concepts(self, seed: Mapping[str, Any]) -> Answer:
        """Concepts the seed's code shows (a list of normalized names)."""
        rendered = render("concepts", seed["language"], code=_quote(seed["code"]))
        (completion,) = await self._ask("concepts", rendered)
        return self._parse(completion, rendered, lambda c: parse_concepts(c.text))

    async def instruction(self, *, language: str, seed: Mapping[str, Any], concept: str, difficulty: str) -> Answer:
        """A self-contained task in `language` inspired by the seed (which may be in another language)."""
        seed_notes = language_notes(seed["language"])
        rendered = render("instruction", language, code=_quote(seed["code"]), concept=concept, difficulty=difficulty,
                          seed_display=seed_notes.display, seed_fence=seed_notes.fence)
        (completion,) = await self._ask("instruction", rendered)
        return self._parse(completion, rendered, lambda c: parse_instruction(c.text, finish_reason=c.finish_reason))

    async def solutions(self, *, language: str, instruction: str, n: int) -> list[Answer]:
        """`n` candidate programs (solution + tests) for the instruction."""
        rendered = render("solution", language, instruction=instruction)
        completions = await self._ask("solution", rendered, n=n)
        return [self._parse(c, rendered, lambda c: parse_program(c.text, language=language,
                                                                 finish_reason=c.finish_reason))
                for c in completions]

    async def adapt(self, *, language: str, source: Adaptable) -> Answer:
        """The source task rewritten for `language` and a program for it: value (instruction, code)."""
        src = language_notes(source.language)
        rendered = render("adapt", language, source_display=src.display, source_fence=src.fence,
                          instruction=source.instruction, code=_quote(source.code))
        (completion,) = await self._ask("adapt", rendered)
        return self._parse(completion, rendered, lambda c: parse_adaptation(c.text, language=language,
                                                                            finish_reason=c.finish_reason))

    async def repair(self, *, language: str, instruction: str, code: str, status: str, error: str) -> Answer:
        """A fixed program, given the failing one and the sandbox's (or parser's) error."""
        tail = error[-MAX_ERROR_CHARS:] if error.strip() else "(no output)"
        rendered = render("repair", language, instruction=instruction, code=_quote(code), status=status, error=tail)
        (completion,) = await self._ask("repair", rendered)
        return self._parse(completion, rendered, lambda c: parse_program(c.text, language=language,
                                                                         finish_reason=c.finish_reason,
                                                                         stage="repair"))
