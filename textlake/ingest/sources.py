"""Finding input files and reading their bytes, with every failure turned into a reject reason."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceFile:
    location: Path
    n_bytes: int
    mtime_ns: int = 0

    @property
    def path(self) -> str:
        """The path as text for tables and messages (bytes that are not UTF-8 are escaped)."""
        return display_path(self.location)


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


def discover_files(paths: Iterable[Path], glob: str = "*.txt") -> tuple[list[SourceFile], list[Unreadable]]:
    """Files named by `paths`, and files matching `glob` in folders below them (recursively), each once,
    in sorted order, by resolved absolute path: a file's identity does not depend on the working directory
    or on the link it was reached through. Paths that do not exist come back as `unreadable`. Symlinked
    folders are not followed, so a link loop cannot trap the walk."""
    found: dict[str, SourceFile] = {}
    missing: list[Unreadable] = []
    for root in paths:
        root = Path(root)
        if root.is_file():
            _add(found, root)
        elif root.is_dir():
            for folder, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames.sort()
                for name in sorted(filenames):
                    candidate = Path(folder) / name
                    if candidate.match(glob) and (candidate.is_file() or not candidate.exists()):
                        _add(found, candidate)
        else:
            source = SourceFile(Path(os.path.abspath(root)), 0)
            missing.append(Unreadable(source, "unreadable", "no such file or folder"))
    return sorted(found.values(), key=lambda source: source.path), missing


def _add(found: dict[str, SourceFile], path: Path) -> None:
    # realpath, not Path.resolve: a link loop must become an unreadable file, not an exception
    absolute = Path(os.path.realpath(path))
    key = display_path(absolute)
    if key not in found:
        try:
            stat = absolute.stat()
            size, mtime_ns = stat.st_size, stat.st_mtime_ns
        except OSError:
            size, mtime_ns = 0, 0
        found[key] = SourceFile(absolute, size, mtime_ns)


def read_source(source: SourceFile, max_bytes: int) -> RawFile | Unreadable:
    """The file's bytes and their SHA-256, or why they could not be read."""
    try:
        with open(source.location, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return Unreadable(source, "unreadable", "the file disappeared before it could be read")
    except PermissionError:
        return Unreadable(source, "unreadable", "permission denied")
    except IsADirectoryError:
        return Unreadable(source, "unreadable", "is a folder")
    except OSError as error:
        return Unreadable(source, "unreadable", f"{error.strerror or error}")
    if len(data) > max_bytes:
        return Unreadable(
            source, "too_large", f"larger than the limit of {max_bytes:,} bytes (TEXTLAKE_MAX_FILE_BYTES)"
        )
    return RawFile(SourceFile(source.location, len(data), source.mtime_ns), data, hashlib.sha256(data).hexdigest())
