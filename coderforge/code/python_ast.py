"""`ast.parse`, safe to call while other threads parse too.

CPython 3.11 counts the AST constructor's recursion depth in interpreter-wide state, reset at the start
of each parse. When two threads build ASTs at once (a garbage collection inside one can hand the GIL to
the other), one of them can fail with `SystemError: AST constructor recursion depth mismatch` although
its input is fine (see python/cpython#106905 and the reports linked there). It was seen in the test
suite, with Ray's threads running beside a seed scan. The failing parse's input is fine, so it is tried
once more.
"""

from __future__ import annotations

import ast


def parse_python(text: str) -> ast.Module:
    """`ast.parse(text)`, tried twice on the spurious SystemError; SyntaxError and the rest pass through."""
    try:
        return ast.parse(text)
    except SystemError as error:
        if "recursion depth mismatch" not in str(error):
            raise
        return ast.parse(text)
