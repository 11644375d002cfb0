"""The checklist judge: asks an LLM for a score and a one-line reason per criterion as a JSON
object (structured output, always validated with jsonschema), retries invalid answers a bounded
number of times, and marks a sample `judge_error` rather than ever scoring it silently."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from string import Template
from typing import Any

import jsonschema
from coderforge.checklists.checklist import DEFAULT, Checklist, builtin_names, load_checklist
from coderforge.checklists.config import JudgeConfig

from coderforge import prompts
from coderforge.llm import Backend, Request, Response, SamplingParams
from coderforge.records import Record, add_verdict, instruction_text, solution_text, tests_text

__all__ = ["Judge", "JudgeConfig", "JudgeResult"]

log = logging.getLogger(__name__)

STAGE = "judge"
JUDGE_ERROR = "judge_error"

_PARTS = {"instruction": instruction_text, "solution": solution_text, "tests": tests_text}


@dataclass(frozen=True)
class JudgeResult:
    """A judged sample: per-criterion scores and reasons with their weighted total, or an error."""

    checklist: str
    scores: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    total: float | None = None
    passed: bool = False
    error: str | None = None
    """Why no valid answer came back (the sample is then `judge_error`)."""
    attempts: int = 0
    model: str = ""

    def verdict_reason(self) -> str:
        if self.error:
            return f"{JUDGE_ERROR}: {self.error}"
        low = min(self.scores, key=self.scores.get)
        state = "passes" if self.passed else "fails"
        return f"{state} with total {self.total:.2f}; lowest {low}={self.scores[low]}: {self.reasons[low]}"

    def apply(self, record: Record) -> Record:
        """Add this result to the record as its judge verdict."""
        details: dict[str, Any] = {"checklist": self.checklist, "attempts": self.attempts, "model": self.model}
        if self.error:
            details["error"] = JUDGE_ERROR
        else:
            details.update(scores=self.scores, reasons=self.reasons, total=self.total)
        return add_verdict(record, stage=STAGE, passed=self.passed, reason=self.verdict_reason(), **details)


def parse_answer(text: str) -> Any:
    """The first JSON object in the text (models often wrap it in prose or a code fence)."""
    start = text.find("{")
    if start < 0:
        raise ValueError("the answer holds no JSON object")
    try:
        obj, _ = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as e:
        raise ValueError(f"the answer's JSON is malformed: {e.msg} at character {e.pos}") from e
    return obj


def _schema_error(error: jsonschema.ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path) or "the object"
    return f"{where}: {error.message}"


class Judge:
    """Scores samples against a checklist with an LLM backend.

    With no ``checklist``, each record's ``task`` field picks a built-in checklist (instruction,
    fim, debugging; instruction when absent or unknown).
    """

    def __init__(self, backend: Backend, checklist: Checklist | None = None, *,
                 config: JudgeConfig | None = None) -> None:
        self.backend = backend
        self.config = config or JudgeConfig()
        self.checklist = checklist or (load_checklist(self.config.checklist) if self.config.checklist else None)
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}

    def checklist_for(self, record: Record) -> Checklist:
        if self.checklist is not None:
            return self.checklist
        task = record.get("task")
        return load_checklist(task if task in builtin_names() else DEFAULT)

    def _validator(self, checklist: Checklist) -> jsonschema.Draft202012Validator:
        if checklist.name not in self._validators:
            self._validators[checklist.name] = jsonschema.Draft202012Validator(checklist.answer_schema())
        return self._validators[checklist.name]

    def _prompt(self, record: Record, checklist: Checklist) -> list[dict[str, str]]:
        prompt = prompts.load("judge")
        limit = self.config.max_input_chars
        sample = "\n\n".join(Template(prompt["part"]).substitute(heading=heading, text=text[:limit])
                             for part, heading in prompt["headings"].items() if (text := _PARTS[part](record)).strip())
        criteria = "\n".join(Template(prompt["criterion"]).substitute(vars(c)) for c in checklist.criteria)
        user = Template(prompt["user"]).substitute(subject=checklist.subject, sample=sample, criteria=criteria)
        return [{"role": "system", "content": prompt["system"]}, {"role": "user", "content": user}]

    def _check(self, text: str, checklist: Checklist) -> tuple[dict[str, int], dict[str, str]]:
        """Scores and reasons from a valid answer; ValueError saying what is wrong otherwise."""
        answer = parse_answer(text)
        error = jsonschema.exceptions.best_match(self._validator(checklist).iter_errors(answer))
        if error is not None:
            raise ValueError(_schema_error(error))
        return ({cid: v["score"] for cid, v in answer.items()}, {cid: v["reason"] for cid, v in answer.items()})

    def _passes(self, scores: dict[str, int], total: float) -> bool:
        floors = {cid: floor for cid, floor in self.config.min_scores.items() if cid in scores}
        return total >= self.config.min_total and all(scores[cid] >= floor for cid, floor in floors.items())

    def _request(self, conversation: list[dict[str, str]], checklist: Checklist, attempt: int) -> Request:
        # The first try is greedy; a greedy retry would repeat itself, so retries sample.
        sampling = SamplingParams(max_tokens=self.config.max_tokens,
                                  temperature=0.0 if attempt == 1 else self.config.retry_temperature,
                                  seed=None if attempt == 1 else attempt)
        return Request.chat(conversation, sampling=sampling, json_schema=checklist.answer_schema())

    def _evaluate(self, response: Response, checklist: Checklist, attempt: int) -> JudgeResult | str:
        """The result of a valid answer, or what is wrong with it."""
        completion = response.completions[0]
        try:
            if completion.finish_reason == "error":
                raise ValueError("the backend reported an error for this request")
            scores, reasons = self._check(completion.text, checklist)
        except ValueError as e:
            return str(e) + (" (cut off at max_tokens)" if completion.finish_reason == "length" else "")
        total = checklist.weighted_total(scores)
        return JudgeResult(checklist.name, scores, reasons, total, self._passes(scores, total), None, attempt,
                           response.model)

    async def judge(self, samples: Sequence[Record]) -> list[JudgeResult]:
        """Judge the samples (one backend batch per attempt); results in the same order."""
        checklists = [self.checklist_for(s) for s in samples]
        conversations = [self._prompt(s, c) for s, c in zip(samples, checklists, strict=True)]
        results: list[JudgeResult | None] = [None] * len(samples)
        errors: dict[int, str] = {}
        pending = list(range(len(samples)))
        retry = Template(prompts.load("judge")["retry"])
        for attempt in range(1, self.config.max_attempts + 1):
            if not pending:
                break
            responses = await self.backend.generate(
                [self._request(conversations[i], checklists[i], attempt) for i in pending])
            still: list[int] = []
            for i, response in zip(pending, responses, strict=True):
                outcome = self._evaluate(response, checklists[i], attempt)
                if isinstance(outcome, JudgeResult):
                    results[i] = outcome
                    continue
                errors[i] = outcome
                still.append(i)
                # Tell the model what was wrong: a retry of the same prompt rarely does better.
                conversations[i] = [*conversations[i][:2], {"role": "assistant", "content": response.text[:2000]},
                                    {"role": "user", "content": retry.substitute(error=outcome)}]
            pending = still
        for i in pending:
            log.debug("judge_error on sample %d: %s", i, errors[i])
            results[i] = JudgeResult(checklists[i].name, error=f"no valid answer in {self.config.max_attempts} "
                                     f"attempt(s); last: {errors[i]}", attempts=self.config.max_attempts,
                                     model=getattr(self.backend, "model", ""))
        return [r for r in results if r is not None]

    async def judge_in_batches(
        self, records: Sequence[Record]
    ) -> AsyncIterator[tuple[Sequence[Record], list[JudgeResult]]]:
        """Judge the records `config.batch_size` at a time and add each result to its record as its
        judge verdict; yields each batch, verdicts added, with its results."""
        size = self.config.batch_size
        for start in range(0, len(records), size):
            batch = records[start: start + size]
            results = await self.judge(batch)
            for record, result in zip(batch, results, strict=True):
                result.apply(record)
            yield batch, results
