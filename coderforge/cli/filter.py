"""The filter commands: `coderforge decontam`, `coderforge dedup` and `coderforge filter` (the chain).
Each parses its arguments and calls the filter; heavy modules are imported inside."""

from __future__ import annotations

import asyncio
from collections import Counter
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coderforge.cli.support import console, user_errors

if TYPE_CHECKING:
    from coderforge.checklists.chain import ChainResult
    from coderforge.checklists.config import BenchmarkSource
    from coderforge.config import Config
    from coderforge.executor.ray_filters import ShardedResult

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="YAML config file (default: built-in defaults).")
]
InputArg = Annotated[Path, typer.Argument(
    help="Input JSONL records; with --executor ray also a folder of *.jsonl shards.", exists=True)]
ExecutorOption = Annotated[str | None, typer.Option(
    "--executor", help="local, or ray: Ray Data on the config's executor.address; outputs are then folders of "
                       "shards named after the input shards (default: the config's executor.kind).")]
_BATCH = 4096


def _parse_bench(spec: str) -> BenchmarkSource:
    """NAME=PATH:FIELD[,FIELD...] (the path may itself contain ':'); a field is problem text unless
    written ROLE=FIELD with ROLE `solution` or `tests` (code) or `problem`."""
    from coderforge.checklists.config import BenchmarkSource
    from coderforge.errors import ConfigError

    name, eq, rest = spec.partition("=")
    path, colon, fields = rest.rpartition(":")
    if not (eq and colon and name and path and fields):
        raise ConfigError(f"{spec!r}: expected NAME=PATH:FIELD[,FIELD...]", source="--bench")
    roles: dict[str, list[str]] = {"problem": [], "solution": [], "tests": []}
    for field in fields.split(","):
        role, _, column = field.rpartition("=")
        if (role or "problem") not in roles or not column:
            raise ConfigError(f"{spec!r}: {field!r} is not FIELD or ROLE=FIELD with ROLE one of "
                              f"{', '.join(roles)}", source="--bench")
        roles[role or "problem"].append(column)
    try:
        return BenchmarkSource(name=name, path=str(Path(path).resolve()), **roles)
    except ValueError as e:
        raise ConfigError(f"{spec!r}: {e}", source="--bench") from e


def _on_ray(executor: str | None, config: Config, input: Path) -> bool:
    """Whether to run on Ray; a folder of shards is only for Ray."""
    from coderforge.errors import ConfigError

    kind = executor or config.executor.kind
    if kind not in ("local", "ray"):
        raise ConfigError(f"{kind!r}: expected local or ray", source="--executor")
    if kind == "local" and input.is_dir():
        raise ConfigError(f"{input} is a folder; the local executor reads one JSONL file (shards: --executor ray)",
                          source="INPUT")
    return kind == "ray"


def _run_sharded(config: Config, input: Path, *, stages: list[str], out: Path, rejected: Path,
                 only_passing: bool) -> ShardedResult:
    from coderforge.executor.ray_filters import input_shards, run_sharded

    return run_sharded(config, inputs=input_shards(input), stages=stages, out=out, rejected=rejected,
                       only_passing=only_passing)


def decontam(
    input: InputArg,
    out: Annotated[Path, typer.Option(help="Clean records (JSONL).")],
    removed: Annotated[Path, typer.Option(help="Contaminated records (JSONL), naming rule, benchmark, item and span.")],
    bench: Annotated[list[str] | None, typer.Option(
        help="Extra benchmark NAME=PATH:FIELD[,FIELD...]; FIELD is problem text, solution=FIELD or tests=FIELD "
             "code (repeatable; replaces a configured one of the same name).")
    ] = None,
    bench_only: Annotated[bool, typer.Option(help="Use only the --bench benchmarks, not the configured ones.")] = False,
    benchmark_dir: Annotated[Path | None, typer.Option(
        help="Folder the configured benchmarks' relative paths are resolved against.")] = None,
    config: ConfigOption = None,
    executor: ExecutorOption = None,
) -> None:
    """Split IN into clean and contaminated records: instructions by word 10-gram and long-substring
    overlap with benchmark problem statements, solutions and tests by copied benchmark code.

    Every record lands in exactly one output, unchanged but for an added `decontam` verdict.
    """
    from coderforge.checklists.decontam import Decontaminator
    from coderforge.config import load_config
    from coderforge.io import atomic_writer, dumps, read_jsonl

    with user_errors():
        extra = [_parse_bench(s) for s in bench or []]
        full = load_config(config)
        cfg = full.filters.decontam
        names = {b.name for b in extra}
        sources = ([] if bench_only else [b for b in cfg.benchmarks if b.name not in names]) + extra
        if benchmark_dir:
            cfg = cfg.model_copy(update={"benchmark_dir": str(benchmark_dir)})
        if _on_ray(executor, full, input):
            chosen = cfg.model_copy(update={"benchmarks": sources})
            full = full.model_copy(update={"filters": full.filters.model_copy(update={"decontam": chosen})})
            result = _run_sharded(full, input, stages=["decontam"], out=out, rejected=removed, only_passing=False)
            console.print(f"{result.kept + result.rejected} records: {result.kept} clean -> {out}/, "
                          f"{result.rejected} removed -> {removed}/")
            return
        decontaminator = Decontaminator(sources, config=cfg)
        hits: Counter[str] = Counter()
        total = 0
        with atomic_writer(out) as clean, atomic_writer(removed) as dirty:
            records = read_jsonl(input)
            while batch := list(islice(records, _BATCH)):
                for record in decontaminator.check_records(batch, fields=cfg.fields):
                    last = record["verdicts"][-1]
                    (clean if last["passed"] else dirty).write(dumps(record) + "\n")
                    if not last["passed"]:
                        hits[last["benchmark"]] += 1
                total += len(batch)
    console.print(f"{total} records: {total - hits.total()} clean -> {out}, {hits.total()} removed -> {removed}"
                  + (" (" + ", ".join(f"{b}: {n}" for b, n in hits.most_common()) + ")" if hits else ""))


