"""Publication dates as record files give them → a UTC datetime and how precise it is."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Literal

Precision = Literal["year", "month", "day", "minute", "second"]


@dataclass(frozen=True)
class Published:
    at: dt.datetime | None  # UTC
    precision: Precision | None
    note: str | None = None  # why a value was given but not understood


NOT_GIVEN = Published(None, None)

_YEAR = re.compile(r"\d{4}")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_EPOCH = re.compile(r"-?\d{9,}(?:\.\d+)?")
# The time of day in an ISO 8601 string: hours, then minutes and seconds with or without colons.
_ISO_TIME = re.compile(r"\d[T ](\d{2})(?::?(\d{2}))?(?::?(\d{2}))?")
_CLOCK_WITH_SECONDS = re.compile(r"\d{1,2}:\d{2}:\d{2}")
# Zone names at the end of an RFC 822 date: those the standard library knows, and Central European time, which
# German feeds write and it would read as UTC without a word.
_ZONE_NAME = re.compile(r"\s([A-Za-z]{1,5})$")
_KNOWN_ZONES = {"UT", "UTC", "GMT", "Z", "AST", "ADT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"}
_CENTRAL_EUROPEAN = {"CET": "+0100", "MEZ": "+0100", "CEST": "+0200", "MESZ": "+0200"}
# Epoch values from here on are milliseconds: 1e11 seconds would be the year 5138.
_EPOCH_MILLISECONDS = 1e11


def parse_published(value: object) -> Published:
    """A publication date: ISO 8601 with or without a zone ("2021-03-04T10:11:12+01:00", "2021-03-04 10:11:12"),
    RFC 822 as RSS's pubDate ("Thu, 04 Mar 2021 10:11:12 +0100"), epoch seconds or milliseconds (a number or
    a string of 9+ digits), a date ("2021-03-04" → day), a month ("2021-03") or a year ("2021"); datetime and
    date values (from Parquet) as they are. A time without a zone is UTC; so is an RFC 822 zone name Python does
    not know (CET, CEST, MEZ and MESZ it is told), with a note. Never raises: a value it cannot read comes back
    as no date with a note, and the record keeps its text.

    Precision says what the source stated: seconds, minutes (an ISO time to the hour counts as minute),
    a day, a month or a year; the datetime is the start of that period."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return NOT_GIVEN
    try:
        parsed = _parse(value)
    except (ValueError, OverflowError, OSError) as error:  # a date out of range: month 13, year 99999
        return Published(None, None, f"published {value!r} is not a date: {error}")
    if parsed is None:
        return Published(
            None, None, f"published {value!r} is not a date this reader understands (ISO 8601, RFC 822, epoch)"
        )
    return parsed


def _parse(value: object) -> Published | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return Published(_as_utc(value), "second")
    if isinstance(value, dt.date):
        return Published(dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC), "day")
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if isinstance(value, str):
        return _parse_text(value.strip())
    return None


def _parse_text(text: str) -> Published | None:
    if _YEAR.fullmatch(text):
        return Published(dt.datetime(int(text), 1, 1, tzinfo=dt.UTC), "year")
    if month := _YEAR_MONTH.fullmatch(text):
        return Published(dt.datetime(int(month[1]), int(month[2]), 1, tzinfo=dt.UTC), "month")
    if _EPOCH.fullmatch(text):
        return _from_epoch(float(text))
    try:
        return _iso_8601(text)
    except ValueError:
        pass
    return _rfc_822(text)


def _rfc_822(text: str) -> Published | None:
    zone = _ZONE_NAME.search(text)
    zone_name = zone[1].upper() if zone else None
    if zone and zone_name in _CENTRAL_EUROPEAN:
        text = text[: zone.start(1)] + _CENTRAL_EUROPEAN[zone_name]
    try:
        at = parsedate_to_datetime(text)
    except (ValueError, TypeError):
        return None
    precision: Precision = "second" if _CLOCK_WITH_SECONDS.search(text) else "minute"
    if zone and zone_name not in _KNOWN_ZONES and zone_name not in _CENTRAL_EUROPEAN:
        return Published(_as_utc(at), precision, f"published {text!r}: time zone {zone[1]!r} unknown, read as UTC")
    return Published(_as_utc(at), precision)


def _iso_8601(text: str) -> Published:
    at = dt.datetime.fromisoformat(text)
    time = _ISO_TIME.search(text)
    precision: Precision = "day" if time is None else "second" if time[3] else "minute"
    return Published(_as_utc(at), precision)


def _from_epoch(seconds: float) -> Published:
    if abs(seconds) >= _EPOCH_MILLISECONDS:
        seconds /= 1000
    return Published(dt.datetime.fromtimestamp(seconds, dt.UTC), "second")


def _as_utc(at: dt.datetime) -> dt.datetime:
    """`at` in UTC as a plain datetime (pandas' Timestamp, which Parquet's nanoseconds come back as, too);
    a naive time is taken as UTC."""
    utc = at.astimezone(dt.UTC) if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
    return dt.datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond, tzinfo=dt.UTC)
