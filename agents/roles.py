"""The agent roles: concept extractor, instruction writer, reviewer (and the author's one revision),
test writer, solution writer, repairer and cross-language adapter. Each role renders its prompt, asks
its own backend and parses the answer; unusable answers come back as `OutputRejected`, never raised.
A backend failure is no answer at all: it raises `BackendUnavailable`, and the task is left undone."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coderforge.agents.answers import (
    REVIEW_SCHEMA,
    OutputRejected,
    parse_adaptation,
    parse_code,
    parse_concepts,
    parse_instruction,
    parse_review,
    parse_tests,
)
from coderforge.agents.config import RoleConfig, RolesConfig
from coderforge.agents.prompting import Rendered, language_notes, own_text, render

from coderforge import prompts
from coderforge.code.blocks import extract_code_blocks
from coderforge.errors import BackendError
from coderforge.llm import Backend, Completion, Request, SamplingParams

#: Longest seed or program quoted in a prompt (characters); longer ones are cut at a line break.
MAX_QUOTED_CHARS = 2400
#: Longest sandbox error quoted in a repair prompt (its tail: the failed check is usually last).
MAX_ERROR_CHARS = 1200
#: Where a code answer's block ends: its closing fence and a line break (an opening fence has its
#: language tag after it). Roles answering with code stop there instead of writing the explanation
#: small models add after their code, which nothing reads (a fifth of Qwen 0.5B's solution text).
BLOCK_END = "\n```\n"
CODE_ROLES = frozenset({"tests", "solution", "repair"})


class BackendUnavailable(Exception):
    """A role got no answer from its backend (endpoint down, engine error): the task is not done."""


def _quote(code: str, limit: int = MAX_QUOTED_CHARS) -> str:
    if len(code) <= limit:
        return code.rstrip()
    cut = code.rfind("\n", 0, limit)
    return code[: cut if cut > 0 else limit].rstrip() + "\n..."


def _closed(completion: Completion) -> Completion:
    """A code answer stopped at BLOCK_END, its block closed again: engines leave the stop string out,
    so the answer ends in its block's last line (an answer ending in a fence of its own, `];```` on
    one line, ended without the stop string and stays as it is)."""
    blocks = extract_code_blocks(completion.text)
    if (completion.finish_reason != "stop" or not blocks or blocks[-1].closed
            or completion.text.rstrip().endswith("```")):
        return completion
    return dataclasses.replace(completion, text=completion.text + "\n```")


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


def _bullets(items: Sequence[str]) -> str:
    return "\n".join(f"- {' '.join(item.split())}" for item in items)


class Agents:
    """The roles, each bound to its backend, sampling settings and an optional concurrency limit
    shared by all language pools (to keep one stage from crowding the others out of an engine)."""

    def __init__(self, roles: RolesConfig, backends: Mapping[str, Backend], *, seed: int | None = None) -> None:
        """`seed`: each request's sampling seed is derived from it and the request's prompt, so a run
        with the same seed asks the same questions and gets the same answers (engine permitting)."""
        self._roles: dict[str, RoleConfig] = {name: getattr(roles, name) for name in RolesConfig.model_fields}
        self._backends = dict(backends)
        self._seed = seed
        self._limits = {name: asyncio.Semaphore(cfg.concurrency) if cfg.concurrency else contextlib.nullcontext()
                        for name, cfg in self._roles.items()}
        #: Per role: requests answered, their prompt and completion tokens (where the engine's time went).
        self.usage: dict[str, Counter[str]] = {name: Counter() for name in self._roles}

    def model(self, role: str) -> str:
        return self._backends[role].model

    async def _ask(self, role: str, rendered: Rendered, *, n: int = 1,
                   json_schema: dict[str, Any] | None = None) -> list[Completion]:
        cfg = self._roles[role]
        temperature = cfg.temperature if n == 1 or cfg.temperature > 0 else 0.7  # n > 1 must sample
        seed = None
        if self._seed is not None:
            key = json.dumps([self._seed, role, rendered.messages]).encode()
            seed = int.from_bytes(hashlib.blake2b(key, digest_size=4).digest(), "big") >> 1
        stop = (BLOCK_END,) if role in CODE_ROLES else ()
        sampling = SamplingParams(n=n, temperature=temperature, max_tokens=cfg.max_tokens, seed=seed, stop=stop)
        async with self._limits[role]:
            try:
                (response,) = await self._backends[role].generate(
                    [Request.chat(rendered.messages, sampling=sampling, json_schema=json_schema)])
            except BackendError as e:
                raise BackendUnavailable(f"{role}: {e}") from e
        self.usage[role].update(requests=1, prompt_tokens=response.prompt_tokens,
                                completion_tokens=response.completion_tokens)
        completions = list(response.completions)
        if any(c.finish_reason == "error" for c in completions):
            raise BackendUnavailable(f"{role}: the backend reported an error for the request")
        return [_closed(c) for c in completions] if stop else completions

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

    async def instruction(self, *, language: str, seed: Mapping[str, Any], concept: str, difficulty: str,
                          examples: Sequence[str], avoid: Sequence[str]) -> Answer:
        """A self-contained task in `language` inspired by the seed (which may be in another language),
        in the manner of `examples`, unlike the tasks in `avoid` (already written about the concept)."""
        seed_notes = language_notes(seed["language"])
        avoid_text = prompts.load("instruction")["avoid"] + _bullets(avoid) if avoid else ""
        rendered = render("instruction", language, shots=examples, code=_quote(seed["code"]), concept=concept,
                          difficulty=difficulty, seed_display=seed_notes.display, seed_fence=seed_notes.fence,
                          avoid=avoid_text)
        (completion,) = await self._ask("instruction", rendered)
        return self._parse(completion, rendered, lambda c: parse_instruction(
            c.text, finish_reason=c.finish_reason, language=language, prompt=own_text("instruction", language)))

    async def review(self, *, language: str, instruction: str) -> Answer:
        """The reviewer's checks of an instruction: value {check: bool, ..., "problems": str}."""
        rendered = render("review", language, instruction=instruction)
        (completion,) = await self._ask("review", rendered, json_schema=REVIEW_SCHEMA)
        return self._parse(completion, rendered, lambda c: parse_review(c.text, finish_reason=c.finish_reason))

    async def revise(self, *, language: str, instruction: str, problems: str) -> Answer:
        """The instruction writer's one revision, fixing what the reviewer found."""
        rendered = render("revise", language, instruction=instruction, problems=problems)
        (completion,) = await self._ask("instruction", rendered)
        return self._parse(completion, rendered, lambda c: parse_instruction(
            c.text, finish_reason=c.finish_reason, language=language, stage="revise",
            prompt=own_text("revise", language)))

    async def tests(self, *, language: str, instruction: str, n: int = 1) -> list[Answer]:
        """`n` independent test suites for the instruction (one becomes the tests every candidate shares)."""
        rendered = render("tests", language, instruction=instruction)
        completions = await self._ask("tests", rendered, n=n)
        return [self._parse(c, rendered, lambda c: parse_tests(c.text, language=language,
                                                               finish_reason=c.finish_reason))
                for c in completions]

    async def solutions(self, *, language: str, instruction: str, n: int) -> list[Answer]:
        """`n` candidate solutions (no tests) for the instruction."""
        rendered = render("solution", language, instruction=instruction)
        completions = await self._ask("solution", rendered, n=n)
        return [self._parse(c, rendered, lambda c: parse_code(c.text, language=language,
                                                              finish_reason=c.finish_reason, stage="solution"))
                for c in completions]

    async def adapt(self, *, language: str, source_language: str, instruction: str) -> Answer:
        """A task verified in `source_language`, rewritten for `language` (the task text only)."""
        source_display = language_notes(source_language).display
        rendered = render("adapt", language, source_display=source_display, instruction=instruction)
        (completion,) = await self._ask("adapt", rendered)
        return self._parse(completion, rendered, lambda c: parse_adaptation(
            c.text, finish_reason=c.finish_reason, language=language, source=instruction,
            source_display=source_display, prompt=own_text("adapt", language)))

    async def repair(self, *, language: str, instruction: str, code: str, status: str, error: str) -> Answer:
        """A fixed solution, given the failing one and what failed in the shared tests."""
        tail = error[-MAX_ERROR_CHARS:] if error.strip() else "(no output)"
        rendered = render("repair", language, instruction=instruction, code=_quote(code), status=status, error=tail)
        (completion,) = await self._ask("repair", rendered)
        return self._parse(completion, rendered, lambda c: parse_code(c.text, language=language,
                                                                      finish_reason=c.finish_reason, stage="repair"))
