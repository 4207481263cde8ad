"""A run's batches: what each read admits to the language stage, what the language stage gives back as
tables, and the counts and rejects a run keeps across its batches."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from textlake.ingest.known import AppearanceKey, KnownFiles, TriagedBatch, key_of, unreadable_reject
from textlake.ingest.prepare import Appearance, PreparedDocument, Reject
from textlake.ingest.sources import Unreadable
from textlake.ingest.triage import copies_and_duplicates, drop_duplicates, split_repeated_rejects
from textlake.lake import tables
from textlake.nlp.analyse import AnalysedDocument
from textlake.run.summary import RunSummary


@dataclass(frozen=True)
class AnalysedBatch:
    """One batch through the language stage: its documents analysed, and their sentence, entity and
    quotation rows."""

    analysed: list[AnalysedDocument]
    sentences: pa.Table
    entities: pa.Table
    quotes: pa.Table
    seconds: dict[str, float]  # nlp, tables


def analyse_batch(
    documents: Sequence[PreparedDocument], analyse: Callable[[Sequence[PreparedDocument]], list[AnalysedDocument]]
) -> AnalysedBatch:
    """Run `analyse` (in this process, or spread over worker processes) and build the batch's tables."""
    started = time.perf_counter()
    analysed = analyse(documents)
    nlp_done = time.perf_counter()
    sentences, entities = tables.sentences_table(analysed), tables.entities_table(analysed)
    quotes = tables.quotes_table(analysed)
    seconds = {"nlp": nlp_done - started, "tables": time.perf_counter() - nlp_done}
    return AnalysedBatch(analysed, sentences, entities, quotes, seconds)


@dataclass
class RunLedger:
    """What a run has decided so far, across its batches: documents are deduplicated within the run (the
    first file with a text wins; a text read again is a copy or a duplicate), rejects an earlier run
    recorded already are counted but not stored again, and the summary's counts follow every batch."""

    known: KnownFiles
    summary: RunSummary
    new_rejects: list[Reject] = field(default_factory=list)
    repeated_rejects: list[Reject] = field(default_factory=list)
    place_names: set[str] = field(default_factory=set)  # canonical LOC names of the run's entities
    _seen_doc_ids: set[str] = field(default_factory=set)
    _keys_seen: set[AppearanceKey] = field(default_factory=set)  # the run's appearances, documents' and copies'
    _copies: list[Appearance] = field(default_factory=list)  # admitted, not yet staged

    def record_missing(self, missing: Sequence[Unreadable]) -> None:
        """Paths given that could not be listed: rejects."""
        self._add_rejects([unreadable_reject(item) for item in missing])

    def admit(self, triaged: TriagedBatch) -> list[PreparedDocument]:
        """The documents of a read batch that go on to the language stage; its copies wait for `take_copies`;
        the rest are counted."""
        unique, repeated = drop_duplicates(triaged.documents, self._seen_doc_ids)
        self._keys_seen.update(key_of(doc) for doc in unique)
        copies, duplicates = copies_and_duplicates(triaged.repeated_texts + repeated, self._keys_seen)
        self._copies += copies
        self.summary.copies_new += len(copies)
        self.repeated_rejects += triaged.repeated_rejects
        self._add_rejects(triaged.rejects + duplicates)
        self.summary.documents_unchanged += triaged.unchanged
        self.summary.record_files += triaged.record_files
        self.summary.records_seen += triaged.records
        self.summary.records_skipped.update(triaged.skipped)
        self.summary.header_notes += triaged.header_notes
        return unique

    def take_copies(self) -> list[Appearance]:
        """The copies admitted since the last call, to be staged (as `appearances` rows) now."""
        copies, self._copies = self._copies, []
        return copies

    def record_analysed(self, batch: AnalysedBatch) -> None:
        """Count a batch as staged: its entity rows (curated) give the run's place names."""
        labels, names = batch.entities.column("label").to_pylist(), batch.entities.column("canonical").to_pylist()
        self.place_names.update(name for name, label in zip(names, labels, strict=True) if label == "LOC")
        for stage, seconds in batch.seconds.items():
            self.summary.stage_seconds[stage] = self.summary.stage_seconds.get(stage, 0.0) + seconds
        self.summary.documents_new += len(batch.analysed)
        self.summary.sentences_new += batch.sentences.num_rows
        self.summary.entities_new += batch.entities.num_rows
        self.summary.quotations_new += batch.quotes.num_rows

    def finish(self) -> None:
        """The summary's rejects by reason, new and repeated."""
        self.summary.record_rejects(self.new_rejects + self.repeated_rejects)

    def _add_rejects(self, rejects: list[Reject]) -> None:
        new, repeated = split_repeated_rejects(rejects, self.known)
        self.new_rejects += new
        self.repeated_rejects += repeated
