"""Reading a record file (JSON Lines, JSON, CSV/TSV, Parquet, HTML, WARC, zip; compressed or not) record by record."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from textlake.ingest.decode import Undecodable, decode_bytes
from textlake.ingest.records.fields import (
    DEFAULT_FIELD_NAMES,
    FieldNames,
    RecordReject,
    SkippedRecords,
    SourceRecord,
    record_from_values,
    values_sha256,
)
from textlake.ingest.records.formats import (
    FORMAT_NAMES,
    FileFormat,
    Line,
    StreamDamaged,
    decompressed,
    detect_format,
    numbered_lines,
    read_chunks,
    seekable,
)
from textlake.ingest.records.json_document import JsonItem, json_items

Item = SourceRecord | RecordReject | SkippedRecords

# A record's bytes at most (a line, an array item, a text member): more is `too_large`, and memory stays bounded.
DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024
_PARQUET_BATCH_ROWS = 1024
# Bytes that were not UTF-8, kept as lone surrogates by the "surrogateescape" decoding of CSV lines.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


class NoTextColumn(ValueError):
    """A file whose columns (known before any row is read) include none to take the text from."""


def read_records(
    file: BinaryIO,
    name: str,
    *,
    format: str | None = None,
    fields: FieldNames = DEFAULT_FIELD_NAMES,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Iterator[Item]:
    """The records of `file` (opened for binary reading by the caller) one at a time, as they are read: a
    SourceRecord per record with text, a RecordReject per record that cannot be one, and one RecordReject for
    the rest of a file that breaks off (a truncated .gz keeps the records before the damage); a web archive's
    records that hold no page (requests, images, ...) are counted in one SkippedRecords. The format comes
    from `name`'s extensions unless `format` names it. Nothing is read until the iterator is.

    Raises ValueError at once for a `format` that is no record format; every problem of the file itself is a
    reject, an unknown format too (`unknown_format`)."""
    file_format = detect_format(name, format)
    return _read(file, file_format, name, fields, max_record_bytes)


def read_record_file(
    path: Path,
    *,
    format: str | None = None,
    fields: FieldNames = DEFAULT_FIELD_NAMES,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Iterator[Item]:
    """`read_records` of a local file, opened when the first record is asked for and closed after the last."""
    file_format = detect_format(path.name, format)

    def records() -> Iterator[Item]:
        with open(path, "rb") as file:
            yield from _read(file, file_format, path.name, fields, max_record_bytes)

    return records()


def read_json_lines(
    file: BinaryIO,
    *,
    first_line: int,
    fields: FieldNames = DEFAULT_FIELD_NAMES,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Iterator[Item]:
    """The records of an uncompressed JSON Lines file from where `file` stands, the start of line `first_line`
    (`line N` as in a read of the whole file): the lines appended to a file read before."""
    return _json_lines_records(read_chunks(file, None), fields, max_record_bytes, first_line)


def check_text_column(
    file: BinaryIO, name: str, *, format: str | None = None, fields: FieldNames = DEFAULT_FIELD_NAMES
) -> str | None:
    """The column the text will be read from, for formats whose columns are known before any row (Parquet's
    schema, a CSV/TSV header); None for the others (a JSON record without text is an `empty` reject).
    Reads the header line or Parquet's footer only: open the file again (or seek to 0) to read records.

    Raises NoTextColumn, naming the file's columns and the `--field text=COLUMN` flag, when none matches.
    A file too damaged to show its columns passes too: reading it gives its reject."""
    file_format = detect_format(name, format)
    if file_format is None or file_format.format not in ("parquet", "csv", "tsv"):
        return None
    try:
        if file_format.format == "parquet":
            with seekable(file, file_format) as seekable_file:
                columns = list(pq.ParquetFile(seekable_file).schema_arrow.names)
        else:
            chunks = read_chunks(decompressed(file, file_format.compression), file_format.compression)
            columns = _csv_header(next(numbered_lines(chunks, DEFAULT_MAX_RECORD_BYTES), None), _delimiter(file_format))
    except (StreamDamaged, pa.ArrowException, OSError):
        return None
    text_column = fields.columns(columns).get("text")
    if text_column is None:
        raise NoTextColumn(_no_text_column(name, columns, fields))
    return text_column


def _no_text_column(name: str, columns: list[str], fields: FieldNames) -> str:
    candidates = fields.names["text"]
    has = ", ".join(columns) if columns else "none"
    if len(candidates) == 1 and candidates != ("text",):
        return f"{name}: --field text={candidates[0]} names no column; its columns are: {has}"
    looked_for = ", ".join(candidates)
    return (
        f"{name} has no text column (looked for {looked_for}); its columns are: {has}. "
        "Name the text column with --field text=COLUMN"
    )


def _read(file: BinaryIO, file_format: FileFormat | None, name: str, fields: FieldNames, limit: int) -> Iterator[Item]:
    if file_format is None:
        known = ", ".join(f".{suffix}" for suffix in FORMAT_NAMES)
        yield RecordReject("", "unknown_format", f"{name}: not a record file ({known}; optionally .gz, .bz2, .zst)")
        return
    record_format, compression = file_format.format, file_format.compression
    if record_format in ("zip", "parquet"):
        try:
            with seekable(file, file_format) as seekable_file:
                reader = _zip_records if record_format == "zip" else _parquet_records
                yield from reader(seekable_file, name, fields, limit)
        except StreamDamaged as damage:
            yield RecordReject("", damage.reason, damage.detail)
        return
    if record_format == "warc":
        from textlake.ingest.records.warc import warc_records  # trafilatura, imported when a page comes: ~1 s

        yield from warc_records(decompressed(file, compression), compression, limit)
        return
    chunks = read_chunks(decompressed(file, compression), compression)
    if record_format == "jsonl":
        yield from _json_lines_records(chunks, fields, limit)
    elif record_format == "json":
        yield from _json_document_records(chunks, fields, limit)
    elif record_format == "txt":
        yield from _text_record(chunks, limit)
    elif record_format == "html":
        yield from _html_record(chunks, limit)
    else:
        yield from _delimited_records(chunks, _delimiter(file_format), name, fields, limit)


def _json_lines_records(chunks: Iterator[bytes], fields: FieldNames, limit: int, first_line: int = 1) -> Iterator[Item]:
    """One record per line (`line N`, counting every line); blank lines are skipped."""
    last = first_line - 1
    try:
        for line in numbered_lines(chunks, limit, first_line):
            last = line.number
            yield from _json_line_record(line, fields, limit)
    except StreamDamaged as damage:
        yield RecordReject(f"line {last + 1}", damage.reason, f"{damage.detail}: from line {last + 1} on, lost")


def _json_line_record(line: Line, fields: FieldNames, limit: int) -> Iterator[Item]:
    where = f"line {line.number}"
    if line.data is None:
        yield RecordReject(where, "too_large", f"a line of {line.n_bytes:,} bytes, over the limit of {limit:,}")
        return
    data = line.data.removeprefix(b"\xef\xbb\xbf" if line.number == 1 else b"").removesuffix(b"\r")
    if not data.strip():
        return
    sha = hashlib.sha256(data).hexdigest()
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        yield RecordReject(where, "undecodable", f"not UTF-8 ({error.reason} at byte {error.start})", sha)
        return
    except json.JSONDecodeError as error:
        yield RecordReject(where, "malformed", f"{error.msg} (column {error.colno})", sha)
        return
    if not isinstance(value, dict):
        yield RecordReject(where, "malformed", f"a JSON {_json_kind(value)}, not an object", sha)
        return
    yield record_from_values(value, where, sha, fields)


def _json_document_records(chunks: Iterator[bytes], fields: FieldNames, limit: int) -> Iterator[Item]:
    """The items of a top-level array (`record N`), or a file's one object (news-please writes one article a file)."""
    last = 0
    try:
        for item in json_items(chunks, limit):
            where = f"record {item.number}" if item.number else ""
            if not isinstance(item, JsonItem):
                yield RecordReject(where, item.reason, item.detail)
            elif not isinstance(item.value, dict):
                yield RecordReject(where, "malformed", f"a JSON {_json_kind(item.value)}, not an object", item.sha256)
            else:
                yield record_from_values(item.value, where, item.sha256, fields)
            last = item.number or 0
    except StreamDamaged as damage:
        yield RecordReject(f"record {last + 1}", damage.reason, f"{damage.detail}: from record {last + 1} on, lost")


