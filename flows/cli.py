"""The `textlake` command line: `run` ingests files, `sql` asks the warehouse; later commands slot in here."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError

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


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"textlake: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def run(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(help="Files and folders to ingest (folders recursively).", show_default=False),
    ] = None,
    data_dir: DataDirOption = None,
    glob: Annotated[
        Optional[str], typer.Option(help="Which files in folders are read [default: *.txt].", show_default=False)
    ] = None,
    ner_model: Annotated[
        Optional[str],
        typer.Option(help="'default' (shipped German model), a spaCy package or path, or 'none'.", show_default=False),
    ] = None,
    summary_json: Annotated[
        Optional[Path], typer.Option(help="Also write the run summary as JSON to this file.", show_default=False)
    ] = None,
    wait_timeout: Annotated[
        Optional[float], typer.Option(help="Seconds to wait while another run holds the data dir.", show_default=False)
    ] = None,
    workers: Annotated[
        Optional[int],
        typer.Option(help="Processes for the language stage [default: CPU count].", show_default=False, min=1),
    ] = None,
    executor: Annotated[
        Optional[str],
        typer.Option(
            help="'processes' (worker processes of this run) or 'dask' (a Dask cluster) [default: processes].",
            show_default=False,
        ),
    ] = None,
    skip_unchanged: Annotated[
        bool,
        typer.Option(
            help="When every file is unchanged since a run read it (size and mtime), say so and start no flow run."
        ),
    ] = True,
    dask_address: Annotated[
        Optional[str],
        typer.Option(
            help="Scheduler of an existing Dask cluster, tcp://HOST:PORT (implies --executor dask).", show_default=False
        ),
    ] = None,
) -> None:
    """Ingest text files: documents, sentences and entities into Parquet and DuckDB, after checks."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    if dask_address and executor not in (None, "dask"):
        _fail("--dask-address needs --executor dask", 2)
    try:
        settings = _settings(
            data_dir=data_dir, glob=glob, ner_model=ner_model, lock_timeout_s=wait_timeout, workers=workers,
            executor="dask" if dask_address else executor, dask_address=dask_address,
        )  # fmt: skip
    except ValidationError as error:
        _fail(f"invalid setting: {error.errors()[0]['loc'][0]}: {error.errors()[0]['msg']}", 2)
    inputs = [str(p) for p in (paths or [Path("seeds")])]
    ahead = _work_ahead(inputs, settings)
    if skip_unchanged and ahead and ahead[0] and not ahead[1]:
        typer.echo(
            f"nothing new: {ahead[0]:,} files, each unchanged since a run read it; no flow run started "
            "(--no-skip-unchanged starts one anyway)"
        )
        if summary_json:
            summary_json.write_text(json.dumps({"skipped": True, "files_seen": ahead[0]}), encoding="utf-8")
        return
    if settings.executor == "processes" and (ahead is None or ahead[1] >= settings.parallel_min_chars):
        from textlake.nlp.workers import start_workers

        start_workers(settings.ner_model, settings.workers)
    from flows.ingest import ChecksFailed, ingest, progress_callback
    from textlake.run.lock import DataDirBusy

    bar = None
    if sys.stdout.isatty():
        bar = Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
            TextColumn("{task.fields[chars]:,} chars"), TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(), TimeRemainingColumn(), transient=True,
        )  # fmt: skip
        task_id = bar.add_task("ingest", total=None, chars=0, rate="")

        def show(files_done: int, files_total: int, chars_done: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0
            rate = f"{chars_done / elapsed / 1e6:.2f} MB/s" if elapsed > 0 else ""
            bar.update(task_id, completed=files_done, total=files_total, chars=chars_done, rate=rate)

        progress_callback.set(show)
        bar.start()
    try:
        summary = ingest(inputs, settings)
    except ChecksFailed as error:
        _fail(str(error))
    except DataDirBusy as error:
        _fail(str(error))
    finally:
        if bar:
            bar.stop()
    if summary_json:
        summary_json.write_text(json.dumps(summary.as_json(), indent=1), encoding="utf-8")
    typer.echo("\n".join(summary.lines()))


def _work_ahead(inputs: list[str], settings: Settings) -> tuple[int, int] | None:
    """(files, bytes in those a run would read: new, or changed since a run read them), decided from file
    metadata and the warehouse before Prefect starts. None when a run must start in any case: a missing
    path to record, an interrupted run to recover, or the warehouse busy with a load."""
    from textlake.ingest.sources import discover_files
    from textlake.ingest.triage import unchanged_since_read
    from textlake.warehouse.connection import WarehouseBusy
    from textlake.warehouse.state import known_files

    staging = settings.staging_dir
    if staging.is_dir() and any(staging.iterdir()):
        return None
    sources, missing = discover_files([Path(p) for p in inputs], settings.glob)
    try:
        known = known_files(settings.warehouse_path, wait_s=0)
    except WarehouseBusy:
        return None
    if missing:
        return None
    known_keys = known.documents.keys() | known.rejects.keys()
    return len(sources), sum(s.n_bytes for s in sources if unchanged_since_read(s, known) not in known_keys)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def sql(
    query: Annotated[Optional[str], typer.Argument(help="SQL, read-only (or use --file).", show_default=False)] = None,
    file: Annotated[
        Optional[Path],
        typer.Option("--file", "-f", help="Read the SQL from this file ('-' for stdin).", show_default=False),
    ] = None,
    data_dir: DataDirOption = None,
    write: Annotated[bool, typer.Option("--write", help="Allow statements that change the warehouse.")] = False,
    wait_timeout: Annotated[float, typer.Option(help="Seconds to wait while a run holds the warehouse.")] = 30.0,
    format: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv (header then rows) or json (one array).")
    ] = OutputFormat.table,
) -> None:
    """Query the warehouse (read-only): tables documents, sentences, entities, rejects, runs, and views."""
    import duckdb

    from textlake.run.lock import DataDirBusy, writer_lock
    from textlake.warehouse.connection import NoWarehouse, WarehouseBusy, WritingQuery
    from textlake.warehouse.connection import query as run_query

    if (query is None) == (file is None):
        _fail("give the SQL either as an argument or with --file", 2)
    if file is not None:
        query = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    settings = _settings(data_dir=data_dir)
    try:
        if write:
            with writer_lock(settings.data_dir, wait_timeout):
                columns, rows = run_query(settings.warehouse_path, query, write=True, wait_s=wait_timeout)
        else:
            columns, rows = run_query(settings.warehouse_path, query, wait_s=wait_timeout)
    except (NoWarehouse, WarehouseBusy, WritingQuery, DataDirBusy) as error:
        _fail(str(error))
    except duckdb.Error as error:
        _fail(f"query failed: {str(error).splitlines()[0]}")
    _print_rows(columns, rows, format)


