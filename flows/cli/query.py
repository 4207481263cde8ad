"""Commands that read the warehouse: `sql`, `search`, `report`, `checks`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from flows.cli.app import DataDirOption, OutputFormat, _fail, _print_rows, _settings, app, print_table, table_of

if TYPE_CHECKING:
    from textlake.quality.checks import CheckResult  # pandas: imported only by the commands that read checks
    from textlake.quality.results import RunChecks


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
    limit: Annotated[int, typer.Option(help="How many sentences (or quotations).", metavar="N")] = 10,
    all_terms: Annotated[bool, typer.Option("--all", help="Only rows with every word.")] = False,
    quotes: Annotated[
        bool, typer.Option("--quotes", help="Search quotations and their speakers instead of sentences.")
    ] = False,
    data_dir: DataDirOption = None,
    format: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv or json.", metavar="table|csv|json")
    ] = OutputFormat.table,
) -> None:
    """Full-text search for WORDS over sentences (BM25, German stemming: 'Atomwaffe' finds 'Atomwaffen'),
    best first, with their document's date, title, url and path. With --quotes: who said what about WORDS
    (words of the quotation or of its speaker's name)."""
    from textlake.warehouse.connection import NoWarehouse, WarehouseBusy
    from textlake.warehouse.search import NothingToSearch, search_query, search_quotes, search_sentences

    settings = _settings(data_dir=data_dir)
    searched = search_quotes if quotes else search_sentences
    try:
        words = search_query(query)
    except NothingToSearch as error:
        _fail(str(error), 2)
    if words.ignored:
        typer.echo(f"left out stop words: {', '.join(words.ignored)}", err=True)
    try:
        columns, rows = searched(settings.warehouse_path, words.words, settings.query_wait_s, limit, all_terms)
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
    import duckdb

    from textlake.warehouse.connection import NoWarehouse, WarehouseBusy
    from textlake.warehouse.report import build_report

    settings = _settings(data_dir=data_dir)
    try:
        written = build_report(settings.warehouse_path, out, settings.query_wait_s)
    except (NoWarehouse, WarehouseBusy) as error:
        _fail(str(error))
    except duckdb.CatalogException as error:  # a table or view this release added is not there yet
        missing = str(error).splitlines()[0].removeprefix("Catalog Error: ")
        _fail(
            f"{settings.warehouse_path} was written by an earlier textlake ({missing}); "
            "the next run that loads new documents upgrades it, keeping every row"
        )
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
    failed_only: Annotated[
        bool, typer.Option("--failed", help="Show only expectations that did not pass (warned or failed).")
    ] = False,
    format: Annotated[
        OutputFormat, typer.Option("--format", help="table or json (csv: as table).", metavar="table|json")
    ] = OutputFormat.table,
) -> None:
    """Show a run's validation results: every expectation, its severity and what it found; for each one that
    warned or failed, what it means and the rows it was found in. A warning-level expectation that does not
    hold has *warned* (the run published); an error-level one has *failed* (nothing was published), and the
    exit code is 1."""
    from dataclasses import asdict

    from textlake.quality.results import run_checks_record

    settings = _settings(data_dir=data_dir)
    record = run_checks_record(settings.warehouse_path, settings.quarantine_dir, settings.query_wait_s, run)
    if record is None:
        _fail(f"no checks recorded for run {run}" if run else f"no checks recorded in {settings.data_dir} yet")
    shown = record.failed if failed_only else record.results
    failed = sum(r.blocking for r in record.failed)
    verdict = (
        f"all {len(record.results)} checks passed"
        if not record.failed
        else f"{len(record.results) - len(record.failed)} passed, {len(record.failed) - failed} warned, {failed} failed"
    )
    if format is OutputFormat.json:
        typer.echo(json.dumps(
            {"run_id": record.run_id, "status": record.status, "validated_at": record.validated_at,
             "verdict": verdict, "results": [{**asdict(r), "description": r.describe()} for r in shown]},
            ensure_ascii=False, indent=1, default=str,
        ))  # fmt: skip
    else:
        _print_checks(record, shown, verdict)
    if any(r.blocking for r in record.results):
        raise typer.Exit(1)


def _print_checks(record: RunChecks, shown: list[CheckResult], verdict: str) -> None:
    """The results as a table, then what warned or failed in words, then the verdict."""
    from rich.text import Text

    colour = {"passed": "green", "failed": "red", "warned": "yellow"}
    table = table_of(
        ["suite", "expectation", "column", "severity", "result", "unexpected", "sample / observed"],
        [
            [
                r.suite, r.expectation.removeprefix("expect_"), r.column or "", r.severity,
                Text(_outcome(r), colour[_outcome(r)]),
                "" if r.unexpected_count is None else str(r.unexpected_count),
                json.dumps(r.unexpected_sample, ensure_ascii=False)[:80] if r.unexpected_count else (r.observed or "")[:80],
            ]
            for r in shown
        ],
        title=f"run {record.run_id}: {record.status}, {verdict}",
    )  # fmt: skip
    print_table(table)
    for failure in record.failed:
        typer.echo(f"{_outcome(failure)}: {failure.describe()}")
    typer.echo(verdict)
    if record.status == "quarantined":
        typer.echo(f"quarantined tables and validation.json: {record.where}")


def _outcome(result: CheckResult) -> str:
    return "passed" if result.success else "failed" if result.blocking else "warned"