def _json_kind(value: object) -> str:
    kinds = {list: "array", str: "string", bool: "boolean", int: "number", float: "number", type(None): "null"}
    return kinds.get(type(value), type(value).__name__)


def _delimiter(file_format: FileFormat) -> str:
    return "\t" if file_format.format == "tsv" else ","


def _csv_header(line: Line | None, delimiter: str) -> list[str]:
    if line is None or line.data is None:
        return []
    text = line.data.decode("utf-8-sig", errors="replace")
    return [column.strip() for column in next(csv.reader([text + "\n"], delimiter=delimiter), [])]


def _delimited_records(
    chunks: Iterator[bytes], delimiter: str, name: str, fields: FieldNames, limit: int
) -> Iterator[Item]:
    """CSV or TSV with a header row; `row N` counts data rows from 1 (blank lines are no rows). Quoted values
    may span lines. A row with more or fewer values than the header is `malformed`; a line over the limit
    ends the file (`too_large`): the rows after it could not be told apart."""
    # The csv module's limit on a value is one process-wide setting (128 KiB): an article may be longer.
    csv.field_size_limit(max(csv.field_size_limit(), limit))
    lines = numbered_lines(chunks, limit)
    row = 0
    try:
        header = _csv_header(next(lines, None), delimiter)
        if not header:
            yield RecordReject("", "empty", f"{name} has no header row")
            return
        if "text" not in fields.columns(header):
            yield RecordReject("", "empty", _no_text_column(name, header, fields))
            return
        rows = csv.reader(_text_lines(lines, limit), delimiter=delimiter)
        while True:
            try:
                values = next(rows, None)
            except csv.Error as error:
                row += 1
                yield RecordReject(f"row {row}", "malformed", str(error))
                continue
            if values is None:
                return
            if values:
                row += 1
                yield _csv_record(header, values, f"row {row}", fields)
    except StreamDamaged as damage:
        yield RecordReject(f"row {row + 1}", damage.reason, f"{damage.detail}: from row {row + 1} on, lost")