def _print_rows(columns: list[str], rows: list[tuple], format: OutputFormat) -> None:
    if format is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif format is OutputFormat.json:
        typer.echo(json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, default=str, indent=1))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*("NULL" if value is None else str(value) for value in row))
        Console().print(table)
        typer.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to look for (German stemming: 'Atomwaffe' finds 'Atomwaffen').")],
    limit: Annotated[int, typer.Option(help="How many sentences.")] = 10,
    all_terms: Annotated[bool, typer.Option("--all", help="Only sentences with every word.")] = False,
    data_dir: DataDirOption = None,
    format: Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")] = OutputFormat.table,
) -> None:
    """Full-text search over sentences (BM25), best first, with their document's date and path."""
    from textlake.warehouse.connection import NoWarehouse, WarehouseBusy
    from textlake.warehouse.search import search_sentences

    settings = _settings(data_dir=data_dir)
    try:
        columns, rows = search_sentences(settings.warehouse_path, query, limit, all_terms)
    except (NoWarehouse, WarehouseBusy) as error:
        _fail(str(error))
    rows = [(round(score, 3), *rest) for score, *rest in rows]
    _print_rows(columns, rows, format)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="Where to write the HTML file.")] = Path("report.html"),
    data_dir: DataDirOption = None,
) -> None:
    """Write one self-contained HTML report (plots inline, works offline)."""
    from textlake.warehouse.connection import NoWarehouse, WarehouseBusy
    from textlake.warehouse.report import build_report

    settings = _settings(data_dir=data_dir)
    try:
        written = build_report(settings.warehouse_path, out)
    except (NoWarehouse, WarehouseBusy) as error:
        _fail(str(error))
    typer.echo(f"report written to {written}")


