"""Batching and triage: which files need work, in batches sized by characters, and what earlier runs decided."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from textlake.ingest.known import (
    AppearanceKey,
    FileState,
    KnownFiles,
    RecordReading,
    TriagedBatch,
    appended_since_read,
    duplicate_reject,
    key_of,
    record_settled,
    unchanged_since_read,
    unreadable_reject,
)
from textlake.ingest.prepare import (
    Appearance,
    PreparedDocument,
    Reject,
    prepare_document,
)
from textlake.ingest.record_triage import triage_record_file
from textlake.ingest.sources import SourceFile, Unreadable, read_source


def plan_batches(sources: Sequence[SourceFile], batch_bytes: int) -> list[list[SourceFile]]:
    """Consecutive batches of about `batch_bytes` bytes of input each (a larger file is a batch of its own:
    a record file that large is read as a stream of batches, `triage_record_file`)."""
    batches: list[list[SourceFile]] = []
    current: list[SourceFile] = []
    size = 0
    for source in sources:
        if current and size + source.n_bytes > batch_bytes:
            batches.append(current)
            current, size = [], 0
        current.append(source)
        size += source.n_bytes
    if current:
        batches.append(current)
    return batches


def bytes_to_read(sources: Iterable[SourceFile], known: KnownFiles, reading: RecordReading) -> int:
    """About how many bytes of new input the files hold: a grown JSON Lines file only what was appended."""
    total = 0
    for source in sources:
        appended_to = appended_since_read(source, known, reading)
        total += source.n_bytes - (appended_to.n_bytes if appended_to else 0)
    return total


def set_aside_settled(
    sources: Sequence[SourceFile], known: KnownFiles, reading: RecordReading = RecordReading()
) -> tuple[list[SourceFile], TriagedBatch]:
    """The files an earlier run settled (documents or rejects) and whose size and mtime are as it saw
    them, counted without reading them or planning a batch for them; and the files left to read. A run
    that adds one file to a warehouse of many then reads, plans and records one file's work."""
    to_read: list[SourceFile] = []
    settled = TriagedBatch()
    for source in sources:
        key = unchanged_since_read(source, known)
        if not record_settled(settled, key, known, source.n_bytes, reading.is_record_file(source)):
            to_read.append(source)
    return to_read, settled


def triage_batch(
    sources: Iterable[SourceFile], known: KnownFiles, max_file_bytes: int, reading: RecordReading = RecordReading()
) -> TriagedBatch:
    """Read each file; skip what an earlier run ingested from the same path and bytes (without reading it
    when its size and mtime are as last seen); repeat an earlier run's reject; prepare the rest (a record
    file: each of its records). A text the warehouse has as a document is unchanged where the warehouse has
    it already (the file held it before), else a repeated text for the run's ledger to judge."""
    batch = TriagedBatch()
    for source in sources:
        if reading.is_record_file(source):
            for part in triage_record_file(source, known, reading, batch_bytes=None):
                batch.extend(part)
            continue
        if record_settled(batch, unchanged_since_read(source, known), known, source.n_bytes):
            continue
        raw = read_source(source, max_file_bytes)
        if isinstance(raw, Unreadable):
            batch.rejects.append(unreadable_reject(raw))
            continue
        batch.files_read.append((raw.source.path, FileState(len(raw.data), source.mtime_ns, raw.sha256, source.etag)))
        if record_settled(batch, (raw.source.path, raw.sha256), known, len(raw.data)):
            continue
        prepared = prepare_document(raw)
        if isinstance(prepared, Reject):
            batch.rejects.append(prepared)
            continue
        if prepared.doc_id in known.doc_ids:
            if key_of(prepared) in known.appearances:
                batch.unchanged += 1
            else:
                batch.repeated_texts.append(prepared)
            continue
        if prepared.header_note:
            batch.header_notes.append(f"{prepared.source_path}: {prepared.header_note}")
        batch.documents.append(prepared)
    return batch


def streamed_record_file(batch: Sequence[SourceFile], reading: RecordReading, batch_bytes: int) -> SourceFile | None:
    """The record file a planned batch is, when it is one larger than a batch: read as a stream of batches."""
    if len(batch) == 1 and batch[0].n_bytes > batch_bytes and reading.is_record_file(batch[0]):
        return batch[0]
    return None


def read_batches(
    sources: Sequence[SourceFile], known: KnownFiles, max_file_bytes: int, reading: RecordReading, batch_bytes: int
) -> Iterator[TriagedBatch]:
    """Every batch a run reads, in order, as the flow reads them (its tasks call the same two functions)."""
    for planned in plan_batches(sources, batch_bytes):
        if (large := streamed_record_file(planned, reading, batch_bytes)) is not None:
            yield from triage_record_file(large, known, reading, batch_bytes)
        else:
            yield triage_batch(planned, known, max_file_bytes, reading)


def drop_duplicates(
    documents: Sequence[PreparedDocument], seen: set[str]
) -> tuple[list[PreparedDocument], list[PreparedDocument]]:
    """(the first document of each text within a run, the texts repeated: `seen` carries the doc_ids across
    batches). The repeated texts are copies or duplicates: `copies_and_duplicates`."""
    unique: list[PreparedDocument] = []
    repeated: list[PreparedDocument] = []
    for doc in documents:
        if doc.doc_id in seen:
            repeated.append(doc)
        else:
            seen.add(doc.doc_id)
            unique.append(doc)
    return unique, repeated


def copies_and_duplicates(
    repeated: Sequence[PreparedDocument], keys_seen: set[AppearanceKey]
) -> tuple[list[Appearance], list[Reject]]:
    """Texts read again that are documents already (in the warehouse, or earlier in the run): a copy, an
    appearance of its own, where the record says where else the text appeared (a url or an outlet: a wire
    story carried by another outlet) and the run has not had the text there yet (`keys_seen`, updated);
    otherwise a `duplicate` reject: the same text at the same address again, or a file that says no more
    than its path (a text file under another name, a folder moved)."""
    copies: list[Appearance] = []
    duplicates: list[Reject] = []
    for doc in repeated:
        key = key_of(doc)
        if (doc.url or doc.outlet) and key not in keys_seen:
            keys_seen.add(key)
            copies.append(Appearance.of(doc, is_copy=True))
        else:
            duplicates.append(duplicate_reject(doc))
    return copies, duplicates


def split_repeated_rejects(rejects: Sequence[Reject], known: KnownFiles) -> tuple[list[Reject], list[Reject]]:
    """(new rejects, rejects an earlier run recorded already): only new ones become rows."""
    new = [r for r in rejects if (r.source_path, r.source_sha256, r.source_record) not in known.rejects]
    repeated = [r for r in rejects if (r.source_path, r.source_sha256, r.source_record) in known.rejects]
    return new, repeated
