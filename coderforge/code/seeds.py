"""Seed extraction: functions, methods and classes with their docstrings or comments, within token
bounds, exact-deduplicated, with path, line span and a self-containedness verdict."""

from __future__ import annotations

import hashlib
import logging
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coderforge.code.config import SeedConfig
from coderforge.code.corpus import SkipCounter, iter_sources
from coderforge.code.selfcontained import check_self_contained, file_context
from coderforge.code.syntax import Definition, definitions, nothing_to_compute, parse
from coderforge.code.tokens import TokenCounter
from coderforge.io import JsonlAppender

__all__ = ["SeedReport", "extract_seeds", "run_seeds", "seed_id"]

log = logging.getLogger(__name__)


#: C and C++ names reserved to the implementation (a standard library's internals).
_RESERVED = re.compile(r"_[_A-Z]|.*::_[_A-Z]")
#: What a function touching the world outside its arguments uses.
_OUTSIDE = re.compile(
    r"\b(?:open|print|input|os|sys|io|subprocess|socket|shutil|pathlib|tty|pty|fs|process|require|fetch|"
    r"http|https|net|child_process|console|window|document|printf|fprintf|fopen|cout|cerr|cin|getline|"
    r"exit|abort|thread|mutex|async|await)\b")
#: What a function whose result changes from call to call uses (a clock, a random source).
_UNSTEADY = re.compile(r"\b(?:random|rand|srand|monotonic|perf_counter|uuid\d?|chrono|clock)\b|\bDate\.now\b|"
                       r"\bnew Date\(\)|\btime\.time\b|\b(?:datetime|date)\.(?:now|today|utcnow)\b")
#: A return with a value, or a JavaScript arrow function's expression body.
_RETURNS = re.compile(r"\breturn\b[ \t]*[^\s;}]|=>\s*[^\s{]")
#: A C++ member by its usual spelling (`data_`, `m_size`), a name reserved to the implementation
#: (`_M_impl`, `__i`), or a method's `const` or `operator`: code of a class, not a free function.
_MEMBER = re.compile(r"\b(?:\w+_|m_\w+|_[_A-Z]\w*|operator)\b|\)\s*const\b")
_JS_TOP_LEVEL = re.compile(r"^(?:export\s+)?(?:const|let|var)\s+([\w$]+)", re.M)


def _testable(code: str, language: str, definition: Definition, self_contained: bool, file_text: str) -> bool:
    """See SeedConfig.testable."""
    if not self_contained or definition.kind != "function" or _OUTSIDE.search(code) or _UNSTEADY.search(code) \
            or not _RETURNS.search(code) or nothing_to_compute(code, language):
        return False
    if language in ("c", "cpp"):
        return not _RESERVED.match(definition.name) and not _MEMBER.search(code)
    if language in ("javascript", "typescript"):
        own = {definition.name}
        return not any(re.search(rf"(?<![\w$.]){re.escape(name)}(?![\w$])", code)
                       for name in set(_JS_TOP_LEVEL.findall(file_text)) - own)
    return True


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
        if config.testable and not _testable(code, language, definition, verdict.self_contained, text):
            skipped.skip("not_testable", f"{path}:{definition.span.start_line}")
            continue
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
                sink.append(seed)
                report.written += 1
                report.self_contained += seed["self_contained"]
                report.per_language[item.language] = report.per_language.get(item.language, 0) + 1
    log.info("seeds: %d files, %d written, %d duplicates", report.files, report.written, report.duplicates)
    return report
