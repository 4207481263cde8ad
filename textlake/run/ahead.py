"""What a run has ahead of it, decided from file metadata and the warehouse before any file is read: the
CLI skips a run with nothing new before Prefect starts, and a flow starts worker processes only when
there is enough text to share among them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textlake.ingest.known import KnownFiles, RecordReading
from textlake.ingest.sources import SourceFile, discover_files
from textlake.ingest.triage import (
    bytes_to_read,
    drop_duplicates,
    read_batches,
    set_aside_settled,
)
from textlake.settings import Settings
from textlake.warehouse.connection import WarehouseBusy
from textlake.warehouse.state import known_files

if TYPE_CHECKING:  # the NLP's modules are imported when a run needs them
    from textlake.nlp.workers import LanguageWorkers


@dataclass(frozen=True)
class WorkAhead:
    files: int
    to_read: list[SourceFile]  # the files that are new, or changed since a run read them, in input order
    known: KnownFiles = field(repr=False)  # what earlier runs know of every file
    bytes_to_read: int = 0  # of new input in them (of a JSON Lines file appended to, what was appended)

    @property
    def nothing_new(self) -> bool:
        return self.files > 0 and self.bytes_to_read == 0


# The files the check before the flow listed, kept for the flow's own listing: listing 10,000 files takes
# ~0.45 s, a quarter of what one new file into a 10,000-document warehouse costs beyond an empty one.
_listed: dict[tuple[tuple[str, ...], tuple[str, ...]], list[SourceFile]] = {}


def listed_in_advance(inputs: Sequence[str], glob: tuple[str, ...]) -> list[SourceFile] | None:
    """The files `work_ahead` listed for these inputs in this process, once (None when it did not)."""
    return _listed.pop((tuple(inputs), glob), None)


def work_ahead(inputs: Sequence[str], settings: Settings) -> WorkAhead | None:
    """The files and bytes a run of `inputs` would read. None when a run must start in any case: a missing
    path to record, an interrupted run to recover, or the warehouse busy with a load."""
    staging = settings.staging_dir
    if staging.is_dir() and any(staging.iterdir()):
        return None
    sources, missing = discover_files(inputs, settings.glob)
    if missing:
        return None
    _listed[(tuple(inputs), settings.glob)] = sources
    try:
        known = known_files(settings.warehouse_path, wait_s=0)
    except WarehouseBusy:
        return None
    reading = RecordReading.of(settings)
    to_read = set_aside_settled(sources, known, reading)[0]
    return WorkAhead(len(sources), to_read, known, bytes_to_read(to_read, known, reading))


# Worker processes started by `prepare_in_advance` for the flow of this process, which takes them over.
_workers: list[tuple[Settings, LanguageWorkers]] = []


def prepare_in_advance(settings: Settings, ahead: WorkAhead | None) -> None:
    """What a run would do first, begun while something else is waited for (Prefect's temporary API, ~6 s):
    with enough text for worker processes, they start, load the model and analyse the run's first batches
    (read here; the flow reads them again and takes the results: the language stage is a pure function of
    the documents); the language identifier that reading needs is loaded, and the NER model when the
    language stage will run in this process; Great Expectations is imported in the background. Each is
    kept for the process: the flow finds it loaded or begun."""
    from textlake.ingest.language import language_identifier
    from textlake.nlp.workers import LanguageWorkers, language_stage_in_this_process, recognizer_for
    from textlake.quality.checks import import_great_expectations

    workers = None
    if ahead is not None and ahead.bytes_to_read and settings.executor == "processes":
        if not language_stage_in_this_process(settings, ahead.bytes_to_read):
            workers = LanguageWorkers(settings, settings.workers)
            workers.start()
            _workers.append((settings, workers))
    import_great_expectations()
    if ahead is not None and not ahead.bytes_to_read:
        return
    language_identifier()
    if ahead is not None and language_stage_in_this_process(settings, ahead.bytes_to_read):
        recognizer_for(settings)
    if workers is not None and ahead is not None:
        seen: set[str] = set()  # deduplicated as the flow's ledger does, so that its batches match these
        reading = RecordReading.of(settings)
        batches = read_batches(ahead.to_read, ahead.known, settings.max_file_bytes, reading, settings.batch_bytes)
        try:
            for read in itertools.islice(batches, _BATCHES_AHEAD):
                workers.analyse_ahead(drop_duplicates(read.documents, seen)[0])
        except WarehouseBusy:  # asked for texts it has while another process writes it: the flow reads them
            return


# Batches analysed before the flow starts: a batch of 1 MB keeps two workers busy for ~6 s here, about
# as long as the API's boot leaves them waiting; a second covers a slower boot.
_BATCHES_AHEAD = 2


def workers_started_in_advance(settings: Settings) -> LanguageWorkers | None:
    """The worker processes `prepare_in_advance` started for a run with these settings, handed over once:
    whoever takes them closes them."""
    for i, (started_for, _) in enumerate(_workers):
        if started_for == settings:
            return _workers.pop(i)[1]
    return None
