"""Robust parsing of what the agents' models write. Small models write junk; every way an answer
can be unusable raises `OutputRejected` with a stage and a reason, counted in the funnel, never a crash."""

from __future__ import annotations

import json
import re

from coderforge.agents.graph import normalize_concept

from coderforge.code.demo import CHECK_CALL
from coderforge.languages import LANGUAGES

MAX_CONCEPTS = 5
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)]|[a-z][.)])\s+")
_PREFIX = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?(?:task|instruction|problem|exercise)(?:\s+statement)?\s*:?\s*(?:\*\*)?\s*", re.IGNORECASE
)
_FENCE_LINE = re.compile(r"^\s*```")
# Concept candidates that are code, not concepts: identifiers, calls, member access, quoted code.
_CODE_LIKE = re.compile(r"[_`(){}\[\];=<>]|\w\.\w")
_CODE_WORDS = frozenset({"def", "return", "import", "const", "let", "var", "self", "this", "fn", "func"})
_STOPWORDS = frozenset({"a", "an", "the", "is", "it", "which", "that", "this", "of", "and", "or", "to", "in", "uses",
                        "code", "following", "concepts", "concept", "main", "here", "are"})
_LANGUAGE_NAMES = frozenset(name for lang in LANGUAGES for name in (lang.name, lang.display.lower(), *lang.aliases))


class OutputRejected(Exception):
    """A model answer that cannot be used; `stage` and `reason` go into the funnel and rejected.jsonl."""

    def __init__(self, stage: str, reason: str) -> None:
        self.stage = stage
        self.reason = reason
        super().__init__(f"{stage}: {reason}")


def _not_truncated(stage: str, finish_reason: str) -> None:
    if finish_reason == "length":
        raise OutputRejected(stage, "truncated: the answer hit max_tokens")
    if finish_reason == "error":
        raise OutputRejected(stage, "backend error")


def parse_concepts(text: str) -> list[str]:
    """A JSON list, or one concept per line / comma; each 1-4 words of letters."""
    items: list[str] = []
    start, end = text.find("["), text.rfind("]")
    if 0 <= start < end:
        try:
            loaded = json.loads(text[start : end + 1])
            items = [str(x) for x in loaded] if isinstance(loaded, list) else []
        except json.JSONDecodeError:
            items = []
    if not items:
        for line in text.splitlines():
            items.extend(_BULLET.sub("", line).split(","))
    concepts: list[str] = []
    for item in items:
        item = item.split(":")[0].split(" - ")[0].strip().strip("*").strip()
        key = normalize_concept(item)
        words = key.split()
        if (1 <= len(words) <= 4 and len(key) <= 40 and any(c.isalpha() for c in key) and key not in concepts
                and not _CODE_LIKE.search(item) and words[0] not in _CODE_WORDS and key not in _LANGUAGE_NAMES
                and not set(words) <= _STOPWORDS):
            concepts.append(key)
    if not concepts:
        raise OutputRejected("concepts", "no concept of 1-4 words in the answer")
    return concepts[:MAX_CONCEPTS]


_SOLUTION_HEADING = re.compile(r"(?im)^[\W_]*(?:solution|answer|implementation|code)\s*[:*]")
#: Function-body lines that stand for "write this yourself": they do not make a solution.
_PLACEHOLDER = re.compile(
    r"^(?:pass|\.\.\.|todo\b.*|your code here.*|raise NotImplementedError.*|throw new Error\(.*not implemented.*"
    r"|unimplemented!\(\)|todo!\(\)|panic\(\"not implemented\"\)"
    r"|return(?:\s+(?:0|-1|None|null|nil|false|true|\"\"|''|\[\]|\{\}|0\.0|std::\{\}|new \w+\[0\]))?\s*;?)$",
    re.IGNORECASE,
)
_COMMENT_OR_BRACE = re.compile(r"^(?:#|//|/\*|\*|--|\{|\}|\)|\];?$|\};?$|end$)")


_PY_INLINE_BODY = re.compile(r"\)\s*(?:->[^:\n]+)?:[ \t]*(\S.*)$")


def _body_lines(definition_text: str, docstring: str | None) -> list[str]:
    """The meaningful lines of a definition's body: not its signature, docstring, comments, braces or
    placeholders."""
    if docstring:
        definition_text = definition_text.replace(docstring, "")
    first, _, rest = definition_text.partition("\n")
    brace = first.find("{")
    inline = first[brace + 1:] if brace >= 0 else (m.group(1) if (m := _PY_INLINE_BODY.search(first)) else "")
    lines = [line.strip() for line in [inline.rstrip("}; \t"), *rest.splitlines()]]
    return [line for line in lines if line and not _COMMENT_OR_BRACE.match(line) and not _PLACEHOLDER.match(line)
            and line.strip("\"'` ")]