def dedup(
    input: InputArg,
    out: Annotated[Path, typer.Option(help="Kept records: one per cluster (JSONL).")],
    removed: Annotated[Path, typer.Option(help="Duplicates, each naming the record kept in its place (JSONL).")],
    config: ConfigOption = None,
    executor: ExecutorOption = None,
) -> None:
    """Remove exact and near duplicates (MinHash LSH), keeping the best-scored record of each cluster."""
    from coderforge.checklists.dedup import Deduplicator
    from coderforge.config import load_config
    from coderforge.io import read_jsonl, write_jsonl

    with user_errors():
        full = load_config(config)
        if _on_ray(executor, full, input):
            result = _run_sharded(full, input, stages=["dedup"], out=out, rejected=removed, only_passing=False)
            console.print(f"{result.kept + result.rejected} records: {result.kept} kept -> {out}/, "
                          f"{result.rejected} duplicates -> {removed}/")
            return
        records = Deduplicator(full.filters.dedup).dedup_records(list(read_jsonl(input)))
        kept = write_jsonl(out, (r for r in records if r["verdicts"][-1]["passed"]))
        write_jsonl(removed, (r for r in records if not r["verdicts"][-1]["passed"]))
    console.print(f"{len(records)} records: {kept} kept -> {out}, {len(records) - kept} duplicates -> {removed}")


def filter_records(
    input: InputArg,
    out: Annotated[Path, typer.Option(help="Records every stage passed (JSONL).")],
    rejected: Annotated[Path, typer.Option(help="Records a stage rejected, with all their verdicts (JSONL).")],
    stages: Annotated[str | None, typer.Option(
        help="Comma-separated stages in order (default: the config's filters.stages).")] = None,
    funnel: Annotated[Path | None, typer.Option(help="Write the funnel counts here as JSON.")] = None,
    config: ConfigOption = None,
    executor: ExecutorOption = None,
) -> None:
    """Run the filter chain (parse, dedup, decontam, sandbox, judge) over IN and print the funnel."""
    from coderforge.checklists.chain import build_chain
    from coderforge.checklists.config import STAGES
    from coderforge.config import load_config
    from coderforge.errors import ConfigError
    from coderforge.io import atomic_write_json, read_jsonl, write_jsonl

    with user_errors():
        cfg = load_config(config)
        chosen = [s.strip() for s in stages.split(",")] if stages else list(cfg.filters.stages)
        unknown = [s for s in chosen if s not in STAGES]
        if unknown:
            raise ConfigError(f"unknown stage(s) {unknown}; choose from {', '.join(STAGES)}", source="--stages")
        if _on_ray(executor, cfg, input):
            sharded = _run_sharded(cfg, input, stages=chosen, out=out, rejected=rejected, only_passing=True)
            if funnel:
                atomic_write_json(funnel, sharded.funnel.to_dict())
            print_funnel(sharded.funnel.to_dict())
            console.print(f"{sharded.kept} kept -> {out}/, {sharded.rejected} rejected -> {rejected}/")
            return
        records = list(read_jsonl(input))

        async def run() -> ChainResult:
            sandbox = judge_backend = None
            if "sandbox" in chosen:
                from coderforge.sandbox import Sandbox

                sandbox = Sandbox(cfg.sandbox)
            if "judge" in chosen:
                from coderforge.llm import make_backend

                judge_backend = make_backend(cfg.filters.judge.backend or cfg.backend)
            try:
                chain = build_chain(cfg.filters, stages=chosen, judge_backend=judge_backend, sandbox=sandbox)
                return await chain.run(records)
            finally:
                if judge_backend is not None:
                    await judge_backend.aclose()
                if sandbox is not None:
                    sandbox.close()

        result = asyncio.run(run())
        write_jsonl(out, result.kept)
        write_jsonl(rejected, result.rejected)
        if funnel:
            atomic_write_json(funnel, result.funnel.to_dict())
    print_funnel(result.funnel.to_dict())
    console.print(f"{len(result.kept)} kept -> {out}, {len(result.rejected)} rejected -> {rejected}")


def print_funnel(funnel: dict) -> None:
    from rich.table import Table

    table = Table("stage", "in", "passed", "per language (passed/in)", "rejected by", title="filter funnel")
    for s in funnel["stages"]:
        langs = ", ".join(f"{lang} {c['passed']}/{c['in']}" for lang, c in s["per_language"].items())
        reasons = ", ".join(f"{r}: {n}" for r, n in s["rejected_by"].items())
        table.add_row(s["stage"], str(s["in"]), str(s["passed"]), langs, reasons)
    console.print(table)
