"""Record files (JSON Lines, JSON, CSV/TSV, Parquet, zip) → one SourceRecord or RecordReject per record, on small
literal inputs with the exact records expected."""

from __future__ import annotations

import datetime as dt

import pytest

from textlake.ingest.records.fields import (
    DEFAULT_FIELD_NAMES,
    FieldNames,
    RecordReject,
    SourceRecord,
    field_names_from_flags,
    record_from_values,
)
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


# --- fields by name -------------------------------------------------------------------------------

TEXT = "Die Bundesregierung hat am Mittwoch in Berlin neue Regeln beschlossen."


def record(values: dict[str, object], names: FieldNames = DEFAULT_FIELD_NAMES) -> SourceRecord | RecordReject:
    return record_from_values(values, "line 1", "sha", names)


def test_news_please_fields_map_without_a_mapping() -> None:
    news_please = {
        "authors": ["Anna Müller", "Jan Schmidt"],
        "date_download": "2021-03-04 12:00:00",
        "date_modify": None,
        "date_publish": "2021-03-04 10:11:12",
        "description": "Neue Regeln.",
        "filename": "https%3A%2F%2Fwww.tagesschau.de%2Finland%2Fregeln-101.html.json",
        "image_url": "https://www.tagesschau.de/bild.jpg",
        "language": "de",
        "localpath": None,
        "maintext": TEXT,
        "source_domain": "www.tagesschau.de",
        "text": None,
        "title": "Neue Regeln",
        "title_page": None,
        "title_rss": None,
        "url": "https://www.tagesschau.de/inland/regeln-101.html",
    }
    assert record(news_please) == SourceRecord(
        source_record="line 1",
        text=TEXT,
        title="Neue Regeln",
        published=dt.datetime(2021, 3, 4, 10, 11, 12, tzinfo=UTC),
        published_precision="second",
        url="https://www.tagesschau.de/inland/regeln-101.html",
        outlet="tagesschau.de",
        authors=("Anna Müller", "Jan Schmidt"),
        external_id=None,
        language_hint="de",
        raw_sha256="sha",
    )


def test_fundus_article_body_is_joined_as_fundus_joins_it() -> None:
    """Fundus's default to_json(): the body as summary and sections, no URL (so no outlet)."""
    fundus = {
        "title": "Streik bei der Bahn",
        "body": {
            "summary": ["Die GDL streikt ab Donnerstag."],
            "sections": [
                {"headline": [], "paragraphs": ["Der Fernverkehr steht still.", "Pendler sind betroffen."]},
                {"headline": ["Wie geht es weiter?"], "paragraphs": ["Verhandelt wird am 3. Juni."]},
            ],
        },
        "authors": ["Anna Müller"],
        "publishing_date": "2024-03-04 10:11:12+01:00",
        "topics": ["Bahn", "Streik"],
        "free_access": True,
    }
    assert record(fundus) == SourceRecord(
        source_record="line 1",
        text="Die GDL streikt ab Donnerstag.\n\nDer Fernverkehr steht still.\n\nPendler sind betroffen.\n\n"
        "Wie geht es weiter?\n\nVerhandelt wird am 3. Juni.",
        title="Streik bei der Bahn",
        published=dt.datetime(2024, 3, 4, 9, 11, 12, tzinfo=UTC),
        published_precision="second",
        url=None,
        outlet=None,
        authors=("Anna Müller",),
        external_id=None,
        language_hint=None,
        raw_sha256="sha",
    )


def test_fundus_plaintext_with_publisher_and_url() -> None:
    fundus = {
        "title": "Streik",
        "plaintext": TEXT,
        "publisher": "Die Zeit",
        "url": "https://www.zeit.de/x",
        "lang": "de",
    }
    mapped = record(fundus)
    assert isinstance(mapped, SourceRecord)
    assert (mapped.text, mapped.outlet, mapped.url, mapped.language_hint) == (
        TEXT,
        "Die Zeit",
        "https://www.zeit.de/x",
        "de",
    )


