"""The `textlake` Typer app and what its commands share: options, settings, errors, printing rows."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

import textlake  # noqa: F401 — switches telemetry off before Prefect is imported
from textlake.settings import Settings

app = typer.Typer(
    help="textlake: raw text files → validated documents, sentences and entities in Parquet and DuckDB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DataDirOption = Annotated[
    Optional[Path],
    typer.Option("--data-dir", help="Data dir (default ./data or TEXTLAKE_DATA_DIR).", show_default=False),
]


def _settings(**overrides) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"textlake: {message}", err=True)
    raise typer.Exit(code)


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
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*("NULL" if value is None else str(value) for value in row))
        Console().print(table)
        typer.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)
