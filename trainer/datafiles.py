"""Reading what `coderforge generate` writes: conversational SFT records (`messages`) and preference
pairs (`prompt`/`chosen`/`rejected`), validated with errors that name the file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coderforge.errors import CoderforgeError
from coderforge.io import RecordError, read_numbered_jsonl

ROLES = {"system", "user", "assistant"}


class DataError(CoderforgeError, ValueError):
    """A training data file holds a record of the wrong shape."""


def _records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        for n, record in read_numbered_jsonl(path):
            yield f"{path}:{n}", record
    except RecordError as e:
        raise DataError(str(e)) from e


def check_messages(value: Any, *, where: str, field: str) -> list[dict[str, str]]:
    """A list of {role, content} turns with known roles and string content."""
    if not isinstance(value, list) or not value:
        raise DataError(f"{where}: `{field}` must be a non-empty list of messages")
    for i, m in enumerate(value):
        if not isinstance(m, dict) or m.get("role") not in ROLES or not isinstance(m.get("content"), str):
            raise DataError(f"{where}: `{field}[{i}]` must be {{role: system|user|assistant, content: string}}, "
                            f"got {json.dumps(m)[:120]}")
    return [{"role": m["role"], "content": m["content"]} for m in value]


def is_raw_fim(record: dict[str, Any]) -> bool:
    """A FIM document (pretraining text), not a chat: `coderforge generate` writes these as
    `kind: fim` with `messages: null`, `coderforge fim` as records without `messages`."""
    return record.get("kind") == "fim" or "messages" not in record


def read_conversations(files: list[Path], *, skip_raw_fim: bool = False) -> list[list[dict[str, str]]]:
    """The `messages` of every record; each must end with an assistant turn.

    `skip_raw_fim` skips raw FIM documents: FIM files mix them with FIM instruction chats
    (`kind: fim_instruction`), and only the chats are SFT data.
    """
    out = []
    for path in files:
        for where, record in _records(path):
            if skip_raw_fim and is_raw_fim(record):
                continue
            if "messages" not in record:
                raise DataError(f"{where}: no `messages` field (trl conversational format expected)")
            messages = check_messages(record["messages"], where=where, field="messages")
            if messages[-1]["role"] != "assistant":
                raise DataError(f"{where}: the last message must be the assistant's answer")
            out.append(messages)
    return out


def read_preferences(files: list[Path]) -> list[dict[str, list[dict[str, str]]]]:
    """Conversational preference pairs: a prompt and one assistant message each for chosen/rejected."""
    out = []
    for path in files:
        for where, record in _records(path):
            missing = [k for k in ("prompt", "chosen", "rejected") if k not in record]
            if missing:
                raise DataError(f"{where}: missing {', '.join(missing)} (prompt/chosen/rejected expected)")
            pair = {k: check_messages(record[k], where=where, field=k) for k in ("prompt", "chosen", "rejected")}
            for k in ("chosen", "rejected"):
                if [m["role"] for m in pair[k]] != ["assistant"]:
                    raise DataError(f"{where}: `{k}` must be exactly one assistant message")
            if pair["chosen"][0]["content"] == pair["rejected"][0]["content"]:
                raise DataError(f"{where}: chosen and rejected are the same text")
            out.append(pair)
    return out
