"""`coderforge generate` (rich progress per language pool, a funnel table at the end) and
`coderforge graph stats`. Heavy modules are imported inside the commands."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Annotated, Any

import typer

from coderforge.cli.support import console, tagged, user_errors
from coderforge.events import Event

graph_app = typer.Typer(help="Inspect a generate run's memory graph.", no_args_is_help=True)


def funnel_table(funnel: dict[str, Any]) -> Any:
    from rich.table import Table

    languages = list(funnel["languages"])
    table = Table("stage", *languages, title="funnel")
    for stage in next(iter(funnel["languages"].values())):
        table.add_row(stage, *(str(funnel["languages"][lang][stage]) for lang in languages))
    dropped = funnel.get("rejected_by_stage", {})
    table.add_section()
    for stage in sorted({stage for reasons in dropped.values() for stage in reasons}):
        table.add_row(f"dropped at {stage}", *(str(dropped.get(lang, {}).get(stage, 0)) for lang in languages))
    return table


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def generate(
    config: Annotated[Path | None, typer.Option("--config", "-c", help="YAML config file.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Run folder (created; an existing run resumes).")] = Path(
        "runs/generate"),
) -> None:
    """Generate instruction, FIM and DPO data with language agent pools; resumes an interrupted run."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from coderforge.config import load_config
    from coderforge.generate_run import GenerateRun

    with user_errors():
        cfg = load_config(config)
        accepted: dict[str, int] = {}
        progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("accepted {task.fields[accepted]}"), TimeElapsedColumn(), console=console)
        bars: dict[str, Any] = {}

        def on_start(pools: dict[str, tuple[int, int]]) -> None:
            for language, (done, total) in pools.items():
                bars[language] = progress.add_task(f"{language} pool", total=total, completed=done, accepted=0)

        def on_event(event: Event) -> None:
            if event["event"] != "task":
                return
            language = event["language"]
            accepted[language] = accepted.get(language, 0) + sum(bool(c.get("accepted"))
                                                                 for c in event.get("candidates", []))
            progress.update(bars[language], advance=1, accepted=accepted[language])

        # SIGTERM unwinds like Ctrl-C, so the engines shut down (a vLLM engine core left behind keeps
        # its cores and memory); everything logged so far stays, and a rerun resumes.
        signal.signal(signal.SIGTERM, _interrupt)
        if cfg.executor.kind == "ray":
            from coderforge.executor.ray_generate import RayGenerateRun

            runner: GenerateRun | RayGenerateRun = RayGenerateRun(cfg, out)
        else:
            runner = GenerateRun(cfg, out)
        with progress:
            funnel = asyncio.run(runner.run(on_event=on_event, on_start=on_start))
    console.print(funnel_table(funnel))
    console.print(tagged("done", "green", f"outputs in {out} (dataset card: {out / 'README.md'})"))


@graph_app.command("stats")
def graph_stats(
    run_dir: Annotated[Path, typer.Argument(help="A generate run folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the stats as JSON.")] = False,
) -> None:
    """Coverage of a run's memory graph: nodes per kind, and concepts x languages attempted/verified."""
    from rich.table import Table

    from coderforge.agents.graph import GRAPH_FILE, MemoryGraph
    from coderforge.errors import CoderforgeError

    with user_errors():
        path = run_dir / GRAPH_FILE
        if not path.is_file():
            raise CoderforgeError(f"no memory graph at {path}: is {run_dir} a generate run folder?")
        try:
            stats = MemoryGraph.load(path).stats()
        except (ValueError, KeyError) as e:
            raise CoderforgeError(f"{path} is not a readable memory graph: {e}") from e
    if as_json:
        typer.echo(json.dumps(stats, indent=2))
        return
    console.print("nodes: " + ", ".join(f"{k} {v}" for k, v in stats["nodes"].items()) + f"; edges {stats['edges']}")
    languages = list(stats["languages"])
    per_language = Table("", *languages, title="per language")
    for key in next(iter(stats["languages"].values()), {}):
        per_language.add_row(key, *(str(stats["languages"][lang][key]) for lang in languages))
    console.print(per_language)
    coverage = Table("concept", *languages, title="coverage (verified/attempted instructions)")
    for concept, row in stats["concepts"].items():
        coverage.add_row(concept, *(f"{row[lang]['verified']}/{row[lang]['attempted']}" if lang in row else "-"
                                    for lang in languages))
    console.print(coverage)
