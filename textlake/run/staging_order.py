"""A run's batches from the language stage to the staged tables: in input order, a bounded number in
flight at a time, the progress display told as files are done, and the places table once all are staged."""

from __future__ import annotations

import datetime as dt
from collections import deque
from typing import Protocol

from textlake.faults import crash_point
from textlake.ingest.prepare import PreparedDocument
from textlake.ingest.sources import SourceFile
from textlake.ingest.triage import TriagedBatch
from textlake.lake import tables
from textlake.lake.staging import StagedRun
from textlake.nlp.places import load_places
from textlake.nlp.workers import LanguageWorkers, language_stage_in_this_process
from textlake.run.batches import AnalysedBatch, RunLedger
from textlake.settings import Settings


class RunProgress(Protocol):
    """What a progress display hears of a run: the files found, then files done as they are done (read and
    needing nothing more, or analysed), with their bytes."""

    def found(self, files: int, n_bytes: int) -> None: ...

    def advance(self, files: int, n_bytes: int) -> None: ...


class Pending(Protocol):
    """A batch handed to the language stage (a Prefect future, or any other)."""

    def result(self) -> AnalysedBatch: ...


def start_workers_early(workers: LanguageWorkers, settings: Settings, new_bytes: int) -> None:
    """With text enough for worker processes (`new_bytes` of input to read: `bytes_to_read`), start them now:
    the model loads in them while the first batches are read."""
    if settings.executor == "processes" and not language_stage_in_this_process(settings, new_bytes):
        workers.start()


def admit(
    ledger: RunLedger, triaged: TriagedBatch, batch_sources: list[SourceFile], progress: RunProgress | None
) -> list[PreparedDocument]:
    """The documents of a read batch that go on to the language stage; the files that need nothing more are
    shown done."""
    documents = ledger.admit(triaged)
    if progress and batch_sources:
        progress.advance(
            len(batch_sources) - len(documents),
            sum(s.n_bytes for s in batch_sources) - sum(d.n_bytes for d in documents),
        )
    return documents


class BatchesInFlight:
    """Batches handed to the language stage, staged oldest first: the tables do not depend on which worker
    finished first, and no more than `limit` wait at a time (back-pressure on reading)."""

    def __init__(
        self,
        ledger: RunLedger,
        staging: StagedRun,
        started: dt.datetime,
        limit: int,
        progress: RunProgress | None,
    ) -> None:
        self._ledger, self._staging, self._started, self._limit = ledger, staging, started, limit
        self._progress = progress  # told of analysed files here when the language stage cannot tell it itself
        self._waiting: deque[tuple[int, Pending]] = deque()

    def add(self, number: int, pending: Pending) -> None:
        self._waiting.append((number, pending))
        while len(self._waiting) >= self._limit:
            self._stage_oldest()

    def finish(self) -> None:
        while self._waiting:
            self._stage_oldest()

    def _stage_oldest(self) -> None:
        number, pending = self._waiting.popleft()
        summary = self._ledger.summary
        with summary.timed("wait_nlp"):
            batch = pending.result()
        if number:
            crash_point("nlp")
        with summary.timed("write"):
            self._staging.append("documents", tables.documents_table(batch.analysed, summary.run_id, self._started))
            self._staging.append("sentences", batch.sentences)
            self._staging.append("entities", batch.entities)
            self._staging.append("quotes", batch.quotes)
        crash_point("parquet")
        self._ledger.record_analysed(batch)
        if self._progress:
            self._progress.advance(len(batch.analysed), sum(a.document.n_bytes for a in batch.analysed))


def stage_rejects_and_places(ledger: RunLedger, staging: StagedRun, started: dt.datetime) -> None:
    """Once every batch is staged: the run's new rejects, and its place names linked to GeoNames."""
    ledger.finish()
    run_id = ledger.summary.run_id
    staging.append("rejects", tables.rejects_table(ledger.new_rejects, run_id, started))
    places = tables.places_table(ledger.place_names, run_id, load_places(ledger.place_names))
    staging.append("places", places)
    ledger.summary.record_places(places.num_rows, places.num_rows - places.column("geonames_id").null_count)
