"""The test harness: one solution and its shared tests become one Program whose result says how many
checks executed and held. "passed" means the program ran the tests to their end, exited 0, and at
least one check held; a print-only test, a swallowed failure or an early exit(0) never passes.

Per language the harness intercepts the usual assertion form (Python `assert`, node:assert and
console.assert, C/C++ `assert()`, ...), counts each check that holds, ends the process on the first
one that fails (os._exit / process.exit / _exit: no try/catch in the tests can hide it), and after
the tests' last line prints a marker with a per-run nonce and the count (see harness_runtime).
A Python solution's docstring examples (`>>> f(2)`) must hold too: they are its own claims, and a
wrong one fails the run (they never count as checks).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass

from coderforge.sandbox import harness_runtime as rt
from coderforge.sandbox.families import per_language
from coderforge.sandbox.mutants import constant_solution, expected_values, identity_solution, stub_solution
from coderforge.sandbox.program import Program, Result, Status
from coderforge.sandbox.sandbox import Sandbox
from tree_sitter import Node

from coderforge.code.demo import function_name, main_function
from coderforge.code.syntax import parse
from coderforge.languages import canonical_name

__all__ = ["TestOutcome", "TestProgram", "constant_solution", "expected_values", "identity_solution", "outcome",
           "run_tests", "stub_solution", "supports", "test_program"]

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


def _edit(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply (start byte, end byte, replacement) edits that do not overlap."""
    data = text.encode()
    for start, end, replacement in sorted(edits, reverse=True):
        data = data[:start] + replacement.encode() + data[end:]
    return data.decode()


def _lines(text: str) -> str:
    return text.rstrip("\n") + "\n"


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


def commonjs(code: str) -> str:
    """`code` with its ES module imports and exports rewritten to CommonJS (see _IMPORT)."""
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
    solution, tests = _lines(commonjs(solution)), _lines(commonjs(tests))
    fields = {"any": ": any" if typed else "", "declare": "declare var assert: any; " if typed else "",
              "failure": rt.FAILURE, "marker": _marker(nonce, "{count}"),
              # Stack lines of compiled TypeScript do not map back to its source: no line then.
              "script": r"main\.ts" if typed else r"main\.js"}
    prelude_lines = rt.JAVASCRIPT_PRELUDE.count("\n")
    tests_line = prelude_lines + solution.count("\n") + 2
    prelude = rt.JAVASCRIPT_PRELUDE.format(**fields, prelude_lines=prelude_lines, tests_line=tests_line)
    # The tests in a block: their own `const assert = require(...)` cannot clash with the solution's,
    # and their `require` (alone) serves the counting assert. Test functions they define but never
    # call run when nothing was checked by their end, as a test runner would run them.
    any_type = fields["any"]
    defined = [name for name in _top_level_functions(tests, "typescript" if typed else "javascript")
               if name.lower().startswith("test")]
    collected = f"if (__coderforge.idle()) {{ {' '.join(f'{name}();' for name in defined)} }}\n" if defined else ""
    return _Assembly(f"{prelude}{solution}{{ const require{any_type} = __coderforge.require;\n{tests}\n"
                     f"{collected}}}\n__coderforge.end();\n", {})


