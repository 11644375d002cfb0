"""Every tree-sitter call in coderforge: parsing with error reports, and the syntax facts other
modules need (definitions, FIM units, imports, called names) as plain spans in character offsets.

Grammars come from tree-sitter-language-pack 0.13 (bundled, offline). One parser per grammar and
thread (parsers are not thread-safe) and one compiled Query per language and purpose are cached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy
import tree_sitter_language_pack
from tree_sitter import Node, Parser, Query, QueryCursor, Tree

from coderforge.errors import CoderforgeError
from coderforge.languages import LANGUAGES, Language, get_language

__all__ = [
    "Definition",
    "Import",
    "ParseResult",
    "Span",
    "Unit",
    "called_names",
    "definitions",
    "identifier_names",
    "imports",
    "nothing_to_compute",
    "parse",
    "supported_languages",
    "syntactic_units",
]


class NoGrammarError(CoderforgeError, ValueError):
    """The language has no tree-sitter grammar in the installed language pack."""


@dataclass(frozen=True)
class Span:
    """A region of source text: character offsets (end exclusive) and 1-based inclusive lines."""

    start: int
    end: int
    start_line: int
    end_line: int


@dataclass(frozen=True)
class ParseResult:
    ok: bool
    """The code is not blank and its tree has no ERROR and no MISSING node."""
    error_count: int
    """ERROR nodes (outermost ones; nested errors inside an ERROR are not counted again)."""
    missing_count: int
    """Nodes the parser inserted to recover (a missing `)` or `;`)."""
    first_error: str | None
    """Where the first problem is, e.g. `line 3, column 9: unexpected 'foo'`."""
    tree: Tree
    language: str
    """Canonical language name."""
    error_bytes: int = 0
    """Bytes inside outermost ERROR nodes: with missing_count, a measure of how badly it fails."""

    @property
    def quality(self) -> float:
        """1.0 for a clean parse, towards 0.0 as more of the text sits in errors."""
        size = max(self.tree.root_node.end_byte, 1)
        return max(0.0, 1.0 - (self.error_bytes + 8 * self.missing_count) / size)


@dataclass(frozen=True)
class Definition:
    kind: Literal["function", "method", "class"]
    name: str
    span: Span
    """The definition with its decorators, attributes or `export`, without leading comments."""
    doc_start: int
    """Where its leading comments begin (== span.start when it has none)."""
    doc_start_line: int
    docstring: str | None
    """Python docstring, else the leading comment block, else None."""
    node_type: str
    has_error: bool = False
    """The definition's subtree holds ERROR or MISSING nodes."""


@dataclass(frozen=True)
class Unit:
    """A syntactic unit a FIM middle can be: a function body, a block, a statement, an expression."""

    kind: Literal["function_body", "block", "statement", "expression"]
    node_type: str
    span: Span


@dataclass(frozen=True)
class Import:
    module: str
    """The imported module, header or path as written (`os.path`, `stdio.h`, `java.util.List`)."""
    statement: str
    """The whole import statement's text."""
    span: Span
    names: tuple[str, ...] = ()
    """Python `from m import a, b`: the imported names (`a`, `b`), which may be submodules."""


def supported_languages() -> list[str]:
    """Canonical names of the registry's languages that have a grammar here."""
    return [lang.name for lang in LANGUAGES if lang.grammar]


def _grammar(language: str) -> Language:
    lang = get_language(language)
    if lang.grammar is None:
        raise NoGrammarError(f"language {lang.name!r} has no tree-sitter grammar")
    return lang


_local = threading.local()


def _parser(grammar: str) -> Parser:
    parsers = _local.__dict__.setdefault("parsers", {})
    if grammar not in parsers:
        parsers[grammar] = Parser(tree_sitter_language_pack.get_language(grammar))
    return parsers[grammar]


