"""A record's fields found by name (text, title, published, url, outlet, authors, id, language) → a SourceRecord."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from textlake.ingest.records.published import Precision, parse_published


@dataclass(frozen=True)
class SourceRecord:
    """One record of a record file: one document to be."""

    source_record: str  # where in the file: "line 1432", "row 17", "record 3", "member a/b.txt"; "" for the whole file
    text: str  # as the record has it: not normalised yet
    title: str | None
    published: dt.datetime | None  # UTC
    published_precision: Precision | None
    url: str | None
    outlet: str | None
    authors: tuple[str, ...]
    external_id: str | None
    language_hint: str | None  # what the record says; the language stage still decides
    raw_sha256: str  # of the record's bytes as in the file, or of its values (see `values_sha256`)
    notes: tuple[str, ...] = ()  # values given but not understood (a published date that is no date)


@dataclass(frozen=True)
class RecordReject:
    """A record (or the rest of a file) that becomes no document; `reason` is a `rejects.reason` code."""

    source_record: str
    reason: str  # malformed, empty, truncated, undecodable, unknown_format, too_large, unreadable, binary
    detail: str  # one line, for a person
    raw_sha256: str = ""  # of the record's bytes when there were any


@dataclass(frozen=True)
class SkippedRecords:
    """Records of a file that hold no document and are no fault either, by kind: a web archive's requests,
    metadata, images and redirects ({"request": 12, "response image/jpeg": 3}). Counted, not rejected."""

    counts: Mapping[str, int]


# The names each field is looked for under, in order: the first with a value wins. Matching ignores case.
DEFAULT_NAMES: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "maintext", "body", "plaintext", "content", "article"),
    "title": ("title", "headline"),
    "published": ("published", "date_publish", "publishing_date", "pubDate", "date", "datetime", "timestamp"),
    "url": ("url", "link", "responded_url", "requested_url"),
    "outlet": ("outlet", "source_domain", "source", "publisher", "site", "domain"),
    "authors": ("authors", "author", "byline"),
    "id": ("id", "guid", "uuid"),
    "language": ("language", "lang"),
}


@dataclass(frozen=True)
class FieldNames:
    """Where each field is read from: the default names, with a user's mapping in their place."""

    names: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_NAMES))
    lowered: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)  # the names in lower case

    def __post_init__(self) -> None:
        lowered = {name: tuple(candidate.lower() for candidate in names) for name, names in self.names.items()}
        object.__setattr__(self, "lowered", lowered)

    def columns(self, available: Iterable[str]) -> dict[str, str]:
        """field → the column of `available` it is read from (first name that matches, ignoring case)."""
        by_lower: dict[str, str] = {}
        for name in available:
            by_lower.setdefault(name.lower(), name)
        found: dict[str, str] = {}
        for field_name, candidates in self.lowered.items():
            for candidate in candidates:
                if candidate in by_lower:
                    found[field_name] = by_lower[candidate]
                    break
        return found


def field_names(overrides: Mapping[str, str] | None = None) -> FieldNames:
    """The default names, where `overrides` ({"text": "body_html"}) replace a field's names by one column:
    a field the user named is read from that column only. Raises ValueError for a field that does not exist."""
    names = dict(DEFAULT_NAMES)
    for field_name, column in (overrides or {}).items():
        if field_name not in names:
            raise ValueError(f"no field {field_name!r} to map: the fields are {', '.join(DEFAULT_NAMES)}")
        if not column:
            raise ValueError(f"--field {field_name}= names no column")
        names[field_name] = (column,)
    return FieldNames(names)


def field_names_from_flags(flags: Sequence[str]) -> FieldNames:
    """FieldNames from repeatable `--field FIELD=COLUMN` values ("text=body_html"); raises ValueError."""
    overrides: dict[str, str] = {}
    for flag in flags:
        field_name, equals, column = flag.partition("=")
        if not equals:
            raise ValueError(f"--field {flag!r}: expected FIELD=COLUMN, e.g. --field text=body_html")
        overrides[field_name.strip()] = column.strip()
    return field_names(overrides)


