"""Inputs named by URL (s3://, gs://, az://, https://, file://): their objects listed and opened through fsspec,
configured as each store's own tools are (for S3 the AWS variables, AWS_ENDPOINT_URL for MinIO and the like)."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlparse

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")
# Schemes whose URLs name a bucket (or container) first: s3://BUCKET/key.
_BUCKET_SCHEMES = {"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "oss"}


@dataclass(frozen=True)
class StoredObject:
    url: str  # s3://bucket/key: the object's identity in tables, as a resolved path is a file's
    n_bytes: int
    mtime_ns: int  # when it was last written, as the store says; 0 when it says nothing
    etag: str | None  # the store's entity tag, which changes whenever the object is written; None if it has none


class InputUnavailable(Exception):
    """A URL that cannot be listed, said in one line. `names_nothing`: the store answered, and nothing is there
    (as for a local path that does not exist); otherwise it does not answer, or refuses (no such bucket, no
    permission, no filesystem for the scheme)."""

    def __init__(self, message: str, names_nothing: bool = False):
        super().__init__(message)
        self.names_nothing = names_nothing


def is_url(given: str) -> bool:
    """Whether an input names a URL ("s3://bucket/prefix/", "file:///data/x.jsonl"), not a local path."""
    return bool(_URL.match(given))


def local_path_of(url: str) -> Path | None:
    """The local path a file:// URL names (read as any local path is); None for other URLs."""
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme.lower() == "file" else None


def check_reachable(url: str) -> None:
    """Ask the store once whether there is something at `url` (an object, or objects under a prefix): a run of
    a URL that cannot be read says so before anything starts. Raises InputUnavailable as `list_objects`."""
    filesystem, root = _filesystem(url)
    _info(filesystem, url, root)


def list_objects(url: str, wanted: Callable[[str], bool]) -> list[StoredObject]:
    """The object `url` names, or every object under it (a prefix: "s3://bucket/daily/") whose key `wanted`
    accepts, sorted by URL. An object named is listed whatever its name, as a file named is.

    Raises InputUnavailable when the store cannot be reached, refuses, or has nothing at `url`."""
    filesystem, root = _filesystem(url)
    info = _info(filesystem, url, root)
    if info.get("type") != "directory":
        return [_stored_object(filesystem, info)]
    try:
        found = filesystem.find(root, detail=True)
    except Exception as error:  # noqa: BLE001 — every store's own errors: said in one line, not a traceback
        raise InputUnavailable(_cannot_read(url, error)) from None
    return [
        _stored_object(filesystem, entry)
        for key, entry in sorted(found.items())
        if entry.get("type") != "directory" and wanted(key)
    ]


def open_object(url: str) -> IO[bytes]:
    """The object for reading (seekable: stores read byte ranges), to be closed by the caller."""
    filesystem, path = _filesystem(url)
    return filesystem.open(path, "rb")  # type: ignore[no-any-return]


def _filesystem(url: str) -> tuple[Any, str]:
    """fsspec's filesystem for the URL's scheme, and the path within it."""
    import fsspec

    try:
        filesystem, path = fsspec.core.url_to_fs(url)
        return filesystem, str(path)
    except ImportError as error:  # a scheme whose filesystem is a package of its own (gcsfs, adlfs)
        raise InputUnavailable(f"{url}: {_first_line(error)} (then run again)") from None
    except ValueError as error:
        raise InputUnavailable(f"{url}: no filesystem for this scheme ({_first_line(error)})") from None


def _info(filesystem: Any, url: str, root: str) -> dict[str, Any]:
    try:
        return filesystem.info(root)  # type: ignore[no-any-return]
    except FileNotFoundError as error:
        raise _not_found(filesystem, url, error) from None
    except Exception as error:  # noqa: BLE001 — every store's own errors: said in one line, not a traceback
        raise InputUnavailable(_cannot_read(url, error)) from None


def _not_found(filesystem: Any, url: str, error: FileNotFoundError) -> InputUnavailable:
    # fsspec's https:// says "not found" for a server that refused the connection, or the request, too
    if _does_not_answer(error) or _http_status(error) in (401, 403):
        return InputUnavailable(_cannot_read(url, error))
    bucket = _bucket(url)
    if bucket:
        try:
            bucket_exists = filesystem.exists(bucket)
        except Exception as cause:  # noqa: BLE001
            return InputUnavailable(_cannot_read(url, cause))
        if not bucket_exists:
            return InputUnavailable(f"{url}: bucket {bucket} does not exist")
    return InputUnavailable(f"no such object or prefix: {url}", names_nothing=True)


def _cannot_read(url: str, error: BaseException) -> str:
    bucket = _bucket(url)
    if _does_not_answer(error):
        return f"{url}: the store does not answer ({_first_line(_root_cause(error))})"
    if isinstance(error, PermissionError):
        where = f"bucket {bucket}" if bucket else url
        return f"{url}: access to {where} denied ({_first_line(error)}); check the credentials (for S3: AWS_*)"
    if (status := _http_status(error)) in (401, 403):
        return f"{url}: the server refuses access (HTTP {status})"
    return f"{url}: {type(error).__name__}: {_first_line(error)}"


def _does_not_answer(error: BaseException) -> bool:
    """Whether `error`, or an error that caused it, is a connection that failed or timed out (the stores'
    client libraries each have their own such errors: their names say so)."""
    seen: BaseException | None = error
    while seen is not None:
        name = type(seen).__name__
        if isinstance(seen, ConnectionError | TimeoutError) or "Connect" in name or "Timeout" in name:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _http_status(error: BaseException) -> int | None:
    """The HTTP status a web server answered with, when it is what `error` (or its cause) says."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(status := getattr(seen, "status", None), int):
            return status
        seen = seen.__cause__ or seen.__context__
    return None


def _root_cause(error: BaseException) -> BaseException:
    while (cause := error.__cause__ or error.__context__) is not None:
        error = cause
    return error


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _bucket(url: str) -> str | None:
    parsed = urlparse(url)
    return (parsed.netloc or None) if parsed.scheme.lower() in _BUCKET_SCHEMES else None


def _stored_object(filesystem: Any, entry: dict[str, Any]) -> StoredObject:
    etag = entry.get("ETag") or entry.get("etag")
    return StoredObject(
        url=filesystem.unstrip_protocol(entry["name"]),
        n_bytes=int(entry.get("size") or 0),
        mtime_ns=_mtime_ns(entry),
        etag=str(etag) if etag else None,
    )


def _mtime_ns(entry: dict[str, Any]) -> int:
    """When the object was last written, from whichever key its store uses (S3: LastModified, GCS: updated,
    Azure: last_modified, HTTP: Last-Modified, local: mtime); 0 when none says."""
    for key in ("LastModified", "last_modified", "updated", "Last-Modified", "mtime"):
        value = entry.get(key)
        if isinstance(value, str):
            value = _parsed_time(value)
        if isinstance(value, dt.datetime):
            return int(value.timestamp() * 1_000_000) * 1000
        if isinstance(value, int | float) and value > 0:
            return int(value * 1_000_000_000)
    return 0


def _parsed_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)  # an HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT"
    except (TypeError, ValueError):
        return None