@app.command()
def checks(
    run: Annotated[
        Optional[str],
        typer.Option("--run", help="A run id (default: the latest run that ran checks).", show_default=False),
    ] = None,
    data_dir: DataDirOption = None,
    failed_only: Annotated[bool, typer.Option("--failed", help="Show only expectations that failed.")] = False,
) -> None:
    """Show a run's validation results: every expectation, its severity and what it found."""
    from rich.console import Console
    from rich.table import Table

    from textlake.quality.results import run_checks_record

    settings = _settings(data_dir=data_dir)
    record = run_checks_record(settings.warehouse_path, settings.quarantine_dir, run)
    if record is None:
        _fail(f"no checks recorded for run {run}" if run else f"no checks recorded in {settings.data_dir} yet")
    rows = [r for r in record.rows if not (failed_only and r["success"])]
    passed = sum(1 for r in record.rows if r["success"])
    table = Table("suite", "expectation", "column", "severity", "result", "unexpected", "sample / observed",
                  title=f"run {record.run_id}: {record.status}, {passed} passed, {len(record.rows) - passed} failed")  # fmt: skip
    for r in rows:
        verdict = (
            "[green]pass[/]" if r["success"] else ("[red]FAIL[/]" if r["severity"] == "error" else "[yellow]warn[/]")
        )
        table.add_row(
            r["suite"], r["expectation"].removeprefix("expect_"), r["column"] or "", r["severity"], verdict,
            "" if r["unexpected_count"] is None else str(r["unexpected_count"]),
            (r["unexpected_sample"] or r["observed"] or "")[:80],
        )  # fmt: skip
    Console(width=200 if not sys.stdout.isatty() else None).print(table)
    if record.status == "quarantined":
        typer.echo(f"quarantined tables and validation.json: {record.where}")
    if any(not r["success"] and r["severity"] == "error" for r in record.rows):
        raise typer.Exit(1)


def prefect_server_env(data_dir: Path, port: int) -> dict[str, str]:
    """Environment for a Prefect server on 127.0.0.1:port with its database in the data dir and the UI
    pointing at the right API (`--port` alone leaves the UI pointing at 4200)."""
    import os

    api = f"http://127.0.0.1:{port}/api"
    return {
        **os.environ,
        "PREFECT_HOME": str((data_dir / "prefect").resolve()),
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_UI_API_URL": api,
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }


@app.command()
def server(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 4200,
    data_dir: DataDirOption = None,
) -> None:
    """Start a Prefect server (API and UI) on 127.0.0.1, its database in the data dir. Ctrl-C stops it."""
    import shutil
    import signal
    import subprocess

    settings = _settings(data_dir=data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = prefect_server_env(settings.data_dir, port)
    prefect = shutil.which("prefect", path=str(Path(sys.executable).parent)) or "prefect"
    typer.echo(f"Prefect UI:  http://127.0.0.1:{port}")
    typer.echo(f"Point runs at it:  export PREFECT_API_URL=http://127.0.0.1:{port}/api")
    process = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env)
    try:
        raise typer.Exit(process.wait())
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        typer.echo("Prefect server stopped.")


