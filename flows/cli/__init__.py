"""The `textlake` command line. Each module registers its commands on the one Typer app, in help order."""

from __future__ import annotations

import gc
import sys

import typer

# isort: off
from flows.cli.app import app
from flows.cli import run, query, curation, service, evaluate  # noqa: F401 — registers the commands

# isort: on
from flows.cli.processes import end_process_tree_on_signals

__all__ = ["app", "main"]


def main() -> None:
    """The `textlake` command: a usage error is one line on stderr and its exit code (2), never a box or a
    traceback: "textlake: Invalid value for '--format': ... (see textlake sql --help)"."""
    end_process_tree_on_signals()
    try:
        code = app(standalone_mode=False)
    except typer.Abort:  # Ctrl-C at a prompt
        sys.exit(130)
    except typer.TyperException as error:  # Click's usage errors: unknown option, bad value, missing argument
        if type(error).__name__ == "NoArgsIsHelpError":  # `textlake` or `textlake eval` alone: the help
            print(error.format_message(), file=sys.stderr)  # type: ignore[attr-defined]
            sys.exit(2)
        context = getattr(error, "ctx", None)
        hint = f" (see {context.command_path} --help)" if context is not None else ""
        message = " ".join(error.format_message().split())  # type: ignore[attr-defined]
        print(f"textlake: {message}{hint}", file=sys.stderr)
        sys.exit(getattr(error, "exit_code", 2))
    # The interpreter's last garbage collections over everything a run loaded (the NER model, Great
    # Expectations, pandas) took ~1.7 s of a small run's exit here; frozen objects are still freed, unswept.
    gc.freeze()
    sys.exit(code if isinstance(code, int) else 0)
