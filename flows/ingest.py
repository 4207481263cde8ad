"""The `textlake-ingest` flow: files → documents, sentences, entities → Parquet → checks → DuckDB.

Tasks work on batches (one task run per stage and batch), so the Prefect server records tens of task
runs per run, not one per file. Stage logic lives in `textlake`; this module only wires it. What earlier
runs know of every file is passed to `read-batch` `quote`d: Prefect would otherwise walk it looking for
upstream results, ~0.9 s per call at 10,000 known files; so is a batch's documents for `analyse-batch`, unless
it runs on Dask (a Dask worker would get the `quote` itself, not its value).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Completed, Failed
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

import textlake  # noqa: F401 — switches telemetry off before Prefect is imported
from flows.sigterm import keep_commands_sigterm
from flows.stopped_runs import flow_run_named_in_data_dir
from textlake.faults import crash_point
from textlake.ingest.known import KnownFiles, RecordReading, TriagedBatch
from textlake.ingest.prepare import PreparedDocument, Reject
from textlake.ingest.record_triage import triage_record_file
from textlake.ingest.sources import SourceFile, Unreadable, discover_files
from textlake.ingest.triage import (
    bytes_to_read,
    plan_batches,
    set_aside_settled,
    streamed_record_file,
    triage_batch,
)
from textlake.lake import tables
from textlake.lake.curation import Application, CurationError, read_curation
from textlake.lake.staging import StagedRun, publish_to_lake, ready_runs, recover_staging
from textlake.nlp.workers import LanguageWorkers, analyse_here
from textlake.quality.checks import CheckReport, Validator, check_table, run_checks
from textlake.quality.data_docs import build_data_docs
from textlake.quality.results import results_table
from textlake.run.ahead import listed_in_advance, workers_started_in_advance
from textlake.run.batches import AnalysedBatch, RunLedger, analyse_batch
from textlake.run.heap import loaded_objects_frozen
from textlake.run.lock import DataDirBusy, writer_lock
from textlake.run.staging_order import (
    BatchesInFlight,
    RunProgress,
    admit,
    show_analysed,
    stage_rejects_and_places,
    start_workers_early,
)
from textlake.run.summary import RunSummary
from textlake.settings import Settings
from textlake.warehouse.connection import WarehouseBusy, ensure_writable
from textlake.warehouse.load import load_run
from textlake.warehouse.state import absolute_source_paths, known_files

# The CLI's progress bar, kept out of the flow's parameters so they stay plain data for the Prefect API.
run_progress: ContextVar[RunProgress | None] = ContextVar("textlake_progress", default=None)


# The final state of a run that published while some `warning` checks failed: Completed, named so that an
# operator sees it in the Prefect UI.
WITH_WARNINGS = "Completed with warnings"
# Prefect draws "Completed with warnings" as green as Completed; the tag finds those runs in the runs list.
WARNED_TAG = "warned"


class ChecksFailed(Exception):
    """An `error` expectation failed; nothing was published."""


def new_run_id(now: dt.datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@task(name="load-state")
def load_state(settings: Settings) -> KnownFiles:
    bases = [Path.cwd(), settings.data_dir.resolve().parent]
    for old, new in absolute_source_paths(settings.warehouse_path, bases, settings.load_wait_s).items():
        get_run_logger().info("source path made absolute: %s → %s", old, new)
    known = known_files(settings.warehouse_path, settings.query_wait_s)
    for action in recover_staging(settings.staging_dir, settings.lake_location, known.committed_runs):
        get_run_logger().warning("recovered after an interrupted run: %s", action)
    ready = ready_runs(settings.staging_dir)
    for run_id, staged in ready.items():  # checked by an earlier run that found the warehouse busy
        added = load_run(settings.warehouse_path, staged, settings.load_wait_s, settings.duckdb_memory_limit)
        publish_to_lake(staged, settings.lake_location, run_id)
        get_run_logger().info("loaded run %s, staged and checked by an earlier run: %s", run_id, added)
    return known_files(settings.warehouse_path, settings.query_wait_s) if ready else known


@task(name="discover")
def discover(paths: list[str], glob: tuple[str, ...]) -> tuple[list[SourceFile], list[Unreadable]]:
    listed = listed_in_advance(paths, glob)  # by `textlake run`'s check before the flow, moments ago
    sources, missing = (listed, []) if listed is not None else discover_files(paths, glob)
    get_run_logger().info("found %d files (%d paths missing)", len(sources), len(missing))
    return sources, missing


# No cache policy: a cache key would hash the inputs, among them everything earlier runs know of every file.
@task(name="read-batch", task_run_name="read-batch-{number}", cache_policy=NO_CACHE)
def read_batch(
    number: int, sources: list[SourceFile], known: KnownFiles, max_file_bytes: int, reading: RecordReading
) -> TriagedBatch:
    batch = triage_batch(sources, known, max_file_bytes, reading)
    get_run_logger().info(
        "batch %d: %d files → %d new texts, %d known from elsewhere, %d unchanged, %d rejected",
        number, len(sources), len(batch.documents), len(batch.repeated_texts), batch.unchanged, len(batch.rejects),
    )  # fmt: skip
    return batch


# A record file larger than a batch is read as a stream: one task run yields its batches as they are read.
@task(name="read-record-file", task_run_name="read-record-file-{number}", cache_policy=NO_CACHE)
def read_record_file(
    number: int, source: SourceFile, known: KnownFiles, reading: RecordReading, batch_bytes: int
) -> Iterator[TriagedBatch]:
    for part, batch in enumerate(triage_record_file(source, known, reading, batch_bytes)):
        get_run_logger().info(
            "%s, part %d: %d new texts, %d known from elsewhere, %d unchanged, %d rejected",
            source.path, part, len(batch.documents), len(batch.repeated_texts), batch.unchanged, len(batch.rejects),
        )  # fmt: skip
        yield batch


# No cache policy: hashing a batch's texts for a cache key would cost time and buy nothing.
@task(name="analyse-batch", task_run_name="analyse-batch-{number}", cache_policy=NO_CACHE)
def analyse(
    number: int,
    documents: list[PreparedDocument],
    settings: Settings,
    workers: LanguageWorkers | None,
    progress: RunProgress | None = None,
) -> AnalysedBatch:
    """Runs where the NLP runner puts it: a thread of the run feeding the run's worker processes, or a Dask
    worker (`workers` None: it does the work itself; the model is loaded once per worker process either way)."""

    def done(chunk: Sequence[PreparedDocument], n_bytes: int) -> None:
        if progress:
            show_analysed(progress, chunk, n_bytes)

    if workers:
        batch = analyse_batch(documents, lambda docs: workers.analyse(docs, done))
    else:
        batch = analyse_batch(documents, lambda docs: analyse_here(docs, settings))
    get_run_logger().info(
        "batch %d: %d documents → %d sentences, %d entities",
        number, len(batch.analysed), batch.sentences.num_rows, batch.entities.num_rows,
    )  # fmt: skip
    return batch


@task(name="check", cache_policy=NO_CACHE)
def check(staged: dict[str, Path], settings: Settings, validator: Validator) -> CheckReport:
    report = run_checks(staged, settings, validator)
    if not report.results:
        get_run_logger().info("checks: no new rows, nothing to check")
    log_report("checks", report)
    return report


@task(name="check-run-record", cache_policy=NO_CACHE)
def check_run_record(staged_runs: Path, settings: Settings, validator: Validator) -> CheckReport:
    """The run's own `runs` row, written once the checks of its tables ran."""
    report = check_table("runs", staged_runs, settings, validator)
    log_report("run record checks", report)
    return report


