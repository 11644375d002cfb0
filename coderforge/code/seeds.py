"""Seed extraction: functions, methods and classes with their docstrings or comments, within token
bounds, exact-deduplicated, with path, line span and a self-containedness verdict."""

from __future__ import annotations

import hashlib
import logging
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coderforge.code.config import SeedConfig
from coderforge.code.corpus import SkipCounter, iter_sources
from coderforge.code.jsonl import JsonlAppender
from coderforge.code.parsing import Definition, definitions, parse
from coderforge.code.selfcontained import check_self_contained, file_context
from coderforge.code.tokens import TokenCounter

__all__ = ["SeedReport", "extract_seeds", "run_seeds", "seed_id"]

log = logging.getLogger(__name__)


def seed_id(code: str) -> str:
    """Content id: equal code (ignoring trailing whitespace on lines) gives equal ids."""
    normal = "\n".join(line.rstrip() for line in code.strip("\n").splitlines())
    return hashlib.sha1(normal.encode("utf-8", "replace")).hexdigest()[:16]


def _definition_code(text: str, definition: Definition) -> str:
    """The definition with its leading comments, dedented; from the line start when only
    indentation precedes it there."""
    start = definition.doc_start
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip():
        start = line_start
    return textwrap.dedent(text[start:definition.span.end])


def extract_seeds(text: str, language: str, *, path: str, counter: TokenCounter, config: SeedConfig,
                  skipped: SkipCounter) -> list[dict[str, Any]]:
    """Seed records from one file's text (reasons for definitions left out go to `skipped`)."""
    result = parse(text, language)
    context = file_context(text, language)
    seeds = []
    for definition in definitions(text, language, result=result):
        if definition.has_error:
            skipped.skip("syntax_error", f"{path}:{definition.span.start_line}")
            continue
        if definition.kind not in config.kinds:
            skipped.skip(f"kind_{definition.kind}", f"{path}:{definition.span.start_line}")
            continue
        if config.require_doc and not definition.docstring:
            skipped.skip("no_doc", f"{path}:{definition.span.start_line}")
            continue
        code = _definition_code(text, definition)
        tokens = counter.count(code)
        if tokens < config.min_tokens:
            skipped.skip("too_few_tokens", f"{path}:{definition.span.start_line}")
            continue
        if tokens > config.max_tokens:
            skipped.skip("too_many_tokens", f"{path}:{definition.span.start_line}")
            continue
        verdict = check_self_contained(code, language, context=context, method=definition.kind == "method")
        seeds.append({
            "id": seed_id(code), "language": language, "path": path,
            "start_line": definition.doc_start_line, "end_line": definition.span.end_line,
            "code": code, "name": definition.name, "kind": definition.kind, "docstring": definition.docstring,
            "tokens": tokens, "self_contained": verdict.self_contained, "needs": verdict.needs,
            "imports": verdict.imports, "parses": parse(code, language).ok,
        })
    return seeds


@dataclass
class SeedReport:
    files: int = 0
    written: int = 0
    duplicates: int = 0
    self_contained: int = 0
    skipped: SkipCounter = field(default_factory=SkipCounter)
    per_language: dict[str, int] = field(default_factory=dict)


def run_seeds(corpus: Path, out: Path, *, config: SeedConfig, counter: TokenCounter,
              language: str | None = None, progress: Callable[[str], None] | None = None) -> SeedReport:
    """Extract seeds from every source file under `corpus` into `out` (appending; a rerun adds
    only seeds not already there, so an interrupted run resumes). `progress` is told each file."""
    report = SeedReport()
    with JsonlAppender(out) as sink:
        for item, text in iter_sources(corpus, language=language, max_bytes=config.max_file_bytes,
                                       skipped=report.skipped, progress=progress):
            report.files += 1
            for seed in extract_seeds(text, item.language, path=item.rel, counter=counter, config=config,
                                      skipped=report.skipped):
                if seed["id"] in sink:
                    report.duplicates += 1
                    continue
                sink.write(seed)
                report.written += 1
                report.self_contained += seed["self_contained"]
                report.per_language[item.language] = report.per_language.get(item.language, 0) + 1
    log.info("seeds: %d files, %d written, %d duplicates", report.files, report.written, report.duplicates)
    return report
