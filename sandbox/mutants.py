"""Mutants of a solution, the rest of its code kept so it still compiles. Tests worth trusting fail
on each: the stub (every function it defines returns nothing: None, undefined, the zero value),
and, in Python, JavaScript, TypeScript, C and C++, the constant (every function returns the value
the tests expect most often: tests that only ever expect "Invalid" pass a solution that always says
so) and the identity (every function returns its first argument: tests of a task whose every answer
is its input pass it)."""

from __future__ import annotations

from collections.abc import Callable

from coderforge.sandbox.families import per_language
from tree_sitter import Node

from coderforge.code.demo import function_declarator
from coderforge.code.syntax import parse
from coderforge.languages import canonical_name

__all__ = ["constant_solution", "expected_values", "identity_solution", "stub_solution"]

_JAVA_ZERO = {"boolean": "false", "void": ""}
_JAVA_NUMERIC = {"byte", "short", "int", "long", "float", "double", "char"}


def _python(node: Node) -> str | None:
    return "return None" if node.type == "function_definition" else None


def _javascript(node: Node, *, typed: bool = False) -> str | None:
    undefined = "(undefined as any)" if typed else "undefined"
    if node.type == "arrow_function":
        body = node.child_by_field_name("body")
        return f"{{ return {undefined}; }}" if body is not None and body.type == "statement_block" else undefined
    if node.type == "method_definition":
        name = node.child_by_field_name("name")
        return None if name is not None and name.text == b"constructor" else f"{{ return {undefined}; }}"
    if node.type in ("function_declaration", "function_expression", "function", "generator_function_declaration"):
        return f"{{ return {undefined}; }}"
    return None


def _c_family(node: Node, *, language: str) -> str | None:
    if node.type != "function_definition":
        return None
    kind = node.child_by_field_name("type")
    declarator = node.child_by_field_name("declarator")
    if kind is None or declarator is None:  # a constructor or destructor
        return None
    if declarator.type == "function_declarator" and kind.text == b"void":
        return "{}"
    if language == "cpp":
        return "{ return {}; }"
    if declarator.type != "function_declarator":  # returns a pointer
        return "{ return 0; }"
    return f"{{ {kind.text.decode()} coderforge_zero = {{0}}; return coderforge_zero; }}"


def _java(node: Node) -> str | None:
    if node.type != "method_declaration":
        return None
    kind = node.child_by_field_name("type")
    text = kind.text.decode() if kind is not None and kind.text else "void"
    value = _JAVA_ZERO.get(text, "0" if text in _JAVA_NUMERIC else "null")
    return f"{{ return {value}; }}" if value else "{}"


def _go(node: Node) -> str | None:
    if node.type not in ("function_declaration", "method_declaration"):
        return None
    name = node.child_by_field_name("name")
    if node.type == "function_declaration" and name is not None and name.text in (b"main", b"init"):
        return None
    result = node.child_by_field_name("result")
    if result is None:
        return "{}"
    if result.type != "parameter_list":
        return f"{{ var zero {result.text.decode()}; return zero }}"
    kinds = []
    for param in result.named_children:
        if param.type != "parameter_declaration":
            continue
        if param.child_by_field_name("name") is not None:  # named results: a bare return gives their zero values
            return "{ return }"
        kinds.append(param.child_by_field_name("type").text.decode())
    zeros = [f"zero{i}" for i in range(len(kinds))]
    declared = "; ".join(f"var {z} {k}" for z, k in zip(zeros, kinds, strict=True))
    return f"{{ {declared}; return {', '.join(zeros)} }}"


def _rust(node: Node) -> str | None:
    if node.type != "function_item":
        return None
    name = node.child_by_field_name("name")
    if name is not None and name.text == b"main":
        return None
    returns = node.child_by_field_name("return_type")
    return "{}" if returns is None or returns.text == b"()" else "{ Default::default() }"


_PHP_ZERO = {"int": "0", "float": "0.0", "string": "''", "bool": "false", "array": "[]"}


def _bash(node: Node) -> str | None:
    return "{ :; }" if node.type == "function_definition" else None


def _php(node: Node) -> str | None:
    if node.type not in ("function_definition", "method_declaration"):
        return None
    returns = node.child_by_field_name("return_type")
    if returns is not None and returns.text in (b"void", b"never"):
        return "{}"
    name = node.child_by_field_name("name")
    if name is not None and name.text == b"__construct":
        return None
    zero = _PHP_ZERO.get(returns.text.decode().lower() if returns is not None and returns.text else "", "null")
    return f"{{ return {zero}; }}"


