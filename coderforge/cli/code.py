"""The `coderforge seeds` and `coderforge fim` commands: parse arguments, load the config and the
tokenizer, run the stage, print its counts."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Literal

import typer

from coderforge.cli.support import console, err_console, tagged, user_errors
from coderforge.section import Section

_Corpus = Annotated[Path, typer.Argument(help="Directory of source files (searched recursively).")]
_Config = Annotated[Path | None, typer.Option("--config", "-c", help="YAML config file (the `code` section).")]
_Tokenizer = Annotated[str | None, typer.Option(
    help="Tokenizer for token counts: `bundled` or a Hugging Face tokenizer folder (default: code.tokenizer).")]
_Lang = Annotated[str | None, typer.Option("--lang", help="Only files of this language (name or alias).")]


def _override(section: Section, path: str, values: dict[str, object]) -> Section:
    """`section` with command-line overrides, validated like the config file."""
    from pydantic import ValidationError

    from coderforge.errors import ConfigError

    values = {k: v for k, v in values.items() if v is not None}
    try:
        return section.model_validate({**section.model_dump(), **values})
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(map(str, err["loc"]))
        raise ConfigError(err["msg"].removeprefix("Value error, "), source="command line",
                          path=f"{path}.{field}" if field else path) from e


@contextlib.contextmanager
def _progress(what: str) -> Iterator[Callable[[str], None]]:
    """A live line on stderr: how many inputs are done and the current one."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err_console, transient=True) as bar:
        task = bar.add_task(what)
        done = 0

        def step(name: str) -> None:
            nonlocal done
            done += 1
            bar.update(task, description=f"{what}: {done} done, at {name}")

        yield step


def _skips(skipped: dict[str, int]) -> str:
    return ", ".join(f"{reason} {count}" for reason, count in sorted(skipped.items())) or "none"


def seeds(
    corpus: _Corpus,
    out: Annotated[Path, typer.Option("--out", "-o", help="JSONL file to append seeds to.")],
    lang: _Lang = None,
    config: _Config = None,
    tokenizer: _Tokenizer = None,
    min_tokens: Annotated[int | None, typer.Option(help="Override code.seeds.min_tokens.")] = None,
    max_tokens: Annotated[int | None, typer.Option(help="Override code.seeds.max_tokens.")] = None,
) -> None:
    """Extract seeds (functions, methods, classes) from the source files in CORPUS into OUT.

    Each seed has its docstring or comments, token count, path and line span, and a verdict on
    whether it uses only builtins, the standard library and its own definitions. Seeds are
    exact-deduplicated; a rerun appends only what is missing.
    """
    from coderforge.code.seeds import run_seeds
    from coderforge.code.tokens import load_token_counter
    from coderforge.config import load_config
    from coderforge.languages import canonical_name

    with user_errors():
        cfg = load_config(config).code
        seed_cfg = _override(cfg.seeds, "code.seeds", {"min_tokens": min_tokens, "max_tokens": max_tokens})
        language = canonical_name(lang) if lang else None
        counter = load_token_counter(tokenizer or cfg.tokenizer)
        with _progress("seeds") as step:
            report = run_seeds(corpus, out, config=seed_cfg, counter=counter, language=language, progress=step)
    console.print(tagged("seeds", "green", f"{report.written} written to {out} from {report.files} files "
                  f"({report.self_contained} self-contained, {report.duplicates} duplicates); "
                  f"per language: {report.per_language}; skipped: {_skips(report.skipped)}"))


def fim(
    corpus: _Corpus,
    out: Annotated[Path, typer.Option("--out", "-o", help="JSONL file to append samples to.")],
    repo_level: Annotated[bool, typer.Option("--repo-level", help="One document per repository "
                                             "(each sub-directory of CORPUS), FIM in one of its files.")] = False,
    instructions: Annotated[bool, typer.Option("--instructions", help="Chat samples for mixed FIM tuning "
                                               "instead of pretraining text.")] = False,
    order: Annotated[Literal["psm", "spm", "mix"], typer.Option(help="FIM order; mix uses code.fim.spm_rate.")] = "psm",
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same samples).")] = 0,
    samples: Annotated[int, typer.Option(min=1, help="Samples per file (per repository with --repo-level).")] = 1,
    max_tokens: Annotated[int | None, typer.Option(help="Override code.fim.max_tokens (the context budget).")] = None,
    lang: _Lang = None,
    config: _Config = None,
    tokenizer: _Tokenizer = None,
) -> None:
    """Make fill-in-the-middle samples from the source files in CORPUS into OUT.

    Every sample is verified (prefix + middle + suffix gives back its source, the source parses)
    before it is written; bad files are skipped and counted; a rerun appends only what is missing.
    """
    from coderforge.code.fim_corpus import run_fim
    from coderforge.code.tokens import load_token_counter
    from coderforge.config import load_config
    from coderforge.languages import canonical_name

    if repo_level and instructions:
        raise typer.BadParameter("--repo-level and --instructions do not combine")
    with user_errors():
        cfg = load_config(config).code
        fim_cfg = _override(cfg.fim, "code.fim", {"max_tokens": max_tokens})
        counter = load_token_counter(tokenizer or cfg.tokenizer) if fim_cfg.max_tokens and not instructions else None
        mode = "repo" if repo_level else ("instruction" if instructions else "file")
        with _progress("fim") as step:
            report = run_fim(corpus, out, config=fim_cfg, counter=counter, mode=mode, order=order, seed=seed,
                             samples=samples, language=canonical_name(lang) if lang else None, progress=step)
    console.print(tagged("fim", "green", f"{report.written} written to {out} from {report.inputs} inputs "
                  f"({report.already_present} already there); units: {report.per_unit}; "
                  f"skipped: {_skips(report.skipped)}"))