DEFAULT_FIELD_NAMES = field_names()


def values_sha256(values: object) -> str:
    """SHA-256 of a record's values as canonical JSON (keys sorted; dates and other values as text): the
    record's hash where the format gives no bytes of its own (a CSV row, a Parquet row)."""
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()  # a CSV's bytes not UTF-8


def record_from_values(
    values: Mapping[str, object], source_record: str, raw_sha256: str, names: FieldNames = DEFAULT_FIELD_NAMES
) -> SourceRecord | RecordReject:
    """The record's fields by name; `empty` when it has no text. Authors: a list is taken item by item; one
    string is one author as written ("Anna Müller und Jan Schmidt" stays whole: a comma may be
    "Müller, Anna" and an "und" part of a name, so splitting would invent people); a string that holds a
    JSON or Python list (CSV written by pandas) is that list. The outlet, when absent, is the URL's host;
    a leading "www." is dropped from either."""
    by_lower = {key.lower(): key for key in reversed(list(values))}  # the first of keys equal but for case

    def value(field_name: str) -> object:
        """The value under the field's first name that has one (not null, not an empty string or list):
        news-please writes `"text": null` beside its `maintext`."""
        for candidate in names.lowered[field_name]:
            key = by_lower.get(candidate)
            if key is not None and values[key] not in (None, "", [], ()):
                return values[key]
        return None

    present = [by_lower[name] for name in names.lowered["text"] if name in by_lower]
    text = next((text for key in present if (text := _text(values[key])) and text.strip()), None)
    if text is None:
        tried = ", ".join(names.names["text"])
        detail = f"the text field {present[0]!r} is empty" if present else f"no text field (looked for {tried})"
        return RecordReject(source_record, "empty", detail, raw_sha256)
    url = _string(value("url"))
    published = parse_published(value("published"))
    return SourceRecord(
        source_record=source_record,
        text=text,
        title=_string(value("title")),
        published=published.at,
        published_precision=published.precision,
        url=url,
        outlet=_outlet(value("outlet"), url),
        authors=_authors(value("authors")),
        external_id=_string(value("id")),
        language_hint=_string(value("language")),
        raw_sha256=raw_sha256,
        notes=(published.note,) if published.note else (),
    )


def _text(value: object) -> str | None:
    """Text as a string, a list of paragraphs, or Fundus's article body ({"summary": [...], "sections":
    [{"headline": [...], "paragraphs": [...]}]}), paragraphs joined by a blank line as Fundus does."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n\n".join(value)
    if isinstance(value, dict) and isinstance(value.get("sections"), list):
        parts = list(value.get("summary") or [])
        for section in value["sections"]:
            if isinstance(section, dict):
                parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
        return "\n\n".join(part for part in parts if isinstance(part, str))
    return None


def _string(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, str) and value.strip().startswith("["):
        value = _list_in_text(value.strip())
    items: list[object] = list(value) if isinstance(value, list | tuple) else [value]
    authors: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item  # JSON-LD: {"@type": "Person", "name": ...}
        if isinstance(name, str) and (name := " ".join(name.split())) and name not in authors:
            authors.append(name)
    return tuple(authors)


def _list_in_text(text: str) -> object:
    """A list written as JSON ('["Anna Müller"]') or by Python's repr ("['Anna Müller']", pandas' CSV)."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text


def _outlet(value: object, url: str | None) -> str | None:
    if isinstance(value, dict):  # {"id": "spiegel-online", "name": "Spiegel Online"}
        value = value.get("name")
    outlet = _string(value)
    if outlet is None and url:
        try:
            outlet = urlsplit(url).hostname
        except ValueError:
            outlet = None
    if outlet and outlet.lower().startswith("www."):
        outlet = outlet[4:]
    return outlet or None