def log_report(what: str, report: CheckReport) -> None:
    logger = get_run_logger()
    logger.info("%s: %d passed, %d failed (%d blocking)", what, report.passed, len(report.failed), len(report.blocking))
    for result in report.failed:
        (logger.error if result.blocking else logger.warning)("check failed: %s", result.describe())


@task(name="data-docs")
def data_docs(report: CheckReport, settings: Settings, run_id: str) -> Path:
    index = build_data_docs(report, settings.data_docs_dir, run_id)
    get_run_logger().info("Data Docs: %s", index)
    return index


# The load is one transaction and keyed, so a later run may load the same staged files again safely.
@task(name="load-warehouse")
def load_warehouse(settings: Settings, staged: dict[str, Path], run_id: str) -> dict[str, int] | WarehouseBusy:
    """Rows added per table; or, when another process has the DuckDB file open, the reason (returned, not
    raised: the run keeps its checked tables for the next run, and the terminal gets one line, no traceback)."""
    try:
        added = load_run(settings.warehouse_path, staged, settings.load_wait_s, settings.duckdb_memory_limit)
    except WarehouseBusy as busy:
        return busy
    crash_point("publish")
    publish_to_lake(staged, settings.lake_location, run_id)
    get_run_logger().info("loaded into %s: %s", settings.warehouse_path, added)
    return added


