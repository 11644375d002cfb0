"""`coderforge fim` over a corpus directory: file-level samples, repo-level documents (one per
sub-directory) or FIM instruction samples, appended to a JSONL file. Each sample's id and random
stream derive from its file, index, seed and settings, so a rerun resumes without duplicates."""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from coderforge.code.config import FimConfig
from coderforge.code.corpus import SkipCounter, iter_sources
from coderforge.code.fim import (
    FimSkipped,
    OrderChoice,
    RepoFile,
    build_fim_sample,
    build_repo_sample,
    fim_instruction_sample,
)
from coderforge.code.tokens import TokenCounter
from coderforge.io import JsonlAppender

__all__ = ["FimReport", "run_fim"]

log = logging.getLogger(__name__)

Mode = Literal["file", "repo", "instruction"]
# Skip reasons about the input itself, not the random draw: counted once per input.
_INPUT_REASONS = {"empty", "no_code_files", "no_logic_block", "hole_marker_in_code"}


@dataclass
class FimReport:
    inputs: int = 0
    """Files (or repositories with --repo-level) read."""
    written: int = 0
    already_present: int = 0
    skipped: SkipCounter = field(default_factory=SkipCounter)
    per_unit: dict[str, int] = field(default_factory=dict)


def _sample_id(*parts: object) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:16]


def _repos(corpus: Path) -> list[Path]:
    """Each sub-directory is a repository; a corpus without sub-directories is one itself."""
    subdirs = sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith("."))
    return subdirs or [corpus]


@dataclass
class _Run:
    config: FimConfig
    counter: TokenCounter | None
    order: OrderChoice
    seed: int
    samples: int
    mode: Mode
    sink: JsonlAppender
    report: FimReport

    def fingerprint(self) -> str:
        return _sample_id(self.mode, self.order, self.seed, self.config.model_dump_json(),
                          self.counter.name if self.counter else "")

    def emit(self, key: str, make: Callable[[random.Random], dict[str, Any]]) -> None:
        """Make and write the samples of one input (a file or a repository) unless already written."""
        for index in range(self.samples):
            sample_id = _sample_id(self.fingerprint(), key, index)
            if sample_id in self.sink:
                self.report.already_present += 1
                continue
            try:
                record = make(random.Random(sample_id))
            except FimSkipped as e:
                self.report.skipped.skip(e.reason, f"{key}#{index}")
                if e.reason in _INPUT_REASONS:  # no other sample of this input can succeed either
                    break
                continue
            self.sink.append({"id": sample_id, "mode": self.mode, **record})
            self.report.written += 1
            self.report.per_unit[record["unit"]] = self.report.per_unit.get(record["unit"], 0) + 1


def run_fim(corpus: Path, out: Path, *, config: FimConfig, counter: TokenCounter | None, mode: Mode = "file",
            order: OrderChoice = "psm", seed: int = 0, samples: int = 1, language: str | None = None,
            progress: Callable[[str], None] | None = None) -> FimReport:
    """Write FIM samples for every source file (or repository) under `corpus` to `out`;
    `progress` is told each input."""
    report = FimReport()
    with JsonlAppender(out) as sink:
        run = _Run(config, counter, order, seed, samples, mode, sink, report)
        if mode == "repo":
            for repo in _repos(corpus):
                files = [RepoFile(item.rel, text, item.language) for item, text in iter_sources(
                    repo, language=language, max_bytes=config.max_file_bytes, skipped=report.skipped)]
                report.inputs += 1
                if progress is not None:
                    progress(repo.name)
                run.emit(repo.name, lambda rng, name=repo.name, files=files: build_repo_sample(
                    name, files, rng=rng, config=config, order=order, counter=counter))
        else:
            for item, text in iter_sources(corpus, language=language, max_bytes=config.max_file_bytes,
                                           skipped=report.skipped, progress=progress):
                report.inputs += 1
                run.emit(item.rel, lambda rng, text=text, item=item: _file_record(run, text, item.language,
                                                                                  item.rel, rng))
    log.info("fim: %d inputs, %d written, %d already present, skipped %s", report.inputs, report.written,
             report.already_present, dict(report.skipped))
    return report


def _file_record(run: _Run, text: str, language: str, path: str, rng: random.Random) -> dict[str, Any]:
    if run.mode == "instruction":
        return fim_instruction_sample(text, language, rng=rng, config=run.config, path=path)
    return build_fim_sample(text, language, rng=rng, config=run.config, order=run.order, path=path,
                            counter=run.counter).to_dict()
