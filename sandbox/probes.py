"""Probing the answers that passed a task's tests with inputs the tests do not hold.

Answers written apart that all pass the same tests can still compute different functions: the tests
of `countUniqueDigits(s)` held only strings of digits, so answers counting every distinct character
passed beside answers counting digits. Each passing answer is run on variants of the literal calls
the tests make (one argument changed at a time: a number plus one or two, a string reversed, doubled,
with a letter, a digit and a space added, or cut to its first half, a list reversed, without its first
element or with it twice); where two answers give different results for one call, the task or its tests leave open what
is right, and no test can tell which answer to train on.

Python, JavaScript, TypeScript and C++ are probed (results printed in one canonical form per
language; C++ results of types it cannot print leave that answer unprobed); other languages are not.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from coderforge.sandbox.harness import commonjs
from coderforge.sandbox.program import Program
from coderforge.sandbox.stated import STRING, literal_calls, literal_items

from coderforge.code.demo import without_demo_code
from coderforge.languages import canonical_name

__all__ = ["LANGUAGES", "Disagreement", "disagreement", "probe_calls", "probe_program", "results"]

#: The languages probed.
LANGUAGES = ("python", "javascript", "typescript", "cpp")
#: Calls probed per task at most (each answer runs them all in one program).
MAX_PROBES = 24
#: What a string variant appends: a letter, a digit and a space (inputs the tests' alphabet may lack).
_MIXED = "a7 "
_INT = re.compile(r"-?\d+")


@dataclass(frozen=True)
class Disagreement:
    call: str
    """The probe call, as source."""
    results: tuple[str, ...]
    """Two different results passing answers gave for it."""


def _string_variants(literal: str, language: str) -> list[str]:
    quote, body = literal[0], literal[1:-1]
    if "\\" in body or (quote == "'" and language == "cpp"):  # escapes, or a C++ char: left alone
        return []
    half = [body[:len(body) // 2]] if len(body) >= 2 else []
    return [f"{quote}{v}{quote}" for v in (body[::-1], body + body, body + _MIXED, *half)]


def _sequence_variants(literal: str) -> list[str]:
    open_, close = literal[0], literal[-1]
    items = list(literal_items(literal))
    if len(items) < 2:
        return []
    return [open_ + ", ".join(v) + close for v in (items[::-1], items[1:], [items[0], *items])]


def _variants(literal: str, language: str) -> list[str]:
    if _INT.fullmatch(literal):
        return [str(int(literal) + 1), str(int(literal) + 2)]
    if STRING.fullmatch(literal):
        return _string_variants(literal, language)
    if literal[:1] in "[{" and literal[-1:] in "]}":
        return _sequence_variants(literal)
    return []


def probe_calls(tests: str, callees: Sequence[str], language: str) -> list[str]:
    """Variants of the tests' literal calls of `callees` that the tests do not make themselves, one
    argument changed at a time, taken round-robin across the calls, at most MAX_PROBES."""
    language = canonical_name(language)
    if language not in LANGUAGES:
        return []
    calls = literal_calls(tests, callees)
    made = {f"{name}({', '.join(args)})" for name, args in calls}
    per_call = []
    for name, args in calls:
        variants = []
        for i, arg in enumerate(args):
            variants += [f"{name}({', '.join((*args[:i], v, *args[i + 1:]))})" for v in _variants(arg, language)]
        per_call.append([v for v in dict.fromkeys(variants) if v not in made])
    probes: dict[str, None] = {}
    for round_ in range(max(map(len, per_call), default=0)):
        for variants in per_call:
            if round_ < len(variants) and len(probes) < MAX_PROBES:
                probes[variants[round_]] = None
    return list(probes)


_PYTHON = """import solution as _coderforge_solution

globals().update(vars(_coderforge_solution))


def _coderforge_shown(value):
    if isinstance(value, float):  # 6.0 == 6 passes any test, and the last digits differ by method
        return repr(int(value) if value.is_integer() else round(value, 9))
    if isinstance(value, (list, tuple)):
        return type(value).__name__ + "[" + ", ".join(map(_coderforge_shown, value)) + "]"
    if isinstance(value, (set, frozenset)):
        return "set[" + ", ".join(sorted(map(_coderforge_shown, value))) + "]"
    if isinstance(value, dict):
        return "dict[" + ", ".join(sorted(_coderforge_shown(k) + ": " + _coderforge_shown(v)
                                          for k, v in value.items())) + "]"
    return repr(value)


