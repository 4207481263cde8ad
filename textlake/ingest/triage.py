"""Batching and triage: which files need work, in batches sized by characters, and what earlier runs decided."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from textlake.ingest.prepare import (
    Appearance,
    PreparedDocument,
    Reject,
    prepare_document,
    prepare_record,
    record_reject,
)
from textlake.ingest.records import (
    DEFAULT_FIELD_NAMES,
    DEFAULT_MAX_RECORD_BYTES,
    FieldNames,
    FileFormat,
    RecordReject,
    SkippedRecords,
    SourceRecord,
    detect_format,
    field_names_from_flags,
    read_json_lines,
    read_records,
)
from textlake.ingest.sources import HashedFile, SourceFile, Unreadable, hashed_source, read_source
from textlake.settings import Settings

RejectKey = tuple[str, str, str | None]  # (source_path, source_sha256, source_record): None for a whole file
AppearanceKey = tuple[str, str, str]  # (doc_id, "url" | "outlet" | "path", the url, outlet or source_path)


def appearance_key(doc_id: str, url: str | None, outlet: str | None, source_path: str) -> AppearanceKey:
    """What tells one appearance of a text from another: its url; without one, the outlet that carried it;
    without either, the file it was read from. The same text under the same key again is no new appearance:
    a re-read export, or the same article listed twice, adds nothing."""
    if url:
        return doc_id, "url", url
    if outlet:
        return doc_id, "outlet", outlet
    return doc_id, "path", source_path


def key_of(doc: PreparedDocument) -> AppearanceKey:
    return appearance_key(doc.doc_id, doc.url, doc.outlet, doc.source_path)


class FileState(NamedTuple):
    """A file (or object) as a run last read it: a later run that lists it the same does not read it again."""

    n_bytes: int
    mtime_ns: int
    sha256: str
    etag: str | None = None  # an object's entity tag; None for a local file


@dataclass(frozen=True)
class KnownFiles:
    """What earlier runs made of files: (source_path, source_sha256) → the doc_ids of the texts read from it
    (one for a text file, one per record of a record file: documents and copies alike), the key of every
    appearance, and each rejected file or record → (reason, detail)."""

    documents: dict[tuple[str, str], tuple[str, ...]]
    rejects: dict[RejectKey, tuple[str, str]]
    committed_runs: set[str]
    file_state: dict[str, FileState] = field(default_factory=dict)  # by path
    appearances: frozenset[AppearanceKey] = frozenset()

    @cached_property
    def doc_ids(self) -> frozenset[str]:
        """Every text the warehouse has as a document."""
        return frozenset(doc_id for ids in self.documents.values() for doc_id in ids)

    @cached_property
    def rejects_by_file(self) -> dict[tuple[str, str], list[RejectKey]]:
        by_file: dict[tuple[str, str], list[RejectKey]] = {}
        for key in self.rejects:
            by_file.setdefault(key[:2], []).append(key)
        return by_file

    @cached_property
    def documents_by_path(self) -> Counter[str]:
        """How many texts were read from each path (documents and copies), whatever its content was then."""
        counts: Counter[str] = Counter()
        for (path, _), ids in self.documents.items():
            counts[path] += len(ids)
        return counts


@dataclass(frozen=True)
class RecordReading:
    """How a run reads record files: `format` overrides what the file names say ("jsonl", "csv.gz");
    `fields` says which column each field comes from; a record over `max_record_bytes` is `too_large`."""

    format: str | None = None
    fields: FieldNames = DEFAULT_FIELD_NAMES
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES

    @classmethod
    def of(cls, settings: Settings) -> RecordReading:
        """As the settings say (`fields` checked by the CLI before a run: a bad flag raises ValueError)."""
        return cls(settings.record_format, field_names_from_flags(settings.fields), settings.max_file_bytes)

    def is_record_file(self, source: SourceFile) -> bool:
        """Whether the file is read record by record: a record format by its name or `format`, not .txt."""
        file_format = detect_format(source.name, self.format)
        return file_format is not None and file_format.format != "txt"

    def may_grow(self, source: SourceFile) -> bool:
        """Whether the file is JSON Lines, uncompressed: a file that may grow by lines appended to it."""
        return detect_format(source.name, self.format) == FileFormat("jsonl")


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


@dataclass
class TriagedBatch:
    documents: list[PreparedDocument] = field(default_factory=list)  # texts new to the warehouse
    # texts the warehouse has as documents, read where it has not had them: copies, or duplicates (the ledger
    # of the run decides: `copies_and_duplicates`)
    repeated_texts: list[PreparedDocument] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    repeated_rejects: list[Reject] = field(default_factory=list)  # rejected by an earlier run already
    unchanged: int = 0
    files_read: list[tuple[str, FileState]] = field(default_factory=list)  # (path, as this run read it)
    header_notes: list[str] = field(default_factory=list)
    record_files: int = 0  # record files whose records this batch holds (a file counted with its first part)
    records: int = 0  # what those files gave: documents, unchanged documents, rejects (a file's own reject too)
    skipped: Counter[str] = field(default_factory=Counter)  # records that hold no document, by kind (WARC requests)

    def extend(self, other: TriagedBatch) -> None:
        self.record_files += other.record_files
        self.records += other.records
        self.skipped.update(other.skipped)
        self.documents += other.documents
        self.repeated_texts += other.repeated_texts
        self.rejects += other.rejects
        self.repeated_rejects += other.repeated_rejects
        self.unchanged += other.unchanged
        self.files_read += other.files_read
        self.header_notes += other.header_notes


def unreadable_reject(item: Unreadable) -> Reject:
    return Reject(item.source.path, "", item.reason, item.detail)


def unchanged_since_read(source: SourceFile, known: KnownFiles) -> tuple[str, str] | None:
    """(path, sha256) of a file whose size and mtime (an object's: size and entity tag, which its store changes
    on every write) are as when a run last read it: its hash is trusted without reading it again. None when
    the file is new or was touched since."""
    remembered = known.file_state.get(source.path)
    if not remembered or remembered.n_bytes != source.n_bytes:
        return None
    if source.etag:
        same = remembered.etag == source.etag
    else:
        same = bool(source.mtime_ns) and remembered.mtime_ns == source.mtime_ns
    return (source.path, remembered.sha256) if same else None


def appended_since_read(source: SourceFile, known: KnownFiles, reading: RecordReading) -> FileState | None:
    """How a run last read a JSON Lines file that has grown since: its first bytes may be the ones read then,
    and the lines after them all that is new (`triage_record_file` checks by their hash). None otherwise."""
    remembered = known.file_state.get(source.path)
    if remembered and 0 < remembered.n_bytes < source.n_bytes and reading.may_grow(source):
        return remembered
    return None


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
        if not _record_settled(settled, key, known, source.n_bytes, reading.is_record_file(source)):
            to_read.append(source)
    return to_read, settled


def _record_settled(
    batch: TriagedBatch, key: tuple[str, str] | None, known: KnownFiles, n_bytes: int, records: bool = False
) -> bool:
    """Count a (path, sha256) an earlier run settled: its documents as unchanged (for a record file, every
    document first read from its path: an edited file's records known from before count too), its rejects
    again. False when the file is new to the warehouse (or `key` is None: not known without reading it).
    A record file read whole by a run that committed (its `file_state`) is settled even when it made nothing
    new of it (every record of an edited file known already)."""
    if key is None:
        return False
    documents = known.documents.get(key, ())
    rejects = known.rejects_by_file.get(key, [])
    remembered = known.file_state.get(key[0])
    read_before = records and remembered is not None and remembered.sha256 == key[1]
    if not documents and not rejects and not read_before:
        return False
    unchanged = known.documents_by_path[key[0]] if records else len(documents)
    batch.unchanged += unchanged
    if records:
        batch.record_files += 1
        batch.records += unchanged + len(rejects)
    for reject_key in rejects:
        batch.repeated_rejects.append(
            Reject(key[0], key[1], *known.rejects[reject_key], n_bytes, source_record=reject_key[2])
        )
    return True


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
        if _record_settled(batch, unchanged_since_read(source, known), known, source.n_bytes):
            continue
        raw = read_source(source, max_file_bytes)
        if isinstance(raw, Unreadable):
            batch.rejects.append(unreadable_reject(raw))
            continue
        batch.files_read.append((raw.source.path, FileState(len(raw.data), source.mtime_ns, raw.sha256, source.etag)))
        if _record_settled(batch, (raw.source.path, raw.sha256), known, len(raw.data)):
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


def triage_record_file(
    source: SourceFile, known: KnownFiles, reading: RecordReading, batch_bytes: int | None
) -> Iterator[TriagedBatch]:
    """A record file's documents and rejects, in batches of about `batch_bytes` of text as they are read (None:
    one batch), so a file of gigabytes is never in memory. A file whose path and content an earlier run
    settled is counted, not read; otherwise its hash is taken first (a pass over its bytes), then its records
    are read. A record whose text the warehouse has under the same key (`appearance_key`: url, else outlet,
    else this same path: an edited or appended file read again) is unchanged, once per file: a second such
    record in the file is a `duplicate` reject. A text the warehouse has elsewhere is a repeated text.

    A JSON Lines file that grew since a run read it, and whose first bytes are still the ones read then (their
    hash, taken in the same pass), ending a line, is read from there on: the lines appended, numbered on from
    the lines before them. What the earlier run made of those counts as unchanged, as a full read would find."""
    batch = TriagedBatch()
    records = True
    if _record_settled(batch, unchanged_since_read(source, known), known, source.n_bytes, records):
        yield batch
        return
    appended_to = appended_since_read(source, known, reading)
    with hashed_source(source, appended_to.n_bytes if appended_to else 0) as hashed:
        if isinstance(hashed, Unreadable):
            batch.rejects.append(unreadable_reject(hashed))
            batch.record_files, batch.records = 1, 1
            yield batch
            return
        path, sha, n_bytes = source.path, hashed.sha256, hashed.n_bytes
        batch.files_read.append((path, FileState(n_bytes, source.mtime_ns, sha, source.etag)))
        if _record_settled(batch, (path, sha), known, n_bytes, records):
            yield batch
            return
        prefix = hashed.prefix
        if appended_to and prefix and prefix.sha256 == appended_to.sha256 and prefix.ends_line:
            _record_settled(batch, (path, appended_to.sha256), known, n_bytes, records)
            hashed.file.seek(appended_to.n_bytes)
            items = read_json_lines(
                hashed.file,
                first_line=prefix.lines + 1,
                fields=reading.fields,
                max_record_bytes=reading.max_record_bytes,
            )
            counted = appearances_before(known, path, appended_to.sha256)
            yield from _triage_records(batch, items, hashed, path, known, batch_bytes, counted)
            return
        batch.record_files = 1
        items = read_records(
            hashed.file,
            source.name,
            format=reading.format,
            fields=reading.fields,
            max_record_bytes=reading.max_record_bytes,
        )
        yield from _triage_records(batch, items, hashed, path, known, batch_bytes, None)


def appearances_before(known: KnownFiles, path: str, sha256: str) -> set[AppearanceKey]:
    """The appearances the lines before an appended file's new ones gave (what a read of the whole file would
    have counted as unchanged before it came to the new lines): the keys of the texts read from the file as it
    was. A key names a url or an outlet, not a file: a text of those lines that another file had under
    another key is in too (appended again under that key, a duplicate where a whole read finds it unchanged)."""
    ids = set(known.documents.get((path, sha256), ()))
    return {key for key in known.appearances if key[0] in ids and (key[1] != "path" or key[2] == path)}


def _triage_records(
    batch: TriagedBatch,
    items: Iterator[SourceRecord | RecordReject | SkippedRecords],
    hashed: HashedFile,
    path: str,
    known: KnownFiles,
    batch_bytes: int | None,
    counted: set[AppearanceKey] | None,
) -> Iterator[TriagedBatch]:
    """The batches of a record file's records, from `batch` on. `counted`: the appearances of this file
    counted as unchanged already (a record with the text of one under its key again is a duplicate, as a
    second such record is in a file read whole); None: the file is read from its start, none of it counted."""
    sha, n_bytes = hashed.sha256, hashed.n_bytes
    whole_file = counted is None
    counted = set() if counted is None else counted
    text_bytes = 0
    read = 0
    for item in items:
        if isinstance(item, SkippedRecords):  # counted apart: they are not the file's records
            batch.skipped.update(item.counts)
            continue
        read += 1
        batch.records += 1
        if isinstance(item, RecordReject):
            batch.rejects.append(record_reject(item, path, sha, n_bytes))
            continue
        prepared = prepare_record(item, path, sha)
        if isinstance(prepared, Reject):
            batch.rejects.append(prepared)
            continue
        key = key_of(prepared)
        if prepared.doc_id in known.doc_ids and key in known.appearances:
            if key in counted:  # a second record of this file with the text where the warehouse has it
                batch.rejects.append(duplicate_reject(prepared))
            else:
                counted.add(key)
                batch.unchanged += 1
            continue
        if prepared.doc_id in known.doc_ids:
            batch.repeated_texts.append(prepared)
        else:
            batch.documents.append(prepared)
        text_bytes += prepared.n_bytes
        if batch_bytes is not None and text_bytes >= batch_bytes:
            yield batch
            batch, text_bytes = TriagedBatch(), 0
    if not read and whole_file:
        batch.rejects.append(Reject(path, sha, "empty", "no records", n_bytes))
        batch.records += 1
    yield batch


def duplicate_reject(doc: PreparedDocument) -> Reject:
    return Reject(
        doc.source_path,
        doc.source_sha256,
        "duplicate",
        f"same text as document {doc.doc_id}",
        doc.n_bytes,
        doc.doc_id,
        doc.source_record,
    )


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
