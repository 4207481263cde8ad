"""From raw bytes to a prepared document: decode, normalise, split off the header, identify the language."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from textlake.ingest.decode import Undecodable, decode_bytes
from textlake.ingest.header import parse_header
from textlake.ingest.language import detect_language
from textlake.ingest.normalise import normalise_text
from textlake.ingest.outlets import outlet_of
from textlake.ingest.records import RecordReject, SourceRecord
from textlake.ingest.sources import RawFile


@dataclass(frozen=True)
class PreparedDocument:
    """A document ready for the language stage, with what its source said about it. A text file gives
    its text and at most a date header; a record file's reader gives the rest (NULL where it has none)."""

    doc_id: str
    source_path: str
    source_sha256: str
    n_bytes: int
    encoding: str
    published: dt.datetime | None  # UTC
    published_precision: str | None  # 'year', 'month', 'day', 'minute' or 'second'
    header_note: str | None
    language: str
    language_score: float
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] | None = None  # never empty: None where the source names no author
    external_id: str | None = None
    source_record: str | None = None  # 'line 1432', 'row 17', ...: None for a file that is one document


@dataclass(frozen=True)
class Appearance:
    """Where a document's text was read: the document's own source (`is_copy` False), or a further file or
    record with the same text (a wire story carried by another outlet). It holds no text: a run's copies cost
    a row each, whatever their length."""

    doc_id: str
    source_path: str
    source_sha256: str
    source_record: str | None
    url: str | None
    outlet: str | None
    title: str | None
    published: dt.datetime | None
    published_precision: str | None
    is_copy: bool

    @classmethod
    def of(cls, doc: PreparedDocument, is_copy: bool) -> Appearance:
        return cls(
            doc.doc_id, doc.source_path, doc.source_sha256, doc.source_record, doc.url, doc.outlet, doc.title,
            doc.published, doc.published_precision, is_copy,
        )  # fmt: skip


@dataclass(frozen=True)
class Reject:
    source_path: str
    source_sha256: str
    reason: str
    detail: str
    n_bytes: int | None = None
    duplicate_of: str | None = None
    source_record: str | None = None  # where in the file the rejected record is; None: the whole file


def document_id(text: str) -> str:
    """Stable content hash of a normalised text: the first 16 hex digits of SHA-256 over its UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def midnight_utc(day: dt.date | None) -> dt.datetime | None:
    """A date as the instant its day begins in UTC: how a date without a time is stored in `published`."""
    return None if day is None else dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def prepare_document(raw: RawFile) -> PreparedDocument | Reject:
    """Decode, normalise, parse the header and identify the language; or say why the file is no document."""
    path, sha, n_bytes = raw.source.path, raw.sha256, len(raw.data)
    try:
        decoded = decode_bytes(raw.data)
    except Undecodable as error:
        return Reject(path, sha, error.reason, error.detail, n_bytes)
    header = parse_header(normalise_text(decoded.text))
    text = header.body
    if not text.strip():
        detail = "only a date header, no text" if header.published else "only whitespace"
        return Reject(path, sha, "empty", detail, n_bytes)
    guess = detect_language(text)
    return PreparedDocument(
        doc_id=document_id(text),
        source_path=path,
        source_sha256=sha,
        n_bytes=n_bytes,
        encoding=decoded.encoding,
        published=midnight_utc(header.published),
        published_precision=header.precision,
        header_note=header.note,
        language=guess.code,
        language_score=guess.score,
        text=text,
    )


def prepare_record(record: SourceRecord, path: str, sha256: str) -> PreparedDocument | Reject:
    """One record of a record file as a document: its text normalised and its language identified as a text
    file's are (it has no header line: the record's fields say what a header would), what the record says in
    the document's columns. `sha256` is the file's: a record file's documents and rejects are keyed by the
    file's path and content, and told apart by `source_record`; `n_bytes` is the record's text in UTF-8."""
    where = record.source_record or None  # "": the file is one record, as a text file is one document
    text = normalise_text(record.text)
    n_bytes = len(record.text.encode("utf-8", "surrogatepass"))
    if not text.strip():
        return Reject(path, sha256, "empty", "only whitespace", n_bytes, source_record=where)
    guess = detect_language(text)
    return PreparedDocument(
        doc_id=document_id(text),
        source_path=path,
        source_sha256=sha256,
        n_bytes=n_bytes,
        encoding="utf-8",
        published=record.published,
        published_precision=record.published_precision if record.published else None,
        header_note=None,
        language=guess.code,
        language_score=guess.score,
        text=text,
        title=record.title,
        url=record.url,
        outlet=outlet_of(record.outlet, record.url),
        authors=record.authors or None,
        external_id=record.external_id,
        source_record=where,
    )


def record_reject(item: RecordReject, path: str, sha256: str, n_bytes: int) -> Reject:
    """A record (or the rest of a file) the reader could not make a record of; `n_bytes` is the file's size."""
    return Reject(path, sha256, item.reason, item.detail, n_bytes, source_record=item.source_record or None)