def _csharp(node: Node) -> str | None:
    if node.type != "method_declaration":
        return None
    returns = node.child_by_field_name("returns") or node.child_by_field_name("type")
    text = returns.text.decode() if returns is not None and returns.text else "void"
    body = node.child_by_field_name("body")
    if body is not None and body.type == "arrow_expression_clause":  # a void one needs a statement expression
        return f"=> default({text})" if text != "void" else "=> System.Console.Out.Flush()"
    return "{}" if text == "void" else f"{{ return default({text}); }}"


#: Per language: a function node -> the text replacing its body (None: leave the node alone).
_STUBS: dict[str, Callable[..., str | None]] = per_language(
    python=_python, javascript=_javascript, c_family=_c_family, java=_java, go=_go, rust=_rust, bash=_bash, php=_php,
    csharp=_csharp)


def _walk(node: Node):
    yield node
    for child in node.children:
        yield from _walk(child)


def stub_solution(language: str, solution: str) -> str | None:
    """`solution` with each function's body replaced by one returning nothing; None when it defines
    no function (or the language has no stub rule)."""
    language = canonical_name(language)
    stub = _STUBS.get(language)
    return None if stub is None else _mutate(language, solution, stub)


def constant_solution(language: str, solution: str, value: str) -> str | None:
    """`solution` with each function returning `value` (source text of the language); None when it
    defines no function, or the language has no such rule (only Python, JavaScript, TypeScript, C,
    C++)."""
    return _returning(language, solution, lambda node: value)


def identity_solution(language: str, solution: str) -> str | None:
    """`solution` with each function returning its first argument (`self` and `cls` skipped;
    functions without one are left alone): tests that only check cases whose answer is the input
    itself pass it. None as for `constant_solution`."""
    return _returning(language, solution, _first_parameter)


def _returning(language: str, solution: str, value_of: Callable[[Node], str | None]) -> str | None:
    """`solution` with each function returning `value_of(function)` (None: the function is left alone)."""
    language = canonical_name(language)
    if language == "python":
        def python(node: Node) -> str | None:
            value = value_of(node) if node.type == "function_definition" else None
            return None if value is None else f"return {value}"
        return _mutate(language, solution, python)
    if language in ("javascript", "typescript"):
        def script(node: Node) -> str | None:
            value = value_of(node) if _javascript(node) is not None else None
            if value is None:
                return None
            body = node.child_by_field_name("body")
            expression = node.type == "arrow_function" and body is not None and body.type != "statement_block"
            return f"({value})" if expression else f"{{ return {value}; }}"
        return _mutate(language, solution, script)
    if language in ("c", "cpp"):
        def compiled(node: Node) -> str | None:
            kind = node.child_by_field_name("type")
            if node.type != "function_definition" or kind is None or kind.text == b"void":
                return None
            value = value_of(node)
            return None if value is None else f"{{ return {value}; }}"
        return _mutate(language, solution, compiled)
    return None


def _first_parameter(function: Node) -> str | None:
    """The name of a function's first parameter (Python's `self`/`cls` skipped)."""
    if function.type == "function_definition" and function.child_by_field_name("declarator") is not None:
        return _c_first_parameter(function)
    params = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    if params is None:
        return None
    for param in [params] if params.type == "identifier" else params.named_children:
        name = param if param.type == "identifier" else next(
            (n for field in ("name", "pattern", "left") if (n := param.child_by_field_name(field)) is not None), None)
        if name is None and param.type == "typed_parameter":  # Python `x: int`
            name = next((c for c in param.named_children if c.type == "identifier"), None)
        if name is not None and name.type == "identifier" and name.text not in (b"self", b"cls"):
            return name.text.decode()
    return None


def _c_first_parameter(function: Node) -> str | None:
    """C/C++: the first parameter's name, through `&`, `*` and `const` declarators."""
    declarator = function_declarator(function)
    params = declarator.child_by_field_name("parameters") if declarator is not None else None
    first = next((p for p in params.named_children if p.type == "parameter_declaration"), None) if params else None
    name = first.child_by_field_name("declarator") if first is not None else None
    while name is not None and name.type != "identifier":
        name = name.child_by_field_name("declarator") or next(
            (c for c in name.named_children if c.type in ("identifier", "pointer_declarator", "reference_declarator")),
            None)
    return name.text.decode() if name is not None and name.text else None


