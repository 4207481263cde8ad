"""A record file's triage: its records in batches as they are read, never the whole file in memory; a JSON Lines
file that grew read on from where the last run stopped."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, NamedTuple

from textlake.ingest.appended import AppendedBytes, appended_bytes, chained_sha256
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
    Reject,
    prepare_record,
    record_reject,
)
from textlake.ingest.records import (
    RecordReject,
    SkippedRecords,
    SourceRecord,
    read_json_lines,
    read_records,
)
from textlake.ingest.sources import SourceFile, Unreadable, hashed_source


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
    hash, taken in the same pass; of a large file, their sample: `ingest.appended`), ending a line, is read
    from there on: the lines appended, numbered on from the lines before them. What the earlier run made of
    those counts as unchanged, as a full read would find."""
    batch = TriagedBatch()
    if record_settled(batch, unchanged_since_read(source, known), known, source.n_bytes, records=True):
        yield batch
        return
    appended_to = appended_since_read(source, known, reading)
    if appended_to and appended_to.sample_sha256 and appended_to.n_lines is not None:  # kept: `keeps_sample`
        with appended_bytes(source, appended_to.n_bytes, appended_to.sample_sha256) as appended:
            if appended is not None:
                yield from _triage_appended(batch, source, appended, appended_to, known, reading, batch_bytes)
                return
    keep_sample = reading.keeps_sample(source)
    with hashed_source(source, appended_to.n_bytes if appended_to else 0, keep_sample) as hashed:
        if isinstance(hashed, Unreadable):
            yield _unreadable_record_file(batch, hashed)
            return
        path, sha, n_bytes = source.path, hashed.sha256, hashed.n_bytes
        lines = hashed.lines if keep_sample else None
        batch.files_read.append(
            (path, FileState(n_bytes, source.mtime_ns, sha, source.etag, hashed.sample_sha256, lines))
        )
        if record_settled(batch, (path, sha), known, n_bytes, records=True):
            yield batch
            return
        prefix = hashed.prefix
        if appended_to and prefix and prefix.sha256 == appended_to.sha256 and prefix.ends_line:
            hashed.file.seek(appended_to.n_bytes)
            lines_after = _LinesAfter(hashed.file, prefix.lines + 1, appended_to.sha256)
            yield from _triage_lines_after(batch, lines_after, (path, sha, n_bytes), known, reading, batch_bytes)
            return
        batch.record_files = 1
        items = read_records(
            hashed.file,
            source.name,
            format=reading.format,
            fields=reading.fields,
            max_record_bytes=reading.max_record_bytes,
        )
        yield from _triage_records(batch, items, (path, sha, n_bytes), known, batch_bytes, None)


def _unreadable_record_file(batch: TriagedBatch, unreadable: Unreadable) -> TriagedBatch:
    batch.rejects.append(unreadable_reject(unreadable))
    batch.record_files, batch.records = 1, 1
    return batch


def _triage_appended(
    batch: TriagedBatch,
    source: SourceFile,
    appended: AppendedBytes | Unreadable,
    appended_to: FileState,
    known: KnownFiles,
    reading: RecordReading,
    batch_bytes: int | None,
) -> Iterator[TriagedBatch]:
    """The lines appended to a large JSON Lines file whose earlier bytes look as a run read them: the file's
    identity chains the earlier one with the appended bytes' hash (`ingest.appended`)."""
    if isinstance(appended, Unreadable):
        yield _unreadable_record_file(batch, appended)
        return
    path, n_bytes = source.path, appended.n_bytes
    sha = chained_sha256(appended_to.sha256, appended.sha256)
    earlier_lines = appended_to.n_lines or 0
    lines = earlier_lines + appended.lines
    batch.files_read.append(
        (path, FileState(n_bytes, source.mtime_ns, sha, source.etag, appended.sample_sha256, lines))
    )
    lines_after = _LinesAfter(appended.file, earlier_lines + 1, appended_to.sha256)
    yield from _triage_lines_after(batch, lines_after, (path, sha, n_bytes), known, reading, batch_bytes)


class _LinesAfter(NamedTuple):
    file: BinaryIO  # at the first byte after those an earlier run read
    first_line: int  # the number of the first line there
    earlier_sha256: str  # the file's identity when that run read it


def _triage_lines_after(
    batch: TriagedBatch,
    lines_after: _LinesAfter,
    file: tuple[str, str, int],
    known: KnownFiles,
    reading: RecordReading,
    batch_bytes: int | None,
) -> Iterator[TriagedBatch]:
    """The lines of a JSON Lines file after those an earlier run read: what that run made of them counted as
    unchanged, the new lines read and numbered on."""
    path, _, n_bytes = file
    record_settled(batch, (path, lines_after.earlier_sha256), known, n_bytes, records=True)
    items = read_json_lines(
        lines_after.file,
        first_line=lines_after.first_line,
        fields=reading.fields,
        max_record_bytes=reading.max_record_bytes,
    )
    counted = CountedAppearances(path, frozenset(known.documents.get((path, lines_after.earlier_sha256), ())))
    yield from _triage_records(batch, items, file, known, batch_bytes, counted)


@dataclass
class CountedAppearances:
    """The appearances of a record file counted as unchanged so far (a record with the text of one under its
    key again is a duplicate, as a second such record is in a file read whole). Of a file read on from an
    append, those its earlier lines gave count from the start, as a read of the whole file would have counted
    them before it came to the new lines: every key of a text those lines had (`earlier_ids`) that the
    warehouse has. A key names a url or an outlet, not a file: a text of those lines that another file had
    under another key is in too (appended again under that key, a duplicate where a whole read finds it
    unchanged). Asked only of keys the warehouse has."""

    path: str
    earlier_ids: frozenset[str] = frozenset()
    seen: set[AppearanceKey] = field(default_factory=set)

    def __contains__(self, key: AppearanceKey) -> bool:
        return key in self.seen or (key[0] in self.earlier_ids and (key[1] != "path" or key[2] == self.path))


def _triage_records(
    batch: TriagedBatch,
    items: Iterator[SourceRecord | RecordReject | SkippedRecords],
    file: tuple[str, str, int],
    known: KnownFiles,
    batch_bytes: int | None,
    counted: CountedAppearances | None,
) -> Iterator[TriagedBatch]:
    """The batches of a record file's records, from `batch` on. `file`: its (path, sha256, n_bytes). `counted`:
    the appearances of this file counted as unchanged already; None: the file is read from its start, none of
    it counted."""
    path, sha, n_bytes = file
    whole_file = counted is None
    counted = CountedAppearances(path) if counted is None else counted
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
                counted.seen.add(key)
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
