"""Prompt templates per role and language (package data), and their loader."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load(name: str) -> Any:
    """The parsed prompts/<name>.yaml (shared between callers: never change it)."""
    return yaml.safe_load(resources.files(__name__).joinpath(f"{name}.yaml").read_text())