def _mutate(language: str, solution: str, rule: Callable[[Node], str | None]) -> str | None:
    data = solution.encode()
    edits: list[tuple[int, int, bytes]] = []
    for node in _walk(parse(solution, language).tree.root_node):
        if edits and node.start_byte < edits[-1][1]:  # inside a body already replaced
            continue
        body = node.child_by_field_name("body")
        text = rule(node) if body is not None else None
        if text is not None and body is not None:
            edits.append((body.start_byte, body.end_byte, text.encode()))
        elif node.type == "import_spec" and language == "go":  # Go rejects imports the stubs no longer use
            path = node.child_by_field_name("path")
            edits.append((node.start_byte, node.end_byte, b"_ " + (path.text or b"")))
    if not edits:
        return None
    for start, end, text in reversed(edits):
        data = data[:start] + text + data[end:]
    return data.decode()


_JS_EQUALITY = frozenset({b"assert.strictEqual", b"assert.equal", b"assert.deepStrictEqual", b"assert.deepEqual"})
_JS_LITERALS = frozenset({"string", "number", "true", "false", "null", "array", "object", "pair", "unary_expression",
                          "string_fragment", "escape_sequence", "property_identifier", "comment"})


def expected_values(tests: str, language: str) -> list[str]:
    """The literal values the tests' equality checks expect a call to return, as source text, in
    order (Python `assert f(x) == 3` and `assertEqual`; JavaScript/TypeScript `assert.strictEqual`
    and kin; C and C++ `assert(f(x) == 3)`); [] for other languages or tests that do not parse."""
    language = canonical_name(language)
    if language == "python":
        return _python_expected(tests)
    if language in ("c", "cpp"):
        return _c_expected(tests, language)
    if language not in ("javascript", "typescript"):
        return []
    found = []
    for node in _walk(parse(tests, language).tree.root_node):
        args = node.child_by_field_name("arguments") if node.type == "call_expression" else None
        callee = node.child_by_field_name("function")
        if args is None or callee is None or callee.text not in _JS_EQUALITY or len(args.named_children) < 2:
            continue
        actual, expected = args.named_children[:2]
        if actual.type == "call_expression" and all(n.type in _JS_LITERALS for n in _walk(expected) if n.is_named):
            found.append(expected.text.decode())
    return found


#: C and C++ literal values: numbers (a minus sign included), strings, characters, booleans, and brace
#: lists of them, bare or typed (`std::vector<int>{1, 2}`).
_C_LITERALS = frozenset({"number_literal", "string_literal", "string_content", "escape_sequence", "char_literal",
                         "character", "true", "false", "unary_expression", "initializer_list",
                         "compound_literal_expression"})
#: What the type of a typed brace list may hold.
_C_TYPE_NODES = frozenset({"qualified_identifier", "namespace_identifier", "template_type", "type_identifier",
                           "template_argument_list", "type_descriptor", "primitive_type"})


def _c_expected(tests: str, language: str) -> list[str]:
    """`assert(f(x) == <literal>)` in C and C++ tests: the literal's text."""
    found = []
    for node in _walk(parse(tests, language).tree.root_node):
        callee = node.child_by_field_name("function") if node.type == "call_expression" else None
        args = node.child_by_field_name("arguments")
        if callee is None or callee.text != b"assert" or args is None or len(args.named_children) != 1:
            continue
        test = args.named_children[0]
        while test.type == "parenthesized_expression" and test.named_children:
            test = test.named_children[0]
        left, op, right = (test.child_by_field_name(f) for f in ("left", "operator", "right"))
        if test.type != "binary_expression" or op is None or op.type != "==" or left is None or right is None:
            continue
        kinds = {n.type for n in _walk(right) if n.is_named}
        typed = right.type == "compound_literal_expression"
        if left.type == "call_expression" and kinds <= _C_LITERALS | (_C_TYPE_NODES if typed else frozenset()):
            found.append(right.text.decode())
    return found


def _python_expected(tests: str) -> list[str]:
    import ast

    try:
        tree = ast.parse(tests)
    except SyntaxError:
        return []
    pairs: list[tuple[ast.expr, ast.expr]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq):
            pairs.append((node.left, node.comparators[0]))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "assertEqual" \
                and len(node.args) >= 2:
            pairs.append((node.args[0], node.args[1]))
    found = []
    for actual, expected in pairs:
        if isinstance(actual, ast.Call):
            try:
                ast.literal_eval(expected)
            except ValueError:
                continue
            found.append(ast.unparse(expected))
    return found