@contextmanager
def nlp_runner(settings: Settings) -> Iterator[TaskRunner]:
    """Where analyse-batch task runs execute. `processes`: threads of this run, each handing a batch to the
    run's worker processes, so the next batch is read while one is analysed. `dask`: a Dask cluster via
    prefect-dask, the one at `dask_address` or a local one with `workers` single-threaded processes."""
    if settings.executor == "dask":
        from prefect_dask import DaskTaskRunner

        runner: TaskRunner = (
            DaskTaskRunner(address=settings.dask_address)
            if settings.dask_address
            else DaskTaskRunner(
                cluster_kwargs={
                    "n_workers": settings.workers,
                    "threads_per_worker": 1,
                    "processes": True,
                    "dashboard_address": None,
                }
            )
        )
    else:
        runner = ThreadPoolTaskRunner(max_workers=batches_in_flight(settings))
    with runner:
        yield runner


def batches_in_flight(settings: Settings) -> int:
    """Batches submitted but not yet collected: enough to keep every worker busy, few enough that memory stays
    flat (each holds at most `batch_bytes` of input)."""
    return 2 if settings.executor == "processes" else settings.workers + 1


def _flow_run_name() -> str:
    inputs = flow_run.parameters.get("paths") or ["seeds"]
    label = Path(inputs[0]).name or inputs[0]
    more = f" +{len(inputs) - 1}" if len(inputs) > 1 else ""
    return f"ingest {label}{more} {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S}"


@flow(name="textlake-ingest", flow_run_name=_flow_run_name, log_prints=True)
def ingest(paths: list[str], settings: Settings | None = None) -> RunSummary:
    """Ingest files and folders into the warehouse of `settings.data_dir`. When the run cannot publish, its
    flow run ends Failed with one line saying why, and the call raises it: `ChecksFailed` (an error-severity
    expectation failed), `DataDirBusy` (another run), `WarehouseBusy` (another process has the DuckDB file
    open). The warehouse is then unchanged."""
    keep_commands_sigterm()
    settings = settings or Settings()
    started = dt.datetime.now(dt.UTC)
    summary = RunSummary(new_run_id(started), flow_run_id=str(flow_run.id) if flow_run.id else None)
    summary.warehouse = settings.warehouse_path
    try:
        with loaded_objects_frozen():
            return _ingest(paths, settings, summary, started)
    except (ChecksFailed, DataDirBusy, WarehouseBusy, CurationError) as error:
        # A run that cannot publish ends Failed with one line saying why (no traceback: nothing crashed).
        return Failed(message=str(error), data=error)  # type: ignore[return-value]


