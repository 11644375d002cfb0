"""A solution without its demo code. Small models append usage examples to the function they were
asked for: top-level calls, loops and asserts in scripts, functions that only print the examples or
check them (`check_solution`), a `main` in compiled languages. They crash, print or clash with the
tests' own entry point before any test runs, and come commented with wrong results. What remains are
imports, definitions and assignments. Code that does not parse, or defines nothing besides its demo,
is returned as it is."""

from __future__ import annotations

import re

from tree_sitter import Node

from coderforge.code.python_ast import parse_python
from coderforge.code.syntax import parse

#: A check in a line of tests: an assertion of any harness's form (assert, assert_eq!, expect(...)).
CHECK_CALL = re.compile(r"\bassert|\bexpect\s*\(", re.I)
#: The name of a test function an answer brings along (`check_solution`, `testIsEven`, `verify`).
TESTER = re.compile(r"(?:test|check|verify)(?:_|[A-Z]|$)")
#: Languages whose demo is top-level statements; and those whose demo is a `main` function.
SCRIPTS = ("python", "javascript", "typescript")
COMPILED = ("c", "cpp", "go", "rust")


def without_demo_code(code: str, language: str) -> str:
    """`code` without its demo (see the module's docstring); languages without a rule keep theirs."""
    if language == "python":
        spans = _python_demo(code)
    elif language in SCRIPTS:
        spans = _script_demo(code, language)
    elif language in COMPILED:
        return _without_entry_and_tests(code, language)
    else:
        return code
    if spans is None:
        return code
    lines = code.splitlines()
    for first, last in reversed(spans):
        del lines[first:last + 1]
    comment = "#" if language == "python" else "//"
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(comment)):
        lines.pop()
    return "\n".join(lines) + "\n"


