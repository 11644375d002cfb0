"""Configuration of a generate run's outputs (coderforge/outputs.py): the fine SFT split, DPO
pairs, chatml text and FIM samples. The outputs are rebuilt from the event log at the end of each
session, so these settings may change when a run is resumed."""

from __future__ import annotations

from pydantic import Field

from coderforge.section import Section


class OutputsConfig(Section):
    fine_fraction: float = Field(default=0.5, gt=0, le=1)
    """Share of accepted instructions (best-scored first, best of n each) in the fine SFT split."""
    dpo_min_margin: float = Field(default=1.0, ge=0)
    """Judge-score margin (1-10 scale) a rejected answer must trail the chosen one by when no attempt
    failed the shared tests (both pass them)."""
    dpo_pairs_per_instruction: int = Field(default=2, ge=1)
    """Most DPO pairs per instruction, each with a different rejected answer."""
    chatml: bool = False
    """Also give each SFT record its conversation as Qwen chatml `text` (else null)."""
    fim_per_source: int = Field(default=1, ge=0)
    """FIM samples built from each verified solution and each seed."""
