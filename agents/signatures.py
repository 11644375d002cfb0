"""Does an answer implement the signature its instruction declares? C and C++ tasks state one
(`int minMax(const std::vector<int>& values)`); when the answers that pass the tests return
another type or take other parameters (`std::pair<int, int> minMax(...)`), the tests followed the
answers, not the task: the instruction is wrong, and training on it teaches the mismatch."""

from __future__ import annotations

import re

from tree_sitter import Node

from coderforge.code.demo import function_declarator, function_name
from coderforge.code.parsing import parse

__all__ = ["signature_mismatch"]

#: Languages whose tasks declare return and parameter types.
TYPED = ("c", "cpp")
_SPAN = re.compile(r"`([^`]+)`")
_NOISE = re.compile(r"\b(?:const|inline|static|constexpr|struct)\b|std::|\s+")


def signature_mismatch(instruction: str, solution: str, names: list[str], language: str) -> str | None:
    """How the solution's definition of one of `names` differs from the signature the instruction
    declares for it (return type, parameter count); None when they agree or nothing is declared."""
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
        m = re.search(rf"^\s*(.*?[\w>])\s*([*&]*)\s*\b{re.escape(name)}\s*\(", span)
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
