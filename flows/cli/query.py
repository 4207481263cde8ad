"""Commands that read the warehouse: `sql`, `search`, `report`, `checks`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from flows.cli.app import DataDirOption, OutputFormat, _fail, _print_rows, _settings, app, print_table, table_of


@app.command()
def sql(
    query: Annotated[Optional[str], typer.Argument(show_default=False, metavar="SQL", hidden=True)] = None,
    file: Annotated[
        Optional[Path],
        typer.Option(
            "--file",
            "-f",
            help="Read the SQL from this file ('-' for stdin).",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    data_dir: DataDirOption = None,
    write: Annotated[bool, typer.Option("--write", help="Allow statements that change the warehouse.")] = False,
    wait_timeout: Annotated[
        Optional[float],
        typer.Option(
            help="Seconds to wait while a run holds the warehouse [default: 30].", show_default=False, metavar="SECONDS"
        ),
    ] = None,
    format: Annotated[
        OutputFormat,
        typer.Option("--format", help="table, csv (header then rows) or json (one array).", metavar="table|csv|json"),
    ] = OutputFormat.table,
) -> None:
    """Query the warehouse with SQL, given as an argument or with --file; read-only unless --write. Tables:
    documents, sentences, entities, rejects, runs, validations, file_state, and the views."""
    import duckdb

    from textlake.run.lock import DataDirBusy, writer_lock
    from textlake.warehouse.connection import NoWarehouse, WarehouseBusy, WritingQuery
    from textlake.warehouse.connection import query as run_query

    if (query is None) == (file is None):
        _fail("give the SQL either as an argument or with --file", 2)
    if file is not None and str(file) != "-" and not file.is_file():
        _fail(f"no such file: {file}", 2)
    if file is not None:
        query = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    settings = _settings(data_dir=data_dir, query_wait_s=wait_timeout)
    try:
        if write:
            with writer_lock(settings.data_dir, settings.query_wait_s):
                columns, rows = run_query(settings.warehouse_path, query, settings.query_wait_s, write=True)
        else:
            columns, rows = run_query(settings.warehouse_path, query, settings.query_wait_s)
    except (NoWarehouse, WarehouseBusy, WritingQuery, DataDirBusy) as error:
        _fail(str(error))
    except duckdb.Error as error:
        _fail(f"query failed: {str(error).splitlines()[0]}")
    _print_rows(columns, rows, format)


@app.command()
def search(
    query: Annotated[
        str,
        typer.Argument(metavar="WORDS", hidden=True),
    ],
    limit: Annotated[int, typer.Option(help="How many sentences.", metavar="N")] = 10,
    all_terms: Annotated[bool, typer.Option("--all", help="Only sentences with every word.")] = False,
    data_dir: DataDirOption = None,
    format: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv or json.", metavar="table|csv|json")
    ] = OutputFormat.table,
) -> None:
    """Full-text search for WORDS over sentences (BM25, German stemming: 'Atomwaffe' finds 'Atomwaffen'),
    best first, with their document's date and path."""
    from textlake.warehouse.connection import NoWarehouse, WarehouseBusy
    from textlake.warehouse.search import search_sentences

    settings = _settings(data_dir=data_dir)
    try:
        columns, rows = search_sentences(settings.warehouse_path, query, settings.query_wait_s, limit, all_terms)
    except (NoWarehouse, WarehouseBusy) as error:
        _fail(str(error))
    rows = [(round(score, 3), *rest) for score, *rest in rows]
    _print_rows(columns, rows, format)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="Where to write the HTML file.", metavar="FILE")] = Path(
        "report.html"
    ),
    data_dir: DataDirOption = None,
) -> None:
    """Write one self-contained HTML report (plots inline, works offline)."""
    from textlake.warehouse.connection import NoWarehouse, WarehouseBusy
    from textlake.warehouse.report import build_report

    settings = _settings(data_dir=data_dir)
    try:
        written = build_report(settings.warehouse_path, out, settings.query_wait_s)
    except (NoWarehouse, WarehouseBusy) as error:
        _fail(str(error))
    typer.echo(f"report written to {written}")


@app.command()
def checks(
    run: Annotated[
        Optional[str],
        typer.Option(
            "--run", help="A run id (default: the latest run that ran checks).", show_default=False, metavar="RUN_ID"
        ),
    ] = None,
    data_dir: DataDirOption = None,
    failed_only: Annotated[bool, typer.Option("--failed", help="Show only expectations that failed.")] = False,
) -> None:
    """Show a run's validation results: every expectation, its severity and what it found."""
    from rich.text import Text

    from textlake.quality.results import run_checks_record

    settings = _settings(data_dir=data_dir)
    record = run_checks_record(settings.warehouse_path, settings.quarantine_dir, settings.query_wait_s, run)
    if record is None:
        _fail(f"no checks recorded for run {run}" if run else f"no checks recorded in {settings.data_dir} yet")
    rows = [r for r in record.rows if not (failed_only and r["success"])]
    passed = sum(1 for r in record.rows if r["success"])
    verdicts = {True: Text("pass", "green"), False: {"error": Text("FAIL", "red"), "warning": Text("warn", "yellow")}}
    table = table_of(
        ["suite", "expectation", "column", "severity", "result", "unexpected", "sample / observed"],
        [
            [
                r["suite"], r["expectation"].removeprefix("expect_"), r["column"] or "", r["severity"],
                verdicts[True] if r["success"] else verdicts[False][r["severity"]],
                "" if r["unexpected_count"] is None else str(r["unexpected_count"]),
                (r["unexpected_sample"] or r["observed"] or "")[:80],
            ]
            for r in rows
        ],
        title=f"run {record.run_id}: {record.status}, {passed} passed, {len(record.rows) - passed} failed",
    )  # fmt: skip
    print_table(table)
    if record.status == "quarantined":
        typer.echo(f"quarantined tables and validation.json: {record.where}")
    if any(not r["success"] and r["severity"] == "error" for r in record.rows):
        raise typer.Exit(1)
