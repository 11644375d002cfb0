"""Prompt templates per role (package data in coderforge.prompts) and per-language notes, rendered
into chat messages with a hash of exactly the text that made them (recorded on every sample)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template
from typing import Any

import yaml

from coderforge.languages import get_language

ROLES = ("concepts", "instruction", "solution", "adapt", "repair")


@dataclass(frozen=True)
class LanguageNotes:
    name: str
    display: str
    fence: str
    test_style: str
    test_markers: re.Pattern[str]
    solution_style: str
    """How an answer holding only the solution must look (the tests are written apart from it)."""
    tests_style: str | None
    """How the test writer writes the shared tests in the form the sandbox's test harness counts;
    None for a language without a harness (coderforge.sandbox.harness.supports)."""


@dataclass(frozen=True)
class Rendered:
    messages: list[dict[str, str]]
    prompt_hash: str
    """sha256 (12 hex) of the role's template and the language notes it used."""


@cache
def _template(role: str) -> dict[str, str]:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    data = yaml.safe_load(resources.files("coderforge.prompts").joinpath(f"{role}.yaml").read_text())
    return {"system": data["system"], "user": data["user"]}


@cache
def _all_notes() -> dict[str, dict[str, str]]:
    return yaml.safe_load(resources.files("coderforge.prompts").joinpath("languages.yaml").read_text())


@cache
def language_notes(language: str) -> LanguageNotes:
    lang = get_language(language)
    notes = {**_all_notes()["default"], **_all_notes().get(lang.name, {})}
    tests_style = notes.get("tests_style")
    return LanguageNotes(lang.name, lang.display, notes.get("fence", lang.name), _one_line(notes["test_style"]),
                         re.compile(notes["test_markers"]), _one_line(notes["solution_style"]),
                         _one_line(tests_style) if tests_style else None)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _hash(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:12]


def render(role: str, language: str, **fields: str) -> Rendered:
    """Fill the role's template for `language`; `fields` are the role's own placeholders.

    Substituted values are not re-parsed, so code full of `$` and braces is safe.
    """
    template = _template(role)
    notes = language_notes(language)
    values = {"display": notes.display, "fence": notes.fence, "test_style": notes.test_style,
              "solution_style": notes.solution_style, "tests_style": notes.tests_style or "", **fields}
    messages = [
        {"role": "system", "content": Template(template["system"]).substitute(values)},
        {"role": "user", "content": Template(template["user"]).substitute(values)},
    ]
    return Rendered(messages, _hash(role, template, notes.fence, notes.test_style, notes.solution_style,
                                    notes.tests_style))


def combined_hash(*hashes: str) -> str:
    """One hash for a sample made by several prompts (instruction, solution, repair...)."""
    return _hash(*hashes)