def _python_demo(code: str) -> list[tuple[int, int]] | None:
    """0-based line spans of the demo statements, or None (no definition, or no parse)."""
    import ast

    try:
        body = parse_python(code).body
    except SyntaxError:
        return None

    def demo(node: ast.stmt) -> bool:
        if isinstance(node, ast.Expr):
            return isinstance(node.value, ast.Call | ast.Await)
        if isinstance(node, ast.If):
            return "__name__" in ast.unparse(node.test)
        return isinstance(node, ast.For | ast.While | ast.AsyncFor | ast.Assert)

    definitions = [n for n in body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    if not definitions:
        return None
    # A literal or a call assigned after the last definition to a name no definition reads sets up a
    # demo (`obj1 = "Hello"`, `result = f(3)`); an alias (`solve = _solve`) may be what is tested.
    def free(d: ast.stmt) -> set[str]:
        """Names `d` reads that its own parameters and assignments do not bind (scopes flattened)."""
        bound = {a.arg for n in ast.walk(d) if isinstance(n, ast.arguments)
                 for a in (*n.posonlyargs, *n.args, *n.kwonlyargs, n.vararg, n.kwarg) if a is not None}
        bound |= {n.id for n in ast.walk(d) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        return {n.id for n in ast.walk(d) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - bound

    read = set().union(*map(free, definitions))

    def literal(node: ast.expr) -> bool:
        try:
            ast.literal_eval(node)
        except ValueError:
            return isinstance(node, ast.Call)
        return True

    def demo_value(node: ast.stmt) -> bool:
        return (isinstance(node, ast.Assign) and node.lineno > definitions[-1].lineno and literal(node.value)
                and all(isinstance(t, ast.Name) and t.id not in read for t in node.targets))

    def printer(node: ast.stmt) -> bool:
        """A function that only prints, called by no other definition (`def check(): print(f(1) == 2)`)."""
        if not isinstance(node, ast.FunctionDef) or len(definitions) < 2:
            return False
        statements = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        others = {n.id for d in definitions if d is not node for n in ast.walk(d) if isinstance(n, ast.Name)}
        return bool(statements) and node.name not in others and all(
            isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Name)
            and s.value.func.id == "print" for s in statements)

    def tester(node: ast.stmt) -> bool:
        """A test function of the answer's own, calling another definition, asserting, and called by
        none (`def check_solution(): assert merge([]) == []`): the answer's claims, often wrong, never
        what the task asked for."""
        if not isinstance(node, ast.FunctionDef) or TESTER.match(node.name) is None:
            return False
        others = {d.name for d in definitions if d is not node}
        called = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        return bool(called & others) and any(isinstance(n, ast.Assert) for n in ast.walk(node)) and node.name not in {
            n.id for d in definitions if d is not node for n in ast.walk(d) if isinstance(n, ast.Name)}

    return [(n.lineno - 1, n.end_lineno - 1) for n in body if demo(n) or demo_value(n) or printer(n) or tester(n)]


def _script_demo(code: str, language: str) -> list[tuple[int, int]] | None:
    """JavaScript/TypeScript: as `_python_demo`, from the tree-sitter tree."""
    result = parse(code, language)
    if not result.ok:
        return None
    nodes = result.tree.root_node.named_children

    def demo(node: Node) -> bool:
        if node.type == "expression_statement":
            return bool(node.named_children) and node.named_children[0].type in ("call_expression", "await_expression")
        if node.type == "if_statement":
            return b"require.main" in (node.text or b"")
        return node.type in ("for_statement", "for_in_statement", "while_statement")

    def read_elsewhere(node: Node, name: bytes) -> bool:
        """Whether a top-level statement other than `node` and the demo reads `name`."""
        return any(name in _free_names(n) for n in nodes if n is not node and not demo(n))

    def printer(node: Node) -> bool:
        """A function that only logs, read by nothing but the demo (`function check() { console.log(...); }`)."""
        name, body = node.child_by_field_name("name"), node.child_by_field_name("body")
        if node.type != "function_declaration" or name is None or body is None or name.text is None:
            return False
        statements = [s for s in body.named_children if s.type != "comment"]
        return bool(statements) and not read_elsewhere(node, name.text) and all(
            s.type == "expression_statement" and s.named_children[0].type == "call_expression"
            and s.named_children[0].child_by_field_name("function").text == b"console.log" for s in statements)

    def tester(node: Node) -> bool:
        """A test function read by nothing but the demo, with a check in it (`function checkReverse() { assert...`)."""
        name = node.child_by_field_name("name")
        return (node.type == "function_declaration" and name is not None and name.text is not None
                and TESTER.match(name.text.decode()) is not None and not read_elsewhere(node, name.text)
                and CHECK_CALL.search((node.text or b"").decode()) is not None)

    def declared(node: Node) -> list[tuple[Node, Node | None]]:
        """(name, value) of each declarator of a `const`/`let`/`var` declaration."""
        if node.type not in ("lexical_declaration", "variable_declaration"):
            return []
        return [(d.child_by_field_name("name"), d.child_by_field_name("value"))
                for d in node.named_children if d.type == "variable_declarator"]

    functions = [n for n in nodes if n.type in ("function_declaration", "generator_function_declaration",
                                                "class_declaration")
                 or any(v is not None and v.type in _JS_FUNCTION_VALUES for _, v in declared(n))]

    def set_up(node: Node) -> bool:
        """Literals or calls declared after the last function (`const numbers = [1, 2, 3];`)."""
        values = declared(node)
        return bool(values and functions) and node.start_point[0] > functions[-1].end_point[0] and all(
            name is not None and name.type == "identifier" and value is not None and value.type in _JS_DEMO_VALUES
            for name, value in values)

    # What the demo sets up goes when only the demo reads it (a parameter of the same name is not a read).
    read = set().union(*(_free_names(n) for n in nodes if not (demo(n) or printer(n) or tester(n) or set_up(n))))

    def demo_value(node: Node) -> bool:
        return set_up(node) and not any(name is not None and name.text in read for name, _ in declared(node))

    defines = ("function_declaration", "class_declaration", "lexical_declaration", "variable_declaration",
               "export_statement")
    if sum(n.type in defines for n in nodes) - sum(printer(n) or tester(n) or demo_value(n) for n in nodes) < 1:
        return None
    return [(n.start_point[0], n.end_point[0]) for n in nodes if demo(n) or printer(n) or tester(n) or demo_value(n)]


def _free_names(node: Node) -> set[bytes]:
    """Identifiers `node` reads that its own parameters and declarations do not bind (scopes
    flattened: enough to tell a demo's `const array = [...]` from a function's `array` parameter)."""
    used: set[bytes] = set()
    bound: set[bytes] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        stack.extend(n.children)
        if n.type in ("identifier", "shorthand_property_identifier") and n.text:
            used.add(n.text)
        names: list[Node | None] = []
        if n.type == "formal_parameters":
            names = [p.child_by_field_name("left") if p.type == "assignment_pattern" else p for p in n.named_children]
        elif n.type == "arrow_function":
            names = [n.child_by_field_name("parameter")]
        elif n.type == "variable_declarator" and n is not node:
            names = [n.child_by_field_name("name")]
        bound.update(x.text for x in names if x is not None and x.type == "identifier" and x.text)
    return used - bound


_JS_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "function", "class"})
#: Values a usage example sets up: literals and calls (a function or an alias is what may be tested).
_JS_DEMO_VALUES = frozenset({"array", "object", "string", "template_string", "number", "true", "false", "null",
                             "unary_expression", "call_expression", "new_expression", "await_expression"})


