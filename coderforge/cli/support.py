"""Helpers shared by CLI commands: the consoles, user-error reporting and exit codes."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.text import Text

from coderforge.errors import CoderforgeError, ConfigError

# Markup is off: what they print holds user and model text (config values, paths, program output),
# and a `[/]` in it would raise rich's MarkupError. Styled words go through `tagged`.
console = Console(markup=False)
err_console = Console(stderr=True, markup=False)

#: Exit status for invalid input (config, arguments, data), as the CLI promises.
EXIT_BAD_INPUT = 2


def tagged(tag: str, style: str, text: object = "") -> Text:
    """`tag` in `style`, then `text` printed as it is."""
    return Text.assemble((tag, style), " " if text != "" else "", str(text))


# C0 controls but tab and newline, DEL and C1 controls: ESC starts ANSI and OSC sequences, CR overwrites.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without control characters, for echoing program or model output to a terminal."""
    return _CONTROL.sub("", text)


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
        err_console.print(tagged("config error", "red", e), highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from e
    except CoderforgeError as e:
        err_console.print(tagged("error", "red", e), highlight=False, soft_wrap=True)
        raise typer.Exit(1) from e
