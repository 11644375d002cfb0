"""Token counting for budgets and bounds, with a real tokenizer: the bundled model's by default, or
any Hugging Face tokenizer folder. Uses the `tokenizers` library directly (no transformers
import), which loads in milliseconds and gives character offsets."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from tokenizers import Tokenizer

from coderforge.errors import CoderforgeError

__all__ = ["TokenCounter", "load_token_counter"]


class TokenizerNotFoundError(CoderforgeError, FileNotFoundError):
    """The configured tokenizer folder has no tokenizer.json."""


class TokenCounter:
    """Counts tokens and tells where each token starts, in characters."""

    def __init__(self, tokenizer: Tokenizer, *, name: str = "") -> None:
        self._tokenizer = tokenizer
        self.name = name
        # Several FIM samples are cut from one file: keep the last few files' token offsets.
        self._starts: OrderedDict[str, list[int]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_transformers(cls, tokenizer: object) -> TokenCounter:
        """Wrap a transformers fast tokenizer (what the trainer already holds)."""
        backend = getattr(tokenizer, "backend_tokenizer", None)
        if not isinstance(backend, Tokenizer):
            raise TypeError(f"need a fast (Rust-backed) tokenizer, got {type(tokenizer).__name__}")
        return cls(backend, name=getattr(tokenizer, "name_or_path", ""))

    def count(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def token_starts(self, text: str) -> list[int]:
        """Character offset where each token of `text` starts (non-decreasing)."""
        with self._lock:
            if text in self._starts:
                self._starts.move_to_end(text)
                return self._starts[text]
        starts = [start for start, _ in self._tokenizer.encode(text, add_special_tokens=False).offsets]
        with self._lock:
            self._starts[text] = starts
            if len(self._starts) > 8:
                self._starts.popitem(last=False)
        return starts


def load_token_counter(name: str = "bundled") -> TokenCounter:
    """`bundled` (the bundled model's tokenizer, prepared on first use) or a tokenizer folder/file."""
    if name == "bundled":
        from coderforge.models import BUNDLED, prepare

        path = prepare(BUNDLED) / "tokenizer.json"
    else:
        path = Path(name).expanduser()
        if path.is_dir():
            path = path / "tokenizer.json"
    if not path.is_file():
        raise TokenizerNotFoundError(f"no tokenizer at {path}: give a Hugging Face tokenizer folder "
                                     "(with tokenizer.json) or `bundled`")
    return TokenCounter(Tokenizer.from_file(str(path)), name=name)
