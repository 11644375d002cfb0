"""Prompt templates per role (package data in coderforge.prompts) and per-language notes, rendered
into chat messages with a hash of exactly the text that made them (recorded on every sample)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template
from typing import Any

import yaml

from coderforge import prompts
from coderforge.languages import get_language

ROLES = ("concepts", "instruction", "review", "revise", "tests", "solution", "repair", "adapt")


@dataclass(frozen=True)
class LanguageNotes:
    name: str
    display: str
    fence: str
    tests_style: str | None
    """How the test writer writes tests the sandbox harness counts (coderforge.sandbox.harness);
    None for a language without a harness."""
    solution_style: str
    """How a solution-only answer looks (what the harness places before the tests)."""


@dataclass(frozen=True)
class Rendered:
    messages: list[dict[str, str]]
    prompt_hash: str
    """sha256 (12 hex) of the role's template and the language notes it used."""


@cache
def _template(role: str) -> dict[str, str]:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    data = prompts.load(role)
    return {key: data[key] for key in ("system", "shot", "user") if key in data}


@cache
def language_notes(language: str) -> LanguageNotes:
    lang = get_language(language)
    every = prompts.load("languages")
    notes = {**every["default"], **every.get(lang.name, {})}
    tests_style = notes.get("tests_style")
    return LanguageNotes(lang.name, lang.display, notes.get("fence", lang.name),
                         " ".join(tests_style.split()) if tests_style else None,
                         " ".join(notes["solution_style"].split()))


def _hash(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:12]


def render(role: str, language: str, *, shots: Sequence[str] = (), **fields: str) -> Rendered:
    """Fill the role's template for `language`; `fields` are the role's own placeholders. `shots` are
    example answers, given as earlier turns of the chat (each answering the template's `shot`
    request), so a small model sees the form of the answer instead of continuing a list.

    Substituted values are not re-parsed, so code full of `$` and braces is safe.
    """
    template = _template(role)
    notes = language_notes(language)
    values = {"display": notes.display, "fence": notes.fence, "tests_style": notes.tests_style or "",
              "solution_style": notes.solution_style, **fields}
    if shots and "shot" not in template:
        raise ValueError(f"the {role} prompt takes no example answers")
    request = Template(template.get("shot", "")).substitute(values)
    messages = [{"role": "system", "content": Template(template["system"]).substitute(values)}]
    for shot in shots:
        messages += [{"role": "user", "content": request}, {"role": "assistant", "content": shot.strip()}]
    messages.append({"role": "user", "content": Template(template["user"]).substitute(values)})
    return Rendered(messages, _hash(role, template, notes.fence, notes.tests_style, notes.solution_style))


def own_text(role: str, language: str) -> str:
    """The role's user prompt for `language` with its task-specific fields (seed code, the task
    under review...) left empty: the words an answer should not echo."""
    notes = language_notes(language)
    fields = {"display": notes.display, "fence": notes.fence, "tests_style": notes.tests_style or "",
              "solution_style": notes.solution_style}
    text = _template(role)["user"]
    return Template(text).substitute({**dict.fromkeys(re.findall(r"\$(\w+)", text), ""), **fields})


def combined_hash(*hashes: str) -> str:
    """One hash for a sample made by several prompts (instruction, solution, repair...)."""
    return _hash(*hashes)


def starter_tasks(language: str, path: str | None = None) -> list[str]:
    """The starter instructions of `language`: the user's YAML file (a list of task texts) when given,
    else the set shipped in coderforge.prompts/starters (empty for a language without one)."""
    from pathlib import Path

    from coderforge.errors import ConfigError

    name = get_language(language).name
    if path is None:
        shipped = resources.files("coderforge.prompts").joinpath(f"starters/{name}.yaml")
        return list(yaml.safe_load(shipped.read_text())) if shipped.is_file() else []
    field = f"generate.starters.{name}"
    try:
        data = yaml.safe_load(Path(path).expanduser().read_text())
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"cannot read the starter file: {e}", source=str(path), path=field) from e
    if not isinstance(data, list) or not data or not all(isinstance(t, str) and t.strip() for t in data):
        raise ConfigError("expected a YAML list of non-empty task texts", source=str(path), path=field)
    return data
