"""coderforge: synthetic post-training data for code LLMs, and the trainer that uses it."""

__version__ = "0.1.0"