#: The node types of a top-level function, per compiled language.
_FUNCTION = {"c": "function_definition", "cpp": "function_definition", "go": "function_declaration",
             "rust": "function_item"}


def function_name(node: Node, language: str) -> Node | None:
    """The name node of a top-level function definition (C/C++: through pointer and reference
    declarators), or None for any other node."""
    if node.type != _FUNCTION[language]:
        return None
    if language in ("go", "rust"):
        return node.child_by_field_name("name")
    declarator = function_declarator(node)
    return declarator.child_by_field_name("declarator") if declarator is not None else None


def function_declarator(definition: Node) -> Node | None:
    """C/C++: the `function_declarator` (name and parameters) of a function definition, through
    pointer and reference declarators (`int *f(...)`, `const T &g(...)`)."""
    declarator = definition.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator") or next(iter(declarator.named_children), None)
    return declarator


def main_function(root: Node, language: str) -> Node | None:
    """The top-level `main` of a parsed C, C++, Go or Rust program, if it has one."""
    return next((n for n in root.children if (name := function_name(n, language)) is not None
                 and name.text == b"main"), None)


#: Top-level nodes that define nothing (besides comments).
_PREAMBLE = frozenset({"preproc_include", "using_declaration", "package_clause", "import_declaration",
                       "use_declaration"})


def _without_entry_and_tests(code: str, language: str) -> str:
    """The program without its `main` (the tests are the entry point) and its own test functions
    (`void testCountVowels()`: named like one, called nowhere, returning nothing), when it defines
    something else; in Go, without the imports only those used (Go does not build with one)."""
    result = parse(code, language)
    if not result.ok:
        return code
    root = result.tree.root_node
    named = [(n, name.text.decode()) for n in root.named_children
             if (name := function_name(n, language)) is not None and name.text]
    mains = [n for n, name in named if name == "main"]
    # A test function the `main` alone calls is called nowhere once `main` goes.
    raw = code.encode()
    for n in mains:
        raw = raw[:n.start_byte] + raw[n.end_byte:]
    demo = [*mains, *(n for n, name in named if name != "main" and _own_test(n, name, raw.decode()))]
    spans = {n.start_byte for n in demo}
    if not demo or not any(n.start_byte not in spans and n.type not in _PREAMBLE and "comment" not in n.type
                           for n in root.named_children):
        return code
    raw = code.encode()
    for node in sorted(demo, key=lambda n: n.start_byte, reverse=True):
        first = node  # the comments just above it ("// Example usage") go with it
        while first.prev_sibling is not None and "comment" in first.prev_sibling.type:
            first = first.prev_sibling
        raw = raw[:first.start_byte].rstrip() + b"\n" + raw[node.end_byte:].lstrip(b"\n")
    rest = raw.decode()
    if language == "go":
        rest = "\n".join(line for line in rest.splitlines() if not _unused_import(line, rest, code))
    return rest.rstrip("\n") + "\n"


def _own_test(node: Node, name: str, code: str) -> bool:
    """A function named like a test (`testCountVowels`, `check_all`), named nowhere else in `code`
    and returning no value: a task's own `checkPassword` returns its answer."""
    text = (node.text or b"").decode()
    return (TESTER.match(name) is not None and len(re.findall(rf"\b{re.escape(name)}\b", code)) == 1
            and re.search(r"\breturn\s+[^\s;]", text) is None)


def _unused_import(line: str, code: str, before: str) -> bool:
    """Whether `line` imports a Go package (`"fmt"` or `import "fmt"`) that `before` used and `code`
    no longer does."""
    found = re.fullmatch(r'\s*(?:import\s+)?"(?:[\w./-]+/)?(\w+)"\s*', line)
    if found is None:
        return False
    used = re.compile(rf"\b{found.group(1)}\.")
    return used.search(before) is not None and used.search(code) is None