def _top_level_functions(code: str, language: str) -> list[str]:
    """Names of the function declarations at the top level of `code`."""
    names = (node.child_by_field_name("name") for node in parse(code, language).tree.root_node.children
             if node.type == "function_declaration")
    return [name.text.decode() for name in names if name is not None and name.text]


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
    flows off its end would return garbage). Tests without a `main` get one calling their `test*`
    functions that take no argument, as a test runner would (small models write `void
    test_factorial()` and stop there); with none, nothing is checked and the run says so."""
    root = parse(tests, language).tree.root_node
    main = main_function(root, language)
    body = main.child_by_field_name("body") if main is not None else None
    if main is None or body is None:
        calls = "".join(f"{name}(); " for name in _c_test_functions(root, language))
        return f"{tests}\nint coderforge_tests_main(void) {{ {calls}return 0; }}\n"
    name = function_name(main, language)
    return _edit(tests, [(name.start_byte, name.end_byte, "coderforge_tests_main"),
                         (body.end_byte - 1, body.end_byte - 1, " return 0; ")])


def _c_test_functions(root: Node, language: str) -> list[str]:
    """Names of the top-level functions named test* (any case) that take no argument."""
    found = []
    for node in root.children:
        name = function_name(node, language)
        params = name.parent.child_by_field_name("parameters") if name is not None and name.parent else None
        text = name.text.decode() if name is not None and name.text else ""
        if params is not None and text.lower().startswith("test") and params.text in (b"()", b"(void)"):
            found.append(text)
    return found


def _cpp_equalities(tests: str) -> str:
    """C++ tests whose `assert(a == b)` calls become coderforge_eq(__FILE__, __LINE__, "a == b", a, b)
    (see harness_runtime.CPP_EQUALITY), on the same lines; other asserts stay the macro's."""
    result = parse(tests, "cpp")
    if not result.ok:
        return tests
    edits = []
    stack = [result.tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        function, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if node.type != "call_expression" or function is None or function.text != b"assert" or args is None:
            continue
        [*operands] = args.named_children
        if len(operands) != 1 or operands[0].type != "binary_expression":
            continue
        left, op, right = (operands[0].child_by_field_name(f) for f in ("left", "operator", "right"))
        if op is None or op.type != "==" or left is None or right is None:
            continue
        source = " ".join(operands[0].text.decode().split()).replace("\\", "\\\\").replace('"', '\\"')
        call = f'coderforge_eq(__FILE__, __LINE__, "{source}", {left.text.decode()}, {right.text.decode()}'
        lines = node.text.count(b"\n") - call.count("\n")  # the lines after it keep their numbers
        edits.append((node.start_byte, node.end_byte, call + "\n" * lines + ")"))
    return _edit(tests, edits)


def _c_family(solution: str, tests: str, nonce: str, *, language: str) -> _Assembly:
    ext = "c" if language == "c" else "cpp"
    includes: dict[str, None] = {}
    solution = _hoist_includes(solution, includes)
    # The tests' headers come after the solution: an answer that uses `std::vector` without
    # including <vector> does not compile, as it would not on its own.
    tests_includes: dict[str, None] = {}
    tests = _rename_main(_hoist_includes(tests, tests_includes), language)
    header = "#include <assert.h>" if language == "c" else "#include <cassert>"
    prelude = rt.C_PRELUDE.format(includes="\n".join([header, *includes]), failure=rt.FAILURE)
    main = rt.C_MAIN.format(marker=_marker(nonce, "%lu"))
    checks = "\n".join(tests_includes) + rt.C_BEFORE_TESTS
    if language == "cpp":
        checks += rt.CPP_EQUALITY.format(failure=rt.FAILURE)
        tests = _cpp_equalities(tests)
    code = (f'{prelude}#line 1 "solution.{ext}"\n{solution}\n{checks}'
            f'#line 1 "tests.{ext}"\n{tests}\n{main}')
    return _Assembly(code, {})


_JAVA_TYPES = ("class_declaration", "interface_declaration", "enum_declaration", "record_declaration")


def _java_top_level(code: str, imports: dict[str, None]) -> tuple[list[tuple[int, int, str]], Node]:
    """Edits collecting the imports (removed), dropping the package line and `public` from top-level
    types (the harness's class is the file's only public one); and the parse tree."""
    root = parse(code, "java").tree.root_node
    edits = []
    for node in root.children:
        if node.type in ("import_declaration", "package_declaration"):
            if node.type == "import_declaration":
                imports[node.text.decode()] = None
            edits.append((node.start_byte, node.end_byte, ""))
        elif node.type in _JAVA_TYPES:
            for modifiers in (c for c in node.children if c.type == "modifiers"):
                edits.extend((m.start_byte, m.end_byte, "") for m in modifiers.children if m.type == "public")
    return edits, root


def _java_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "") + '"'


def _java(solution: str, tests: str, nonce: str) -> _Assembly:
    imports: dict[str, None] = {}
    solution_edits, _ = _java_top_level(solution, imports)
    tests_edits, root = _java_top_level(tests, imports)
    stack = [root]
    while stack:  # each `assert cond : message;` becomes a counted check
        node = stack.pop()
        if node.type != "assert_statement":
            stack.extend(node.children)
            continue
        parts = [c for c in node.named_children if c.type not in ("comment", "line_comment", "block_comment")]
        cond = parts[0].text.decode()
        where = _java_string(f"tests.java:{node.start_point[0] + 1}: assert {cond}")
        message = parts[1].text.decode() if len(parts) > 1 else "null"
        tests_edits.append((node.start_byte, node.end_byte,
                            f"{{ if (!({cond})) CoderforgeCheck.fail({where}, {message}); CoderforgeCheck.pass(); }}"))
    tests_class = next((n.child_by_field_name("name").text.decode() for n in root.children
                        if n.type == "class_declaration" and b"void main(" in n.text), "Main")
    runtime = rt.JAVA.format(failure=rt.FAILURE, marker=_marker(nonce, "{count}"), tests_class=tests_class)
    code = "\n".join([*imports, runtime, _edit(solution, solution_edits), _edit(tests, tests_edits)])
    return _Assembly(code, {})


