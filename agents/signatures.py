"""Does an answer implement the signature its instruction declares? C and C++ tasks state one
(`int minMax(const std::vector<int>& values)`); when the answers that pass the tests return
another type or take other parameters (`std::pair<int, int> minMax(...)`), the tests followed the
answers, not the task: the instruction is wrong, and training on it teaches the mismatch. Python,
JavaScript and TypeScript tasks declare parameters only (`sumTo(n, s)` answered as `sumTo(n)`)."""

from __future__ import annotations

import re

from tree_sitter import Node

from coderforge.code.demo import function_declarator, function_name
from coderforge.code.syntax import parse

__all__ = ["declared_void", "signature_mismatch"]

#: Languages whose tasks declare return and parameter types.
TYPED = ("c", "cpp")
#: Languages whose tasks declare parameter names only.
UNTYPED = ("python", "javascript", "typescript")
#: Parameters with a default (Python, JavaScript) or marked optional (TypeScript).
_OPTIONAL = frozenset({"default_parameter", "typed_default_parameter", "assignment_pattern", "optional_parameter"})
#: Nodes of a parameter list that are no parameter (Python's bare `*` and `/`, comments).
_NOT_PARAMETERS = frozenset({"keyword_separator", "positional_separator", "comment"})
#: A declared parameter: a name, with a type or a default after it (`n: int`, `sep=" "`, `s?: string`).
_PARAMETER = re.compile(r"\s*[A-Za-z_$][\w$]*\s*\??\s*(?:[:=].*)?", re.S)
_SPAN = re.compile(r"`([^`]+)`")
_NOISE = re.compile(r"\b(?:const|inline|static|constexpr|struct)\b|std::|\s+")


def declared_void(instruction: str, language: str) -> list[str]:
    """The functions a C or C++ task declares returning `void` (`void printArray(...)`): tests check
    what a function returns, so such a task cannot be tested (seen on Qwen 0.5B: 9 of 79 C++ tasks,
    all printing, none with a passing candidate)."""
    if language not in TYPED:
        return []
    found = (re.match(r"\s*(?:(?:static|inline)\s+)*void\s+(\w+)\s*\(", span) for span in _SPAN.findall(instruction))
    return list(dict.fromkeys(m.group(1) for m in found if m))


def signature_mismatch(instruction: str, solution: str, names: list[str], language: str) -> str | None:
    """How the solution's definition of one of `names` differs from the signature the instruction
    declares for it (return type, parameter count); None when they agree or nothing is declared."""
    if language in UNTYPED:
        return _parameters_mismatch(instruction, solution, names, language)
    if language not in TYPED:
        return None
    result = parse(solution, language)
    if not result.ok:
        return None
    defined = {name.text.decode(): node for node in result.tree.root_node.named_children
               if (name := function_name(node, language)) is not None and name.text}
    for name in names:
        node = defined.get(name)
        declared = _declared(instruction, name)
        if node is None or declared is None:
            continue
        returns, params = declared
        ours = _return_type(node)
        if ours is not None and _normal(ours) != _normal(returns):
            return f"the task declares `{name}` returning `{returns}`, the answers return `{ours}`"
        count = _parameter_count(node)
        if count is not None and count != params:
            return f"the task declares `{name}` with {params} parameter(s), the answers take {count}"
    return None


def _declared(instruction: str, name: str) -> tuple[str, int] | None:
    """(return type, parameter count) of the first signature of `name` in the instruction's code
    spans (`int f(int a, int b)`); calls in examples (`f(1, 2)`) declare nothing."""
    for span in _SPAN.findall(instruction):
        # The type and the name on one line: a fence's language tag (```cpp) is no return type.
        m = re.search(rf"^\s*(.*?[\w>])[ \t]*([*&]*)[ \t]*\b{re.escape(name)}\s*\(", span)
        if m is None or not re.search(r"[A-Za-z_]", m.group(1)) or "=" in m.group(1):
            continue
        inside = _inside_parentheses(span[m.end() - 1:])
        if inside is None:
            continue
        params = [p for p in _top_level_split(inside) if p.strip() and p.strip() != "void"]
        return m.group(1).strip() + m.group(2), len(params)
    return None


