"""The base class of every config section. Each package defines its own section (llm/config.py,
sandbox/config.py, ...) on this base; coderforge/config.py composes them into the run's Config."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """Base of every config section: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)