def _text_lines(lines: Iterator[Line], limit: int) -> Iterator[str]:
    """Lines as text for the csv module, with their line break; bytes that are not UTF-8 kept as surrogates
    to be found in the row they belong to."""
    for line in lines:
        if line.data is None:
            raise StreamDamaged(
                "too_large", f"line {line.number} has {line.n_bytes:,} bytes, over the limit of {limit:,}"
            )
        yield line.data.decode("utf-8", errors="surrogateescape") + "\n"


def _csv_record(header: list[str], values: list[str], where: str, fields: FieldNames) -> Item:
    sha = values_sha256(values)
    if len(values) != len(header):
        detail = f"{len(values)} values where the header has {len(header)} columns"
        return RecordReject(where, "malformed", detail, sha)
    if any(_NOT_UTF8.search(value) for value in values):
        return RecordReject(where, "undecodable", "bytes that are not UTF-8", sha)
    return record_from_values(dict(zip(header, values, strict=True)), where, sha, fields)


def _text_record(chunks: Iterator[bytes], limit: int, where: str = "") -> Iterator[Item]:
    """A text file is one document (inside a zip: `member a/b.txt`), decoded as textlake decodes .txt files."""
    data = bytearray()
    for chunk in chunks:
        data += chunk
        if len(data) > limit:
            yield RecordReject(where, "too_large", f"larger than the limit of {limit:,} bytes")
            return
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = decode_bytes(bytes(data)).text
    except Undecodable as error:
        yield RecordReject(where, error.reason, error.detail, sha)
        return
    if not text.strip():
        yield RecordReject(where, "empty", "only whitespace", sha)
        return
    yield SourceRecord(where, text, None, None, None, None, None, (), None, None, sha)


def _html_record(chunks: Iterator[bytes], limit: int) -> Iterator[Item]:
    """An HTML file is one page: its main text and what it says of itself (title, date, authors, canonical
    URL); `empty` when no main text is found. A page cut off by damage to its compression is rejected whole."""
    data = bytearray()
    try:
        for chunk in chunks:
            data += chunk
            if len(data) > limit:
                yield RecordReject("", "too_large", f"larger than the limit of {limit:,} bytes")
                return
    except StreamDamaged as damage:
        yield RecordReject("", damage.reason, damage.detail)
        return
    if not data.strip():
        yield RecordReject("", "empty", "the file has no bytes" if not data else "only whitespace")
        return
    from textlake.ingest.records.html_page import page_record  # trafilatura, imported when a page comes: ~1 s

    yield page_record(bytes(data), "", hashlib.sha256(data).hexdigest())


def _parquet_records(file: IO[bytes], name: str, fields: FieldNames, limit: int) -> Iterator[Item]:
    """Parquet a batch of rows at a time (`row N` from 1), reading only the columns some field may come from;
    a row's hash is over those values."""
    try:
        parquet = pq.ParquetFile(file)
    except (pa.ArrowException, OSError) as error:
        yield RecordReject("", "undecodable", f"not a Parquet file ({error})")
        return
    names = list(parquet.schema_arrow.names)
    if "text" not in fields.columns(names):
        yield RecordReject("", "empty", _no_text_column(name, names, fields))
        return
    wanted = {candidate.lower() for candidates in fields.names.values() for candidate in candidates}
    columns = [name for name in names if name.lower() in wanted]
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS, columns=columns):
            for values in batch.to_pylist():
                row += 1
                yield record_from_values(values, f"row {row}", values_sha256(values), fields)
    except (pa.ArrowException, OSError) as error:
        yield RecordReject(
            f"row {row + 1}", "undecodable", f"the Parquet data is damaged ({error}): from row {row + 1} on, lost"
        )


def _zip_records(file: IO[bytes], name: str, fields: FieldNames, limit: int) -> Iterator[Item]:
    """Each member read by its own name's format (`member a/b.jsonl line 5`; a text member is one document,
    `member a/b.txt`); folders and macOS's __MACOSX/ resource copies are skipped."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as error:
        yield RecordReject("", "undecodable", f"not a zip archive ({error})")
        return
    with archive:
        for member in archive.infolist():
            if member.is_dir() or member.filename.startswith("__MACOSX/"):
                continue
            where = f"member {member.filename}"
            member_format = detect_format(member.filename)
            try:
                with archive.open(member) as opened:
                    for item in _read(opened, member_format, member.filename, fields, limit):  # type: ignore[arg-type]
                        if isinstance(item, SkippedRecords):
                            yield item
                            continue
                        inner = f"{where} {item.source_record}" if item.source_record else where
                        yield replace(item, source_record=inner)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:  # a bad CRC, damaged deflate data
                yield RecordReject(where, "undecodable", f"the member is damaged ({error})")
            except (RuntimeError, NotImplementedError) as error:  # encrypted; a compression zipfile cannot undo
                yield RecordReject(where, "unreadable", str(error))