class _Offsets:
    """Byte offsets (what tree-sitter reports) to character offsets (what Python strings use)."""

    def __init__(self, code: str, data: bytes) -> None:
        self._table: list[int] | None = None
        if len(data) != len(code):
            # A byte starts a character unless it is a UTF-8 continuation byte (0b10xxxxxx).
            starts = (numpy.frombuffer(data, dtype=numpy.uint8) & 0xC0) != 0x80
            self._table = numpy.concatenate(([0], numpy.cumsum(starts))).tolist()

    def char(self, byte: int) -> int:
        return byte if self._table is None else self._table[byte]

    def span(self, node: Node) -> Span:
        return Span(self.char(node.start_byte), self.char(node.end_byte), node.start_point[0] + 1,
                    node.end_point[0] + 1)


def _encode(code: str) -> bytes:
    # Lone surrogates (from undecodable files read with surrogateescape) become one '?' byte each,
    # which keeps the byte-to-character table exact.
    return code.encode("utf-8", "replace")


def _error_nodes(root: Node) -> Iterator[Node]:
    """Outermost ERROR and all MISSING nodes, in document order, visiting only subtrees with errors."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            yield node
            if node.is_error:
                continue
        if node.has_error:
            stack.extend(reversed(node.children))


def _describe(node: Node) -> str:
    line, col = node.start_point[0] + 1, node.start_point[1] + 1
    if node.is_missing:
        return f"line {line}, column {col}: missing {node.type!r}"
    text = (node.text or b"").decode("utf-8", "replace").strip().splitlines()
    snippet = text[0][:40] if text else ""
    return f"line {line}, column {col}: unexpected {snippet!r}"


def parse(code: str, language: str) -> ParseResult:
    """Parse `code` as `language` (canonical name or alias) and report errors and missing nodes."""
    lang = _grammar(language)
    tree = _parser(lang.grammar).parse(_encode(code))
    errors = missing = error_bytes = 0
    first: str | None = None
    for node in _error_nodes(tree.root_node):
        if first is None:
            first = _describe(node)
        if node.is_missing:
            missing += 1
        else:
            errors += 1
            error_bytes += node.end_byte - node.start_byte
    blank = not code.strip()
    if blank:
        first = "empty code"
    return ParseResult(ok=not blank and errors == 0 and missing == 0, error_count=errors, missing_count=missing,
                       first_error=first, tree=tree, language=lang.name, error_bytes=error_bytes)


# ---------------------------------------------------------------------------------------------
# Queries. Each language's definitions query captures @function or @class with its @name.
# Methods are functions whose nearest enclosing definition is a class.

_C_FUNCTION = """
(function_definition declarator: (function_declarator declarator: (_) @name)) @function
(function_definition declarator: (_ (function_declarator declarator: (_) @name))) @function
(function_definition declarator: (_ (_ (function_declarator declarator: (_) @name)))) @function
"""
_JS_FUNCTION = """
(function_declaration name: (identifier) @name) @function
(generator_function_declaration name: (identifier) @name) @function
(method_definition name: (_) @name) @function
(lexical_declaration
  (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)])) @function
"""

_DEFINITIONS: dict[str, str] = {
    "python": """
(function_definition name: (identifier) @name) @function
(class_definition name: (identifier) @name) @class
""",
    "javascript": _JS_FUNCTION + "(class_declaration name: (identifier) @name) @class",
    "typescript": _JS_FUNCTION + """
(class_declaration name: (type_identifier) @name) @class
(abstract_class_declaration name: (type_identifier) @name) @class
(interface_declaration name: (type_identifier) @name) @class
""",
    "java": """
(method_declaration name: (identifier) @name) @function
(constructor_declaration name: (identifier) @name) @function
(class_declaration name: (identifier) @name) @class
(interface_declaration name: (identifier) @name) @class
(enum_declaration name: (identifier) @name) @class
(record_declaration name: (identifier) @name) @class
""",
    "c": _C_FUNCTION + "(struct_specifier name: (type_identifier) @name body: (_)) @class",
    "cpp": _C_FUNCTION + """
(class_specifier name: (type_identifier) @name body: (_)) @class
(struct_specifier name: (type_identifier) @name body: (_)) @class
""",
    "go": """
(function_declaration name: (identifier) @name) @function
(method_declaration name: (field_identifier) @name) @function
(type_declaration (type_spec name: (type_identifier) @name type: [(struct_type) (interface_type)])) @class
""",
    "rust": """
