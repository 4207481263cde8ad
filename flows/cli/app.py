"""The `textlake` Typer app and what its commands share: options, settings, errors, printing rows."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, Optional, TextIO

import typer
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

import textlake  # switches telemetry off before Prefect is imported
from textlake.settings import Settings

app = typer.Typer(
    help="textlake: raw text files → validated documents, sentences and entities in Parquet and DuckDB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and errors: rich mode read "[default: *.txt]" in help texts as markup and dropped it, and
    # drew errors as multi-line boxes.
    rich_markup_mode=None,
)


def _print_version(wanted: bool) -> None:
    if wanted:
        typer.echo(f"textlake {textlake.__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Options before any command."""


DataDirOption = Annotated[
    Optional[Path],
    typer.Option(
        "--data-dir", help="Data dir (default ./data or TEXTLAKE_DATA_DIR).", show_default=False, metavar="DIR"
    ),
]


def _settings(**overrides) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"textlake: {message}", err=True)
    raise typer.Exit(code)


def local_or_reachable(given: str) -> Path | None:
    """The local path an input names; None for a URL whose store answers now. One that does not answer or
    refuses stops the command in one line: exit 2 when it names nothing (no such bucket), else 1."""
    from textlake.ingest.objects import InputUnavailable, check_reachable, is_url, local_path_of

    local = local_path_of(given) if is_url(given) else Path(given)
    if local is None:
        try:
            check_reachable(given)
        except InputUnavailable as error:
            _fail(str(error), 2 if error.names_nothing else 1)
    return local


eval_app = typer.Typer(help="Measure language quality against gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _print_rows(columns: list[str], rows: list[tuple], format: OutputFormat) -> None:
    if format is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif format is OutputFormat.json:
        typer.echo(
            json.dumps(
                [dict(zip(columns, row, strict=True)) for row in rows], ensure_ascii=False, default=str, indent=1
            )
        )
    else:
        print_table(table_of(columns, [["NULL" if value is None else str(value) for value in row] for row in rows]))
        typer.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)


def table_of(columns: Sequence[str], rows: Iterable[Sequence[str | Text]], title: str | None = None) -> Table:
    """A table whose headers and cells are shown as they are: never read as rich markup ("[b]") or emoji
    codes (":smile:"), which data is full of."""
    table = Table(*(Column(header=Text(c)) for c in columns), title=Text(title) if title else None)
    for row in rows:
        table.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in row))
    return table


def print_table(table: Table, out: TextIO | None = None) -> None:
    """On a terminal, fitted to its width; piped, at the width of its content (never cut or wrapped)."""
    out = out or sys.stdout
    if out.isatty():
        Console(file=out, emoji=False, highlight=False).print(table)
        return
    natural = Console(width=1_000_000).measure(table).maximum
    Console(file=out, width=max(natural, 20), emoji=False, highlight=False, no_color=True).print(table)
