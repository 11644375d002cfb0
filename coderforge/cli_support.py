"""Helpers shared by CLI commands: the consoles, user-error reporting and exit codes."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.logging import RichHandler

from coderforge.errors import CoderforgeError, ConfigError

console = Console()
err_console = Console(stderr=True)

#: Exit status for invalid input (config, arguments, data), as the CLI promises.
EXIT_BAD_INPUT = 2


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False, rich_tracebacks=True)],
        force=True,
    )


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn coderforge's user-facing errors into a red message and a non-zero exit."""
    try:
        yield
    except ConfigError as e:
        err_console.print(f"[red]config error[/red] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from e
    except CoderforgeError as e:
        err_console.print(f"[red]error[/red] {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from e
