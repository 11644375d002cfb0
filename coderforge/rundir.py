"""A generate run folder's safety: one writer at a time (an exclusive lock that names its holder),
each session's settings appended to run.json with a fingerprint of its seed set, a damaged
graph.json set aside so the graph is rebuilt from the event log, and provenance reduced to a
listed set of fields with credentials and host paths left out."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import socket
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from coderforge.config import Config
from coderforge.errors import CoderforgeError
from coderforge.io import atomic_write_json

log = logging.getLogger(__name__)

LOCK_FILE = ".lock"
RUN_FILE = "run.json"
#: Config fields (dotted prefixes) a run's provenance keeps: what shaped its samples. Anything
#: else (corpus and cache folders, work roots, tokens' env names) stays out of funnel.json and the card.
PROVENANCE_FIELDS = (
    "backend.kind", "backend.model", "backend.endpoints",
    "generate.languages", "generate.instructions_per_language", "generate.seeds_per_language",
    "generate.candidates", "generate.repair_rounds", "generate.adapt_fraction", "generate.difficulty_mix",
    "generate.near_duplicate_threshold", "generate.seed", "generate.roles",
    "outputs.fine_fraction", "outputs.dpo_min_margin", "outputs.chatml", "outputs.fim_per_source",
    "filters.stages", "filters.dedup", "filters.decontam.ngram", "filters.decontam.min_substring_chars",
    "filters.judge.backend", "filters.judge.max_attempts", "filters.judge.min_total", "filters.judge.min_scores",
    "sandbox.backend", "sandbox.timeout_s", "sandbox.memory_mb", "sandbox.pids", "sandbox.cpus",
    "code.seeds",
)
_REDACTED = "***"


class RunLockedError(CoderforgeError):
    """Another process is writing into the same run folder."""


@contextlib.contextmanager
def run_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on `out` for the block; raise RunLockedError naming the holder.

    flock ends with its holder, so a killed run never leaves a stale lock behind. The lock file
    stays (removing it would let two later runs lock two different files).
    """
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise RunLockedError(f"{out} is in use by another generate run ({_holder(path)}); wait for it to "
                                 "end or write to another --out folder") from e
        holder = {"pid": os.getpid(), "host": socket.gethostname(),
                  "started": datetime.now(UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _holder(path: Path) -> str:
    try:
        data = json.loads(path.read_text())
        return f"pid {data['pid']} on {data['host']}, started {data['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown"


def seed_fingerprint(seed_ids: Iterable[str]) -> str:
    """A short hash of a seed set: equal sets, equal fingerprints, whatever the order."""
    return hashlib.sha256("\n".join(sorted(seed_ids)).encode()).hexdigest()[:16]


def read_run_file(out: Path) -> dict[str, Any]:
    """run.json's content ({} before the first session); a damaged file is a clear error."""
    path = out / RUN_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise CoderforgeError(f"{path} cannot be read ({e}); restore it, or write to a new --out folder") from e
    if not isinstance(data, dict) or not isinstance(data.get("config"), dict):
        raise CoderforgeError(f"{path} holds no run config; restore it, or write to a new --out folder")
    return data


def record_session(out: Path, config: Config, *, seed_ids: Iterable[str]) -> dict[str, Any]:
    """Append this session's settings and seed fingerprint to run.json; returns the session.

    The first session's config stays at the top (`config`), the one a resume is checked against;
    a resume that changes what may change (filters, sandbox, judge, pace) is recorded, not lost.
    """
    path = out / RUN_FILE
    data = read_run_file(out)
    current = config.model_dump(mode="json")
    data.setdefault("config", current)
    sessions = data.setdefault("sessions", [])
    session = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "pid": os.getpid(),
               "host": socket.gethostname(), "seeds": seed_fingerprint(seed_ids), "config": current}
    if sessions and sessions[-1]["seeds"] != session["seeds"]:
        log.warning("the seed set differs from the previous session's (%s, now %s): the corpus changed",
                    sessions[-1]["seeds"], session["seeds"])
    sessions.append(session)
    atomic_write_json(path, data)
    return session


def public_provenance(config: Config, *, models: list[str], events: int, seconds: float,
                      tokens: Mapping[str, Mapping[str, int]] | None = None) -> dict[str, Any]:
    """What a run's outputs say about how they were made: the listed config fields, with
    credentials cut from URLs and local paths reduced to their last part; `tokens`, per agent role,
    the requests and tokens of this session (roles that asked nothing are left out)."""
    flat = flatten(config.model_dump(mode="json"))
    kept = {k: _public(v) for k, v in flat.items() if k.startswith(PROVENANCE_FIELDS)}
    used = {role: dict(counts) for role, counts in (tokens or {}).items() if counts.get("requests")}
    return {"models": [_public(m) for m in models], "languages": list(config.generate.languages),
            "events": events, "seconds_this_session": round(seconds, 1), "tokens_this_session": used,
            "config": kept}


def redact_url(url: str) -> str:
    """`url` without user, password and query (where API keys ride)."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host  # IPv6
    netloc = (f"{_REDACTED}@" if parts.username or parts.password else "") + host + (
        f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, _REDACTED if parts.query else "", ""))


def _public(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_public(v) for v in value]
    if isinstance(value, str):
        if "://" in value:
            return redact_url(value)
        if value.startswith(("/", "~", "./", "../")):  # a local model folder: its name only
            return Path(value).name
    return value


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts as one dict of dotted keys (an empty dict is a value)."""
    if isinstance(data, dict) and data:
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: data}
