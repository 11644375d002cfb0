"""The test harness: one solution and its shared tests become one Program whose result says how many
checks executed and held. "passed" means the program ran the tests to their end, exited 0, and at
least one check held; a print-only test, a swallowed failure or an early exit(0) never passes.

Per language the harness intercepts the usual assertion form (Python `assert`, node:assert and
console.assert, C/C++ `assert()`, ...), counts each check that holds, ends the process on the first
one that fails (os._exit / process.exit / _exit: no try/catch in the tests can hide it), and after
the tests' last line prints a marker with a per-run nonce and the count (see harness_runtime).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from coderforge.sandbox import harness_runtime as rt
from coderforge.sandbox.mutants import stub_solution
from coderforge.sandbox.program import Program, Result, Status
from coderforge.sandbox.sandbox import Sandbox

from coderforge.code.parsing import parse
from coderforge.languages import canonical_name

__all__ = ["TestOutcome", "TestProgram", "outcome", "run_tests", "stub_solution", "supports", "test_program"]

NO_CHECK = "no check executed"


@dataclass(frozen=True)
class TestOutcome:
    status: str
    """A Status value; "passed" only when the program exited 0 and at least one check executed and held."""
    checks: int
    """Checks that executed and held (0 when none ran or the end marker is missing)."""
    error: str
    """Why it did not pass (the failing check, the compiler error, "no check executed..."); '' when passed."""


@dataclass(frozen=True)
class TestProgram:
    program: Program
    """Ready for Sandbox.aexecute."""
    nonce: str
    """The random token the end marker must carry."""


@dataclass(frozen=True)
class _Assembly:
    code: str
    files: dict[str, str]


def _python(solution: str, tests: str, nonce: str) -> _Assembly:
    code = rt.PYTHON.format(nonce=nonce, failure=rt.FAILURE, marker=_marker(nonce, "{count}")).lstrip()
    return _Assembly(code, {"solution.py": solution, "tests.py": tests})


# ES module syntax at a line start, rewritten to CommonJS so the harness's `require` serves the tests'
# assert imports (static imports cannot be redirected) and solution and tests share one script.
_MODULE = r"""(['"][^'"\n]+['"])"""
_IMPORT = re.compile(r"^[ \t]*import\s+(?:(type\s)|(\*\s+as\s+[\w$]+|[\w$]+|\{[^}]*\})\s+from\s+)?"
                     + _MODULE + r"[ \t]*;?", re.M)
_EXPORT_LIST = re.compile(r"^[ \t]*export\s+(?:\{[^}]*\}(?:\s*from\s*" + _MODULE + r")?|\*\s+from\s*" + _MODULE
                          + r")[ \t]*;?", re.M)
_EXPORT_DEFAULT_NAME = re.compile(r"^[ \t]*export\s+default\s+[\w$]+[ \t]*;?[ \t]*$", re.M)
_EXPORT = re.compile(r"^([ \t]*)export\s+(?:default\s+)?", re.M)


def _commonjs(code: str) -> str:
    def imported(m: re.Match[str]) -> str:
        if m.group(1):  # TypeScript `import type`: types only
            return ""
        what, module = m.group(2), m.group(3)
        if what is None:
            return f"require({module});"
        if what.startswith("*"):
            what = what.split()[-1]
        elif what.startswith("{"):
            what = re.sub(r"\s+as\s+", ": ", what)
        return f"const {what} = require({module});"

    code = _IMPORT.sub(imported, code)
    code = _EXPORT_LIST.sub("", code)
    code = _EXPORT_DEFAULT_NAME.sub("", code)
    return _EXPORT.sub(r"\1", code)


def _javascript(solution: str, tests: str, nonce: str, *, typed: bool = False) -> _Assembly:
    solution = _commonjs(solution).rstrip("\n") + "\n"
    tests = _commonjs(tests).rstrip("\n") + "\n"
    fields = {"any": ": any" if typed else "", "failure": rt.FAILURE, "marker": _marker(nonce, "{count}"),
              # Stack lines of compiled TypeScript do not map back to its source: no line then.
              "script": r"main\.ts" if typed else r"main\.js"}
    prelude_lines = rt.JAVASCRIPT_PRELUDE.count("\n")
    tests_line = prelude_lines + solution.count("\n") + 2
    prelude = rt.JAVASCRIPT_PRELUDE.format(**fields, prelude_lines=prelude_lines, tests_line=tests_line)
    # The tests in a block: their own `const assert = require(...)` cannot clash with the solution's.
    return _Assembly(f"{prelude}{solution}{{\n{tests}}}\n__coderforge.end();\n", {})


_INCLUDE = re.compile(r"^[ \t]*#[ \t]*include\b[^\n]*", re.M)
_ASSERT_HEADER = re.compile(r"<(?:assert\.h|cassert)>|\"assert\.h\"")


def _hoist_includes(code: str, found: dict[str, None]) -> str:
    """Collect the #include lines (in order, once) and blank them, keeping line numbers."""
    def take(m: re.Match[str]) -> str:
        if not _ASSERT_HEADER.search(m.group(0)):
            found[m.group(0).strip()] = None
        return ""
    return _INCLUDE.sub(take, code)