def _go_parts(code: str, imports: dict[str, None], *, tests: bool) -> str:
    """The code without its package clause and imports (collected); the tests' main renamed."""
    root = parse(code, "go").tree.root_node
    edits = []
    for node in root.children:
        if node.type in ("package_clause", "import_declaration"):
            stack = [node]
            while stack:
                n = stack.pop()
                if n.type == "import_spec":
                    imports[n.text.decode()] = None
                stack.extend(n.children)
            edits.append((node.start_byte, node.end_byte, ""))
        elif tests and (name := function_name(node, "go")) is not None and name.text == b"main":
            edits.append((name.start_byte, name.end_byte, "coderforgeTests"))
    return _edit(code, edits)


def _go(solution: str, tests: str, nonce: str) -> _Assembly:
    imports: dict[str, None] = dict.fromkeys(rt.GO_IMPORTS)
    solution = _go_parts(solution, imports, tests=False)
    tests = _go_parts(tests, imports, tests=True)
    runtime = rt.GO.format(failure=rt.FAILURE, marker=_marker(nonce, "%d"))
    specs = "".join(f"\t{spec}\n" for spec in imports)
    # //line directives: positions (compiler errors, the failing check) name solution.go / tests.go.
    code = (f"package main\n\nimport (\n{specs})\n{runtime}\n"
            f"//line solution.go:1\n{solution}\n//line tests.go:1\n{tests}\n")
    return _Assembly(code, {})


def _rust(solution: str, tests: str, nonce: str) -> _Assembly:
    main = main_function(parse(tests, "rust").tree.root_node, "rust")
    edits = [(main.start_byte, main.start_byte, "pub ")] if main is not None and not any(
        c.type == "visibility_modifier" for c in main.children) else []
    solution = _lines(solution)
    header = "#[allow(unused_imports)]\nmod coderforge_tests {\nuse super::*;\n"
    tests_line = solution.count("\n") + rt.RUST_MACROS.count("\n") + header.count("\n") + 1
    macros = rt.RUST_MACROS.format(failure=rt.FAILURE, tests_line=tests_line)
    main = rt.RUST_MAIN.format(marker=_marker(nonce, "{count}"))
    code = f"{solution}{macros}{header}{_edit(tests, edits)}\n}}\n{main}"
    return _Assembly(code, {})


def _bash(solution: str, tests: str, nonce: str) -> _Assembly:
    solution = _lines(solution)
    tests_line = rt.BASH_PRELUDE.count("\n") + solution.count("\n") + 1
    prelude = rt.BASH_PRELUDE.format(nonce=nonce, failure=rt.FAILURE, tests_line=tests_line)
    return _Assembly(prelude + solution + _lines(tests) + rt.BASH_END.format(marker=_marker(nonce, "%s")), {})


_PHP_OPEN = re.compile(r"\A\s*<\?php\b")
_PHP_CLOSE = re.compile(r"\?>\s*\Z")
# assert( as a function call, not a method (`->assert(`, `::assert(`) nor a definition or a variable.
_PHP_ASSERT = re.compile(r"(?<![\w$>:\\])assert\s*\(", re.I)


def _php_body(code: str) -> str:
    return _lines(_PHP_CLOSE.sub("", _PHP_OPEN.sub("", code)))


def _php(solution: str, tests: str, nonce: str) -> _Assembly:
    solution = _php_body(solution)
    tests = _PHP_ASSERT.sub("coderforge_assert(", _php_body(tests))
    tests_line = rt.PHP_PRELUDE.count("\n") + solution.count("\n") + 1
    prelude = rt.PHP_PRELUDE.format(failure=rt.FAILURE, tests_line=tests_line)
    return _Assembly(prelude + solution + tests + rt.PHP_END.format(marker=_marker(nonce, "{count}")), {})


