"""Finding input files and objects and reading their bytes, with every failure turned into a reject reason."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from stat import S_ISREG
from typing import IO, BinaryIO, cast
from urllib.parse import urlparse

from textlake.ingest.objects import InputUnavailable, is_url, list_objects, local_path_of, open_object
from textlake.ingest.records.formats import detect_format


@dataclass(frozen=True)
class SourceFile:
    location: Path | str  # a local file's resolved path, or an object's URL ("s3://bucket/key")
    n_bytes: int
    mtime_ns: int = 0
    etag: str | None = None  # an object's entity tag: its store changes it whenever the object is written

    @property
    def path(self) -> str:
        """The path (or URL) as text for tables and messages (bytes that are not UTF-8 are escaped)."""
        return self.location if isinstance(self.location, str) else display_path(self.location)

    @property
    def name(self) -> str:
        """The file's or object's name, which tells its format ("export.jsonl.gz")."""
        if isinstance(self.location, str):
            return PurePosixPath(urlparse(self.location).path).name
        return self.location.name

    @property
    def is_object(self) -> bool:
        """Whether it is an object of a store (s3://, https://, ...), not a local file."""
        return isinstance(self.location, str)


@dataclass(frozen=True)
class RawFile:
    source: SourceFile
    data: bytes
    sha256: str


@dataclass(frozen=True)
class Unreadable:
    source: SourceFile
    reason: str  # a rejects.reason code
    detail: str


def display_path(path: Path) -> str:
    """A path as text: bytes that are not UTF-8 in a file name become backslash escapes."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def discover_files(
    paths: Iterable[Path | str], glob: str | Sequence[str] = ()
) -> tuple[list[SourceFile], list[Unreadable]]:
    """Files named by `paths`, and files in folders below them (recursively) that match one of the `glob`
    patterns (case-sensitive, as the shell's) or, with no pattern, every file of a format textlake reads
    (.txt and the record formats, compressed too: `detect_format`), each once, in sorted order, by resolved
    absolute path: a file's identity does not depend on the working directory or on the link it was reached
    through. Paths that do not exist come back as `unreadable`. Symlinked folders are not followed, so a
    link loop cannot trap the walk. A URL (`is_url`: s3://bucket/prefix/, https://…) names an object, or the
    objects under a prefix, chosen as a folder's files are; identified by their URLs; a URL that cannot be
    listed comes back as `unreadable` with the reason. file:// URLs are local paths."""
    patterns = (glob,) if isinstance(glob, str) else tuple(glob)
    found: dict[str, SourceFile] = {}
    missing: list[Unreadable] = []
    for given in paths:
        if isinstance(given, str) and is_url(given):
            local = local_path_of(given)
            if local is None:
                _add_objects(found, missing, given, patterns)
                continue
            given = local
        root = Path(given)
        if root.is_file():
            _add(found, root)
        elif root.is_dir():
            _add_folder(found, root, patterns)
        else:
            source = SourceFile(Path(os.path.abspath(root)), 0)
            missing.append(Unreadable(source, "unreadable", "no such file or folder"))
    return sorted(found.values(), key=lambda source: source.path), missing


def _add_folder(found: dict[str, SourceFile], root: Path, patterns: tuple[str, ...]) -> None:
    """The folder's matching files, each with one `stat`: a folder's entries say which are links and
    folders without a call each, and a plain file's resolved path is its resolved folder's plus its name
    (~10 µs a file; resolving and testing each path took ~50 µs, 0.5 s before a run of 10,000 files)."""
    folders = [str(root)]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:  # unreadable or vanished: as os.walk, skipped
            continue
        resolved_folder = os.path.realpath(folder)
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif _matches(entry, patterns):
                if not entry.is_symlink():
                    _add_stat(found, Path(resolved_folder, entry.name), entry)
                elif _links_to_a_file_or_nowhere(entry):
                    _add(found, Path(entry.path))


def _matches(entry: os.DirEntry[str], patterns: tuple[str, ...]) -> bool:
    return _wanted(entry.path, patterns)


def _wanted(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether a file (or an object's key) found below a folder given is read."""
    name = path.rsplit("/", 1)[-1]
    if not patterns:
        return detect_format(name) is not None
    # a pattern of one path component matches the name alone
    return any(fnmatchcase(name, p) if "/" not in p else PurePosixPath(path).match(p) for p in patterns)


def _add_objects(found: dict[str, SourceFile], missing: list[Unreadable], url: str, patterns: tuple[str, ...]) -> None:
    try:
        objects = list_objects(url, lambda key: _wanted(key, patterns))
    except InputUnavailable as error:
        missing.append(Unreadable(SourceFile(url, 0), "unreadable", str(error)))
        return
    for stored in objects:
        found.setdefault(stored.url, SourceFile(stored.url, stored.n_bytes, stored.mtime_ns, stored.etag))


def _links_to_a_file_or_nowhere(link: os.DirEntry[str]) -> bool:
    """A link to a file is listed as its target; a broken link or a link loop too, to be read as unreadable."""
    try:
        if link.is_file():
            return True
    except OSError:  # a link loop
        pass
    return not os.path.exists(link.path)


def _add(found: dict[str, SourceFile], path: Path) -> None:
    # realpath, not Path.resolve: a link loop must become an unreadable file, not an exception
    _add_stat(found, Path(os.path.realpath(path)), path)


def _add_stat(found: dict[str, SourceFile], absolute: Path, stat_of: Path | os.DirEntry[str]) -> None:
    key = display_path(absolute)
    if key not in found:
        try:
            stat = stat_of.stat()
            if not S_ISREG(stat.st_mode):  # a socket, a device, a pipe: no text file
                return
            size, mtime_ns = stat.st_size, stat.st_mtime_ns
        except OSError:
            size, mtime_ns = 0, 0
        found[key] = SourceFile(absolute, size, mtime_ns)


def open_source(source: SourceFile) -> BinaryIO:
    """The file or object opened for binary reading; the caller closes it."""
    if isinstance(source.location, str):
        return cast(BinaryIO, open_object(source.location))
    return open(source.location, "rb")


def read_source(source: SourceFile, max_bytes: int) -> RawFile | Unreadable:
    """The file's bytes and their SHA-256, or why they could not be read."""
    try:
        with open_source(source) as handle:
            data = handle.read(max_bytes + 1)
    except Exception as error:  # noqa: BLE001 — an object store's errors are its client's own
        return unreadable(source, error)
    if len(data) > max_bytes:
        return Unreadable(
            source, "too_large", f"larger than the limit of {max_bytes:,} bytes (TEXTLAKE_MAX_FILE_BYTES)"
        )
    return RawFile(replace(source, n_bytes=len(data)), data, hashlib.sha256(data).hexdigest())


def unreadable(source: SourceFile, error: Exception) -> Unreadable:
    """Why a file or object could not be read (an error other than the filesystem's, of a local file, is a bug)."""
    if isinstance(error, FileNotFoundError):
        return Unreadable(source, "unreadable", "the file disappeared before it could be read")
    if isinstance(error, PermissionError):
        return Unreadable(source, "unreadable", "permission denied")
    if isinstance(error, IsADirectoryError):
        return Unreadable(source, "unreadable", "is a folder")
    if isinstance(error, OSError) and not source.is_object:
        return Unreadable(source, "unreadable", f"{error.strerror or error}")
    if not source.is_object:
        raise error
    first_line = (str(error).strip() or type(error).__name__).splitlines()[0]
    return Unreadable(source, "unreadable", f"{type(error).__name__}: {first_line}")


@dataclass(frozen=True)
class Prefix:
    """The first bytes of a file, as many as a run read of it before: whether they are still those."""

    sha256: str
    lines: int  # line breaks in them
    ends_line: bool  # whether they end with a line break (or are none): what follows begins a line


SAMPLE_BLOCKS = 32
SAMPLE_BLOCK_BYTES = 1 << 16


def sampled_sha256(file: BinaryIO, n_bytes: int) -> str:
    """SHA-256 of the length and of 32 blocks of 64 KiB spread evenly over a file's first `n_bytes` (the first
    at its start, the last ending at `n_bytes`; overlapping in a file under 2 MiB). Leaves the file anywhere.
    What a run remembers of a large JSON Lines file to tell that it was appended to (`ingest.appended`)."""
    digest = hashlib.sha256(n_bytes.to_bytes(8, "big"))
    span = max(0, n_bytes - SAMPLE_BLOCK_BYTES)
    for block in range(SAMPLE_BLOCKS):
        offset = span * block // (SAMPLE_BLOCKS - 1)
        file.seek(offset)
        digest.update(file.read(min(SAMPLE_BLOCK_BYTES, n_bytes - offset)))
    return digest.hexdigest()


@dataclass(frozen=True)
class HashedFile:
    """A file read through once for its SHA-256 and size, opened at its start to be read again: `file` gives
    the bytes hashed and no more, though the file grows meanwhile."""

    file: BinaryIO
    sha256: str
    n_bytes: int
    prefix: Prefix | None  # of the first `prefix_bytes` asked for; None when the file is shorter
    lines: int = 0  # line breaks in the bytes hashed
    sample_sha256: str | None = None  # `sampled_sha256` of the bytes hashed, when asked for


@contextmanager
def hashed_source(source: SourceFile, prefix_bytes: int = 0, sample: bool = False) -> Iterator[HashedFile | Unreadable]:
    """The file hashed (a megabyte at a time, never whole in memory) and opened for reading, or why it could not
    be read. With `prefix_bytes`, its first bytes are hashed too, in the same pass; with `sample`, its
    `sampled_sha256` too. An object is copied to a temporary file as it is hashed: it is
    downloaded once, and what is read is what was hashed."""
    with ExitStack() as stack:
        try:
            original = stack.enter_context(open_source(source))
            copy = stack.enter_context(tempfile.TemporaryFile(prefix="textlake-")) if source.is_object else None
            digest, n_bytes, lines, last_byte = hashlib.sha256(), 0, 0, b""
            prefix = None
            while chunk := original.read(1 << 20):
                if copy is not None:
                    copy.write(chunk)
                if prefix is None and prefix_bytes:
                    head = chunk[: prefix_bytes - n_bytes]
                    digest.update(head)
                    if n_bytes + len(chunk) >= prefix_bytes:
                        ends_line = (head[-1:] or last_byte) in (b"\n", b"")
                        prefix = Prefix(digest.hexdigest(), lines + head.count(b"\n"), ends_line)
                        digest.update(chunk[len(head) :])  # the digest goes on after it
                else:
                    digest.update(chunk)
                lines += chunk.count(b"\n")
                n_bytes += len(chunk)
                last_byte = chunk[-1:]
            file = cast(BinaryIO, copy if copy is not None else FirstBytes(original, n_bytes))
            sampled = sampled_sha256(file, n_bytes) if sample else None
        except Exception as error:  # noqa: BLE001 — as read_source
            yield unreadable(source, error)
            return
        file.seek(0)
        yield HashedFile(file, digest.hexdigest(), n_bytes, prefix, lines, sampled)


class FirstBytes(io.RawIOBase):
    """A file's first `limit` bytes, seekable as the file is: a file that grows while a run reads it is read as
    far as the run hashed it (what a crawler appends meanwhile is for the next run)."""

    def __init__(self, file: IO[bytes], limit: int):
        super().__init__()
        self._file, self._limit = file, limit

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._file.seekable()

    def tell(self) -> int:
        return self._file.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_END:
            offset, whence = self._limit + offset, io.SEEK_SET
        return self._file.seek(offset, whence)

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        room = self._limit - self._file.tell()
        if room <= 0:
            return 0
        data = self._file.read(min(len(buffer), room))
        buffer[: len(data)] = data
        return len(data)
