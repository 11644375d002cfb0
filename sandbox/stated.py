"""The example an instruction states for its function (`countVowels("Hello")` returns `2`), as a
check in the task's language. The instruction prompt asks for one such example; an answer that
passes the shared tests but not its own task's example answers another task, or the task
contradicts itself (its text says one thing, its example another). The sandbox stage runs these
checks after the tests (filters/chain.py); they never count as the tests' checks and are never set
aside.

Only examples whose call has literal arguments and whose result is a literal are taken, and only
for functions the tests call: prose (`is_prime(n)` returns True when...) and signatures
(`int f(int n)`) are not examples."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from coderforge.sandbox import harness_runtime as rt

from coderforge.languages import canonical_name

__all__ = ["NOT_HELD", "STRING", "StatedExample", "StatedSuite", "literal_calls", "literal_items", "report",
           "stated_examples", "stated_tests"]

#: How a sandbox verdict begins its reason when the answer passed its tests but not its example.
NOT_HELD = "the instruction's own example does not hold"


@dataclass(frozen=True)
class StatedExample:
    callee: str
    arguments: tuple[str, ...]
    """Each argument's literal, as the instruction writes it."""
    value: str
    """The stated result's literal."""


_CALLEE = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*\(")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
_WORD = re.compile(r"(?:true|false|True|False|None|null|nullptr)(?![\w$])")
STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
#: What may come between an example's call and its value: closing noise (backticks, bold, the `);`
#: of a console.log, `<< std::endl;`), then an arrow, `==`, "returns", "should return", a comment
#: (`# Output:`), or a REPL's new line.
_BETWEEN = re.compile(r"""(?:[`*\s);]|<<\s*(?:std::)?endl)*
    (?:->|→|=>|===?|(?:\#|//)\s*(?:(?:returns?|output|result|=>|->|→|==)\s*:?)?
     |(?:should\s+|will\s+|would\s+)?(?:returns?|gives|outputs?|yields|evaluates\s+to|is|equals)\b\s*:?
     |\n\s*(?:(?:output|result|returns?)\s*:)?)
    [`*\s]*""", re.I | re.X)
#: What may follow a value: the end of a sentence or of code, not an operator or a word that goes on.
_AFTER = re.compile(r"[`*]*(?:\s*$|\s*[,;.:)\n]|[ \t]+(?![-+*/%<>=&|^?\s]))")


def _literal(text: str, i: int) -> int | None:
    """The end of the literal starting at `i` (number, string, true/false/None/null, or a list or
    tuple or brace list of literals), None when none starts there."""
    for pattern in (_NUMBER, _WORD, STRING):
        if m := pattern.match(text, i):
            return m.end()
    close = {"[": "]", "(": ")", "{": "}"}.get(text[i:i + 1])
    if close is None:
        return None
    end = _sequence(text, i + 1, close)
    return None if end is None else end + 1


def _sequence(text: str, i: int, close: str) -> int | None:
    """Literals separated by commas from `i` up to `close` (the index of `close`), None otherwise."""
    i = _space(text, i)
    if text[i:i + 1] == close:
        return i
    while True:
        end = _literal(text, i)
        if end is None:
            return None
        i = _space(text, end)
        if text[i:i + 1] == ",":
            i = _space(text, i + 1)
            if text[i:i + 1] == close:  # a trailing comma
                return i
        elif text[i:i + 1] == close:
            return i
        else:
            return None


def _space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


def _arguments(text: str, start: int, end: int) -> tuple[str, ...]:
    """The top-level literals between `start` and `end`, already checked to be a literal list."""
    found, i = [], _space(text, start)
    while i < end:
        stop = _literal(text, i) or end
        found.append(text[i:stop])
        i = _space(text, stop)
        i = _space(text, i + 1) if text[i:i + 1] == "," else i
    return tuple(found)


def literal_calls(text: str, callees: Collection[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The calls of `callees` in `text` whose arguments are all literals (name, argument literals),
    each once, in order."""
    found: dict[tuple[str, tuple[str, ...]], None] = {}
    for m in _CALLEE.finditer(text):
        if m.group(1) in callees and (close := _sequence(text, m.end(), ")")) is not None:
            found[m.group(1), _arguments(text, m.end(), close)] = None
    return list(found)


def literal_items(literal: str) -> tuple[str, ...]:
    """The items of a list, tuple or brace-list literal (`[1, "a"]`), as literals."""
    return _arguments(literal, 1, len(literal) - 1)


def stated_examples(instruction: str, callees: set[str]) -> list[StatedExample]:
    """The examples `instruction` states for the functions in `callees`, each once, in order."""
    found: dict[StatedExample, None] = {}
    for m in _CALLEE.finditer(instruction):
        if m.group(1) not in callees:
            continue
        close = _sequence(instruction, m.end(), ")")
        if close is None:
            continue
        between = _BETWEEN.match(instruction, close + 1)
        start = between.end() if between and between.end() > close + 1 else None
        end = _literal(instruction, start) if start is not None else None
        if end is None or not _AFTER.match(instruction, end):
            continue
        example = StatedExample(m.group(1), _arguments(instruction, m.end(), close), instruction[start:end])
        found[example] = None
    return list(found)


@dataclass(frozen=True)
class StatedSuite:
    code: str
    """The examples as tests, in the harness's conventions for the language."""
    checks: int


def stated_tests(instruction: str, tests: str, language: str) -> StatedSuite | None:
    """The instruction's examples for functions `tests` calls, as a test suite; None when it states
    none (or the language has no form for them here)."""
    name = canonical_name(language)
    form = _FORMS.get(name)
    called = {m.group(1) for m in _CALLEE.finditer(tests)}
    if form is None:
        return None
    checks = [c for e in stated_examples(instruction, called) if (c := form(e)) is not None]
    if not checks:
        return None
    if name == "cpp":
        return StatedSuite("int main() {\n" + "".join(f"    {c}\n" for c in checks) + "    return 0;\n}\n", len(checks))
    return StatedSuite("".join(f"{c}\n" for c in checks), len(checks))


def report(error: str) -> str:
    """A failing run's report without the harness's marker and tests line (`tests.py:2: `): it
    names no check of the shared tests (checks.failed_check finds none in it)."""
    return re.sub(rf"^{re.escape(rt.FAILURE)}(?:tests(?:\.\w+)?:\d+:\s*)?", "", error.strip())


def _words(literal: str, table: dict[str, str]) -> str:
    """`literal` with its keywords (outside strings) spelled as the target language spells them."""
    parts = re.split(f"({STRING.pattern})", literal)
    return "".join(p if k % 2 else _WORD.sub(lambda m: table.get(m.group(), m.group()), p)
                   for k, p in enumerate(parts))


def _decimals(value: str) -> int | None:
    """Decimal places of a float literal (results are stated rounded: `78.54`)."""
    m = re.fullmatch(r"-?\d+\.(\d+)", value)
    return len(m.group(1)) if m else None


_PYTHON_WORDS = {"true": "True", "false": "False", "null": "None", "nullptr": "None"}
_JS_WORDS = {"True": "true", "False": "false", "None": "null", "nullptr": "null"}
_CPP_WORDS = {"True": "true", "False": "false", "None": "nullptr", "null": "nullptr"}


@dataclass(frozen=True)
class _ScriptForm:
    """How Python or JavaScript spells the example's check."""
    words: dict[str, str]
    unsupported: str
    """Characters of literals the language does not read the same way (a C++ brace list, a tuple)."""
    equal: str
    rounded: str
    """The check of a float result, rounded to the places the example states."""

    def check(self, e: StatedExample) -> str | None:
        if any(c in x for x in (e.value, *e.arguments) for c in self.unsupported):
            return None
        call = f"{e.callee}({', '.join(_words(a, self.words) for a in e.arguments)})"
        value = _words(e.value, self.words)
        if (places := _decimals(value)) is not None:
            return self.rounded.format(call=call, value=value, places=places)
        return self.equal.format(call=call, value=value)


_PYTHON = _ScriptForm(_PYTHON_WORDS, "{", "assert {call} == {value}", "assert round({call}, {places}) == {value}")
_JAVASCRIPT = _ScriptForm(_JS_WORDS, "{(", 'require("assert").deepStrictEqual({call}, {value});',
                          'require("assert").strictEqual(Number(({call}).toFixed({places})), {value});')


def _cpp(e: StatedExample) -> str | None:
    if any("[" in x or "(" in x for x in (e.value, *e.arguments)) or e.value.startswith("{"):
        return None  # containers compare by their type, which the example does not give
    args = [_words(_c_string(a), _CPP_WORDS) for a in e.arguments]
    call = f"{e.callee}({', '.join(args)})"
    value = _words(_c_string(e.value), _CPP_WORDS)
    if value.startswith('"'):
        return f"assert(std::string({call}) == std::string({value}));"
    if (places := _decimals(value)) is not None:
        return f"assert(({call}) - ({value}) < 0.5e-{places} && ({value}) - ({call}) < 0.5e-{places});"
    return f"assert({call} == {value});"


def _c_string(literal: str) -> str:
    """A single-quoted string of more than one character, double-quoted (C's 'a' is a char)."""
    if literal.startswith("'") and len(literal) > 3 and not literal.startswith("'\\"):
        return '"' + literal[1:-1].replace('"', '\\"') + '"'
    return literal


_FORMS = {"python": _PYTHON.check, "javascript": _JAVASCRIPT.check, "typescript": _JAVASCRIPT.check, "cpp": _cpp}
