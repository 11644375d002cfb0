"""Configuration of code analysis: how FIM samples and seeds are built (the `code` section)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from coderforge.section import Section


class UnitWeights(Section):
    """Relative weights of the kinds of syntactic unit a FIM middle is drawn from (0 turns a kind off)."""

    function_body: float = Field(default=1.0, ge=0)
    """The whole body of a function or method."""
    block: float = Field(default=1.0, ge=0)
    """A block: a loop or branch body, a class body, a braced compound statement."""
    statement: float = Field(default=2.0, ge=0)
    """One statement (possibly compound: an `if` with its branches)."""
    expression: float = Field(default=1.0, ge=0)
    """An expression: a call, an operator expression, a lambda."""
    line_span: float = Field(default=1.0, ge=0)
    """A run of whole lines, not tied to the syntax."""

    @model_validator(mode="after")
    def _some_weight(self) -> UnitWeights:
        if not any(self.model_dump().values()):
            raise ValueError("at least one unit weight must be above 0")
        return self


class FimConfig(Section):
    random_span_rate: float = Field(default=0.5, ge=0, le=1)
    """Fraction of samples whose middle is a character-level random span (the report's baseline);
    the rest take a syntactic unit."""
    unit_weights: UnitWeights = Field(default_factory=UnitWeights)
    """How syntactic middles are chosen among kinds of unit."""
    spm_rate: float = Field(default=0.5, ge=0, le=1)
    """With order `mix`: the fraction of samples in SPM order (the rest PSM)."""
    min_middle_chars: int = Field(default=1, ge=1)
    """Shortest middle, in characters."""
    max_middle_chars: int = Field(default=2000, ge=1)
    """Longest middle, in characters (syntactic units above it are not chosen)."""
    max_middle_lines: int = Field(default=40, ge=1)
    """Most lines a syntactic or line-span middle may cover."""
    max_tokens: int | None = Field(default=4096, ge=16)
    """Context budget of one sample in tokens, special tokens included; prefix and suffix are cut
    at line boundaries to fit and the middle is kept whole. None: no truncation."""
    max_file_bytes: int = Field(default=1_000_000, ge=1)
    """Larger corpus files are skipped (reason `too_large`)."""

    @model_validator(mode="after")
    def _middle_bounds(self) -> FimConfig:
        if self.min_middle_chars > self.max_middle_chars:
            raise ValueError(f"min_middle_chars ({self.min_middle_chars}) is above max_middle_chars "
                             f"({self.max_middle_chars})")
        return self


class SeedConfig(Section):
    min_tokens: int = Field(default=16, ge=1)
    """Seeds shorter than this (in tokenizer tokens) are dropped."""
    max_tokens: int = Field(default=1024, ge=1)
    """Seeds longer than this are dropped."""
    kinds: list[Literal["function", "method", "class"]] = Field(default_factory=lambda: ["function", "method", "class"])
    """Which definitions become seeds."""
    require_doc: bool = False
    """Keep only definitions with a docstring or leading comment."""
    testable: bool = False
    """Keep only functions a task can be drawn from and tested on its own: self-contained (builtins,
    the standard library and their own names), returning a value, touching no files, processes,
    network or console, reading no variable or member of their file, not named as a C/C++
    implementation's internals (`__x`, `_X`); computing from their arguments (not a function of
    none, nor one that only hands them to another function: `return Parser(*args).parse(s)`), with
    the same result every call (no clock, no random source)."""
    max_file_bytes: int = Field(default=1_000_000, ge=1)
    """Larger corpus files are skipped (reason `too_large`)."""

    @model_validator(mode="after")
    def _token_bounds(self) -> SeedConfig:
        if self.min_tokens > self.max_tokens:
            raise ValueError(f"min_tokens ({self.min_tokens}) is above max_tokens ({self.max_tokens})")
        return self


class CodeConfig(Section):
    tokenizer: str = "bundled"
    """Tokenizer that counts tokens for budgets and bounds: `bundled` (the bundled model's) or a
    Hugging Face tokenizer folder."""
    fim: FimConfig = Field(default_factory=FimConfig)
    """Fill-in-the-middle samples (`coderforge fim`, and pretraining's FIM transform)."""
    seeds: SeedConfig = Field(default_factory=SeedConfig)
    """Seed extraction (`coderforge seeds`)."""
