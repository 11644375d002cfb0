"""Pretraining documents from code: file-level and repo-level, a configurable share turned into FIM
samples (PSM/SPM) by the code-analysis FIM builder (coderforge.code.fim)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator

from coderforge.trainer.config import PretrainConfig
from coderforge.trainer.corpus import Repo
from transformers import PreTrainedTokenizerBase

from coderforge.code.fim import FimSkipped, RepoFile, build_fim_sample, build_repo_sample
from coderforge.code.tokens import TokenCounter


def _order(config: PretrainConfig, rng: random.Random) -> str:
    return "spm" if rng.random() < config.spm_rate else "psm"


def code_documents(repos: Iterable[Repo], *, config: PretrainConfig, tokenizer: PreTrainedTokenizerBase,
                   rng: random.Random, counts: Counter[str]) -> Iterator[str]:
    """Documents one repository at a time: one repo-level document for `repo_level_rate` of named
    repositories (the report's format: `<|repo_name|>`, `<|file_sep|>` per file, FIM inside one file,
    cut to the context length), else one file-level document per file, `fim_rate` of them as FIM
    samples. `counts` gathers documents by kind (file, file_fim_psm/spm, repo_fim_psm/spm) and skips
    by reason."""
    counter = TokenCounter.from_transformers(tokenizer)
    for repo in repos:
        if repo.name is not None and len(repo.files) > 1 and rng.random() < config.repo_level_rate:
            order = _order(config, rng)
            files = [RepoFile(f.path, f.code, f.language) for f in repo.files]
            try:
                record = build_repo_sample(repo.name, files, rng=rng, order=order, counter=counter,
                                           budget=config.context_length)
            except FimSkipped as e:
                counts[f"repo_skipped_{e.reason}"] += 1
            else:
                counts[f"repo_fim_{order}"] += 1
                yield record["text"]
                continue
        for file in repo.files:
            text = None
            if rng.random() < config.fim_rate:
                order = _order(config, rng)
                try:
                    text = build_fim_sample(file.code, file.language, rng=rng, order=order, path=file.path).text
                    counts[f"file_fim_{order}"] += 1
                except FimSkipped as e:
                    counts[f"fim_skipped_{e.reason}"] += 1
            if text is None:
                counts["file"] += 1
            yield text or file.code
