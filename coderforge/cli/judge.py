"""`coderforge judge IN --out OUT` (score samples against a checklist) and `coderforge judge calibrate`."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Annotated

import click
import typer
from typer.core import TyperGroup

from coderforge.cli.support import console, user_errors

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="YAML config file (default: built-in defaults).")
]
InputArg = Annotated[Path, typer.Argument(help="Input JSONL records.", exists=True, dir_okay=False)]


class _RunByDefault(TyperGroup):
    """`judge IN ...` means `judge run IN ...`; `judge calibrate ...` stays a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


judge_app = typer.Typer(cls=_RunByDefault, no_args_is_help=True,
                        help="Score samples with the checklist judge (`judge IN --out OUT`), or calibrate it.")


@judge_app.command("run")
def judge_run(
    input: InputArg,
    out: Annotated[Path, typer.Option(help="Judged records (JSONL, appended; a rerun resumes).")],
    checklist: Annotated[str | None, typer.Option(
        help="Built-in checklist (instruction, fim, debugging) or a YAML file; default: per record `task`.")] = None,
    config: ConfigOption = None,
) -> None:
    """Add a `judge` verdict (scores, one-line reasons, weighted total, or judge_error) to every record."""
    from rich.progress import Progress

    from coderforge.checklists.checklist import load_checklist
    from coderforge.checklists.judge import Judge
    from coderforge.config import load_config
    from coderforge.io import JsonlAppender, read_jsonl
    from coderforge.llm import make_backend

    with user_errors():
        cfg = load_config(config)
        judge_cfg = cfg.filters.judge
        chosen = load_checklist(checklist or judge_cfg.checklist) if (checklist or judge_cfg.checklist) else None
        records = list(read_jsonl(input))
        outcome: Counter[str] = Counter()

        async def run() -> None:
            with JsonlAppender(out) as sink, Progress(console=console, transient=True) as progress:
                todo = records[sink.done:]
                if sink.done:
                    console.print(f"resuming: {sink.done} record(s) already judged in {out}")
                task = progress.add_task("judging", total=len(todo))
                async with make_backend(judge_cfg.backend or cfg.backend) as backend:
                    judge = Judge(backend, chosen, config=judge_cfg)
                    async for batch, results in judge.judge_in_batches(todo):
                        outcome.update("judge_error" if r.error else "passed" if r.passed else "failed"
                                       for r in results)
                        sink.extend(batch)
                        progress.advance(task, len(batch))

        asyncio.run(run())
    console.print(f"{sum(outcome.values())} judged -> {out}: {outcome['passed']} passed, {outcome['failed']} failed, "
                  f"{outcome['judge_error']} judge_error")


@judge_app.command("calibrate")
def judge_calibrate(
    input: InputArg,
    checklist: Annotated[str, typer.Option(help="Checklist whose weights the fit starts from.")] = "instruction",
    threshold: Annotated[int | None, typer.Option(
        help="Correctness score that counts as `correct` (default: the config's min_scores floor, else 6).")] = None,
    out_checklist: Annotated[Path | None, typer.Option(
        "--out-checklist", help="Write the checklist with the fitted weights here (usable with --checklist).")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the report here as JSON.")] = None,
    config: ConfigOption = None,
) -> None:
    """Agreement of the judge's correctness score with sandbox verdicts, and fitted criterion weights."""
    from dataclasses import asdict

    from rich.table import Table

    from coderforge.checklists.calibrate import calibrate
    from coderforge.checklists.checklist import load_checklist
    from coderforge.config import load_config
    from coderforge.io import atomic_write_json, atomic_write_text, read_jsonl

    with user_errors():
        judge_cfg = load_config(config).filters.judge
        base = load_checklist(checklist)
        criterion = judge_cfg.correctness_criterion
        cut = threshold if threshold is not None else judge_cfg.min_scores.get(criterion, 6)
        report = calibrate(read_jsonl(input), correctness=criterion, threshold=cut,
                           weights={c.id: c.weight for c in base.criteria})
        if json_out:
            atomic_write_json(json_out, asdict(report))
        if out_checklist and report.suggested_weights:
            atomic_write_text(out_checklist, base.with_weights(report.suggested_weights).to_yaml())
    kappa = "undefined" if report.kappa is None else f"{report.kappa:.3f}"
    console.print(f"{report.samples} samples ({report.skipped} skipped); {criterion} >= {cut} vs tests passing: "
                  f"accuracy {report.accuracy:.3f}, Cohen's kappa {kappa}; executed pass rate "
                  f"{report.executed_pass_rate:.3f}, judge pass rate {report.judge_pass_rate:.3f}; "
                  f"confusion {report.confusion}")
    if report.coefficients is None:
        console.print("no weight fit: every sample has the same execution outcome")
        return
    table = Table("criterion", "coefficient", "current weight", "suggested weight",
                  title=f"logistic fit (in-sample accuracy {report.fit_accuracy:.3f})")
    current = {c.id: c.weight for c in base.criteria}
    for c in report.criteria:
        table.add_row(c, f"{report.coefficients[c]:+.3f}", f"{current.get(c, 0):g}",
                      f"{report.suggested_weights[c]:g}")
    console.print(table)


@judge_app.command("heldout")
def judge_heldout(
    out: Annotated[Path, typer.Argument(help="Labelled records (JSONL) to write.")],
    source: Annotated[Path, typer.Option(help="Folder holding HumanEval-X's humaneval_<lang>.jsonl.gz files.")],
    languages: Annotated[str, typer.Option(help="Comma-separated languages.")] = "python,javascript,cpp",
    per_language: Annotated[int, typer.Option(min=1, help="Problems per language (two answers each).")] = 4,
    seed: Annotated[int, typer.Option(help="Draws the problems and the mutations.")] = 0,
    config: ConfigOption = None,
) -> None:
    """Held-out labelled code for `judge calibrate`: per problem its canonical solution and a one-token
    mutant, each labelled by running the tests in the sandbox. Then: `judge OUT --out J`, `judge calibrate J`."""
    from collections import Counter

    from coderforge.checklists.heldout import heldout_records
    from coderforge.config import load_config
    from coderforge.io import write_jsonl

    with user_errors():
        records = heldout_records(source=source, languages=[x.strip() for x in languages.split(",") if x.strip()],
                                  per_language=per_language, seed=seed, sandbox=load_config(config).sandbox)
        write_jsonl(out, records)
    labels = Counter((r["language"], r["answer_kind"], r["verdicts"][-1]["status"]) for r in records)
    for (language, kind, status), n in sorted(labels.items()):
        console.print(f"{language:<12} {kind:<10} {status:<14} {n}")
    console.print(f"{len(records)} labelled records -> {out}")
