"""parse_python: a second try on CPython 3.11's spurious AST recursion-depth SystemError, nothing else."""

from __future__ import annotations

import ast

import pytest

from coderforge.code import python_ast
from coderforge.code.python_ast import parse_python


def _failing_once(message: str):
    real = ast.parse
    calls = []

    def parse(text: str) -> ast.Module:
        calls.append(text)
        if len(calls) == 1:
            raise SystemError(message)
        return real(text)

    return parse, calls


def test_retries_the_recursion_depth_mismatch(monkeypatch: pytest.MonkeyPatch) -> None:
    parse, calls = _failing_once("AST constructor recursion depth mismatch (before=129, after=72)")
    monkeypatch.setattr(python_ast.ast, "parse", parse)
    tree = parse_python("import os\n")
    assert isinstance(tree.body[0], ast.Import)
    assert len(calls) == 2


def test_other_errors_pass_through(monkeypatch: pytest.MonkeyPatch) -> None:
    parse, calls = _failing_once("some other internal error")
    monkeypatch.setattr(python_ast.ast, "parse", parse)
    with pytest.raises(SystemError, match="some other"):
        parse_python("x = 1\n")
    assert len(calls) == 1
    monkeypatch.undo()
    with pytest.raises(SyntaxError):
        parse_python("def f(:\n")
