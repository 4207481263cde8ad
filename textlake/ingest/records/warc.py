"""A web archive (WARC) → one record per HTML page it holds; its other records counted, not read."""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from textlake.ingest.records.fields import RecordReject, SkippedRecords, SourceRecord
from textlake.ingest.records.formats import Compression, ReadableBytes, StreamDamaged, read_chunks
from textlake.ingest.records.html_page import page_record

_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _Chunks:
    """A stream over chunks, as warcio reads it: a read returns what is there. Damage to the compression comes
    as StreamDamaged: warcio takes an EOFError for the archive's end, and the records after it would vanish
    without a word (gzip raises one for a stream cut short)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._pending = b""

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            data, self._pending = self._pending + b"".join(self._chunks), b""
            return data
        if not self._pending:
            self._pending = next(self._chunks, b"")
        data, self._pending = self._pending[:size], self._pending[size:]
        return data


def warc_records(
    stream: ReadableBytes, compression: Compression | None, limit: int
) -> Iterator[SourceRecord | RecordReject | SkippedRecords]:
    """One record per HTML page of the archive (`record <urn:uuid:…>`, its WARC-Record-ID): a `response`
    with a 2xx HTTP status, or a `resource`, whose content type is HTML. The page's url is the record's
    WARC-Target-URI, where the crawler found it. Every other record (requests, metadata, revisits, images,
    redirects, error pages) is counted by kind in one SkippedRecords at the end; an archive without any
    HTML page is then one `empty` reject that says what it held. `stream` is the archive without its
    compression undone (`compression` says which, to name damage to it: the pages before the damage are kept).
    """
    skipped: Counter[str] = Counter()
    pages = 0
    last = current = ""  # the last page read whole; the page being read
    try:
        for record in ArchiveIterator(_Chunks(read_chunks(stream, compression)), arc2warc=True):
            kind = _page_or_why_not(record)
            if kind is not None:
                skipped[kind] += 1
                continue
            pages += 1
            current = f"record {record.rec_headers.get_header('WARC-Record-ID') or pages}"
            yield _page(record, current, limit)
            last, current = current, ""
    except StreamDamaged as damage:
        yield _rest_lost(current, last, damage.reason, damage.detail)
    except (EOFError, zlib.error) as error:
        yield _rest_lost(current, last, "truncated", f"the archive ends early ({error})")
    except (ArchiveLoadFailed, ValueError, OSError) as error:
        reason = "malformed" if not last and not skipped else "undecodable"
        yield _rest_lost(current, last, reason, f"not a WARC record ({' '.join(str(error).split())[:200]})")
    if skipped:
        yield SkippedRecords(dict(skipped))
    if not pages and skipped:
        held = ", ".join(f"{kind} {count}" for kind, count in sorted(skipped.items()))
        total = sum(skipped.values())
        yield RecordReject("", "empty", f"no HTML page among its {total} WARC records ({held})")


def _page_or_why_not(record: ArcWarcRecord) -> str | None:
    """None for an HTML page; else the kind of record it is, as counted ('request', 'response image/jpeg',
    'response HTTP 301')."""
    if record.rec_type not in ("response", "resource"):
        return str(record.rec_type)
    if record.rec_type == "response" and record.http_headers is not None:
        content_type = record.http_headers.get_header("Content-Type") or ""
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return f"response HTTP {status or '?'}"
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in _HTML_TYPES:
        return f"{record.rec_type} {media_type or 'without a content type'}"
    return None


def _page(record: ArcWarcRecord, where: str, limit: int) -> SourceRecord | RecordReject:
    payload = record.content_stream().read(limit + 1)  # the HTTP body, chunked transfer and gzip undone
    if len(payload) > limit:
        return RecordReject(where, "too_large", f"a page larger than the limit of {limit:,} bytes")
    sha = hashlib.sha256(payload).hexdigest()
    url = record.rec_headers.get_header("WARC-Target-URI")
    headers = record.http_headers
    content_type = (headers.get_header("Content-Type") if headers else None) or ""
    charset = next(
        (part.split("=", 1)[1].strip(" \"'") for part in content_type.split(";")[1:] if "charset=" in part.lower()),
        None,
    )
    return page_record(payload, where, sha, target_url=url, declared_charset=charset)


def _rest_lost(current: str, last: str, reason: str, detail: str) -> RecordReject:
    """The damage as one reject: of the page it cut (`current`), else of what follows the last page read."""
    if current:
        return RecordReject(current, reason, f"{detail}: this page and the rest of the archive are lost")
    if last:
        return RecordReject(f"after {last}", reason, f"{detail}: the rest of the archive is lost")
    return RecordReject("", reason, detail)
