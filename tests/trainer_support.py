"""Helpers shared by the trainer tests."""

from __future__ import annotations

import json
from pathlib import Path

from coderforge.trainer.common import DONE_MARKER


def loss_curve(out: Path) -> list[float]:
    """Training losses logged in a finished stage's trainer_state.json, in step order."""
    state = json.loads((out / DONE_MARKER).read_text())
    return [e["loss"] for e in state["log_history"] if "loss" in e]
