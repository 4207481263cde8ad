"""The `textlake-ingest` flow: files → documents, sentences, entities → Parquet → checks → DuckDB.

Tasks work on batches (one task run per stage and batch), so the Prefect server records tens of task
runs per run, not one per file. Stage logic lives in `textlake`; this module only wires it.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import asdict
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

import textlake  # noqa: F401 — switches telemetry off before Prefect is imported
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run

from textlake import tables
from textlake.analyse import analyse_documents
from textlake.batches import (
    TriagedBatch,
    drop_duplicates,
    plan_batches,
    split_repeated_rejects,
    triage_batch,
    unreadable_reject,
)
from textlake.checks import CheckReport, results_table, run_checks
from textlake.entities import load_recognizer
from textlake.lock import writer_lock
from textlake.settings import Settings
from textlake.sources import SourceFile, discover_files
from textlake.store import StagedRun, publish_to_lake, recover_staging
from textlake.summary import RunSummary
from textlake.warehouse import KnownFiles, RunRecord, known_files, load_run

ProgressCallback = Callable[[int, int, int], None]  # (files done, files in all, characters done)

# The CLI's progress bar, kept out of the flow's parameters so they stay plain data for the Prefect API.
progress_callback: ContextVar[ProgressCallback | None] = ContextVar("textlake_progress", default=None)


class ChecksFailed(Exception):
    """An `error` expectation failed; nothing was published."""


def new_run_id(now: dt.datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@task(name="load-state")
def load_state(settings: Settings) -> KnownFiles:
    known = known_files(settings.warehouse_path)
    for action in recover_staging(settings.staging_dir, settings.lake_dir, known.committed_runs):
        get_run_logger().warning("recovered after an interrupted run: %s", action)
    return known


@task(name="discover")
def discover(paths: list[str], glob: str) -> tuple[list[SourceFile], list]:
    sources, missing = discover_files([Path(p) for p in paths], glob)
    get_run_logger().info("found %d files (%d paths missing)", len(sources), len(missing))
    return sources, missing


@task(name="read-batch", task_run_name="read-batch-{number}")
def read_batch(number: int, sources: list[SourceFile], known: KnownFiles, max_file_bytes: int) -> TriagedBatch:
    batch = triage_batch(sources, known, max_file_bytes)
    get_run_logger().info(
        "batch %d: %d files → %d to analyse, %d unchanged, %d rejected",
        number, len(sources), len(batch.documents), batch.unchanged, len(batch.rejects),
    )  # fmt: skip
    return batch


@task(name="analyse-batch", task_run_name="analyse-batch-{number}")
def analyse_batch(number: int, documents: list, settings: Settings) -> dict:
    recognizer = load_recognizer(settings.ner_model) if settings.ner_model != "none" else None
    analysed = analyse_documents(documents, recognizer, settings.ner_languages)
    result = {"analysed": analysed, "sentences": tables.sentences_table(analysed), "entities": tables.entities_table(analysed)}
    get_run_logger().info(
        "batch %d: %d documents → %d sentences, %d entities",
        number, len(analysed), result["sentences"].num_rows, result["entities"].num_rows,
    )  # fmt: skip
    return result


@task(name="check")
def check(staged: dict[str, Path], settings: Settings) -> CheckReport:
    report = run_checks(staged, settings.corpus_language, settings.ner_languages)
    logger = get_run_logger()
    if not report.results:
        logger.info("checks: no new rows, nothing to check")
    logger.info("checks: %d passed, %d failed (%d blocking)", report.passed, len(report.failed), len(report.blocking))
    for result in report.failed:
        (logger.error if result.blocking else logger.warning)("check failed: %s", result.describe())
    return report


@task(name="load-warehouse")
def load_warehouse(settings: Settings, staged: dict[str, Path], record: RunRecord) -> dict[str, int]:
    added = load_run(settings.warehouse_path, staged, record)
    publish_to_lake(staged, settings.lake_dir, record.run_id)
    get_run_logger().info("loaded into %s: %s", settings.warehouse_path, added)
    return added


def _flow_run_name() -> str:
    inputs = flow_run.parameters.get("paths") or ["seeds"]
    label = Path(inputs[0]).name or inputs[0]
    more = f" +{len(inputs) - 1}" if len(inputs) > 1 else ""
    return f"ingest {label}{more} {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S}"


@flow(name="textlake-ingest", flow_run_name=_flow_run_name, log_prints=True)
def ingest(
    paths: list[str],
    settings: Settings | None = None,
) -> RunSummary:
    """Ingest files and folders into the warehouse of `settings.data_dir`. Raises `ChecksFailed` (the
    flow run ends Failed) when an error-severity expectation fails; the warehouse is then unchanged."""
    settings = settings or Settings()
    progress = progress_callback.get()
    started = dt.datetime.now(dt.UTC)
    summary = RunSummary(new_run_id(started), flow_run_id=str(flow_run.id) if flow_run.id else None)
    summary.warehouse = settings.warehouse_path
    with writer_lock(settings.data_dir, settings.lock_timeout_s):
        known = load_state(settings)
        sources, missing = discover(paths, settings.glob)
        summary.files_seen = len(sources) + len(missing)
        staging = StagedRun(settings.staging_dir, summary.run_id)
        try:
            rejects, repeated_rejects = split_repeated_rejects([unreadable_reject(item) for item in missing], known)
            analysed_all = []
            seen: set[str] = set()
            files_done = chars_done = 0
            for number, batch_sources in enumerate(plan_batches(sources, settings.batch_chars)):
                triaged = read_batch(number, batch_sources, known, settings.max_file_bytes)
                unique, duplicates = drop_duplicates(triaged.documents, seen)
                new, repeated = split_repeated_rejects(triaged.rejects + duplicates, known)
                rejects += new
                repeated_rejects += triaged.repeated_rejects + repeated
                summary.documents_unchanged += triaged.unchanged
                summary.header_notes += triaged.header_notes
                if unique:
                    result = analyse_batch(number, unique, settings)
                    analysed_all += result["analysed"]
                    staging.append("sentences", result["sentences"])
                    staging.append("entities", result["entities"])
                    summary.sentences_new += result["sentences"].num_rows
                    summary.entities_new += result["entities"].num_rows
                files_done += len(batch_sources)
                chars_done += sum(s.n_bytes for s in batch_sources)
                if progress:
                    progress(files_done, len(sources), chars_done)
            staging.append("documents", tables.documents_table(analysed_all, summary.run_id, started))
            staging.append("rejects", tables.rejects_table(rejects, summary.run_id, started))
            summary.documents_new = len(analysed_all)
            for reject in rejects + repeated_rejects:
                summary.rejects_by_reason[reject.reason] += 1
            summary.reject_examples = [(r.source_path, r.reason, r.detail) for r in rejects + repeated_rejects]
            staged = staging.close()
        except BaseException:
            staging.abort()
            raise
        report = check(staged, settings)
        summary.checks_passed = report.passed
        summary.checks_failed = [r.describe() for r in report.failed]
        summary.checks_blocking = [r.describe() for r in report.blocking]
        validated_at = dt.datetime.now(dt.UTC)
        if not report.ok:
            summary.quarantine = staging.quarantine(settings.quarantine_dir, quarantine_record(summary, paths, report, validated_at))
            _publish_artifacts(summary, rejects)
            raise ChecksFailed(
                f"check failed, nothing published: {summary.checks_blocking[0]} "
                f"(run quarantined in {summary.quarantine}; see `textlake checks --run {summary.run_id}`)"
            )
        if report.results:
            staged["validations"] = staging.add("validations", results_table(report, summary.run_id, validated_at))
        record = RunRecord(
            run_id=summary.run_id, flow_run_id=summary.flow_run_id, started_at=started, inputs=json.dumps(paths),
            files_seen=summary.files_seen, documents_new=summary.documents_new,
            documents_unchanged=summary.documents_unchanged, rejected=summary.rejected,
            sentences_new=summary.sentences_new, entities_new=summary.entities_new,
            checks_passed=report.passed, checks_failed=len(report.failed),
        )  # fmt: skip
        load_warehouse(settings, staged, record)
        summary.published = True
    _publish_artifacts(summary, rejects)
    for line in summary.lines():
        get_run_logger().info(line)
    return summary


def quarantine_record(summary: RunSummary, paths: list[str], report: CheckReport, validated_at: dt.datetime) -> dict:
    return {
        "run_id": summary.run_id,
        "flow_run_id": summary.flow_run_id,
        "inputs": paths,
        "validated_at": validated_at.isoformat(),
        "results": [asdict(r) for r in report.results],
    }


def _publish_artifacts(summary: RunSummary, rejects: list) -> None:
    create_markdown_artifact(key="textlake-run-summary", markdown=summary.markdown(), description=f"textlake run {summary.run_id}")
    if rejects:
        create_table_artifact(
            key="textlake-rejects",
            table=[{"path": r.source_path, "reason": r.reason, "detail": r.detail} for r in rejects[:1000]],
            description=f"files rejected by run {summary.run_id}",
        )