#: Inline code: `...` on one line (a fence's backticks are not one).
_INLINE_CODE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")


def solution_inside(text: str, language: str) -> str | None:
    """Why an instruction holds its own solution (a "Solution:" section, or a code block or inline
    code defining a function with a real body), or None. Signature stubs and example calls are fine."""
    from coderforge.code.blocks import extract_code_blocks
    from coderforge.code.syntax import NoGrammarError, definitions

    if match := _SOLUTION_HEADING.search(text):
        return f"it has a {match.group(0).strip().strip(' *#_')!r} section"
    # Inline code too: seen on Qwen 0.5B, "Return: `function capitalizeSentence(sentence) { return ... }`".
    pieces = [("code block", block.code, block.language or language) for block in extract_code_blocks(text)]
    pieces += [("inline code", m.group(1), language) for m in _INLINE_CODE.finditer(text)]
    for where, code, code_language in pieces:
        try:
            found = definitions(code, code_language)
        except (NoGrammarError, ValueError):
            continue
        for definition in found:
            if definition.kind == "class":
                continue
            body = _body_lines(code[definition.span.start:definition.span.end], definition.docstring)
            if body:
                return f"its {where} implements {definition.name}() ({body[0][:60]!r}...)"
    return None


#: A line opening the part of an answer that comes after the task: its solution or an explanation.
_AFTER_TASK = re.compile(r"^\s*(?:#+\s*|\*\*)?\s*(?:solution|explanation|answer|implementation|approach|"
                         r"how it works|here is|here's|to solve|note)\b", re.IGNORECASE)
#: An answer that opens by solving ("To solve this problem in Python, we can create a function
#: named `extractNumber` that uses a regular expression...") describes a solution, not a task.
_SOLUTION_OPENER = re.compile(r"^\s*(?:#+\s*|\*\*)?\s*(?:to solve|to implement|here(?:'s| is) how|we can|we'll|"
                              r"we will|the solution|solution|explanation|approach)\b", re.IGNORECASE)
_HEADING_ONLY = re.compile(r"^\s*(?:#+\s*\S.*|\*\*[^*]+\*\*:?|[A-Z][\w ]{0,60}:)\s*$")
_TASK_LINE = re.compile(r"^\s*(?:#+\s*|\*\*)?\s*task\b\s*:?", re.IGNORECASE)
#: A bare "Rules:" heading: the writer echoing its prompt's rule list after the task.
_RULES_LINE = re.compile(r"^\s*(?:#+\s*|\*\*)?\s*rules\s*:?\s*(?:\*\*)?\s*$", re.IGNORECASE)
_TASK_TAGS = re.compile(r"<task>\s*(.*?)\s*</task>", re.S | re.I)
_OPEN_TASK_TAG = re.compile(r"^\s*<task>\s*", re.I)
#: A tag the answer opens after its task (`<answer>`, `<cpp>` before an unfenced solution), or a stray
#: task tag: the task ends there.
_OTHER_TAG = re.compile(r"</?(?:task|answer|solution|code|python|py|javascript|js|typescript|ts|cpp|c\+\+|c|java|"
                        r"go|rust|bash|sh|php|csharp|cs|ruby)>", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.M)
#: Share of a sentence's word 3-grams found in its prompt's own text above which it echoes the prompt.
ECHO_SHARE = 0.6


def _without_echo(task: str, prompt: str) -> str:
    """`task` without the sentences that repeat its prompt's own words (a small model pastes the
    rules it was given, "Write at least one example: a call and its exact result.", into the task)."""
    def grams(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[\w$]+", text.lower())
        return set(zip(words, words[1:], words[2:], strict=False))

    said = grams(prompt)

    def echo(m: re.Match[str]) -> str:
        own = grams(m.group(0))
        return "" if len(own) >= 2 and len(own & said) >= ECHO_SHARE * len(own) else m.group(0)

    kept = _SENTENCE.sub(echo, task)
    if kept == task:
        return task
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in kept.splitlines())).strip()


