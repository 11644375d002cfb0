"""Pretraining, coarse-to-fine SFT, offline DPO and evaluation."""

# coderforge.config imports this package's config section, which subclasses coderforge.config.Section:
# loading coderforge.config first makes either import order work.
import coderforge.config  # noqa: F401