def _coderforge_probe(i, thunk):
    try:
        shown = _coderforge_shown(thunk())
    except Exception:
        shown = "raises"
    if " at 0x" not in shown:  # an object, function or generator shown by address: no result to compare
        print("{nonce}", i, shown, flush=True)

"""
_JAVASCRIPT = """
function __coderforgeShown(value) {{
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(Number(value.toPrecision(12)));
  if (value === undefined) return "undefined";
  if (value instanceof Set) value = [...value].sort();
  if (value instanceof Map) value = Object.fromEntries(value);
  return JSON.stringify(value, (k, v) => typeof v === "number" ? Number(v.toPrecision(12)) : v);
}}
function __coderforgeProbe(i, thunk) {{
  let shown;
  try {{ shown = __coderforgeShown(thunk()); }} catch (e) {{ shown = "raises"; }}
  console.log("{nonce}", i, shown);
}}
"""
_CPP = """
#include <cassert>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>
template <class T> struct coderforge_is_vector : std::false_type {{}};
template <class T, class A> struct coderforge_is_vector<std::vector<T, A>> : std::true_type {{}};
template <class T> std::string coderforge_shown(const T& value) {{
  std::ostringstream out;
  if constexpr (std::is_same_v<T, bool>) out << (value ? "true" : "false");
  else if constexpr (std::is_same_v<T, char>) out << "'" << value << "'";
  else if constexpr (std::is_arithmetic_v<T>) out << std::setprecision(10) << value;
  else if constexpr (std::is_convertible_v<T, std::string>) out << '"' << std::string(value) << '"';
  else if constexpr (coderforge_is_vector<T>::value) {{
    out << "[";
    for (const auto& item : value) out << coderforge_shown(item) << ", ";
    out << "]";
  }} else static_assert(coderforge_is_vector<T>::value, "a result coderforge cannot show");
  return out.str();
}}
#define CODERFORGE_PROBE(i, call) do {{ std::string shown; \\
  try {{ shown = coderforge_shown(call); }} catch (...) {{ shown = "raises"; }} \\
  std::cout << "{nonce} " << i << " " << shown << std::endl; }} while (0)
"""

def probe_program(program_id: str, language: str, solution: str, calls: Sequence[str]) -> tuple[Program, str]:
    """A program that runs `solution` on each call and prints each result (or `raises`) on a line
    of its own behind a fresh nonce; and that nonce."""
    language = canonical_name(language)
    nonce = secrets.token_hex(8)
    if language == "python":
        probes = "".join(f"_coderforge_probe({i}, lambda: {call})\n" for i, call in enumerate(calls))
        return Program(program_id, language, _PYTHON.format(nonce=nonce) + probes,
                       files={"solution.py": solution}), nonce
    elif language in ("javascript", "typescript"):
        probes = "".join(f"__coderforgeProbe({i}, () => {call});\n" for i, call in enumerate(calls))
        code = f"{commonjs(solution)}\n{_JAVASCRIPT.format(nonce=nonce)}{probes}"
    elif language == "cpp":
        probes = "".join(f"  CODERFORGE_PROBE({i}, {call});\n" for i, call in enumerate(calls))
        solution = without_demo_code(solution, language)  # its own `main` would clash with the probes'
        code = f"{_CPP.format(nonce=nonce)}\n{solution}\nint main() {{\n{probes}  return 0;\n}}\n"
    else:
        raise ValueError(f"no probes for {language!r}; probed: {', '.join(LANGUAGES)}")
    return Program(program_id, language, code), nonce


def results(stdout: str, nonce: str, calls: int) -> dict[int, str]:
    """Each probe's printed result, by probe index (a probe the program never reached has none)."""
    found = {}
    for line in stdout.splitlines():
        head, _, rest = line.partition(" ")
        index, _, shown = rest.partition(" ")
        if head == nonce and index.isdigit() and int(index) < calls:
            found.setdefault(int(index), shown)
    return found


def disagreement(calls: Sequence[str], per_answer: Sequence[dict[int, str]]) -> Disagreement | None:
    """The first call two answers gave different results for, if any."""
    for i, call in enumerate(calls):
        shown = list(dict.fromkeys(r[i] for r in per_answer if i in r))
        if len(shown) > 1:
            return Disagreement(call, tuple(shown[:2]))
    return None