@pytest.mark.parametrize(
    "values, field, expected",
    [
        ({"Text": TEXT, "maintext": "zweite Wahl"}, "text", TEXT),  # names match whatever their case
        ({"text": None, "maintext": TEXT}, "text", TEXT),  # a null does not win
        ({"text": "  ", "body": TEXT}, "text", TEXT),  # nor does whitespace
        ({"content": TEXT, "article": "zweite Wahl"}, "text", TEXT),
        ({"text": ["Erster Absatz.", "Zweiter Absatz."]}, "text", "Erster Absatz.\n\nZweiter Absatz."),
        ({"text": TEXT, "headline": "H", "TITLE": "T"}, "title", "T"),  # title before headline
        ({"text": TEXT, "pubDate": "2021", "date": "2020"}, "published", dt.datetime(2021, 1, 1, tzinfo=UTC)),
        ({"text": TEXT, "link": "https://taz.de/a", "requested_url": "https://x.de"}, "url", "https://taz.de/a"),
        ({"text": TEXT, "url": "https://www.spiegel.de/a"}, "outlet", "spiegel.de"),  # from the URL's host
        ({"text": TEXT, "url": "https://WWW.Spiegel.DE/a", "site": "SPIEGEL"}, "outlet", "SPIEGEL"),
        ({"text": TEXT, "source": {"id": "spiegel", "name": "Der Spiegel"}}, "outlet", "Der Spiegel"),
        ({"text": TEXT, "author": "Anna Müller und Jan Schmidt"}, "authors", ("Anna Müller und Jan Schmidt",)),
        ({"text": TEXT, "byline": "Müller, Anna"}, "authors", ("Müller, Anna",)),
        ({"text": TEXT, "authors": ["Anna  Müller", "Anna Müller", ""]}, "authors", ("Anna Müller",)),
        ({"text": TEXT, "authors": [{"@type": "Person", "name": "Anna Müller"}]}, "authors", ("Anna Müller",)),
        ({"text": TEXT, "authors": '["Anna Müller", "Jan Schmidt"]'}, "authors", ("Anna Müller", "Jan Schmidt")),
        ({"text": TEXT, "authors": "['Anna Müller']"}, "authors", ("Anna Müller",)),  # pandas' CSV
        ({"text": TEXT, "authors": "[dpa]"}, "authors", ("[dpa]",)),
        ({"text": TEXT, "guid": "urn:x:1", "uuid": "u"}, "external_id", "urn:x:1"),
        ({"text": TEXT, "id": 1432}, "external_id", "1432"),
        ({"text": TEXT, "lang": "de"}, "language_hint", "de"),
    ],
)
def test_each_field_by_its_first_name_with_a_value(values: dict[str, object], field: str, expected: object) -> None:
    mapped = record(values)
    assert isinstance(mapped, SourceRecord)
    assert getattr(mapped, field) == expected


def test_a_user_mapping_replaces_the_names_of_its_field() -> None:
    names = field_names_from_flags(["text=body_html", "title = Überschrift"])
    values = {"text": "nicht diese", "body_html": TEXT, "Überschrift": "Neue Regeln", "title": "nicht dieser"}
    mapped = record(values, names)
    assert isinstance(mapped, SourceRecord)
    assert (mapped.text, mapped.title) == (TEXT, "Neue Regeln")
    assert record({"text": TEXT}, names) == RecordReject(
        "line 1", "empty", "no text field (looked for body_html)", "sha"
    )


@pytest.mark.parametrize(
    "flags, message",
    [
        (["text"], "--field 'text': expected FIELD=COLUMN, e.g. --field text=body_html"),
        (
            ["body=text"],
            "no field 'body' to map: the fields are text, title, published, url, outlet, authors, id, language",
        ),
        (["text="], "--field text= names no column"),
    ],
)
def test_a_wrong_field_flag_is_a_usage_error(flags: list[str], message: str) -> None:
    with pytest.raises(ValueError) as error:
        field_names_from_flags(flags)
    assert str(error.value) == message


def test_a_record_without_text_is_empty() -> None:
    assert record({"title": "Nur ein Titel"}) == RecordReject(
        "line 1", "empty", "no text field (looked for text, maintext, body, plaintext, content, article)", "sha"
    )
    assert record({"maintext": "", "title": "T"}) == RecordReject(
        "line 1", "empty", "the text field 'maintext' is empty", "sha"
    )


def test_a_published_value_that_is_no_date_leaves_a_note_and_keeps_the_record() -> None:
    mapped = record({"text": TEXT, "date": "letzte Woche"})
    assert isinstance(mapped, SourceRecord)
    assert (mapped.published, mapped.published_precision) == (None, None)
    assert mapped.notes == (
        "published 'letzte Woche' is not a date this reader understands (ISO 8601, RFC 822, epoch)",
    )