def trim_instruction(text: str, *, language: str, truncated: bool, prompt: str = "") -> str:
    """The task in a wordy answer: from its `Task` heading (when the answer opens with something
    else) up to what follows the task (a solution or explanation section, a code block implementing
    the function, a second task, the prompt's rules echoed as a list), and without the sentences
    that echo `prompt` (the prompt's own text, its substituted fields left out). An answer cut at
    max_tokens loses its unfinished last paragraph. What is dropped is never used; what is kept
    still goes through every check."""
    # A task the answer wraps in its prompt's <task> tags is what is inside them.
    if wrapped := _TASK_TAGS.search(text):
        text = wrapped.group(1)
    # A <task> tag never closed, and the `<answer>` or `<cpp>` tag the answer opened after it (seen on
    # Qwen 0.5B: an adapted isOdd kept with its unfenced solution after a `<cpp>` tag).
    text = _OTHER_TAG.split(_OPEN_TASK_TAG.sub("", text), maxsplit=1)[0]
    lines = text.strip().splitlines()
    # A preamble ("To solve this, ...") before a `Task` heading is skipped.
    preamble = bool(lines) and bool(_AFTER_TASK.match(lines[0]))
    start = next((i for i, line in enumerate(lines) if _TASK_LINE.match(line)), 0) if preamble else 0
    kept: list[str] = []
    stopped = False
    i = start
    while i < len(lines):
        line = lines[i]
        if i > start and (_TASK_LINE.match(line) or _AFTER_TASK.match(line) or _RULES_LINE.match(line)):
            stopped = True
            break
        if _FENCE_LINE.match(line):
            end = next((j for j in range(i + 1, len(lines)) if _FENCE_LINE.match(lines[j])), None)
            if end is None:  # a block cut off by max_tokens
                stopped = True
                break
            block = "\n".join(lines[i:end + 1])
            if solution_inside(block, language):
                stopped = True
                break
            kept.extend(lines[i:end + 1])
            i = end + 1
            continue
        kept.append(line)
        i += 1
    task = "\n".join(kept).strip()
    if truncated and not stopped:  # the last paragraph (else line) was cut mid-way
        cut = task.rfind("\n\n") if "\n\n" in task else task.rfind("\n")
        task = task[:cut].strip() if cut > 0 else ""
    task = _without_echo(task, prompt) if prompt else task
    while task and _HEADING_ONLY.match(task.splitlines()[-1]):  # a heading whose content was dropped
        task = "\n".join(task.splitlines()[:-1]).strip()
    return task


def parse_adaptation(text: str, *, finish_reason: str, language: str, source: str, source_display: str,
                     prompt: str) -> str:
    """An adapted task (see parse_instruction), rejected when it names the language it was adapted
    from and the source task did not (seen on Qwen 0.5B: "This task was written for JavaScript, as
    JavaScript does not have..." kept in a Python task)."""
    task = parse_instruction(text, finish_reason=finish_reason, language=language, stage="adapt", prompt=prompt)
    named = re.compile(rf"(?<![\w+#]){re.escape(source_display)}(?![\w+#])", re.I)
    if named.search(task) and not named.search(source):
        raise OutputRejected("adapt", f"names the language it was adapted from ({source_display})")
    return task


def parse_instruction(
    text: str, *, finish_reason: str, language: str, stage: str = "instruction", min_words: int = 12,
    max_words: int = 400, prompt: str = "",
) -> str:
    """The task text (trimmed of what follows it and of sentences echoing `prompt`, without a
    leading `Task:` label); too short or too long answers, answers that describe a solution instead
    of a task, and answers still holding their own solution, are rejected."""
    if finish_reason == "error":
        raise OutputRejected(stage, "backend error")
    trimmed = trim_instruction(text, language=language, truncated=finish_reason == "length", prompt=prompt)
    task = _PREFIX.sub("", trimmed, count=1).strip()
    if _SOLUTION_OPENER.match(task):
        raise OutputRejected(stage, "describes how to solve a task instead of stating one")
    words = len(task.split())
    if words < min_words:
        cut = " (what was left of an answer cut at max_tokens)" if finish_reason == "length" else ""
        raise OutputRejected(stage, f"too short ({words} words, need {min_words}){cut}")
    if words > max_words:
        raise OutputRejected(stage, f"too long ({words} words, most {max_words})")
    if why := solution_inside(task, language):
        raise OutputRejected(stage, f"holds its own solution: {why}")
    return task


