"""A run's batches from the language stage to the staged tables: in input order, a bounded number in
flight at a time, the curation file applied to each, the progress display told as files and documents are
done, copies staged as they are read, and the places table and the curation log once all are staged."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from textlake.faults import crash_point
from textlake.ingest.known import TriagedBatch
from textlake.ingest.prepare import Appearance, PreparedDocument
from textlake.ingest.sources import SourceFile
from textlake.lake import tables
from textlake.lake.curation import Application, curate_tables, pinned_places, with_entity_counts
from textlake.lake.staging import StagedRun
from textlake.nlp.places import load_places
from textlake.nlp.workers import LanguageWorkers, language_stage_in_this_process
from textlake.run.batches import AnalysedBatch, RunLedger
from textlake.settings import Settings


class RunProgress(Protocol):
    """What a progress display hears of a run: the files found, then files done as they are done (read and
    needing nothing more, or a text file analysed), with their bytes, and documents as they are analysed (a
    record file gives many: it is done once read, its documents counted as they come)."""

    def found(self, files: int, n_bytes: int) -> None: ...

    def advance(self, files: int, n_bytes: int, documents: int = 0) -> None: ...


def show_analysed(progress: RunProgress, documents: Sequence[PreparedDocument], n_bytes: int | None = None) -> None:
    """Documents analysed: counted as documents, and a text file's (the whole file is the document: no
    `source_record`) as its file done, with its bytes (`n_bytes` when the language stage says how many are
    left of a long one, part of whose bytes it showed done); a record file was shown done when it was read."""
    whole_files = [d for d in documents if d.source_record is None]
    shown = sum(d.n_bytes for d in whole_files) if n_bytes is None else n_bytes
    progress.advance(len(whole_files), shown, documents=len(documents))


class Pending(Protocol):
    """A batch handed to the language stage (a Prefect future, or any other)."""

    def result(self) -> AnalysedBatch: ...


def start_workers_early(workers: LanguageWorkers, settings: Settings, new_bytes: int) -> None:
    """With text enough for worker processes (`new_bytes` of input to read: `bytes_to_read`), start them now:
    the model loads in them while the first batches are read."""
    if settings.executor == "processes" and not language_stage_in_this_process(settings, new_bytes):
        workers.start()


def admit(
    ledger: RunLedger,
    triaged: TriagedBatch,
    batch_sources: list[SourceFile],
    progress: RunProgress | None,
    staging: StagedRun,
    started: dt.datetime,
) -> list[PreparedDocument]:
    """The documents of a read batch that go on to the language stage. Its copies (texts that are documents
    already, read at another address or outlet) are staged now, as `appearances` rows: they need no
    analysis. The files that need nothing more are shown done: all but the text files to analyse."""
    documents = ledger.admit(triaged)
    staging.append("appearances", tables.appearances_table(ledger.take_copies(), ledger.summary.run_id, started))
    if progress and batch_sources:
        to_analyse = [d for d in documents if d.source_record is None]  # shown done by `show_analysed`
        progress.advance(
            len(batch_sources) - len(to_analyse),
            sum(s.n_bytes for s in batch_sources) - sum(d.n_bytes for d in to_analyse),
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
        curation: Application,
    ) -> None:
        self._ledger, self._staging, self._started, self._limit = ledger, staging, started, limit
        self._curation = curation
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
            curated = curate_tables(self._curation, batch.entities, batch.quotes)
            batch = replace(batch, entities=curated.entities, quotes=curated.quotes)
            documents = tables.documents_table(batch.analysed, summary.run_id, self._started)
            self._staging.append("documents", with_entity_counts(documents, curated.removed_per_document))
            own = [Appearance.of(a.document, is_copy=False) for a in batch.analysed]
            self._staging.append("appearances", tables.appearances_table(own, summary.run_id, self._started))
            self._staging.append("sentences", batch.sentences)
            self._staging.append("entities", batch.entities)
            self._staging.append("quotes", batch.quotes)
        crash_point("parquet")
        self._ledger.record_analysed(batch)
        if self._progress:
            show_analysed(self._progress, [a.document for a in batch.analysed])


def stage_rejects_and_places(
    ledger: RunLedger, staging: StagedRun, started: dt.datetime, curation: Application
) -> None:
    """Once every batch is staged: the run's new rejects, its place names linked to GeoNames (or to the place
    the curation file pins them to), and what the curation file changed."""
    ledger.finish()
    run_id = ledger.summary.run_id
    staging.append("rejects", tables.rejects_table(ledger.new_rejects, run_id, started))
    linked = pinned_places(curation, ledger.place_names, load_places(ledger.place_names))
    places = tables.places_table(ledger.place_names, run_id, linked)
    staging.append("places", places)
    staging.append("curation_log", curation.log_table())
    ledger.summary.record_places(places.num_rows, places.num_rows - places.column("geonames_id").null_count)
