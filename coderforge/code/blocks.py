"""Fenced code blocks in model output (markdown): ``` and ~~~ fences, with or without an info
string, longer fences around shorter ones, and a final fence the model never closed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coderforge.languages import UnknownLanguageError, canonical_name

__all__ = ["CodeBlock", "extract_code_blocks", "fence_language"]


@dataclass(frozen=True)
class CodeBlock:
    code: str
    """The block's text, without the fences, the opening fence's indentation removed from each line."""
    language: str | None
    """Canonical language name from the info string, None when absent or unknown."""
    info: str
    """The info string as written (`python`, `py title="x.py"`, ``), stripped."""
    start_line: int = 1
    """1-based line of the opening fence."""
    closed: bool = True
    """False when the text ended before a closing fence (a truncated answer)."""


# CommonMark allows up to 3 spaces before a fence; models also indent fences inside list items, so
# any indentation is accepted. A backtick fence's info string may not contain a backtick.
_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def fence_language(info: str) -> str | None:
    """The canonical language an info string names (`py`, `{.python}`, `language-c++ title=x`)."""
    word = info.strip().split(maxsplit=1)[0] if info.strip() else ""
    word = word.strip("{}.").removeprefix("language-").split(",")[0]
    if not word:
        return None
    try:
        return canonical_name(word)
    except UnknownLanguageError:
        return None


def _dedent(line: str, indent: int) -> str:
    """Remove up to `indent` leading whitespace characters."""
    i = 0
    while i < indent and i < len(line) and line[i] in " \t":
        i += 1
    return line[i:]


def extract_code_blocks(markdown: str) -> list[CodeBlock]:
    """Every fenced code block in `markdown`, in order."""
    blocks = []
    lines = markdown.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        opening = _OPEN.match(lines[i].rstrip("\r\n"))
        if opening is None or (opening["fence"][0] == "`" and "`" in opening["info"]):
            i += 1
            continue
        fence, indent, info = opening["fence"], len(opening["indent"]), opening["info"].strip()
        closer = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not closer.match(lines[j].rstrip("\r\n")):
            body.append(_dedent(lines[j], indent))
            j += 1
        closed = j < len(lines)
        code = "".join(body)
        if closed:  # the newline before the closing fence belongs to the fence, not the code
            code = code.removesuffix("\n").removesuffix("\r")
        blocks.append(CodeBlock(code=code, language=fence_language(info), info=info, start_line=i + 1,
                                closed=closed))
        i = j + 1
    return blocks
