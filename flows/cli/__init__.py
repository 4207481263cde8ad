"""The `textlake` command line. Each module registers its commands on the one Typer app, in help order."""

# isort: off
from flows.cli.app import app
from flows.cli import run, query, service, evaluate  # noqa: F401 — registers the commands
# isort: on

__all__ = ["app"]