def _inside_parentheses(text: str) -> str | None:
    depth = 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return text[1:i]
    return None


def _top_level_split(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, "<": 1, "[": 1, "{": 1, ")": -1, ">": -1, "]": -1, "}": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]]


def _return_type(function: Node) -> str | None:
    kind = function.child_by_field_name("type")
    if kind is None or kind.text is None:
        return None
    declarator = function.child_by_field_name("declarator")
    pointers = ""
    while declarator is not None and declarator.type in ("pointer_declarator", "reference_declarator"):
        pointers += "*" if declarator.type == "pointer_declarator" else "&"
        declarator = declarator.child_by_field_name("declarator") or next(iter(declarator.named_children), None)
    return kind.text.decode() + pointers


def _parameter_count(function: Node) -> int | None:
    declarator = function_declarator(function)
    params = declarator.child_by_field_name("parameters") if declarator is not None else None
    if params is None:
        return None
    return sum(1 for p in params.named_children if p.type in ("parameter_declaration", "optional_parameter_declaration")
               and p.text != b"void")


def _normal(kind: str) -> str:
    return _NOISE.sub("", kind).replace("&", "")


def _parameters_mismatch(instruction: str, solution: str, names: list[str], language: str) -> str | None:
    """Python, JavaScript, TypeScript: how many parameters the task declares for one of `names`
    (`sumTo(n, s)`, `def f(a, b=2)`) against how many the solution's definition can take (its
    optional ones may be left out; a variadic definition takes any number)."""
    taken = _parameters_taken(solution, language)
    for name in names:
        declared = _declared_parameters(instruction, name)
        if declared is None or (span := taken.get(name)) is None:
            continue
        required, total = span
        if not required <= declared <= total:
            takes = str(total) if required == total else f"{required} to {total}"
            return f"the task declares `{name}` with {declared} parameter(s), the answers take {takes}"
    return None


def _declared_parameters(instruction: str, name: str) -> int | None:
    """The parameter count of the first declaration of `name` in the instruction's code spans: a
    call whose arguments are all names (`f(a, b)`, typed or with defaults); an example's call
    (`f(1, 2)`) declares nothing."""
    for span in _SPAN.findall(instruction):
        for m in re.finditer(rf"(?<![\w$.]){re.escape(name)}\s*\(", span):
            inside = _inside_parentheses(span[m.end() - 1:])
            if inside is None:
                continue
            params = [p for p in _top_level_split(inside) if p.strip()]
            if all(_PARAMETER.fullmatch(p) for p in params):
                return len(params)
    return None


def _parameters_taken(solution: str, language: str) -> dict[str, tuple[int, int] | None]:
    """(required, all) parameters of each top-level function the solution defines (None: variadic)."""
    result = parse(solution, language)
    if not result.ok:
        return {}
    taken: dict[str, tuple[int, int] | None] = {}
    for node in result.tree.root_node.named_children:
        if node.type == "export_statement" and node.named_children:
            node = node.named_children[-1]
        definitions = [node] if node.type in ("function_definition", "function_declaration") else [
            d for d in node.named_children if node.type in ("lexical_declaration", "variable_declaration")
            and d.type == "variable_declarator" and (v := d.child_by_field_name("value")) is not None
            and v.type in ("arrow_function", "function_expression", "function")]
        for d in definitions:
            name = d.child_by_field_name("name")
            value = d.child_by_field_name("value") or d
            params = value.child_by_field_name("parameters") or value.child_by_field_name("parameter")
            if name is None or name.text is None or params is None:
                continue
            listed = params.named_children if params.type in ("parameters", "formal_parameters") else [params]
            listed = [p for p in listed if p.type not in _NOT_PARAMETERS]
            variadic = any((p.text or b"").startswith((b"*", b"...")) for p in listed)
            required = sum(p.type not in _OPTIONAL for p in listed)
            taken[name.text.decode()] = None if variadic else (required, len(listed))
    return taken
