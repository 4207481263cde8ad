"""`textlake run`: ingest files and folders, with a progress bar on a terminal and a summary."""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from pydantic import ValidationError

from flows.cli.app import DataDirOption, _fail, _settings, app, local_or_reachable
from flows.cli.processes import when_stopped
from flows.cli.service import start_temporary_api, use_running_server
from textlake.settings import Settings

if TYPE_CHECKING:  # what a run needs (pyarrow, DuckDB, pandas) is imported when one starts: `--help` answers at once
    from textlake.ingest.sources import SourceFile
    from textlake.run.ahead import WorkAhead


@app.command()
def run(
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(show_default=False, metavar="PATH", hidden=True),
    ] = None,
    data_dir: DataDirOption = None,
    glob: Annotated[
        Optional[list[str]],
        typer.Option(
            help="Which files in folders are read, e.g. '*.jsonl'; repeatable [default: every file of a format "
            "textlake reads].",
            show_default=False,
            metavar="PATTERN",
        ),
    ] = None,
    format: Annotated[
        Optional[str],
        typer.Option(
            "--format",
            help="Read every input as FORMAT: jsonl, json, csv, tsv, parquet, zip, txt, html or warc, optionally with "
            ".gz, .bz2 or .zst [default: each file by its name].",
            show_default=False,
            metavar="FORMAT",
        ),
    ] = None,
    field: Annotated[
        Optional[list[str]],
        typer.Option(
            "--field",
            help="Where a record file's field comes from, FIELD=COLUMN (text, title, published, url, outlet, "
            "authors, id, language); repeatable [default: the usual names, e.g. text, maintext, body].",
            show_default=False,
            metavar="FIELD=COLUMN",
        ),
    ] = None,
    ner_model: Annotated[
        Optional[str],
        typer.Option(
            help="'default' (shipped German model), 'transformer' (better entities, slower: build it with "
            "`make transformer`), a spaCy package or path, or 'none'.",
            show_default=False,
            metavar="MODEL",
        ),
    ] = None,
    direct_speech_weights: Annotated[
        Optional[Path],
        typer.Option(
            help="Decide what is direct speech with the classifier of FILE (models/noncommercial/direct_speech.json "
            "in a checkout): CC BY-NC-SA 4.0, for non-commercial use only [default: the rules].",
            exists=True,
            dir_okay=False,
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    curation: Annotated[
        Optional[Path],
        typer.Option(
            "--curation",
            help="Apply the curation file FILE to the new rows (merge names, set labels, drop false names, pin "
            "places, map speakers) [default: <data dir>/curation.yaml when it exists].",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show Prefect's and GX's INFO logs on the terminal too.")
    ] = False,
    summary_json: Annotated[
        Optional[Path],
        typer.Option(help="Also write the run summary as JSON to this file.", show_default=False, metavar="FILE"),
    ] = None,
    wait_timeout: Annotated[
        Optional[float],
        typer.Option(
            help="Seconds to wait while another run holds the data dir, or another process (a DuckDB shell, a "
            "notebook) has the warehouse open [default: 0 and 5].",
            show_default=False,
            metavar="SECONDS",
        ),
    ] = None,
    workers: Annotated[
        Optional[int],
        typer.Option(help="Processes for the language stage [default: CPU count].", show_default=False, metavar="N"),
    ] = None,
    executor: Annotated[
        Optional[str],
        typer.Option(
            help="'processes' (worker processes of this run) or 'dask' (a Dask cluster) [default: processes].",
            show_default=False,
            metavar="processes|dask",
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
            help="Scheduler of an existing Dask cluster, tcp://HOST:PORT (implies --executor dask).",
            show_default=False,
            metavar="tcp://HOST:PORT",
        ),
    ] = None,
) -> None:
    """Ingest text files and folders (folders recursively; default seeds/), or objects by URL (s3://bucket/prefix/,
    https://…): documents, sentences and entities into Parquet and DuckDB, after checks."""
    if dask_address and executor not in (None, "dask"):
        _fail("--dask-address needs --executor dask", 2)
    try:
        settings = _settings(
            data_dir=data_dir, glob=glob or None, ner_model=ner_model, lock_timeout_s=wait_timeout, load_wait_s=wait_timeout, workers=workers,
            executor="dask" if dask_address else executor, dask_address=dask_address,
            direct_speech_weights=direct_speech_weights, record_format=format, fields=field or None,
            curation=curation,
        )  # fmt: skip
    except ValidationError as error:
        _fail(f"invalid setting: {error.errors()[0]['loc'][0]}: {error.errors()[0]['msg']}", 2)
    from textlake.run.ahead import prepare_in_advance, workers_started_in_advance

    if why := _unbuilt_model(settings):
        _fail(why)  # before anything starts, not as a failed flow run
    # Ctrl-C: one line, the flow run Cancelled, and the workers (disposable) get a second to end.
    when_stopped(functools.partial(_cancel_flow_run, settings), say="{stopped}; the next run recovers", grace_s=1.0)
    inputs = paths or ["seeds"]
    ahead = _work_ahead_or_usage_error(inputs, settings)
    if skip_unchanged and ahead and ahead.nothing_new:
        typer.echo(
            f"nothing new: {ahead.files:,} files, each unchanged since a run read it; no flow run started "
            "(--no-skip-unchanged starts one anyway)"
        )
        if summary_json:
            summary_json.write_text(json.dumps({"skipped": True, "files_seen": ahead.files}), encoding="utf-8")
        return
    from textlake.run.lock import DataDirBusy, writer_lock
    from textlake.warehouse.connection import WarehouseBusy, ensure_writable

    try:  # before Prefect's ~20 s start: another run, or a process with the warehouse open, is said at once
        with writer_lock(settings.data_dir, settings.lock_timeout_s, on_wait=lambda m: _say(m)):
            ensure_writable(settings.warehouse_path, settings.load_wait_s)
    except (DataDirBusy, WarehouseBusy) as error:
        _fail(str(error))
    use_running_server(settings.data_dir)  # a `textlake server` on this data dir, when one runs
    # The terminal shows the bar, and Prefect's INFO logs only when asked; the API and its UI get them all.
    os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "INFO" if verbose else "WARNING"
    api = start_temporary_api()  # first: it boots in its own process while this one imports and loads
    from flows.ingest import ChecksFailed, ingest

    if api is not None:
        prepare_in_advance(settings, ahead)
        try:
            api.wait(float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
        except RuntimeError as error:
            api.stop()
            _fail(f"Prefect's temporary API did not start: {str(error).splitlines()[0]}")

    try:
        with progress_bar(), api.in_use() if api is not None else nullcontext():
            summary = ingest(inputs, settings)
    except (ChecksFailed, DataDirBusy, WarehouseBusy) as error:
        _fail(str(error))
    finally:  # workers started in advance for a flow that failed before taking them
        if unused := workers_started_in_advance(settings):
            unused.close()
    if summary_json:
        summary_json.write_text(json.dumps(summary.as_json(), indent=1), encoding="utf-8")
    typer.echo("\n".join(summary.lines()))


def _unbuilt_model(settings: Settings) -> str | None:
    """Why the NER model asked for cannot run (the transformer backend, not built yet), or None."""
    from textlake.nlp.transformer import is_transformer_model, transformer_unavailable

    return transformer_unavailable(settings.ner_model) if is_transformer_model(settings.ner_model) else None


def _work_ahead_or_usage_error(inputs: list[str], settings: Settings) -> WorkAhead | None:
    """What the run has ahead of it; a usage error (exit 2) before anything starts for a path that does not
    exist (a typo is no permanent reject), a flag that names nothing, or a record file without text; an error
    (exit 1) for a URL whose store does not answer or refuses (no such bucket, no permission)."""
    for given in inputs:
        local = local_or_reachable(given)
        if local is not None and not local.exists():
            _fail(f"no such file or folder: {given}", 2)
    if problem := flag_problem(settings):
        _fail(problem, 2)
    if problem := curation_problem(settings):
        _fail(problem, 2)
    from textlake.run.ahead import work_ahead

    ahead = work_ahead(inputs, settings)
    if problem := text_column_problem(settings, ahead.to_read if ahead else []):
        _fail(problem, 2)
    return ahead


def flag_problem(settings: Settings) -> str | None:
    """A --format or --field that names nothing: a usage error, said in one line."""
    from textlake.ingest.records import detect_format, field_names_from_flags

    try:
        field_names_from_flags(settings.fields)
        if settings.record_format:
            detect_format("", settings.record_format)
    except ValueError as error:
        return str(error)
    return None


def curation_problem(settings: Settings) -> str | None:
    """A curation file that cannot be read (or one given by name that does not exist): a usage error before
    the run starts, in one line."""
    from textlake.lake.curation import CurationError, read_curation

    try:
        read_curation(settings.curation_path, required=settings.curation is not None)
    except CurationError as error:
        return str(error)
    return None


def text_column_problem(settings: Settings, to_read: list[SourceFile]) -> str | None:
    """A Parquet, CSV or TSV file to read whose columns hold no text: a usage error before the run starts,
    said in one line with the file's columns."""
    from textlake.ingest.records import NoTextColumn, check_text_column, field_names_from_flags
    from textlake.ingest.sources import open_source

    fields = field_names_from_flags(settings.fields)
    for source in to_read:
        try:
            with open_source(source) as file:
                check_text_column(file, source.name, format=settings.record_format, fields=fields)
        except NoTextColumn as error:
            return str(error)
        except Exception:  # noqa: BLE001 — unreadable (an object store's errors are its own): the run records it
            continue
    return None


@contextmanager
def progress_bar() -> Iterator[None]:
    """On a terminal, one bar for the run inside the block: files done of files found, documents analysed,
    bytes, rate and time left, moving as each file is read (when it needs nothing more: a record file once
    read) or analysed (a text file). Nothing when piped."""
    if not sys.stdout.isatty():
        yield
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from flows.ingest import run_progress

    bar = Progress(
        TextColumn("[bold]ingest"), BarColumn(), TextColumn("{task.fields[files]} files"),
        TextColumn("{task.fields[documents]} documents"), DownloadColumn(),
        TransferSpeedColumn(), TimeElapsedColumn(), TimeRemainingColumn(), transient=True,
    )  # fmt: skip
    task = bar.add_task("ingest", total=None, files="0/?", documents="0")

    class Bar:
        """Counts files, documents and bytes as the run reports them (from its worker threads too)."""

        def __init__(self) -> None:
            self.lock = threading.Lock()
            self.done = self.total = self.documents = 0

        def found(self, files: int, n_bytes: int) -> None:
            with self.lock:
                self.total = files
                bar.update(task, total=n_bytes, files=f"0/{files:,}")

        def advance(self, files: int, n_bytes: int, documents: int = 0) -> None:
            with self.lock:
                self.done += files
                self.documents += documents
                bar.update(
                    task, advance=n_bytes, files=f"{self.done:,}/{self.total:,}", documents=f"{self.documents:,}"
                )

    token = run_progress.set(Bar())
    bar.start()
    try:
        yield
    finally:
        bar.stop()
        run_progress.reset(token)


def _cancel_flow_run(settings: Settings, signal_name: str) -> None:
    """When this process runs a flow run on the data dir, it ends Cancelled (Prefect is imported only then)."""
    from textlake.run.lock import recorded_flow_run

    record = recorded_flow_run(settings.data_dir)
    if record is not None and record.pid == os.getpid():
        from flows.stopped_runs import cancel_flow_run

        cancel_flow_run(record, signal_name)


def _say(message: str) -> None:
    typer.echo(f"textlake: {message}", err=True)
