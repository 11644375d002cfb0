"""The languages the test harness runs and its mutants rewrite, as families: TypeScript is
JavaScript with types, C and C++ share the C family's handling."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

T = TypeVar("T")


def per_language(*, python: Callable[..., T], javascript: Callable[..., T], c_family: Callable[..., T],
                 java: Callable[..., T], go: Callable[..., T], rust: Callable[..., T], bash: Callable[..., T],
                 php: Callable[..., T], csharp: Callable[..., T]) -> dict[str, Callable[..., T]]:
    """Each language's handler, from a handler per family (TypeScript's is JavaScript's given
    `typed=True`; C's and C++'s the C family's given `language`)."""
    return {"python": python, "javascript": javascript, "typescript": partial(javascript, typed=True),
            "c": partial(c_family, language="c"), "cpp": partial(c_family, language="cpp"), "java": java, "go": go,
            "rust": rust, "bash": bash, "php": php, "csharp": csharp}
