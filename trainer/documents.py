"""Pretraining documents from code: file-level and repo-level, a configurable share turned into FIM
samples (PSM/SPM) by the code-analysis FIM builder (coderforge.code.fim)."""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass, field

from coderforge.trainer.config import PretrainConfig
from coderforge.trainer.corpus import Repo
from transformers import PreTrainedTokenizerBase

from coderforge.code.fim import FimSkipped, RepoFile, build_fim_sample, build_repo_sample
from coderforge.code.tokens import TokenCounter

log = logging.getLogger(__name__)


@dataclass
class CodeDocuments:
    texts: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    """Documents by kind (file, file_fim_psm/spm, repo_fim_psm/spm) and skips by reason."""


def _order(config: PretrainConfig, rng: random.Random) -> str:
    return "spm" if rng.random() < config.spm_rate else "psm"


def code_documents(repos: list[Repo], *, config: PretrainConfig, tokenizer: PreTrainedTokenizerBase,
                   rng: random.Random) -> CodeDocuments:
    """One repo-level document for `repo_level_rate` of named repositories (the report's format:
    `<|repo_name|>`, `<|file_sep|>` per file, FIM inside one file, cut to the context length), and
    one file-level document per file otherwise, `fim_rate` of them as FIM samples."""
    counter = TokenCounter.from_transformers(tokenizer)
    docs = CodeDocuments()
    for repo in repos:
        if repo.name is not None and len(repo.files) > 1 and rng.random() < config.repo_level_rate:
            order = _order(config, rng)
            files = [RepoFile(f.path, f.code, f.language) for f in repo.files]
            try:
                record = build_repo_sample(repo.name, files, rng=rng, order=order, counter=counter,
                                           budget=config.context_length)
            except FimSkipped as e:
                docs.counts[f"repo_skipped_{e.reason}"] += 1
            else:
                docs.texts.append(record["text"])
                docs.counts[f"repo_fim_{order}"] += 1
                continue
        for file in repo.files:
            text = None
            if rng.random() < config.fim_rate:
                order = _order(config, rng)
                try:
                    # Files that do not parse still get spans from tree-sitter's error-tolerant tree.
                    text = build_fim_sample(file.code, file.language, rng=rng, order=order, path=file.path,
                                            require_parse=False).text
                    docs.counts[f"file_fim_{order}"] += 1
                except FimSkipped as e:
                    docs.counts[f"fim_skipped_{e.reason}"] += 1
            if text is None:
                docs.counts["file"] += 1
            docs.texts.append(text or file.code)
    log.info("code documents: %s", dict(docs.counts))
    return docs