_CSHARP_USING = re.compile(r"^[ \t]*(?:global\s+)?using\s+(?:static\s+)?[\w.]+(?:\s*=\s*[\w.<>, ]+)?\s*;[ \t]*$", re.M)
_CSHARP_ASSERT = re.compile(r"(?<![\w.])(?:System\.Diagnostics\.)?(?:Debug|Trace)\.Assert\s*\(")
_CSHARP_MAIN = re.compile(r"(\bstatic\s+(?:async\s+)?[\w.<>]+\s+)Main(\s*\()")


def _csharp(solution: str, tests: str, nonce: str) -> _Assembly:
    usings: dict[str, None] = {}

    def take(m: re.Match[str]) -> str:
        usings[m.group(0).strip()] = None
        return ""

    solution = _lines(_CSHARP_USING.sub(take, solution))
    tests = _CSHARP_ASSERT.sub("CoderforgeCheck.Assert(", _CSHARP_USING.sub(take, tests))
    tests = _CSHARP_MAIN.sub(r"\1CoderforgeTestsMain\2", tests, count=1)
    head = "".join(f"{u}\n" for u in usings)
    tests_line = head.count("\n") + solution.count("\n") + 1
    runtime = rt.CSHARP.format(failure=rt.FAILURE, marker=_marker(nonce, "{count}"), tests_line=tests_line)
    return _Assembly(head + solution + _lines(tests) + runtime, {})


#: Per language: (solution, tests, nonce) -> the program that runs the tests on the solution.
_ASSEMBLERS: dict[str, Callable[..., _Assembly]] = per_language(
    python=_python, javascript=_javascript, c_family=_c_family, java=_java, go=_go, rust=_rust, bash=_bash, php=_php,
    csharp=_csharp)


def _marker(nonce: str, count: str) -> str:
    return rt.MARKER.replace("{nonce}", nonce).replace("{count}", count)


def supports(language: str) -> bool:
    """Whether `language` (any name or alias) has a test harness."""
    try:
        return canonical_name(language) in _ASSEMBLERS
    except ValueError:
        return False


def names_tested(solution: str, tests: str, language: str) -> list[str]:
    """The solution's top-level functions and classes whose names the tests use, in the solution's order."""
    from coderforge.code.syntax import NoGrammarError, definitions

    try:
        ours = [d.name for d in definitions(solution, language) if d.kind in ("function", "class")]
    except (NoGrammarError, ValueError):
        return []
    used = set(re.findall(r"\w+", tests))
    return [name for name in dict.fromkeys(ours) if name in used]


def without_solution_copies(tests: str, solution: str, language: str) -> str:
    """`tests` without their own definitions of the functions and classes the solution defines, as
    functions, classes or methods (small models often paste an implementation above their checks):
    the solution's are the ones tested. Tests that do not parse are returned as they are."""
    from coderforge.code.syntax import NoGrammarError, definitions

    try:
        ours = {d.name for d in definitions(solution, language)  # a `main` method is no copy of the tests' main
                if d.kind in ("function", "class") or (d.kind == "method" and d.name != "main")}
    except (NoGrammarError, ValueError):
        return tests
    return without_definitions(tests, ours, language)


def without_definitions(tests: str, names: Collection[str], language: str) -> str:
    """`tests` without the functions and classes they define under one of `names` (a definition
    inside one dropped goes with it), each line of theirs left blank; tests that do not parse are
    returned as they are."""
    from coderforge.code.syntax import NoGrammarError, definitions

    try:
        theirs = [d for d in definitions(tests, language) if d.kind in ("function", "class") and d.name in names]
    except (NoGrammarError, ValueError):
        return tests
    spans: list[tuple[int, int]] = []
    for d in sorted(theirs, key=lambda d: d.span.start):
        if not spans or d.span.start >= spans[-1][1]:
            spans.append((d.span.start, d.span.end))
    for start, end in reversed(spans):  # blank lines in their place: the harness's line numbers stay those of `tests`
        tests = tests[:start] + "\n" * tests.count("\n", start, end) + tests[end:]
    return tests


def test_program(program_id: str, language: str, *, solution: str, tests: str) -> TestProgram:
    """The Program running `tests` against `solution`, with a fresh nonce."""
    name = canonical_name(language)
    if name not in _ASSEMBLERS:
        raise ValueError(f"no test harness for {language!r}; supported: {', '.join(_ASSEMBLERS)}")
    nonce = secrets.token_hex(8)
    built = _ASSEMBLERS[name](solution, without_solution_copies(tests, solution, name), nonce)
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