def _rename_main(tests: str, language: str) -> str:
    """The tests' `main` becomes coderforge_tests_main, ending in `return 0;` (a renamed main that
    flows off its end would return garbage)."""
    data = tests.encode()
    root = parse(tests, language).tree.root_node
    for node in root.children:
        if node.type != "function_definition":
            continue
        declarator = node.child_by_field_name("declarator")
        while declarator is not None and declarator.type != "function_declarator":
            declarator = declarator.child_by_field_name("declarator")
        name = declarator.child_by_field_name("declarator") if declarator is not None else None
        body = node.child_by_field_name("body")
        if name is None or body is None or name.text != b"main":
            continue
        end = body.end_byte - 1
        data = (data[:name.start_byte] + b"coderforge_tests_main" + data[name.end_byte:end] + b" return 0; "
                + data[end:])
        break
    return data.decode()


def _c_family(solution: str, tests: str, nonce: str, *, language: str) -> _Assembly:
    ext = "c" if language == "c" else "cpp"
    includes: dict[str, None] = {}
    solution = _hoist_includes(solution, includes)
    tests = _rename_main(_hoist_includes(tests, includes), language)
    header = "#include <assert.h>" if language == "c" else "#include <cassert>"
    prelude = rt.C_PRELUDE.format(includes="\n".join([header, *includes]), failure=rt.FAILURE)
    main = rt.C_MAIN.format(marker=_marker(nonce, "%lu"))
    code = (f'{prelude}#line 1 "solution.{ext}"\n{solution}\n{rt.C_BEFORE_TESTS}'
            f'#line 1 "tests.{ext}"\n{tests}\n{main}')
    return _Assembly(code, {})


_ASSEMBLERS: dict[str, Callable[[str, str, str], _Assembly]] = {
    "python": _python,
    "javascript": _javascript,
    "typescript": lambda s, t, n: _javascript(s, t, n, typed=True),
    "c": lambda s, t, n: _c_family(s, t, n, language="c"),
    "cpp": lambda s, t, n: _c_family(s, t, n, language="cpp"),
}


def _marker(nonce: str, count: str) -> str:
    return rt.MARKER.replace("{nonce}", nonce).replace("{count}", count)


def supports(language: str) -> bool:
    """Whether `language` (any name or alias) has a test harness."""
    try:
        return canonical_name(language) in _ASSEMBLERS
    except ValueError:
        return False


def test_program(program_id: str, language: str, *, solution: str, tests: str) -> TestProgram:
    """The Program running `tests` against `solution`, with a fresh nonce."""
    name = canonical_name(language)
    if name not in _ASSEMBLERS:
        raise ValueError(f"no test harness for {language!r}; supported: {', '.join(_ASSEMBLERS)}")
    nonce = secrets.token_hex(8)
    built = _ASSEMBLERS[name](solution, tests, nonce)
    return TestProgram(Program(program_id, name, built.code, files=built.files), nonce)


def _failure_text(result: Result) -> str:
    text = result.stderr or result.stdout
    at = text.rfind(rt.FAILURE)
    if at >= 0:
        return text[at:].strip()[:2000]
    if result.status == Status.compile_error:
        return text.strip()[:2000]
    tail = text.strip()[-2000:]
    return f"{result.status}: {tail}" if tail else f"{result.status} (exit code {result.exit_code})"


def outcome(tp: TestProgram, result: Result) -> TestOutcome:
    """What the run of `tp` says about the solution."""
    if result.status != Status.passed:
        return TestOutcome(str(result.status), 0, _failure_text(result))
    before, after = _marker(tp.nonce, "\0").split("\0")
    found = re.findall(re.escape(before) + r"(\d+)" + re.escape(after), result.stderr)
    checks = int(found[-1]) if found else 0
    if checks >= 1:
        return TestOutcome(str(Status.passed), checks, "")
    if found:
        why = "the tests ran to their end without executing an assertion"
    elif result.stderr_truncated:
        why = "stderr was cut off before the harness's end marker (the program printed too much)"
    else:
        why = "the program exited before the end of the tests (or the tests never reached it)"
    return TestOutcome(str(Status.failed), 0, f"{NO_CHECK}: {why}")


async def run_tests(sandbox: Sandbox, program_id: str, language: str, *, solution: str, tests: str) -> TestOutcome:
    """Run `tests` against `solution` in `sandbox` (a coderforge.sandbox.Sandbox)."""
    tp = test_program(program_id, language, solution=solution, tests=tests)
    [result] = await sandbox.aexecute([tp.program])
    return outcome(tp, result)
