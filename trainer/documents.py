"""Pretraining documents from code: file-level and repo-level, a configurable share turned into FIM
samples (PSM/SPM) by the code-analysis FIM builder (coderforge.code.fim)."""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass, field

from coderforge.trainer.config import PretrainConfig
from coderforge.trainer.corpus import Repo, SourceFile

log = logging.getLogger(__name__)


@dataclass
class CodeDocuments:
    texts: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    """file, file_fim_psm, file_fim_spm, fim_failed, repo, repo_fim_psm, repo_fim_spm."""


def _order(config: PretrainConfig, rng: random.Random) -> str | None:
    """psm, spm, or None (no FIM) for the next document."""
    if rng.random() >= config.fim_rate:
        return None
    return "spm" if rng.random() < config.spm_rate else "psm"


def code_documents(repos: list[Repo], *, config: PretrainConfig, rng: random.Random) -> CodeDocuments:
    """One document per file, or one per repository for `repo_level_rate` of named repositories."""
    from coderforge.code import fim

    docs = CodeDocuments()
    for repo in repos:
        if repo.name is not None and len(repo.files) > 1 and rng.random() < config.repo_level_rate:
            order = _order(config, rng)
            text = _repo_document(fim, repo, order=order, rng=rng, budget_chars=config.context_length * 4)
            docs.texts.append(text)
            docs.counts["repo" if order is None else f"repo_fim_{order}"] += 1
            continue
        for file in repo.files:
            order = _order(config, rng)
            text = _file_fim(fim, file, order=order, rng=rng) if order else None
            if order and text is None:
                docs.counts["fim_failed"] += 1
            docs.texts.append(text or file.code)
            docs.counts["file" if text is None else f"file_fim_{order}"] += 1
    log.info("code documents: %s", dict(docs.counts))
    return docs


def _file_fim(fim, file: SourceFile, *, order: str, rng: random.Random) -> str | None:
    raise NotImplementedError


def _repo_document(fim, repo: Repo, *, order: str | None, rng: random.Random, budget_chars: int) -> str:
    raise NotImplementedError