def _ingest(paths: list[str], settings: Settings, summary: RunSummary, started: dt.datetime) -> RunSummary:
    validator = Validator()
    held = writer_lock(settings.data_dir, settings.lock_timeout_s, on_wait=get_run_logger().warning)
    with held, flow_run_named_in_data_dir(settings):
        ensure_writable(settings.warehouse_path, settings.load_wait_s)
        with summary.timed("read"):
            known = load_state(settings)
            sources, missing = discover(paths, settings.glob)
        staging = StagedRun(settings.staging_dir, summary.run_id)
        try:
            new_rejects = stage_batches(sources, missing, known, settings, staging, summary, started, validator)
            with summary.timed("write"):
                staged = staging.close()
        except BaseException:
            staging.abort()
            raise
        with summary.timed("checks"):
            report = check(staged, settings, validator)
        if not report.results:  # no new rows: nothing to write, not even the run's own row
            staging.abort()
            summary.nothing_new = True
            _publish_artifacts(summary, new_rejects)
            get_run_logger().info("nothing new: no rows written, the warehouse is unchanged")
            return summary
        with summary.timed("checks"):
            # The run's own row is checked too; the row loaded then counts those checks as well (they
            # hold for any counts: the suite asks only that counts are not negative).
            staged["runs"] = staging.add("runs", tables.runs_table(summary.runs_row(started, paths)))
            report += check_run_record(staged["runs"], settings, validator)
            summary.record_checks(report)
            staged["runs"] = staging.add("runs", tables.runs_table(summary.runs_row(started, paths)))
        validated_at = dt.datetime.now(dt.UTC)
        with summary.timed("data_docs"):
            summary.data_docs = data_docs(report, settings, summary.run_id)
        if not report.ok:
            summary.quarantine = staging.quarantine(
                settings.quarantine_dir, quarantine_record(summary, paths, report, validated_at)
            )
            _publish_artifacts(summary, new_rejects)
            raise ChecksFailed(
                f"check failed, nothing published: {summary.checks_blocking[0]} "
                f"(run quarantined in {summary.quarantine}; see `textlake checks --run {summary.run_id}`)"
            )
        staged["validations"] = staging.add("validations", results_table(report, summary.run_id, validated_at))
        with summary.timed("load"):
            loaded = load_warehouse(settings, staged, summary.run_id)
        if isinstance(loaded, WarehouseBusy):
            staging.mark_ready()
            raise WarehouseBusy(f"{loaded}; this run's checked tables wait in {staging.directory} for the next run")
        summary.published = True
    _publish_artifacts(summary, new_rejects)
    for line in summary.lines():
        get_run_logger().info(line)
    if summary.checks_warned:  # say so in its state's name, and tag it: the UI filters the runs list by tag
        _tag_flow_run(WARNED_TAG)
        return Completed(  # type: ignore[return-value]  # the caller gets the state's data, the summary
            name=WITH_WARNINGS, message=f"{len(summary.checks_warned)} checks warned", data=summary
        )
    return summary


def _tag_flow_run(tag: str) -> None:
    """Add `tag` to this flow run's tags (a tag the UI's runs list filters by)."""
    from prefect.client.orchestration import get_client

    if flow_run.id is None:
        return
    with get_client(sync_client=True) as client:
        tags = client.read_flow_run(flow_run.id).tags
        client.update_flow_run(flow_run.id, tags=[*tags, tag])


def stage_batches(
    sources: list[SourceFile],
    missing: list[Unreadable],
    known: KnownFiles,
    settings: Settings,
    staging: StagedRun,
    summary: RunSummary,
    started: dt.datetime,
    validator: Validator,
) -> list[Reject]:
    """Read, analyse and stage every batch; returns the run's new rejects (earlier ones are only counted).
    Batches are analysed while the next ones are read, and staged in input order."""
    progress = run_progress.get()
    local = settings.executor == "processes"  # the language stage in this run's processes, not on Dask
    # read before the language stage: a file that cannot be read stops the run before it costs anything
    curation = Application(
        read_curation(settings.curation_path, settings.curation is not None), summary.run_id, started
    )
    summary.files_seen = len(sources) + len(missing)
    ledger = RunLedger(known, summary)
    ledger.record_missing(missing)
    if progress:
        progress.found(len(sources), sum(s.n_bytes for s in sources))
    reading = RecordReading.of(settings)
    to_read = set_aside(sources, ledger, progress, reading)
    # Started while Prefect's temporary API booted when `textlake run` saw enough text ahead, or now.
    workers = workers_started_in_advance(settings) or LanguageWorkers(settings, settings.workers)
    if workers.documents_ahead:
        get_run_logger().info(
            "%d documents of the first batches analysed since before the flow", workers.documents_ahead
        )
    # a Dask worker cannot report its chunks to this process's progress display: it hears of whole batches
    in_flight = BatchesInFlight(
        ledger, staging, started, batches_in_flight(settings), None if local else progress, curation
    )
    # The workers are stopped first when the stage unwinds (an error, a SIGTERM): the runner's threads wait on
    # their chunks, and would otherwise wait for every chunk in flight to be finished.
    with nlp_runner(settings) as runner, workers:
        start_workers_early(workers, settings, bytes_to_read(to_read, known, reading))
        for number, (triaged, batch_sources) in enumerate(read_all(to_read, known, reading, settings, summary)):
            staging.append("file_state", tables.file_state_table(triaged.files_read, summary.run_id))
            documents = admit(ledger, triaged, batch_sources, progress, staging, started)
            if documents:
                validator.prepare()
                in_flight.add(number, runner.submit(analyse, batch_parameters(number, documents, settings, workers)))
        in_flight.finish()
    stage_rejects_and_places(ledger, staging, started, curation)
    if curation.log:
        get_run_logger().info("curation file %s: %d values changed", curation.curation.file, len(curation.log))
    return ledger.new_rejects


