"""coderforge: synthetic post-training data for code LLMs, and the trainer that uses it."""

__version__ = "0.1.0"

# The top-level config imports the parts' config sections, which subclass its Section: loading it
# first, whichever part a caller imports first, keeps that import order free of cycles.
import coderforge.config  # noqa: F401