(function_item name: (identifier) @name) @function
(struct_item name: (type_identifier) @name) @class
(enum_item name: (type_identifier) @name) @class
(trait_item name: (type_identifier) @name) @class
(impl_item type: (_) @name) @class
""",
    "bash": "(function_definition name: (word) @name) @function",
    "php": """
(function_definition name: (name) @name) @function
(method_declaration name: (name) @name) @function
(class_declaration name: (name) @name) @class
(interface_declaration name: (name) @name) @class
(trait_declaration name: (name) @name) @class
""",
    "csharp": """
(method_declaration name: (identifier) @name) @function
(constructor_declaration name: (identifier) @name) @function
(local_function_statement name: (identifier) @name) @function
(class_declaration name: (identifier) @name) @class
(struct_declaration name: (identifier) @name) @class
(interface_declaration name: (identifier) @name) @class
(record_declaration name: (identifier) @name) @class
""",
    "ruby": """
(method name: (_) @name) @function
(singleton_method name: (_) @name) @function
(class name: (_) @name) @class
(module name: (_) @name) @class
""",
    "kotlin": """
(function_declaration (simple_identifier) @name) @function
(class_declaration (type_identifier) @name) @class
(object_declaration (type_identifier) @name) @class
""",
    "scala": """
(function_definition name: (identifier) @name) @function
(class_definition name: (identifier) @name) @class
(object_definition name: (identifier) @name) @class
(trait_definition name: (identifier) @name) @class
""",
    "swift": """
(function_declaration name: (simple_identifier) @name) @function
(class_declaration name: (type_identifier) @name) @class
(protocol_declaration name: (type_identifier) @name) @class
""",
    "lua": "(function_declaration name: (_) @name) @function",
    "sql": "(create_function (object_reference) @name) @function",
    "haskell": """
