"""Held-out labelled code for calibrating the judge against execution: HumanEval-X problems in
several languages, each answered once with its canonical solution and once with a mutant of it (one
flipped comparison, off-by-one or negated boolean: the kind of slip a model makes), labelled by
running the problem's tests in the sandbox, never by how the answer was made."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from coderforge.sandbox import Program, Sandbox, SandboxConfig, Status

from coderforge.errors import CoderforgeError
from coderforge.io import read_jsonl
from coderforge.records import Record, add_verdict

__all__ = ["HUMANEVAL_X_FILES", "HeldoutError", "heldout_records", "mutate"]

#: The HumanEval-X release's file per language (as published: humaneval_<lang>.jsonl.gz).
HUMANEVAL_X_FILES = {"python": "humaneval_python.jsonl.gz", "javascript": "humaneval_js.jsonl.gz",
                     "cpp": "humaneval_cpp.jsonl.gz", "java": "humaneval_java.jsonl.gz",
                     "go": "humaneval_go.jsonl.gz", "rust": "humaneval_rust.jsonl.gz"}

# One-token mutations, tried in a random order; the first that applies changes one random match.
_MUTATIONS: tuple[tuple[str, str], ...] = (
    (r"<=", "<"), (r">=", ">"), (r"(?<![<>=!-])<(?![<=])", "<="), (r"(?<![<>=-])>(?![>=])", ">="),
    (r"==", "!="), (r"!=", "=="), (r"\b1\b", "2"), (r"\b0\b", "1"),
    (r"\btrue\b", "false"), (r"\bfalse\b", "true"), (r"\bTrue\b", "False"), (r"\bFalse\b", "True"),
    (r"(?<![+])\+(?![+=])", "-"), (r"(?<![-])-(?![-=>])", "+"),
)

# node's console.assert only prints: make a failed assertion end the program, as in the other languages.
_JS_ASSERT = ("console.assert = (ok, ...msg) => {\n"
              "  if (!ok) { throw new Error('Assertion failed: ' + msg.join(' ')); }\n};\n")


class HeldoutError(CoderforgeError, ValueError):
    """The held-out set cannot be built (a benchmark file is missing or a language is unknown)."""


@dataclass(frozen=True)
class _Problem:
    task_id: str
    language: str
    prompt: str
    solution: str
    test: str
    entry_point: str | None


def mutate(code: str, rng: random.Random) -> str | None:
    """`code` with one token changed by the first applicable mutation, in an order drawn from rng."""
    for pattern, replacement in rng.sample(_MUTATIONS, len(_MUTATIONS)):
        matches = list(re.finditer(pattern, code))
        if matches:
            m = rng.choice(matches)
            return code[: m.start()] + replacement + code[m.end():]
    return None


def _load(source: Path, language: str) -> list[_Problem]:
    if language not in HUMANEVAL_X_FILES:
        raise HeldoutError(f"no HumanEval-X file for {language!r}; known: {', '.join(HUMANEVAL_X_FILES)}")
    path = source / HUMANEVAL_X_FILES[language]
    if not path.is_file():
        raise HeldoutError(f"{path} is missing: give --source, the folder holding HumanEval-X's jsonl.gz files")
    return [_Problem(r["task_id"], language, r["prompt"], r["canonical_solution"], r["test"], r.get("entry_point"))
            for r in read_jsonl(path)]


def _program(problem: _Problem, body: str, program_id: str) -> Program:
    code = problem.prompt + body + "\n" + problem.test
    if problem.language == "python":
        entry = problem.entry_point or re.findall(r"def (\w+)\(", problem.prompt)[-1]
        code += f"\n\ncheck({entry})\n"
    elif problem.language == "javascript":
        code = _JS_ASSERT + code
    return Program(program_id, problem.language, code)


def heldout_records(*, source: Path, languages: list[str], per_language: int, seed: int = 0,
                    sandbox: SandboxConfig) -> list[Record]:
    """For `per_language` problems per language (drawn with `seed`): a canonical and a mutant
    answer, each with a `sandbox` verdict from running the problem's tests."""
    rng = random.Random(seed)
    records: list[Record] = []
    programs: list[Program] = []
    for language in languages:
        problems = _load(source, language)
        for problem in rng.sample(problems, len(problems)):
            if sum(r["language"] == language for r in records) >= 2 * per_language:
                break
            broken = mutate(problem.solution, rng)
            if broken is None:
                continue
            for kind, body in (("canonical", problem.solution), ("mutant", broken)):
                record_id = f"{problem.task_id}/{kind}"
                records.append({"id": record_id, "language": language, "task": "instruction", "answer_kind": kind,
                                "instruction": f"Complete this {language} function so that it does what its "
                                               f"comment says.\n\n{problem.prompt}",
                                "solution": problem.prompt + body, "tests": problem.test})
                programs.append(_program(problem, body, record_id))
    with Sandbox(sandbox) as box:
        results = box.execute(programs)
    for record, result in zip(records, results, strict=True):
        add_verdict(record, stage="sandbox", passed=result.status is Status.passed, reason=result.status.value,
                    status=result.status.value)
    return records
