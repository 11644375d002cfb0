"""`coderforge sandbox ...`: run one file, run a JSONL batch, check the toolchains."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from coderforge.cli.support import EXIT_BAD_INPUT, console, err_console, printable, tagged, user_errors

if TYPE_CHECKING:
    from coderforge.sandbox.config import SandboxConfig
    from coderforge.sandbox.doctor import Check

app = typer.Typer(help="Run untrusted programs in isolation (bubblewrap or Docker).", no_args_is_help=True)

ConfigOption = Annotated[Path | None, typer.Option("--config", "-c", help="YAML config; its `sandbox:` section.")]


def _config(config: Path | None, **overrides: object) -> SandboxConfig:
    from coderforge.config import load_config

    base = load_config(config).sandbox
    changes = {k: v for k, v in overrides.items() if v is not None}
    return base.model_validate({**base.model_dump(), **changes}) if changes else base


def _bad_input(message: str) -> typer.Exit:
    err_console.print(tagged("error", "red", message), highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


@app.command("run")
def run(
    file: Annotated[Path, typer.Argument(help="The program's source file.")],
    lang: Annotated[str | None, typer.Option("--lang", "-l", help="Language (default: from the extension).")] = None,
    stdin: Annotated[Path | None, typer.Option("--stdin", help="File fed to the program's stdin.")] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Wall-clock seconds.", min=0.01)] = None,
    memory_mb: Annotated[int | None, typer.Option("--memory-mb", help="Memory limit in MiB.", min=16)] = None,
    backend: Annotated[str | None, typer.Option("--backend", help="bwrap or docker.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """Run FILE in the sandbox; exit 0 when it passed, 1 otherwise."""
    from coderforge.languages import UnknownLanguageError, get_language, language_for_extension
    from coderforge.sandbox import Program, Sandbox

    with user_errors():
        try:
            code = file.read_text()
            stdin_text = stdin.read_text() if stdin else None
        except (OSError, UnicodeDecodeError) as e:
            raise _bad_input(f"cannot read {getattr(e, 'filename', None) or file}: {e}") from e
        try:
            language = get_language(lang).name if lang else getattr(language_for_extension(file.suffix), "name", None)
        except UnknownLanguageError as e:
            raise _bad_input(str(e)) from e
        if language is None:
            raise _bad_input(f"cannot tell the language of {file.name}; pass --lang")
        cfg = _config(config, backend=_backend(backend), workers=1)
        with Sandbox(cfg) as sandbox:
            (result,) = sandbox.execute([Program(file.name, language, code, stdin=stdin_text, timeout_s=timeout,
                                                 memory_mb=memory_mb)])
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        # Program output may carry terminal escapes (ANSI, OSC): only printable text reaches the terminal.
        for text, err in ((printable(result.stdout), False), (printable(result.stderr), True)):
            if text:
                typer.echo(text, nl=not text.endswith("\n"), err=err)
        err_console.print(tagged(result.status.value, "green" if result.passed else "red",
                                 f"exit={result.exit_code} compile={result.compile_time_s:.2f}s "
                                 f"run={result.run_time_s:.2f}s"), highlight=False)
    raise typer.Exit(0 if result.passed else 1)


def _backend(name: str | None) -> Literal["bwrap", "docker"] | None:
    if name not in (None, "bwrap", "docker"):
        raise _bad_input(f"--backend must be bwrap or docker, got {name!r}")
    return name  # type: ignore[return-value]


@app.command("batch")
def batch(
    source: Annotated[Path, typer.Argument(help="JSONL: {id, language, code} (+ stdin, files, timeout, memory_mb).")],
    out: Annotated[Path, typer.Argument(help="JSONL results, appended as each program finishes.")],
    workers: Annotated[int | None, typer.Option("--workers", "-w", help="Programs at once (default: cores).",
                                                min=1)] = None,
    backend: Annotated[str | None, typer.Option("--backend", help="bwrap or docker.")] = None,
    config: ConfigOption = None,
) -> None:
    """Run every program of SOURCE not yet in OUT; rerunning resumes. Exit 2 if SOURCE has bad lines."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from coderforge.sandbox import Sandbox
    from coderforge.sandbox.batch import read_programs, run_batch

    with user_errors():
        cfg = _config(config, backend=_backend(backend), workers=workers)
        programs, _ = read_programs(source)  # sized for the progress bar; run_batch reads it again
        with Sandbox(cfg) as sandbox, Progress(TextColumn("sandbox"), BarColumn(), MofNCompleteColumn(),
                                               TimeElapsedColumn(), console=err_console) as progress:
            task = progress.add_task("run", total=len(programs))
            report = run_batch(sandbox, source, out, on_result=lambda _: progress.advance(task))
            progress.update(task, completed=len(programs))
    summary = ", ".join(f"{k}={v}" for k, v in sorted(report.counts.items())) or "nothing to run"
    console.print(f"ran {report.ran}, skipped {report.skipped} already in {out}: {summary}", highlight=False)
    if report.bad_lines:
        shown = report.bad_lines[:20]
        more = f"\n... and {len(report.bad_lines) - 20} more" if len(report.bad_lines) > 20 else ""
        raise _bad_input(f"{len(report.bad_lines)} bad input line(s), not run:\n" + "\n".join(shown) + more)


@app.command("doctor")
def doctor(
    run_programs: Annotated[bool, typer.Option("--run", help="Also run a hello-world per language.")] = False,
    config: ConfigOption = None,
) -> None:
    """List each toolchain and backend as ok or missing, with how to install it."""
    from rich.table import Table
    from rich.text import Text

    from coderforge.sandbox.doctor import check_backends, check_toolchains

    with user_errors():
        cfg = _config(config)
        checks = check_toolchains() + check_backends(cfg.docker_image)
        if run_programs:
            checks = _with_runs(checks, cfg)
    table = Table("name", "status", "detail", "how to install")
    for c in checks:
        table.add_row(c.name, Text("ok", style="green") if c.ok else Text("missing", style="red"), c.detail, c.fix)
    console.print(table)
    languages_ok = all(c.ok for c in checks if c.name not in ("docker", "cgroups"))
    raise typer.Exit(0 if languages_ok else 1)


def _with_runs(checks: list[Check], cfg: SandboxConfig) -> list[Check]:
    from dataclasses import replace

    from coderforge.sandbox import Program, Sandbox
    from coderforge.sandbox.toolchains import HELLO_WORLD

    names = [c.name for c in checks if c.ok and c.name in HELLO_WORLD]
    with Sandbox(cfg) as sandbox:
        results = {r.id: r for r in sandbox.execute([Program(n, n, HELLO_WORLD[n]) for n in names])}
    out = []
    for c in checks:
        r = results.get(c.name)
        if r is not None and not (r.passed and r.stdout.strip() == "hello"):
            c = replace(c, ok=False, detail=f"{c.detail}; sandbox run: {r.status.value} {r.stderr[:200]}",
                        fix="coderforge sandbox run on a hello-world shows the error")
        out.append(c)
    return out


@app.command("image")
def image(
    tag: Annotated[str | None, typer.Option("--tag", help="Image name (default: the config's docker_image).")] = None,
    config: ConfigOption = None,
) -> None:
    """Build the docker backend's image locally (no registry): `docker import` of a root file system
    holding this machine's toolchains."""
    from coderforge.sandbox.image import build_image

    with user_errors():
        name = tag or _config(config).docker_image
        build_image(name)
    console.print(tagged("built", "green", name))
