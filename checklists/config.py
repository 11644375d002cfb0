"""Configuration of the checklist judge."""

from __future__ import annotations

from pydantic import Field

from coderforge.config import BackendConfig
from coderforge.section import Section


class JudgeConfig(Section):
    checklist: str | None = None
    """A checklist name (instruction, fim, debugging) or a YAML file; none: chosen per record from
    its `task` field."""
    backend: BackendConfig | None = None
    """The judge's own backend and model (a stronger judge is the usual choice); none: the run's
    `backend`."""
    max_attempts: int = Field(default=3, ge=1, le=10)
    """Tries per sample; after that many invalid answers the sample is marked judge_error."""
    retry_temperature: float = Field(default=0.7, ge=0)
    """Sampling temperature of retries (the first try is greedy, which would repeat itself)."""
    max_tokens: int = Field(default=768, ge=32)
    """Most tokens the judge may write per answer."""
    max_input_chars: int = Field(default=6000, ge=200)
    """Instruction, solution and tests are each cut to this many characters in the prompt."""
    min_total: float = Field(default=6.0, ge=1, le=10)
    """A sample passes when its weighted total (1-10) reaches this..."""
    min_scores: dict[str, int] = Field(default_factory=lambda: {"code_correctness": 5})
    """...and each criterion named here scores at least this (criteria absent from a checklist are ignored)."""
    correctness_criterion: str = "code_correctness"
    """The criterion `judge calibrate` compares with sandbox verdicts."""
    batch_size: int = Field(default=64, ge=1)
    """Samples sent to the backend together (and written out together)."""
