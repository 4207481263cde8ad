"""From raw bytes to a prepared document: decode, normalise, split off the header, identify the language."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from textlake.ingest.decode import Undecodable, decode_bytes
from textlake.ingest.header import parse_header
from textlake.ingest.language import detect_language
from textlake.ingest.normalise import normalise_text
from textlake.ingest.sources import RawFile


@dataclass(frozen=True)
class PreparedDocument:
    doc_id: str
    source_path: str
    source_sha256: str
    n_bytes: int
    encoding: str
    published: dt.date | None
    published_precision: str | None
    header_note: str | None
    language: str
    language_score: float
    text: str


@dataclass(frozen=True)
class Reject:
    source_path: str
    source_sha256: str
    reason: str
    detail: str
    n_bytes: int | None = None
    duplicate_of: str | None = None


def document_id(text: str) -> str:
    """Stable content hash of a normalised text: the first 16 hex digits of SHA-256 over its UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
        published=header.published,
        published_precision=header.precision,
        header_note=header.note,
        language=guess.code,
        language_score=guess.score,
        text=text,
    )