@app.command()
def serve(
    inbox: Annotated[Path, typer.Option("--inbox", help="Folder to watch; new or changed files are ingested.")],
    interval: Annotated[Optional[float], typer.Option(help="Seconds between runs.", show_default=False)] = None,
    cron: Annotated[
        Optional[str], typer.Option(help="Cron schedule instead of an interval.", show_default=False)
    ] = None,
    data_dir: DataDirOption = None,
    glob: Annotated[
        Optional[str], typer.Option(help="Which files are read [default: *.txt].", show_default=False)
    ] = None,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "inbox",
) -> None:
    """Ingest an inbox on a schedule (a Prefect deployment served from this process; needs PREFECT_API_URL
    pointing at a server, see `textlake server`). Runs never overlap; Ctrl-C or SIGTERM stops it."""
    import os

    from flows.ingest import ingest

    if (interval is None) == (cron is None):
        _fail("give exactly one of --interval and --cron", 2)
    if not os.environ.get("PREFECT_API_URL"):
        _fail("textlake serve needs a Prefect server: start one with `textlake server` and set PREFECT_API_URL", 2)
    settings = _settings(data_dir=data_dir, glob=glob)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    parameters = {"paths": [str(inbox.resolve())], "settings": json.loads(settings.model_dump_json())}
    ingest.serve(
        name=name,
        interval=interval,
        cron=cron,
        parameters=parameters,
        global_limit=1,
        limit=1,
        description=f"Ingest new and changed files from {inbox} into {settings.data_dir}",
        tags=["textlake"],
    )


eval_app = typer.Typer(help="Measure language quality against gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("sentences")
def eval_sentences(
    gold: Annotated[Path, typer.Option("--gold", help="JSONL with text and gold [start, end) sentence spans.")],
    errors: Annotated[int, typer.Option("--errors", help="Print this many mismatches.")] = 0,
) -> None:
    """Sentence-boundary precision, recall, F1 and exact-sentence share of textlake's segmenter."""
    import time

    from textlake.nlp.evaluate import evaluate_sentences, read_sentence_gold

    started = time.perf_counter()
    result = evaluate_sentences(read_sentence_gold(gold), keep_errors=errors)
    seconds = time.perf_counter() - started
    b = result.boundaries
    typer.echo(
        f"boundaries  P {b.precision:.4f}  R {b.recall:.4f}  F1 {b.f1:.4f}  ({b.true_positives} of {b.gold} gold, {b.predicted} predicted)"
    )
    typer.echo(f"sentences   {result.exact_share:.4f} of {result.gold_sentences} gold sentences matched exactly")
    typer.echo(f"speed       {result.chars / seconds:,.0f} characters/s (with scoring)")
    for doc_id, kind, context in result.errors:
        typer.echo(f"{kind:9} {doc_id}: {context}")


@eval_app.command("ner")
def eval_ner(
    gold: Annotated[Path, typer.Option("--gold", help="GermEval 2014 TSV.")],
    ner_model: Annotated[str, typer.Option(help="'default' or a spaCy package/path.")] = "default",
    limit: Annotated[Optional[int], typer.Option(help="Only the first N sentences.", show_default=False)] = None,
) -> None:
    """Entity-level precision, recall and F1 (exact spans), overall and per label, and words/s."""
    from textlake.nlp.entities import load_recognizer
    from textlake.nlp.evaluate import evaluate_ner

    result = evaluate_ner(gold, load_recognizer(ner_model), limit)
    typer.echo(f"{'label':6} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6}")
    for label, s in [*result.per_label.items(), ("all", result.overall)]:
        typer.echo(f"{label:6} {s.precision:7.4f} {s.recall:7.4f} {s.f1:7.4f} {s.gold:6d}")
    typer.echo(
        f"{result.sentences} sentences, {result.words:,} words, {result.words_per_second:,.0f} words/s on one process"
    )


if __name__ == "__main__":
    app()