def batch_parameters(
    number: int, documents: list[PreparedDocument], settings: Settings, workers: LanguageWorkers
) -> dict[str, object]:
    """The `analyse` task's parameters. quote()d for this run's threads (Prefect would walk every document
    for upstream results, ~45 ms a batch); a Dask worker would get the quote itself, so it gets the
    documents as they are, and neither the run's workers nor its progress display."""
    local = settings.executor == "processes"
    return {
        "number": number,
        "documents": quote(documents) if local else documents,
        "settings": settings,
        "workers": workers if local else None,
        "progress": run_progress.get() if local else None,
    }


def read_all(
    to_read: list[SourceFile], known: KnownFiles, reading: RecordReading, settings: Settings, summary: RunSummary
) -> Iterator[tuple[TriagedBatch, list[SourceFile]]]:
    """Each read batch, and the files it is of. A record file larger than a batch comes as its parts, of no
    file each, then an empty batch of that file (shown done when all its parts are read)."""
    for number, batch_sources in enumerate(plan_batches(to_read, settings.batch_bytes)):
        if (large := streamed_record_file(batch_sources, reading, settings.batch_bytes)) is not None:
            parts = iter(read_record_file(number, large, quote(known), reading, settings.batch_bytes))
            while True:
                with summary.timed("read"):
                    part = next(parts, None)
                if part is None:
                    break
                yield part, []
            yield TriagedBatch(), batch_sources
            continue
        with summary.timed("read"):
            batch = read_batch(number, quote(batch_sources), quote(known), settings.max_file_bytes, reading)
        yield batch, batch_sources


def set_aside(
    sources: list[SourceFile], ledger: RunLedger, progress: RunProgress | None, reading: RecordReading
) -> list[SourceFile]:
    """The files to read; those earlier runs settled are counted (and shown as done) without a batch."""
    to_read, settled = set_aside_settled(sources, ledger.known, reading)
    ledger.admit(settled)
    if progress:
        progress.advance(len(sources) - len(to_read), sum(s.n_bytes for s in sources) - sum(s.n_bytes for s in to_read))
    return to_read


def quarantine_record(summary: RunSummary, paths: list[str], report: CheckReport, validated_at: dt.datetime) -> dict:
    return {
        "run_id": summary.run_id,
        "flow_run_id": summary.flow_run_id,
        "inputs": paths,
        "validated_at": validated_at.isoformat(),
        "results": [asdict(r) for r in report.results],
    }


def _publish_artifacts(summary: RunSummary, rejects: list) -> None:
    create_markdown_artifact(
        key="textlake-run-summary", markdown=summary.markdown(), description=f"textlake run {summary.run_id}"
    )
    # Always published, an empty table included: "no rejects" is an answer a person looks for too.
    shown = rejects[:1000]
    create_table_artifact(
        key="textlake-rejects",
        table={
            "path": [r.source_path for r in shown],
            "record": [r.source_record or "" for r in shown],
            "reason": [r.reason for r in shown],
            "detail": [r.detail for r in shown],
        },
        description=f"{len(rejects)} files or records newly rejected by run {summary.run_id}"
        + (f" (first {len(shown)} shown)" if len(rejects) > len(shown) else ""),
    )
