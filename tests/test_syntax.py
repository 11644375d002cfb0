"""tree-sitter parsing: error reports, definitions, units, imports and calls, on snippets and on
real installed sources in several languages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sources_support import real_sources

from coderforge.code.syntax import (
    _DEFINITIONS,
    _query,
    called_names,
    definitions,
    imports,
    parse,
    supported_languages,
    syntactic_units,
)
from coderforge.languages import UnknownLanguageError


def test_at_least_fifteen_languages_have_grammars_and_queries() -> None:
    langs = supported_languages()
    assert len(langs) >= 15
    for lang in langs:
        assert parse("x", lang).tree is not None
        for purpose in ("definitions", "imports", "calls"):
            _query(lang, purpose)  # compiles against the installed grammar, or raises QueryError
    assert set(_DEFINITIONS) == set(langs)


@pytest.mark.parametrize(
    ("language", "good", "bad"),
    [
        ("python", "def f(a):\n    return a\n", "def f(a:\n    return a\n"),
        ("javascript", "function f(a) { return a; }", "function f(a { return a; }"),
        ("java", "class A { int f() { return 1; } }", "class A { int f() { return 1; }"),
        ("c", "int f(void) { return 0; }", "int f(void) { return 0 }"),
        ("cpp", "template <class T> T id(T x) { return x; }", "template <class T> T id(T x) { return x; "),
        ("go", "package m\nfunc f() int { return 1 }\n", "package m\nfunc f() int { return 1 \n"),
        ("rust", "fn f() -> i32 { 1 }", "fn f() -> i32 { 1 "),
        ("ruby", "def f\n  1\nend\n", "def f\n  1\n"),
        ("php", "<?php function f() { return 1; }", "<?php function f() { return 1; "),
        ("kotlin", "fun f(): Int { return 1 }", "fun f(): Int { return 1 "),
        ("swift", "func f() -> Int { return 1 }", "func f() -> Int { return 1 "),
        ("lua", "function f() return 1 end", "function f() return 1"),
        ("csharp", "class A { int F() { return 1; } }", "class A { int F() { return 1; }"),
        ("scala", "object A { def f: Int = 1 }", "object A { def f: Int = 1 "),
        ("bash", "f() { echo hi; }\n", "f() { echo hi; \n"),
        ("typescript", "function f(a: number): number { return a; }", "function f(a: number: number { return a; }"),
    ],
)
def test_parse_reports_errors(language: str, good: str, bad: str) -> None:
    ok = parse(good, language)
    assert ok.ok and ok.error_count == 0 and ok.missing_count == 0 and ok.first_error is None
    assert ok.quality == 1.0
    broken = parse(bad, language)
    assert not broken.ok
    assert broken.error_count + broken.missing_count > 0
    assert broken.first_error and broken.first_error.startswith("line ")


def test_parse_names_the_problem_and_accepts_aliases() -> None:
    result = parse("def f(:\n  pass", "py")
    assert result.language == "python"
    assert result.first_error == "line 1, column 7: missing ')'"
    assert not parse("   \n", "python").ok
    with pytest.raises(UnknownLanguageError):
        parse("x", "klingon")


def test_definitions_with_docs_and_kinds() -> None:
    code = (
        "import os\n\n"
        "# Helper.\n"
        "@cache\n"
        "def f(a):\n"
        '    """Return a."""\n'
        "    return a\n\n"
        "class C:\n"
        "    def m(self):\n"
        "        return 1\n"
    )
    defs = definitions(code, "python")
    assert [(d.kind, d.name) for d in defs] == [("function", "f"), ("class", "C"), ("method", "m")]
    f = defs[0]
    assert code[f.span.start:f.span.end].startswith("@cache\ndef f(a):")
    assert f.docstring == "Return a."
    assert code[f.doc_start:].startswith("# Helper.")
    assert (f.doc_start_line, f.span.end_line) == (3, 7)


@pytest.mark.parametrize(
    ("language", "code", "expected"),
    [
        ("java", "/** Adds. */\nclass A {\n  /** M. */\n  @Override\n  int m(int a) { return a; }\n}\n",
         [("class", "A", "Adds."), ("method", "m", "M.")]),
        ("go", "package p\n// F does.\nfunc F() {}\nfunc (s *S) M() {}\n",
         [("function", "F", "F does."), ("method", "M", None)]),
        ("rust", "/// Doc.\n#[inline]\nfn f() {}\nimpl S { fn m(&self) {} }\n",
         [("function", "f", "Doc."), ("class", "S", None), ("method", "m", None)]),
        ("c", "/* Twice. */\nint twice(int a) { return 2 * a; }\nchar *s(void) { return 0; }\n",
         [("function", "twice", "Twice."), ("function", "s", None)]),
        ("javascript", "// Adds.\nexport function add(a, b) { return a + b; }\nconst g = (x) => x;\n",
         [("function", "add", "Adds."), ("function", "g", None)]),
        ("ruby", "# F.\ndef f(a)\n  a\nend\nclass C\n  def m; end\nend\n",
         [("function", "f", "F."), ("class", "C", None), ("method", "m", None)]),
    ],
)
def test_definitions_across_languages(language: str, code: str, expected: list) -> None:
    assert [(d.kind, d.name, d.docstring) for d in definitions(code, language)] == expected


def test_offsets_are_characters_not_bytes() -> None:
    code = 'x = "héllo wörld ✓"\ndef f():\n    return "ü"\n'
    (f,) = definitions(code, "python")
    assert code[f.span.start:f.span.end] == 'def f():\n    return "ü"'
    for unit in syntactic_units(code, "python"):
        assert code[unit.span.start:unit.span.end].strip()


def test_units_imports_and_calls() -> None:
    code = "import os\nfrom a.b import c as d\n\ndef f(x):\n    if x:\n        return g(x) + 1\n    return len(x)\n"
    kinds = {(u.kind, u.node_type) for u in syntactic_units(code, "python")}
    assert ("function_body", "block") in kinds
    assert ("statement", "if_statement") in kinds
    assert ("expression", "binary_operator") in kinds
    assert [i.module for i in imports(code, "python")] == ["os", "a.b"]
    assert called_names(code, "python") == {"g", "len"}
    assert [i.module for i in imports('#include <stdio.h>\n#include "x.h"\n', "c")] == ["stdio.h", "x.h"]
    assert [i.module for i in imports('const fs = require("fs");\nimport x from "./y";\n', "javascript")] == [
        "fs", "./y"]


@pytest.mark.parametrize("language", ["python", "javascript", "go", "java", "c", "ruby", "rust", "typescript"])
def test_real_installed_sources_parse(language: str) -> None:
    files = real_sources(language, limit=15, seed=3)
    results = [parse(f.text, language) for f in files]
    # Real library code parses cleanly almost always (C headers' macros trip the grammar sometimes).
    assert sum(r.ok for r in results) >= len(files) * (0.5 if language == "c" else 0.8)
    with_defs = [f for f, r in zip(files, results, strict=True) if r.ok and definitions(f.text, language, result=r)]
    assert with_defs, f"no definitions found in {len(files)} real {language} files"
    for f in with_defs:
        for d in definitions(f.text, language):
            assert d.name and 0 <= d.doc_start <= d.span.start < d.span.end <= len(f.text)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_byte_offsets_map_to_characters(code: str) -> None:
    """Every node boundary tree-sitter reports (bytes) maps to the character offset of the same place."""
    from coderforge.code.syntax import _encode, _Offsets

    data = _encode(code)
    offsets = _Offsets(code, data)
    stack = [parse(code, "python").tree.root_node]
    while stack:
        node = stack.pop()
        for byte in (node.start_byte, node.end_byte):
            assert len(_encode(code[:offsets.char(byte)])) == byte
        stack.extend(node.children)
