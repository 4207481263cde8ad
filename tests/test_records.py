"""Record files (JSON Lines, JSON, CSV/TSV, Parquet, zip) → one SourceRecord or RecordReject per record, on small
literal inputs with the exact records expected."""

from __future__ import annotations

import datetime as dt

import pytest

from textlake.ingest.records.published import Published, parse_published

UTC = dt.UTC


# --- published ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, at, precision",
    [
        ("2021-03-04T10:11:12+01:00", dt.datetime(2021, 3, 4, 9, 11, 12, tzinfo=UTC), "second"),
        ("2021-03-04T10:11:12Z", dt.datetime(2021, 3, 4, 10, 11, 12, tzinfo=UTC), "second"),
        ("2021-03-04T10:11:12.250", dt.datetime(2021, 3, 4, 10, 11, 12, 250000, tzinfo=UTC), "second"),
        ("2021-03-04 10:11:12", dt.datetime(2021, 3, 4, 10, 11, 12, tzinfo=UTC), "second"),  # news-please
        ("2024-03-04 10:11:12+01:00", dt.datetime(2024, 3, 4, 9, 11, 12, tzinfo=UTC), "second"),  # Fundus
        ("2021-03-04T10:11", dt.datetime(2021, 3, 4, 10, 11, tzinfo=UTC), "minute"),
        ("2021-03-04T23:30-02:00", dt.datetime(2021, 3, 5, 1, 30, tzinfo=UTC), "minute"),
        ("Thu, 04 Mar 2021 10:11:12 +0100", dt.datetime(2021, 3, 4, 9, 11, 12, tzinfo=UTC), "second"),  # RSS
        ("Thu, 04 Mar 2021 10:11 GMT", dt.datetime(2021, 3, 4, 10, 11, tzinfo=UTC), "minute"),
        (1614852672, dt.datetime(2021, 3, 4, 10, 11, 12, tzinfo=UTC), "second"),
        (1614852672500, dt.datetime(2021, 3, 4, 10, 11, 12, 500000, tzinfo=UTC), "second"),
        ("1614852672", dt.datetime(2021, 3, 4, 10, 11, 12, tzinfo=UTC), "second"),
        ("2021-03-04", dt.datetime(2021, 3, 4, tzinfo=UTC), "day"),
        ("2021-03", dt.datetime(2021, 3, 1, tzinfo=UTC), "month"),
        ("2021", dt.datetime(2021, 1, 1, tzinfo=UTC), "year"),
        (" 2021-03-04 ", dt.datetime(2021, 3, 4, tzinfo=UTC), "day"),
        (dt.date(2021, 3, 4), dt.datetime(2021, 3, 4, tzinfo=UTC), "day"),
        (dt.datetime(2021, 3, 4, 10, 11, 12), dt.datetime(2021, 3, 4, 10, 11, 12, tzinfo=UTC), "second"),
    ],
)
def test_published_dates_become_utc_with_their_precision(value: object, at: dt.datetime, precision: str) -> None:
    assert parse_published(value) == Published(at, precision)  # type: ignore[arg-type]


def test_published_from_a_zone_aware_datetime_is_converted_to_utc() -> None:
    berlin = dt.timezone(dt.timedelta(hours=1))
    published = parse_published(dt.datetime(2021, 3, 4, 10, 11, 12, tzinfo=berlin))
    assert published == Published(dt.datetime(2021, 3, 4, 9, 11, 12, tzinfo=UTC), "second")
    assert published.at is not None and published.at.tzinfo is UTC


@pytest.mark.parametrize("value", [None, "", "   "])
def test_no_published_value_is_no_date_and_no_note(value: object) -> None:
    assert parse_published(value) == Published(None, None, None)


@pytest.mark.parametrize(
    "value, note",
    [
        ("gestern", "published 'gestern' is not a date this reader understands (ISO 8601, RFC 822, epoch)"),
        ("04.03.2021", "published '04.03.2021' is not a date this reader understands (ISO 8601, RFC 822, epoch)"),
        ("2021-13", "published '2021-13' is not a date: month must be in 1..12"),
        (True, "published True is not a date this reader understands (ISO 8601, RFC 822, epoch)"),
    ],
)
def test_a_published_value_that_is_no_date_becomes_a_note(value: object, note: str) -> None:
    assert parse_published(value) == Published(None, None, note)
