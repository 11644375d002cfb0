"""Robust parsing of what the agents' models write. Small models write junk; every way an answer
can be unusable raises `OutputRejected` with a stage and a reason, counted in the funnel, never a crash."""

from __future__ import annotations

import json
import re

from coderforge.agents.graph import normalize_concept
from coderforge.agents.prompting import language_notes

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


def parse_instruction(
    text: str, *, finish_reason: str, stage: str = "instruction", min_words: int = 12, max_words: int = 400
) -> str:
    """The task text, without a leading `Task:` label; too short, too long or cut answers are rejected."""
    _not_truncated(stage, finish_reason)
    task = _PREFIX.sub("", text.strip(), count=1).strip()
    words = len(task.split())
    if words < min_words:
        raise OutputRejected(stage, f"too short ({words} words, need {min_words})")
    if words > max_words:
        raise OutputRejected(stage, f"too long ({words} words, most {max_words})")
    return task


def parse_program(text: str, *, language: str, finish_reason: str, stage: str = "solution") -> str:
    """The longest code block in `language` (a labelled block, or an unlabelled one identified as
    it); it must contain the language's test markers."""
    from coderforge.code.blocks import extract_code_blocks
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
    # An answer cut in its trailing prose still holds a whole program; one cut inside the block does not.
    if not block.closed:
        raise OutputRejected(stage, "truncated: the code block was cut off before its closing fence")
    code = block.code.strip("\n") + "\n"
    if not language_notes(language).test_markers.search(code):
        raise OutputRejected(stage, "no executable tests in the program")
    return code


def parse_adaptation(text: str, *, language: str, finish_reason: str) -> tuple[str, str]:
    """The adapted task (the prose before the first code fence, after `Task:`) and its program."""
    _not_truncated("adapt", finish_reason)
    lines = text.splitlines()
    prose = []
    for line in lines:
        if _FENCE_LINE.match(line):
            break
        prose.append(line)
    task_text = "\n".join(prose)
    if (at := task_text.lower().find("task:")) >= 0:
        task_text = task_text[at + len("task:") :]
    instruction = parse_instruction(task_text, finish_reason=finish_reason, stage="adapt")
    return instruction, parse_program(text, language=language, finish_reason=finish_reason, stage="adapt")
