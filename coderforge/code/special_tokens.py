"""Qwen2.5-Coder's special tokens: fill-in-the-middle, repo-level documents and chatml turns. The
FIM samples, the chatml text of SFT records and the trainer's tokenizer all spell them from here."""

from __future__ import annotations

__all__ = ["ENDOFTEXT", "FILE_SEP", "FIM_MIDDLE", "FIM_PAD", "FIM_PREFIX", "FIM_SUFFIX", "IM_END", "IM_START",
           "REPO_NAME", "SPECIAL_TOKENS"]

FIM_PREFIX = "<|fim_prefix|>"
FIM_SUFFIX = "<|fim_suffix|>"
FIM_MIDDLE = "<|fim_middle|>"
FIM_PAD = "<|fim_pad|>"
"""Qwen's padding token for FIM sequences: in the vocabulary, though the trainer's packing pads
with the tokenizer's pad token (ENDOFTEXT)."""
ENDOFTEXT = "<|endoftext|>"
REPO_NAME = "<|repo_name|>"
FILE_SEP = "<|file_sep|>"
# Qwen's chat turn markers (chatml), which share the vocabulary with the tokens above.
IM_START = "<|im_start|>"
IM_END = "<|im_end|>"

# Qwen2.5-Coder's order, so a trained vocabulary numbers them the same way relative to each other.
SPECIAL_TOKENS = (ENDOFTEXT, IM_START, IM_END, FIM_PREFIX, FIM_MIDDLE, FIM_SUFFIX, FIM_PAD, REPO_NAME, FILE_SEP)
