"""What earlier runs made of files, as triage asks it: the state a run starts from, and the batch it fills."""

from __future__ import annotations

from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from textlake.ingest.prepare import (
    PreparedDocument,
    Reject,
)
from textlake.ingest.records import (
    DEFAULT_FIELD_NAMES,
    DEFAULT_MAX_RECORD_BYTES,
    FieldNames,
    FileFormat,
    detect_format,
    field_names_from_flags,
)
from textlake.ingest.sources import SourceFile, Unreadable
from textlake.settings import Settings

WHOLE_CHECK_UP_TO = 64 << 20
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
    sample_sha256: str | None = None  # of a large JSON Lines file: tells an append without reading it again
    n_lines: int | None = None  # line breaks in it, where `sample_sha256` is kept: appended lines number on


@dataclass(frozen=True)
class KnownFiles:
    """What earlier runs made of files: (source_path, source_sha256) → the doc_ids of the texts read from it
    (one for a text file, one per record of a record file: documents and copies alike), the key of every
    appearance, and each rejected file or record → (reason, detail)."""

    documents: dict[tuple[str, str], tuple[str, ...]]
    rejects: dict[RejectKey, tuple[str, str]]
    committed_runs: set[str]
    file_state: dict[str, FileState] = field(default_factory=dict)  # by path
    appearances: Container[AppearanceKey] = frozenset()  # asked key by key: a warehouse's are fetched so
    appearance_counts: dict[tuple[str, str], int] | None = None  # by (path, sha256); None: one per doc_id

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
        if self.appearance_counts is not None:
            for (path, _), n in self.appearance_counts.items():
                counts[path] += n
            return counts
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
    whole_check_up_to: int = WHOLE_CHECK_UP_TO  # a larger JSON Lines file is told appended to by a sample

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

    def keeps_sample(self, source: SourceFile) -> bool:
        """Whether a run that reads the file remembers a sample of it (`ingest.appended`): a large local file
        that may grow, whose next append is read without hashing it whole again (an object is downloaded
        whole, once, as before: a store reads ahead megabytes for each block a sample asks for)."""
        return source.n_bytes > self.whole_check_up_to and self.may_grow(source) and not source.is_object


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


def record_settled(
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
