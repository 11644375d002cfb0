"""Shared fixtures: the prepared bundled model (once per session) and temp dirs."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def bundled_model() -> Path:
    """The bundled SmolLM2-135M-Instruct as an HF folder, prepared once into the user cache."""
    from coderforge.models import prepare_bundled

    return prepare_bundled()