(function name: (variable) @name) @function
(data_type name: (name) @name) @class
""",
    "r": "(binary_operator lhs: (identifier) @name rhs: (function_definition)) @function",
}

_JS_IMPORTS = """
(import_statement source: (string (string_fragment) @module)) @import
((call_expression function: (identifier) @_req arguments: (arguments . (string (string_fragment) @module)))
 @import (#eq? @_req "require"))
([(lexical_declaration (variable_declarator value: (call_expression function: (identifier) @_req
   arguments: (arguments . (string (string_fragment) @module)))))
  (variable_declaration (variable_declarator value: (call_expression function: (identifier) @_req
   arguments: (arguments . (string (string_fragment) @module)))))] @import (#eq? @_req "require"))
"""
# Imports: @import is the statement, @module the module/header/path inside it.
_IMPORTS: dict[str, str] = {
    "python": """
(import_statement name: [(dotted_name) @module (aliased_import name: (dotted_name) @module)]) @import
(import_from_statement module_name: [(dotted_name) (relative_import)] @module
  name: [(dotted_name) @name (aliased_import name: (dotted_name) @name)]) @import
(import_from_statement module_name: [(dotted_name) (relative_import)] @module (wildcard_import)) @import
""",
    "javascript": _JS_IMPORTS,
    "typescript": _JS_IMPORTS,
    "java": "(import_declaration (_) @module) @import",
    "c": "(preproc_include path: (_) @module) @import",
    "cpp": "(preproc_include path: (_) @module) @import",
    "go": "(import_spec path: (_) @module) @import",
    "rust": "(use_declaration argument: (_) @module) @import",
    "csharp": "(using_directive (_) @module) @import",
    "kotlin": "(import_header (identifier) @module) @import",
    "scala": "(import_declaration path: (_) @module) @import",
    "swift": "(import_declaration (identifier) @module) @import",
    "ruby": """
((call method: (identifier) @_req arguments: (argument_list . (string (string_content) @module)))
 @import (#match? @_req "^require"))
""",
    "lua": """
((function_call name: (identifier) @_req arguments: (arguments . (string content: (_) @module)))
 @import (#eq? @_req "require"))
""",
    "php": "[(include_expression (_) @module) (require_expression (_) @module) (require_once_expression (_) @module)"
           " (include_once_expression (_) @module) (namespace_use_clause (_) @module)] @import",
}

_JS_CALLS = "[(call_expression function: (identifier) @callee) (new_expression constructor: (identifier) @callee)]"
# Calls of a bare name (not a method or attribute): @callee.
_CALLS: dict[str, str] = {
    "python": "(call function: (identifier) @callee)",
    "javascript": _JS_CALLS,
    "typescript": _JS_CALLS,
    "java": "[(method_invocation !object name: (identifier) @callee) (object_creation_expression"
            " type: (type_identifier) @callee)]",
    "c": "(call_expression function: (identifier) @callee)",
    "cpp": "(call_expression function: (identifier) @callee)",
    "go": "(call_expression function: (identifier) @callee)",
    "rust": "[(call_expression function: (identifier) @callee) (macro_invocation macro: (identifier) @callee)]",
    "csharp": "[(invocation_expression function: (identifier) @callee) (object_creation_expression"
              " type: (identifier) @callee)]",
    "kotlin": "(call_expression (simple_identifier) @callee)",
    "scala": "(call_expression function: (identifier) @callee)",
    "swift": "(call_expression (simple_identifier) @callee)",
    "ruby": "(call !receiver method: (identifier) @callee)",
    "lua": "(function_call name: (identifier) @callee)",
    "php": "(function_call_expression function: (name) @callee)",
    "bash": "(command name: (command_name (word) @callee))",
    "r": "(call function: (identifier) @callee)",
}

_QUERY_TABLES = {"definitions": _DEFINITIONS, "imports": _IMPORTS, "calls": _CALLS}


@cache
def _query(language: str, purpose: str) -> Query | None:
    source = _QUERY_TABLES[purpose].get(language)
    if source is None:
        return None
    return Query(tree_sitter_language_pack.get_language(_grammar(language).grammar), source)


def _result(code: str, language: str, result: ParseResult | None) -> ParseResult:
    return result if result is not None else parse(code, language)


def _matches(result: ParseResult, purpose: str) -> list[dict[str, list[Node]]]:
    query = _query(result.language, purpose)
    if query is None:
        return []
    return [captures for _, captures in QueryCursor(query).matches(result.tree.root_node)]


# Nodes that wrap a definition and belong to it (decorators, `export`, templates).
_WRAPPERS = {"decorated_definition", "export_statement", "template_declaration"}
# Siblings before a definition that belong to it (Rust attributes, Java/C# annotations on their own).
_ATTACHED = {"attribute_item", "attribute_list", "decorator", "annotation", "marker_annotation"}


# Function nodes that are methods wherever they stand (a Go method is declared outside its type).
_METHOD_TYPES = {"method_declaration", "method_definition", "singleton_method"}


def _is_comment(node: Node) -> bool:
    return "comment" in node.type


def _leading_comments(node: Node) -> Node | None:
    """The first of the comments directly above `node` (no blank line between), if any."""
    first = None
    current = node
    prev = node.prev_sibling
    while prev is not None and (_is_comment(prev) or prev.type in _ATTACHED) \
            and current.start_point[0] - prev.end_point[0] <= 1:
        if _is_comment(prev):
            first = prev
        current = prev
        prev = prev.prev_sibling
    return first


def _python_docstring(node: Node) -> str | None:
    body = node.child_by_field_name("body")
    if body is None or body.named_child_count == 0:
        return None
    first = body.named_children[0]
    # This grammar puts a docstring straight into the block; older ones wrap it in expression_statement.
    if first.type == "expression_statement" and first.named_child_count == 1:
        first = first.named_children[0]
    if first.type == "string":
        return _strip_string((first.text or b"").decode("utf-8", "replace"))
    return None


def _strip_string(literal: str) -> str:
    text = literal.lstrip("rRbBuUfF")
    for quote in ('"""', "'''", '"', "'"):
        if text.startswith(quote) and text.endswith(quote) and len(text) >= 2 * len(quote):
            return text[len(quote):-len(quote)].strip()
    return text.strip()


def _strip_comment(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = line.strip()
        for mark in ("/**", "/*!", "/*", "*/", "///", "//!", "//", "--[[", "]]", "--", "#", "*"):
            if line.startswith(mark):
                line = line[len(mark):]
                break
        line = line.removesuffix("*/").strip()
        lines.append(line)
    return "\n".join(lines).strip()


def definitions(code: str, language: str, *, result: ParseResult | None = None) -> list[Definition]:
    """Functions, methods and classes in `code`, in document order, with their docs."""
    result = _result(code, language, result)
    offsets = _Offsets(code, _encode(code))
    found: dict[int, tuple[Node, str, Node]] = {}
    for captures in _matches(result, "definitions"):
        kind = "class" if "class" in captures else "function"
        node = captures[kind][0]
        name = captures["name"][0]
        # Several patterns (or several @name children, as in Kotlin) may match one node: keep the first name.
        if node.id not in found or name.start_byte < found[node.id][2].start_byte:
            found[node.id] = (node, kind, name)
    class_ids = {node.id for node, kind, _ in found.values() if kind == "class"}
    out = []
    for node, kind, name in sorted(found.values(), key=lambda item: item[0].start_byte):
        outer = node
        while outer.parent is not None and outer.parent.type in _WRAPPERS:
            outer = outer.parent
        if kind == "function" and (node.type in _METHOD_TYPES or _enclosing_definition(node, found) in class_ids):
            kind = "method"
        comment = _leading_comments(outer)
        attached = outer
        while attached.prev_sibling is not None and attached.prev_sibling.type in _ATTACHED \
                and attached.start_point[0] - attached.prev_sibling.end_point[0] <= 1:
            attached = attached.prev_sibling
        span = offsets.span(outer)
        if attached is not outer:
            start = offsets.span(attached)
            span = Span(start.start, span.end, start.start_line, span.end_line)
        doc = _python_docstring(node) if result.language == "python" else None
        if doc is None and comment is not None:
            doc = _strip_comment(code[offsets.char(comment.start_byte):span.start]) or None
        doc_start = offsets.char(comment.start_byte) if comment is not None else span.start
        doc_line = comment.start_point[0] + 1 if comment is not None else span.start_line
        out.append(Definition(kind=kind, name=(name.text or b"").decode("utf-8", "replace"), span=span,
                              doc_start=doc_start, doc_start_line=doc_line, docstring=doc, node_type=node.type,
                              has_error=outer.has_error))
    return out


def _enclosing_definition(node: Node, found: dict[int, tuple[Node, str, Node]]) -> int | None:
    parent = node.parent
    while parent is not None:
        if parent.id in found:
            return parent.id
        parent = parent.parent
    return None


_BLOCK_TYPES = {
    "block", "statement_block", "compound_statement", "body_statement", "braced_expression", "function_body",
    "constructor_body", "do_block", "class_body", "declaration_list", "switch_body", "switch_block",
    "statement_list", "statements", "template_body", "field_declaration_list", "enum_body",
}
_EXPRESSION_TYPES = {"call", "binary_operator", "comparison_operator", "boolean_operator", "function_call",
                     "conditional_expression", "lambda", "arrow_function", "list_comprehension"}


def _any_kind_query(language: str, wanted: Callable[[str], bool], capture: str) -> Query | None:
    """One query capturing every node of the grammar's visible named kinds that `wanted` accepts, so
    the tree walk happens in C. Supertypes (`expression`) are left out: their subtypes are there."""
    grammar = tree_sitter_language_pack.get_language(_grammar(language).grammar)
    supertypes = {grammar.node_kind_for_id(i) for i in grammar.supertypes}
    kinds = set()
    for kind_id in range(grammar.node_kind_count):
        kind = grammar.node_kind_for_id(kind_id)
        if (kind and kind not in supertypes and grammar.node_kind_is_named(kind_id)
                and grammar.node_kind_is_visible(kind_id) and wanted(kind)):
            kinds.add(kind)
    if not kinds:
        return None
    return Query(grammar, "[" + " ".join(f"({kind})" for kind in sorted(kinds)) + f"] @{capture}")


@cache
def _unit_query(language: str) -> Query | None:
    return _any_kind_query(language, lambda kind: _unit_kind_of_type(kind) is not None, "unit")


def _unit_kind_of_type(t: str) -> str | None:
    if t in _BLOCK_TYPES:
        return "block"
    if t.endswith("statement") or t in {"return", "if", "while", "for", "assignment"}:
        return "statement"
    if t.endswith("expression") or t in _EXPRESSION_TYPES:
        return "expression"
    return None


def syntactic_units(code: str, language: str, *, result: ParseResult | None = None) -> list[Unit]:
    """Candidate FIM middles: function bodies, blocks, statements and expressions, in document order.

    Nodes containing parse errors are left out.
    """
    result = _result(code, language, result)
    offsets = _Offsets(code, _encode(code))
    bodies = set()
    for captures in _matches(result, "definitions"):
        if "function" in captures:
            body = captures["function"][0].child_by_field_name("body")
            if body is not None:
                bodies.add(body.id)
    query = _unit_query(result.language)
    nodes = QueryCursor(query).captures(result.tree.root_node).get("unit", []) if query else []
    units, seen = [], set()
    # node.type breaks ties between nested nodes of one span, so a seed always picks the same middle.
    for node in sorted(nodes, key=lambda n: (n.start_byte, -n.end_byte, n.type)):
        if node.has_error or node.end_byte <= node.start_byte or node.parent is None or node.id in seen:
            continue
        seen.add(node.id)
        kind = "function_body" if node.id in bodies else _unit_kind_of_type(node.type)
        units.append(Unit(kind=kind, node_type=node.type, span=offsets.span(node)))
    return units


def imports(code: str, language: str, *, result: ParseResult | None = None) -> list[Import]:
    """The modules, headers or files `code` imports, in document order."""
    result = _result(code, language, result)
    offsets = _Offsets(code, _encode(code))
    found: dict[int, Import] = {}
    for captures in _matches(result, "imports"):
        statement = captures["import"][0]
        span = offsets.span(statement)
        names = tuple((n.text or b"").decode("utf-8", "replace") for n in captures.get("name", []))
        for module in captures.get("module", []):
            text = code[offsets.char(module.start_byte):offsets.char(module.end_byte)].strip("\"'<>`")
            previous = found.get(module.start_byte)
            # `from m import a, b` matches once per name: gather them. `const x = require("m")` matches
            # as a call and as a declaration: keep the declaration, which shows the bound name.
            if previous is not None:
                names = previous.names + names
                if previous.span.end - previous.span.start > span.end - span.start:
                    span = previous.span
            found[module.start_byte] = Import(module=text, statement=code[span.start:span.end].strip(), span=span,
                                              names=tuple(dict.fromkeys(names)))
    return sorted(found.values(), key=lambda imp: imp.span.start)


# Identifier kinds that name members (`x.field`, `{key: v}`), not things in scope.
_MEMBER_IDENTIFIERS = {"field_identifier", "property_identifier", "shorthand_property_identifier",
                       "shorthand_property_identifier_pattern", "private_property_identifier"}


@cache
def _identifier_query(language: str) -> Query | None:
    return _any_kind_query(language, lambda kind: kind not in _MEMBER_IDENTIFIERS and (
        kind.endswith("identifier") or kind in ("constant", "word")), "name")


def identifier_names(code: str, language: str, *, result: ParseResult | None = None) -> set[str]:
    """Names that occur as identifiers or type names in `code` (not in comments or strings, not as
    `x.member`)."""
    result = _result(code, language, result)
    query = _identifier_query(result.language)
    if query is None:
        return set()
    nodes = QueryCursor(query).captures(result.tree.root_node).get("name", [])
    return {(node.text or b"").decode("utf-8", "replace") for node in nodes}


def called_names(code: str, language: str, *, result: ParseResult | None = None) -> set[str]:
    """Names called bare (`f(x)`, `new Foo()`, `println!`), not as methods or attributes."""
    result = _result(code, language, result)
    query = _query(result.language, "calls")
    if query is None:
        return set()
    nodes = QueryCursor(query).captures(result.tree.root_node).get("callee", [])
    return {(node.text or b"").decode("utf-8", "replace") for node in nodes}


# -- what a function computes ---------------------------------------------------------------------
_PARAMETER_LISTS = {"parameters", "formal_parameters", "parameter_list"}
_CALLS = {"call", "call_expression"}
#: Nodes whose `object` (or C++ `argument`) is what a method or member is taken from.
_MEMBER_ACCESS = {"attribute": "object", "member_expression": "object", "field_expression": "argument"}
_NOT_WORK = {"import_statement", "import_from_statement", "future_import_statement"}


def nothing_to_compute(code: str, language: str) -> str | None:
    """Why the first function in `code` gives a task nothing to compute, or None: it takes no
    arguments (a constant, a global's value), uses none of them, or its one statement hands them on
    to another function with no operator applied (`return Parser(*args).parsestr(s)`,
    `chalk.bold(s)`, `max(xs)`, `std::accumulate(c.begin(), c.end(), 0)`: the task would be that
    function's). A call on an argument itself (`s.split(',')`) or on values an operator computed
    from them (`max(a * 2, b)`) computes."""
    result = parse(code, language)
    match = next((c for c in _matches(result, "definitions") if "function" in c), None)
    if match is None:
        return None
    function = match["function"][0]
    if function.type == "lexical_declaration":  # `const f = (a) => ...`: the arrow function itself
        value = next((d.child_by_field_name("value") for d in function.named_children
                      if d.type == "variable_declarator"), None)
        function = value if value is not None else function
    body = function.child_by_field_name("body")
    if body is None:
        return None
    single = function.child_by_field_name("parameter")  # an arrow function's one bare parameter
    lists = [single] if single is not None else [n for n in _descendants(function, stop=body)
                                                 if n.type in _PARAMETER_LISTS][:1]
    parameters = {_text(n) for plist in lists for n in [plist, *_descendants(plist)] if n.type == "identifier"}
    if not parameters:
        return "it takes no arguments"
    if not parameters & {_text(n) for n in [body, *_descendants(body)] if n.type == "identifier"}:
        return "it uses none of its arguments"
    statements = [body]
    if body.type.endswith(("block", "statement")):  # else an arrow function's expression body
        inner = body.named_children
        if len(inner) == 1 and inner[0].type == "statement_list":  # Go wraps a block's statements
            inner = inner[0].named_children
        statements = [n for n in inner if not _is_comment(n) and n.type not in _NOT_WORK and not _is_docstring(n)]
    if len(statements) != 1:
        return None
    expression = statements[0]
    if expression.type in ("return_statement", "expression_statement") and expression.named_child_count == 1:
        expression = expression.named_children[0]
    if expression.type == "expression_list" and expression.named_child_count == 1:  # Go's `return f(a)`
        expression = expression.named_children[0]
    callee = root = expression.child_by_field_name("function") if expression.type in _CALLS else None
    while root is not None and (root.type in _CALLS or root.type in _MEMBER_ACCESS):
        if root.type in _CALLS and _computes(root.child_by_field_name("arguments")):
            return None
        root = root.child_by_field_name("function" if root.type in _CALLS else _MEMBER_ACCESS[root.type])
    if callee is None or _computes(expression.child_by_field_name("arguments")) \
            or (root is not None and root.type == "identifier" and _text(root) in parameters):
        return None
    return f"it only calls {_text(callee)}"


#: Node types that compute a value from others (operators, conditionals, indexing, comprehensions):
#: arguments with one of them do work before they are handed on (`max(a * 2, b)`).
_COMPUTING = {"binary_operator", "binary_expression", "comparison_operator", "boolean_operator", "unary_operator",
              "unary_expression", "not_operator", "conditional_expression", "ternary_expression", "subscript",
              "subscript_expression", "list_comprehension", "set_comprehension", "dictionary_comprehension",
              "generator_expression", "lambda", "arrow_function", "update_expression", "template_string"}


def _computes(arguments: Node | None) -> bool:
    return arguments is not None and any(n.type in _COMPUTING for n in _descendants(arguments))


def _is_docstring(node: Node) -> bool:
    return node.type == "string" or (node.type == "expression_statement" and node.named_child_count == 1
                                     and node.named_children[0].type == "string")


def _descendants(node: Node, *, stop: Node | None = None) -> Iterator[Node]:
    """Every named node under `node`, depth first, without entering `stop`."""
    for child in node.named_children:
        if stop is not None and child.id == stop.id:
            continue
        yield child
        yield from _descendants(child, stop=stop)


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")
