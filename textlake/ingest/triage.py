"""Batching and triage: which files need work, in batches sized by characters, and what earlier runs decided."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from textlake.ingest.prepare import PreparedDocument, Reject, prepare_document
from textlake.ingest.sources import SourceFile, Unreadable, read_source


@dataclass(frozen=True)
class KnownFiles:
    """What earlier runs made of files: (source_path, source_sha256) → doc_id or reject reason."""

    documents: dict[tuple[str, str], str]
    rejects: dict[tuple[str, str], tuple[str, str]]  # → (reason, detail)
    committed_runs: set[str]
    file_state: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # path → (size, mtime_ns, sha256)

    @cached_property
    def doc_ids(self) -> set[str]:
        return set(self.documents.values())  # every document has exactly one (source_path, sha256)


def plan_batches(sources: Sequence[SourceFile], batch_bytes: int) -> list[list[SourceFile]]:
    """Consecutive batches of about `batch_bytes` bytes of input each (a larger file is a batch of its own)."""
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
    documents: list[PreparedDocument] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    repeated_rejects: list[Reject] = field(default_factory=list)  # rejected by an earlier run already
    unchanged: int = 0
    files_read: list[tuple[str, int, int, str]] = field(default_factory=list)  # (path, size, mtime_ns, sha256)
    header_notes: list[str] = field(default_factory=list)


def unreadable_reject(item: Unreadable) -> Reject:
    return Reject(item.source.path, "", item.reason, item.detail)


def unchanged_since_read(source: SourceFile, known: KnownFiles) -> tuple[str, str] | None:
    """(path, sha256) of a file whose size and mtime are as when a run last read it: its hash is trusted
    without reading it again. None when the file is new or was touched since."""
    remembered = known.file_state.get(source.path)
    if remembered and source.mtime_ns and remembered[:2] == (source.n_bytes, source.mtime_ns):
        return source.path, remembered[2]
    return None


def set_aside_settled(sources: Sequence[SourceFile], known: KnownFiles) -> tuple[list[SourceFile], TriagedBatch]:
    """The files an earlier run settled (a document or a reject) and whose size and mtime are as it saw
    them, counted without reading them or planning a batch for them; and the files left to read. A run
    that adds one file to a warehouse of many then reads, plans and records one file's work."""
    to_read: list[SourceFile] = []
    settled = TriagedBatch()
    for source in sources:
        if not _record_settled(settled, unchanged_since_read(source, known), known, source.n_bytes):
            to_read.append(source)
    return to_read, settled


def _record_settled(batch: TriagedBatch, key: tuple[str, str] | None, known: KnownFiles, n_bytes: int) -> bool:
    """Count a (path, sha256) an earlier run settled, as unchanged or as its reject again; False when the
    file is new to the warehouse (or `key` is None: not known without reading it)."""
    if key in known.documents:
        batch.unchanged += 1
        return True
    if key in known.rejects:
        batch.repeated_rejects.append(Reject(key[0], key[1], *known.rejects[key], n_bytes))
        return True
    return False


def triage_batch(sources: Iterable[SourceFile], known: KnownFiles, max_file_bytes: int) -> TriagedBatch:
    """Read each file; skip what an earlier run ingested from the same path and bytes (without reading it
    when its size and mtime are as last seen); repeat an earlier run's reject; prepare the rest.
    Duplicates of documents already in the warehouse become rejects."""
    batch = TriagedBatch()
    for source in sources:
        if _record_settled(batch, unchanged_since_read(source, known), known, source.n_bytes):
            continue
        raw = read_source(source, max_file_bytes)
        if isinstance(raw, Unreadable):
            batch.rejects.append(unreadable_reject(raw))
            continue
        batch.files_read.append((raw.source.path, len(raw.data), source.mtime_ns, raw.sha256))
        if _record_settled(batch, (raw.source.path, raw.sha256), known, len(raw.data)):
            continue
        prepared = prepare_document(raw)
        if isinstance(prepared, Reject):
            batch.rejects.append(prepared)
            continue
        if prepared.doc_id in known.doc_ids:
            batch.rejects.append(duplicate_reject(prepared))
            continue
        if prepared.header_note:
            batch.header_notes.append(f"{prepared.source_path}: {prepared.header_note}")
        batch.documents.append(prepared)
    return batch


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
) -> tuple[list[PreparedDocument], list[Reject]]:
    """Keep the first document of each text within a run (`seen` carries the doc_ids across batches)."""
    unique: list[PreparedDocument] = []
    rejects: list[Reject] = []
    for doc in documents:
        if doc.doc_id in seen:
            rejects.append(duplicate_reject(doc))
        else:
            seen.add(doc.doc_id)
            unique.append(doc)
    return unique, rejects


def split_repeated_rejects(rejects: Sequence[Reject], known: KnownFiles) -> tuple[list[Reject], list[Reject]]:
    """(new rejects, rejects an earlier run recorded already): only new ones become rows."""
    new = [r for r in rejects if (r.source_path, r.source_sha256) not in known.rejects]
    repeated = [r for r in rejects if (r.source_path, r.source_sha256) in known.rejects]
    return new, repeated
