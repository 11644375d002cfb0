"""Words of another language in a task: a Python task that returns `undefined`, a JavaScript one
that returns `None`. The cross-language adapter often keeps the source's values (seen on Qwen 0.5B:
a Python `find` adapted from JavaScript "should return `undefined`", answered with `None`, a task
the answers then contradict). Only code spans and unmistakable code count: in prose, "undefined"
and "null" are English."""

from __future__ import annotations

import re

from coderforge.languages import canonical_name

__all__ = ["foreign_terms"]

_SPAN = re.compile(r"`([^`\n]+)`")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
#: Per language, values and idioms of other languages, as a whole code span (or inside one).
_FOREIGN_VALUES = {
    "python": ("undefined", "null", "nullptr", "NULL", "true", "false"),
    "javascript": ("None", "True", "False", "nullptr", "NULL"),
    "typescript": ("None", "True", "False", "nullptr", "NULL"),
    "cpp": ("undefined", "None", "True", "False", "null"),
    "c": ("undefined", "None", "True", "False", "null", "nullptr"),
}
#: A parameter written `name: type` (Python's and TypeScript's form) with a C or C++ type, as the
#: adapter keeps it: `reverse_string(s: std::string) -> std::string` in a C++ task.
_ANNOTATED_C = (r"(?<=[(,])\s*[A-Za-z_]\w*\s*:(?!:)\s*(?:std::\w+|const\b|unsigned\b|int\b|long\b|double\b"
                r"|float\b|bool\b|char\b|size_t\b|vector\b|string\b)[\w:<>]*")
#: The same with a Python or TypeScript type, in a JavaScript task: `remove_duplicates(sequence: Array)`.
_ANNOTATED_JS = (r"(?<=[(,])\s*[A-Za-z_$][\w$]*\s*:\s*(?:string|number|boolean|any|int|float|str|list|dict|List|Dict"
                 r"|Array)\b")
#: Per language, code of other languages anywhere in the task.
_FOREIGN_CODE = {
    "python": re.compile(r"std::|console\.log|===|\bnew\s+\w+\("),
    "javascript": re.compile(rf"std::|\bdef\s+\w+\(|\bself\.|{_ANNOTATED_JS}"),
    "typescript": re.compile(r"std::|\bdef\s+\w+\(|\bself\."),
    "cpp": re.compile(rf"console\.log|\bdef\s+\w+\(|\bself\.|===|{_ANNOTATED_C}"),
    "c": re.compile(rf"console\.log|\bdef\s+\w+\(|\bself\.|===|std::|{_ANNOTATED_C}"),
}


def foreign_terms(task: str, language: str) -> list[str]:
    """The other languages' values (as code spans: `undefined`) and code (`std::`, `console.log`)
    that `task`, written for `language`, uses; empty for a language without a list."""
    name = canonical_name(language)
    values = _FOREIGN_VALUES.get(name, ())
    spans = [_STRING.sub("", span) for span in _SPAN.findall(task)]  # a string's text is not a value
    found = [v for span in spans for v in values if re.search(rf"(?<![\w.$]){re.escape(v)}(?![\w$])", span)]
    if (code := _FOREIGN_CODE.get(name)) is not None:
        found += [m.group(0).strip() for m in code.finditer(task)]
    return list(dict.fromkeys(found))