def parse_code(text: str, *, language: str, finish_reason: str, stage: str) -> str:
    """The longest code block in `language` (a labelled block, or an unlabelled one identified as it);
    a solution loses its demo code (`without_demo_code`)."""
    from coderforge.code.blocks import extract_code_blocks
    from coderforge.code.demo import without_demo_code
    from coderforge.code.langid import identify_language

    if finish_reason == "error":
        raise OutputRejected(stage, "backend error")
    blocks = [b for b in extract_code_blocks(text) if b.code.strip()]
    if not blocks:
        reason = "truncated: the answer hit max_tokens" if finish_reason == "length" else "no code block in the answer"
        raise OutputRejected(stage, reason)
    ours = [b for b in blocks if b.language == language]
    if not ours:
        ours = [b for b in blocks if b.language is None and identify_language(b.code, hint=language) == language]
    if not ours:
        found = sorted({b.language or "unidentified" for b in blocks})
        raise OutputRejected(stage, f"no {language} code block (found: {', '.join(found)})")
    block = max(ours, key=lambda b: len(b.code))
    # An answer cut in its trailing prose still holds a whole block; one cut inside the block does not,
    # except tests: their complete lines are kept (a model that repeats itself runs out of tokens in
    # its n-th check; the harness then says whether what is left runs).
    if not block.closed:
        lines = block.code.rstrip("\n").splitlines()[:-1]
        if stage != "tests" or not any(line.strip() for line in lines):
            raise OutputRejected(stage, "truncated: the code block was cut off before its closing fence")
        code = "\n".join(lines) + "\n"
        # Close what the cut left open (a test `main` cut after its n-th check, `describe(..., () => {`).
        return code + "".join(f"{closer}\n" for closer in _open_brackets(code, language))
    code = block.code.strip("\n") + "\n"
    return without_demo_code(code, language) if stage in ("solution", "repair") else code


_PAIRS = {"(": ")", "[": "]", "{": "}"}
_TOKENS = re.compile(r"""//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`"""
                     r"|[()\[\]{}]", re.S)
_PY_TOKENS = re.compile(r"""#[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|[()\[\]{}]""")


def _open_brackets(code: str, language: str) -> list[str]:
    """The closers of the brackets `code` leaves open, innermost first (strings and comments aside)."""
    stack: list[str] = []
    for m in (_PY_TOKENS if language == "python" else _TOKENS).finditer(code):
        token = m.group(0)
        if token in _PAIRS:
            stack.append(_PAIRS[token])
        elif token in _PAIRS.values() and stack and stack[-1] == token:
            stack.pop()
    return stack[::-1]


def _without_repeated_checks(code: str) -> str:
    """The tests without a check line that repeats an earlier one word for word: a small model that
    loops writes `assert.strictEqual(f("a"), "a");` twenty times, which checks nothing more."""
    seen: set[str] = set()
    kept = []
    for line in code.splitlines():
        key = line.strip()
        if CHECK_CALL.search(key) and not key.endswith(("{", ":")):
            if key in seen:
                continue
            seen.add(key)
        kept.append(line)
    return "\n".join(kept) + "\n"


def parse_tests(text: str, *, language: str, finish_reason: str) -> str:
    """The tests' code block (see parse_code); tests that do not parse are rejected here, before
    any candidate runs against them."""
    from coderforge.code.syntax import NoGrammarError, parse

    code = _without_repeated_checks(parse_code(text, language=language, finish_reason=finish_reason, stage="tests"))
    try:
        result = parse(code, language)
    except NoGrammarError:
        return code
    if not result.ok:
        raise OutputRejected("tests", f"the tests do not parse: {result.first_error}")
    return code


#: The reviewer's answer (structured output).
REVIEW_SCHEMA = {
    "type": "object",
    "properties": {
        "self_contained": {"type": "boolean"},
        "solvable": {"type": "boolean"},
        "unambiguous": {"type": "boolean"},
        "no_solution": {"type": "boolean"},
        "problems": {"type": "string", "maxLength": 400},
    },
    "required": ["self_contained", "solvable", "unambiguous", "no_solution", "problems"],
    "additionalProperties": False,
}
REVIEW_CHECKS = ("self_contained", "solvable", "unambiguous", "no_solution")


def parse_review(text: str, *, finish_reason: str) -> dict[str, object]:
    """The reviewer's verdicts and the problems it names (`problems` is "" when all checks hold)."""
    _not_truncated("review", finish_reason)
    start = text.find("{")
    try:
        answer, _ = json.JSONDecoder().raw_decode(text[start:]) if start >= 0 else (None, 0)
    except json.JSONDecodeError as e:
        raise OutputRejected("review", f"malformed JSON: {e.msg}") from e
    if not isinstance(answer, dict) or any(not isinstance(answer.get(k), bool) for k in REVIEW_CHECKS):
        raise OutputRejected("review", "the answer lacks the four true/false checks")
    failed = [k for k in REVIEW_CHECKS if not answer[k]]
    problems = str(answer.get("problems") or "").strip()
    if failed and not problems:
        problems = "fails: " + ", ".join(failed)
    return {**{k: answer[k] for k in REVIEW_CHECKS}, "problems": problems if failed else ""}
