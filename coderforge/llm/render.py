"""Requests to token ids, the same way for every in-process engine."""

from __future__ import annotations

from typing import Any

from coderforge.llm.base import Request


def prompt_token_ids(tokenizer: Any, request: Request) -> list[int]:
    """Chat requests go through the model's chat template (with the generation prompt); raw
    prompts are tokenized as they stand, special tokens such as <|fim_prefix|> included."""
    if request.messages is not None:
        text = tokenizer.apply_chat_template(
            [dict(m) for m in request.messages], add_generation_prompt=True, tokenize=False
        )
        # The template already wrote every special token it wants; do not add a BOS twice.
        return tokenizer(text, add_special_tokens=False)["input_ids"]
    return tokenizer(request.prompt)["input_ids"]


def cut_at_stop(text: str, stop: tuple[str, ...]) -> tuple[str, bool]:
    """Text before the first stop string (OpenAI semantics: the stop string is not included)."""
    cut = min((i for s in stop if (i := text.find(s)) >= 0), default=-1)
    return (text[:cut], True) if cut >= 0 else (text, False)
