"""A large JSON Lines file that a crawl appends to, read on from where the last run stopped without reading the
bytes before it again.

A file up to `RecordReading.whole_check_up_to` bytes (64 MiB) is hashed whole at every run, and its first bytes
are the ones read before when their SHA-256 is (`triage_record_file`): exact, and cheap at that size. Beyond
it, hashing gigabytes to find one appended line would cost a run more than the line does, so a large file is
told as log shippers tell a file they tail: by a sample of it. A run that reads a large file remembers in its
`file_state` row the SHA-256 of 32 blocks spread evenly over the bytes it read (`sampled_sha256`) and how many
lines they hold; a later run that finds the file grown, those blocks unchanged and a line break where the earlier
bytes ended, reads only what follows. What it cannot see is an edit inside the earlier bytes that keeps their
length and misses every block (2 MiB of each gigabyte are read); such a file is read whole again once its size
stops growing (`touch` it, or shorten it).

The file's identity (`source_sha256`) after such a read chains the earlier identity with the appended bytes'
SHA-256 (`chained_sha256`), so the next run that finds it unchanged (size and mtime) settles it as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import BinaryIO, cast

from textlake.ingest.sources import FirstBytes, SourceFile, Unreadable, open_source, sampled_sha256, unreadable


def chained_sha256(earlier: str, appended: str) -> str:
    """The identity of a file read on from an append: the earlier identity and the appended bytes' SHA-256."""
    return hashlib.sha256(f"textlake appended {earlier} {appended}".encode()).hexdigest()


@dataclass(frozen=True)
class AppendedBytes:
    """What was appended to a file after the bytes a run read before: `file` is opened at their start and gives
    the bytes hashed and no more (what a crawl appends meanwhile is for the next run)."""

    file: BinaryIO
    sha256: str  # of the appended bytes
    n_bytes: int  # of the whole file, as far as it was read
    lines: int  # line breaks in the appended bytes
    sample_sha256: str  # `sampled_sha256` of the whole file as far as it was read


@contextmanager
def appended_bytes(
    source: SourceFile, read_before: int, sample_before: str
) -> Iterator[AppendedBytes | Unreadable | None]:
    """The bytes of a file after its first `read_before`, when those look as a run read them (their
    `sampled_sha256` is `sample_before`, and they end a line); None when they do not: the file is read whole."""
    with ExitStack() as stack:
        try:
            original = stack.enter_context(open_source(source))
            original.seek(read_before - 1)
            if original.read(1) != b"\n" or sampled_sha256(original, read_before) != sample_before:
                found: AppendedBytes | Unreadable | None = None
            else:
                original.seek(read_before)
                digest, n_bytes, lines = hashlib.sha256(), read_before, 0
                while chunk := original.read(1 << 20):
                    digest.update(chunk)
                    lines += chunk.count(b"\n")
                    n_bytes += len(chunk)
                sample = sampled_sha256(original, n_bytes)
                original.seek(read_before)
                file = cast(BinaryIO, FirstBytes(original, n_bytes))
                found = AppendedBytes(file, digest.hexdigest(), n_bytes, lines, sample)
        except Exception as error:  # noqa: BLE001 — as hashed_source
            found = unreadable(source, error)
        yield found
