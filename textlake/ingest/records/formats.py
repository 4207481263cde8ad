"""Which record format a file is in (by its name, or a name given), and its bytes with any compression undone."""

from __future__ import annotations

import bz2
import gzip
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, BinaryIO, Literal, Protocol

import pyarrow as pa

RecordFormat = Literal["jsonl", "json", "csv", "tsv", "parquet", "zip", "txt", "html", "warc"]
Compression = Literal["gzip", "bz2", "zstd"]

_FORMATS: dict[str, RecordFormat] = {
    "jsonl": "jsonl",
    "ndjson": "jsonl",
    "json": "json",
    "csv": "csv",
    "tsv": "tsv",
    "parquet": "parquet",
    "zip": "zip",
    "txt": "txt",
    "html": "html",
    "htm": "html",
    "warc": "warc",
}
_COMPRESSIONS: dict[str, Compression] = {"gz": "gzip", "gzip": "gzip", "bz2": "bz2", "zst": "zstd", "zstd": "zstd"}

FORMAT_NAMES = tuple(_FORMATS)  # what `format=` accepts, each optionally with a compression: "jsonl.gz"


@dataclass(frozen=True)
class FileFormat:
    format: RecordFormat
    compression: Compression | None = None


def detect_format(name: str, format: str | None = None) -> FileFormat | None:
    """The format of the file `name` by its extensions ("export.jsonl.gz" → jsonl in gzip), case-insensitive;
    None when they name no record format. An explicit `format` ("jsonl", "csv.gz") overrides the name's
    format; the compression then comes from `format` or else from the name ("feed.gz" read as "jsonl").

    Raises ValueError for a `format` that is no record format: that is a usage error, not a bad file."""
    from_name = _from_suffixes(name)
    if format is None:
        return from_name
    explicit = _from_suffixes("." + format.lstrip("."))
    if explicit is None:
        names = ", ".join(FORMAT_NAMES)
        raise ValueError(f"unknown record format {format!r}: one of {names} (optionally with .gz, .bz2 or .zst)")
    if explicit.compression is None:
        return FileFormat(explicit.format, _compression_suffix(name))
    return explicit


def _compression_suffix(name: str) -> Compression | None:
    return _COMPRESSIONS.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None


def _from_suffixes(name: str) -> FileFormat | None:
    base = name.rsplit("/", 1)[-1].lower()
    parts = base.split(".")[1:]
    compression = _COMPRESSIONS.get(parts[-1]) if parts else None
    if compression is not None:
        parts = parts[:-1]
    record_format = _FORMATS.get(parts[-1]) if parts else None
    return FileFormat(record_format, compression) if record_format else None


class ReadableBytes(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class StreamDamaged(Exception):
    """The bytes stop making sense part-way: `reason` is `truncated` (the compressed stream ends early) or
    `undecodable` (damaged compressed data, or bytes that are not the format's encoding)."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


# Small reads: what was decompressed before damage is kept, and a read returns what is there (read1).
CHUNK_BYTES = 64 * 1024


def decompressed(file: BinaryIO, compression: Compression | None) -> ReadableBytes:
    """`file`'s bytes with the compression undone, read as they are asked for (never the whole file at once).
    zstd goes through pyarrow's codec: Python 3.11 has none of its own."""
    if compression == "gzip":
        return gzip.GzipFile(fileobj=file, mode="rb")
    if compression == "bz2":
        return bz2.BZ2File(file, mode="rb")
    if compression == "zstd":
        return pa.CompressedInputStream(pa.PythonFile(file, mode="r"), "zstd")  # type: ignore[no-any-return]
    return file


def read_chunks(stream: ReadableBytes, compression: Compression | None) -> Iterator[bytes]:
    """The stream's bytes a chunk at a time; damage to the compressed data becomes `StreamDamaged`, after the
    chunks decompressed before it (bz2 loses its whole block of up to 900 kB: it decompresses block by block)."""
    kind = compression or "file"
    read = getattr(stream, "read1", stream.read)
    while True:
        try:
            chunk = read(CHUNK_BYTES)
        except EOFError as error:  # gzip, bz2: the end-of-stream marker never came
            raise StreamDamaged("truncated", f"the {kind} data ends early ({error})") from None
        except (zlib.error, OSError) as error:
            if compression is None:
                raise
            # pyarrow's zstd reports an early end as OSError("Truncated compressed stream")
            reason = "truncated" if "truncated" in str(error).lower() else "undecodable"
            raise StreamDamaged(reason, f"the {kind} data is damaged ({error})") from None
        if not chunk:
            return
        yield chunk


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    data: bytes | None  # without its line break; None for a line longer than the limit
    n_bytes: int


def numbered_lines(chunks: Iterator[bytes], max_line_bytes: int, first_number: int = 1) -> Iterator[Line]:
    """The lines of a byte stream, numbered from `first_number` (1: the stream is a whole file), without their
    line break ("\\r\\n" keeps its "\\r"). A line longer than `max_line_bytes` comes back without its bytes, so
    one runaway line cannot fill memory. A partial last line before damage (`StreamDamaged`) is not yielded:
    it is part of what was lost."""
    number = first_number - 1
    pending = bytearray()
    n_bytes = 0
    for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            n_bytes += len(piece)
            if n_bytes <= max_line_bytes:
                pending += piece
            if end < 0:
                break
            number += 1
            yield Line(number, bytes(pending) if n_bytes <= max_line_bytes else None, n_bytes)
            pending.clear()
            n_bytes = 0
            start = end + 1
    if n_bytes:
        yield Line(number + 1, bytes(pending) if n_bytes <= max_line_bytes else None, n_bytes)


@contextmanager
def seekable(file: BinaryIO, file_format: FileFormat) -> Iterator[IO[bytes]]:
    """The file as Parquet's and zip's readers need it: one they can seek in. A compressed file, or one that
    cannot seek (a pipe), is first copied, decompressed, to a temporary file on disk (not into memory).
    Damage to the compressed data raises `StreamDamaged` before anything is read from the copy."""
    if file_format.compression is None and file.seekable():
        yield file
        return
    with tempfile.TemporaryFile(prefix="textlake-") as copy:
        for chunk in read_chunks(decompressed(file, file_format.compression), file_format.compression):
            copy.write(chunk)
        copy.seek(0)
        yield copy
