"""Record files (JSON Lines, JSON, CSV/TSV, Parquet, zip) → one SourceRecord or RecordReject per record, on small
literal inputs with the exact records expected."""

from __future__ import annotations

import bz2
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from textlake.ingest.records.fields import (
    DEFAULT_FIELD_NAMES,
    FieldNames,
    RecordReject,
    SourceRecord,
    field_names,
    field_names_from_flags,
    record_from_values,
    values_sha256,
)
from textlake.ingest.records.formats import FileFormat, detect_format
from textlake.ingest.records.published import Published, parse_published
from textlake.ingest.records.readers import NoTextColumn, check_text_column, read_record_file, read_records

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
        ("Thu, 04 Mar 2021 10:11:12 MEZ", dt.datetime(2021, 3, 4, 9, 11, 12, tzinfo=UTC), "second"),
        ("Sun, 04 Jul 2021 10:11:12 CEST", dt.datetime(2021, 7, 4, 8, 11, 12, tzinfo=UTC), "second"),
        ("Thu, 04 Mar 2021 10:11:12 EST", dt.datetime(2021, 3, 4, 15, 11, 12, tzinfo=UTC), "second"),
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


def test_an_rfc_822_zone_name_it_does_not_know_is_read_as_utc_with_a_note() -> None:
    assert parse_published("Thu, 04 Mar 2021 10:11:12 IST") == Published(
        dt.datetime(2021, 3, 4, 10, 11, 12, tzinfo=UTC),
        "second",
        "published 'Thu, 04 Mar 2021 10:11:12 IST': time zone 'IST' unknown, read as UTC",
    )


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


# --- formats --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, format, expected",
    [
        ("export.jsonl", None, FileFormat("jsonl")),
        ("EXPORT.NDJSON", None, FileFormat("jsonl")),
        ("a/b.c/news.json.gz", None, FileFormat("json", "gzip")),
        ("news.csv.bz2", None, FileFormat("csv", "bz2")),
        ("news.tsv.zst", None, FileFormat("tsv", "zstd")),
        ("news.parquet", None, FileFormat("parquet")),
        ("news.zip", None, FileFormat("zip")),
        ("news.txt", None, FileFormat("txt")),
        ("news.xml", None, None),
        ("news.gz", None, None),
        ("news", None, None),
        ("feed.gz", "jsonl", FileFormat("jsonl", "gzip")),  # the compression still from the name
        ("export.txt", "csv", FileFormat("csv")),
        ("export.dat", "jsonl.zst", FileFormat("jsonl", "zstd")),
        ("export.jsonl.gz", "json", FileFormat("json", "gzip")),
    ],
)
def test_the_format_comes_from_the_name_unless_given(name: str, format: str | None, expected: FileFormat) -> None:
    assert detect_format(name, format) == expected


def test_a_format_that_is_no_record_format_is_a_usage_error_at_once(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown record format 'xml': one of jsonl, ndjson, json, csv"):
        read_record_file(tmp_path / "absent.xml", format="xml")  # raised before the iterator is asked


# --- reading record files -------------------------------------------------------------------------

ZEILE_1 = '{"title": "Neue Regeln", "maintext": "Die Bundesregierung hat neue Regeln beschlossen.", "url": "https://www.tagesschau.de/a"}'
ZEILE_2 = '{"title": "Streik", "text": "Die GDL streikt ab Donnerstag.", "date": "2021-03-04"}'
JSON_LINES = f"{ZEILE_1}\n{ZEILE_2}\n"


def sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def read(path: Path, **options: Any) -> list[SourceRecord | RecordReject]:
    return list(read_record_file(path, **options))


def summary(items: list[SourceRecord | RecordReject]) -> list[tuple[str, str]]:
    """(source_record, text or reject reason) of each item."""
    return [(i.source_record, i.text if isinstance(i, SourceRecord) else f"{i.reason}: {i.detail}") for i in items]


def regeln(where: str, raw_sha256: str) -> SourceRecord:
    return SourceRecord(
        source_record=where,
        text="Die Bundesregierung hat neue Regeln beschlossen.",
        title="Neue Regeln",
        published=None,
        published_precision=None,
        url="https://www.tagesschau.de/a",
        outlet="tagesschau.de",
        authors=(),
        external_id=None,
        language_hint=None,
        raw_sha256=raw_sha256,
    )


def test_json_lines_one_record_a_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(JSON_LINES + "\n", encoding="utf-8")  # a blank line is no record
    assert read(path) == [
        regeln("line 1", sha256(ZEILE_1)),
        SourceRecord(
            source_record="line 2",
            text="Die GDL streikt ab Donnerstag.",
            title="Streik",
            published=dt.datetime(2021, 3, 4, tzinfo=UTC),
            published_precision="day",
            url=None,
            outlet=None,
            authors=(),
            external_id=None,
            language_hint=None,
            raw_sha256=sha256(ZEILE_2),
        ),
    ]


def test_json_lines_with_windows_line_breaks_and_a_bom_read_the_same(tmp_path: Path) -> None:
    path = tmp_path / "export.ndjson"
    path.write_bytes(b"\xef\xbb\xbf" + JSON_LINES.replace("\n", "\r\n").encode())
    assert read(path) == read(write(tmp_path / "plain.jsonl", JSON_LINES))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_json_array_one_record_an_item(tmp_path: Path) -> None:
    path = write(tmp_path / "export.json", f"[\n  {ZEILE_1},\n  {ZEILE_2}\n]\n")
    records = read(path)
    assert summary(records) == [
        ("record 1", "Die Bundesregierung hat neue Regeln beschlossen."),
        ("record 2", "Die GDL streikt ab Donnerstag."),
    ]
    assert records[0] == regeln("record 1", sha256(ZEILE_1))


def test_a_news_please_file_is_one_object(tmp_path: Path) -> None:
    path = tmp_path / "regeln.json"
    path.write_text("\n" + ZEILE_1 + "\n", encoding="utf-8")
    assert read(path) == [regeln("", sha256(ZEILE_1))]


FUNDUS_CSV = (
    "title,plaintext,authors,publishing_date,topics,publisher\r\n"
    "Streik,\"Die GDL streikt ab Donnerstag.\n\nDer Fernverkehr steht still.\",\"['Anna Müller', 'Jan Schmidt']\","
    "2024-03-04 10:11:12+01:00,\"['Bahn']\",Die Zeit\r\n"
)


def test_csv_as_pandas_writes_fundus_articles(tmp_path: Path) -> None:
    path = write(tmp_path / "fundus.csv", FUNDUS_CSV)
    values = [
        "Streik",
        "Die GDL streikt ab Donnerstag.\n\nDer Fernverkehr steht still.",
        "['Anna Müller', 'Jan Schmidt']",
        "2024-03-04 10:11:12+01:00",
        "['Bahn']",
        "Die Zeit",
    ]
    assert read(path) == [
        SourceRecord(
            source_record="row 1",
            text="Die GDL streikt ab Donnerstag.\n\nDer Fernverkehr steht still.",
            title="Streik",
            published=dt.datetime(2024, 3, 4, 9, 11, 12, tzinfo=UTC),
            published_precision="second",
            url=None,
            outlet="Die Zeit",
            authors=("Anna Müller", "Jan Schmidt"),
            external_id=None,
            language_hint=None,
            raw_sha256=values_sha256(values),
        )
    ]


def test_tsv_with_a_header_row(tmp_path: Path) -> None:
    path = write(
        tmp_path / "news.tsv", "id\theadline\tbody\n7\tWahl\tDie Wahl ist am Sonntag.\n\n8\tWetter\tEs regnet.\n"
    )
    records = read(path)
    assert summary(records) == [("row 1", "Die Wahl ist am Sonntag."), ("row 2", "Es regnet.")]
    assert [(r.external_id, r.title) for r in records if isinstance(r, SourceRecord)] == [
        ("7", "Wahl"),
        ("8", "Wetter"),
    ]


def write_parquet(path: Path, row_group_size: int = 2) -> Path:
    table = pa.table(
        {
            "ID": pa.array(["a1", "a2", "a3"]),
            "headline": pa.array(["Wahl", "Wetter", "Bahn"]),
            "content": pa.array(["Die Wahl ist am Sonntag.", "Es regnet.", "Die Bahn streikt."]),
            "authors": pa.array([["Anna Müller"], [], None], pa.list_(pa.string())),
            "published": pa.array([1614852672_000000, None, 1614852672_000000], pa.timestamp("us", tz="Europe/Berlin")),
            "html": pa.array(["<p>…</p>"] * 3),  # no field's column: not read
        }
    )
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def test_parquet_row_by_row_across_row_groups(tmp_path: Path) -> None:
    records = read(write_parquet(tmp_path / "news.parquet"))
    assert summary(records) == [
        ("row 1", "Die Wahl ist am Sonntag."),
        ("row 2", "Es regnet."),
        ("row 3", "Die Bahn streikt."),
    ]
    first = records[0]
    assert isinstance(first, SourceRecord)
    assert (first.external_id, first.title, first.authors) == ("a1", "Wahl", ("Anna Müller",))
    assert (first.published, first.published_precision) == (dt.datetime(2021, 3, 4, 10, 11, 12, tzinfo=UTC), "second")
    read_values = {
        "ID": "a1",
        "headline": "Wahl",
        "content": "Die Wahl ist am Sonntag.",
        "authors": ["Anna Müller"],
        "published": dt.datetime(2021, 3, 4, 11, 11, 12, tzinfo=ZoneInfo("Europe/Berlin")),
    }
    assert first.raw_sha256 == values_sha256(read_values)


def compress(data: bytes, compression: str) -> bytes:
    if compression == "gz":
        return gzip.compress(data)
    if compression == "bz2":
        return bz2.compress(data)
    sink = pa.BufferOutputStream()
    with pa.CompressedOutputStream(sink, "zstd") as out:
        out.write(data)
    return sink.getvalue().to_pybytes()  # type: ignore[no-any-return]


@pytest.mark.parametrize("compression", ["gz", "bz2", "zst"])
@pytest.mark.parametrize("name", ["export.jsonl", "export.json", "fundus.csv", "news.parquet"])
def test_a_compressed_file_reads_as_the_file(tmp_path: Path, name: str, compression: str) -> None:
    plain = tmp_path / name
    if name.endswith(".parquet"):
        write_parquet(plain)
    else:
        contents = {"export.jsonl": JSON_LINES, "export.json": f"[{ZEILE_1}, {ZEILE_2}]", "fundus.csv": FUNDUS_CSV}
        write(plain, contents[name])
    packed = tmp_path / f"{name}.{compression}"
    packed.write_bytes(compress(plain.read_bytes(), compression))
    assert read(packed) == read(plain)
    assert len(read(plain)) >= 1


def test_a_zip_of_record_files_and_texts(tmp_path: Path) -> None:
    path = tmp_path / "news.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/", "")
        archive.writestr("a/b.jsonl", JSON_LINES)
        archive.writestr("a/b.txt", "Ein Text über München.\n")
        archive.writestr("__MACOSX/a/._b.txt", b"\x00\x05\x16\x07")
        archive.writestr("fundus.csv.gz", gzip.compress(FUNDUS_CSV.encode()))
        archive.writestr("bild.png", b"\x89PNG\r\n\x1a\n")
        archive.write(write_parquet(tmp_path / "news.parquet"), "news.parquet")
    assert summary(read(path)) == [
        ("member a/b.jsonl line 1", "Die Bundesregierung hat neue Regeln beschlossen."),
        ("member a/b.jsonl line 2", "Die GDL streikt ab Donnerstag."),
        ("member a/b.txt", "Ein Text über München.\n"),
        ("member fundus.csv.gz row 1", "Die GDL streikt ab Donnerstag.\n\nDer Fernverkehr steht still."),
        (
            "member bild.png",
            "unknown_format: bild.png: not a record file (.jsonl, .ndjson, .json, .csv, .tsv, .parquet, .zip, .txt, "
            ".html, .htm, .warc; optionally .gz, .bz2, .zst)",
        ),
        ("member news.parquet row 1", "Die Wahl ist am Sonntag."),
        ("member news.parquet row 2", "Es regnet."),
        ("member news.parquet row 3", "Die Bahn streikt."),
    ]
    text_member = read(path)[2]
    assert text_member == SourceRecord(
        "member a/b.txt",
        "Ein Text über München.\n",
        None,
        None,
        None,
        None,
        None,
        (),
        None,
        None,
        sha256("Ein Text über München.\n"),
    )


# --- bad records and bad files --------------------------------------------------------------------


def test_a_malformed_json_line_is_rejected_and_the_next_line_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / "export.jsonl", f'{ZEILE_1}\n{{"text": "kaputt"\n[1, 2]\n{{"title": "ohne Text"}}\n{ZEILE_2}\n'
    )
    assert read(path)[1:4] == [
        RecordReject("line 2", "malformed", "Expecting ',' delimiter (column 18)", sha256('{"text": "kaputt"')),
        RecordReject("line 3", "malformed", "a JSON array, not an object", sha256("[1, 2]")),
        RecordReject(
            "line 4",
            "empty",
            "no text field (looked for text, maintext, body, plaintext, content, article)",
            sha256('{"title": "ohne Text"}'),
        ),
    ]
    assert summary(read(path))[4] == ("line 5", "Die GDL streikt ab Donnerstag.")


def test_a_json_line_that_is_not_utf8_is_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes('{"text": "Müller"}\n'.encode("cp1252") + ZEILE_2.encode() + b"\n")
    assert summary(read(path)) == [
        ("line 1", "undecodable: not UTF-8 (invalid start byte at byte 11)"),
        ("line 2", "Die GDL streikt ab Donnerstag."),
    ]


def test_a_line_over_the_limit_is_too_large_and_the_next_line_read(tmp_path: Path) -> None:
    long_line = json.dumps({"text": "Wort " * 100})
    path = write(tmp_path / "export.jsonl", f"{long_line}\n{ZEILE_2}\n")
    assert summary(read(path, max_record_bytes=200)) == [
        ("line 1", f"too_large: a line of {len(long_line)} bytes, over the limit of 200"),
        ("line 2", "Die GDL streikt ab Donnerstag."),
    ]


def test_csv_rows_with_too_many_or_too_few_values_are_malformed(tmp_path: Path) -> None:
    path = write(
        tmp_path / "news.csv",
        "title,text\nWahl,Die Wahl ist am Sonntag.\nnur ein Wert\nA,B,C\nBahn,\nWetter,Es regnet.\n",
    )
    assert summary(read(path)) == [
        ("row 1", "Die Wahl ist am Sonntag."),
        ("row 2", "malformed: 1 values where the header has 2 columns"),
        ("row 3", "malformed: 3 values where the header has 2 columns"),
        ("row 4", "empty: the text field 'text' is empty"),
        ("row 5", "Es regnet."),
    ]


def test_a_csv_row_that_is_not_utf8_is_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_bytes("title,text\nA,Straße in München\nB,Es regnet.\n".encode("cp1252"))
    assert summary(read(path)) == [
        ("row 1", "undecodable: bytes that are not UTF-8"),
        ("row 2", "Es regnet."),
    ]


def test_a_truncated_gzip_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"Meldung Nummer {n} aus Hamburg mit etwas Text."}) for n in range(1, 5001)]
    packed = gzip.compress("\n".join(lines).encode() + b"\n")
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    *records, damage = read(path)
    kept = len(records)
    assert 0 < kept < 5000
    assert summary(records) == [
        (f"line {n}", f"Meldung Nummer {n} aus Hamburg mit etwas Text.") for n in range(1, kept + 1)
    ]
    assert damage == RecordReject(
        f"line {kept + 1}",
        "truncated",
        "the gzip data ends early (Compressed file ended before the end-of-stream marker was reached): "
        f"from line {kept + 1} on, lost",
    )


def test_a_truncated_zstd_file_ends_in_a_truncated_reject(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl.zst"
    packed = compress(("\n".join([ZEILE_2] * 20000) + "\n").encode(), "zst")
    path.write_bytes(packed[:-10])
    *records, damage = read(path)
    assert all(isinstance(r, SourceRecord) for r in records)
    assert (damage.source_record, damage.reason) == (f"line {len(records) + 1}", "truncated")


def test_damaged_gzip_data_is_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\xff" * 40)
    [damage] = read(path)
    assert (damage.source_record, damage.reason) == ("line 1", "undecodable")


def test_an_unknown_format_is_one_reject_for_the_file(tmp_path: Path) -> None:
    assert read(write(tmp_path / "feed.xml", "<rss/>")) == [
        RecordReject(
            "",
            "unknown_format",
            "feed.xml: not a record file (.jsonl, .ndjson, .json, .csv, .tsv, .parquet, .zip, .txt, .html, .htm, "
            ".warc; optionally .gz, .bz2, .zst)",
        )
    ]


@pytest.mark.parametrize(
    "contents, expected",
    [
        (
            f'[{ZEILE_1}, {{"text": "kaputt" "x"}}, {ZEILE_2}]',
            [
                ("record 1", "Die Bundesregierung hat neue Regeln beschlossen."),
                ("record 2", "malformed: Expecting ',' delimiter"),
            ],
        ),
        (
            f"[{ZEILE_1}, 3]",
            [
                ("record 1", "Die Bundesregierung hat neue Regeln beschlossen."),
                ("record 2", "malformed: a JSON number, not an object"),
            ],
        ),
        (
            f"[{ZEILE_1}",
            [
                ("record 1", "Die Bundesregierung hat neue Regeln beschlossen."),
                ("record 2", "malformed: the array never ends"),
            ],
        ),
        ("[]", []),
        ("", [("", "empty: the file has no JSON")]),
        ('"Text"', [("", "malformed: starts with '\"': not a JSON array or object")]),
        ('{"text": "a",}', [("", "malformed: Expecting property name enclosed in double quotes at line 1 column 14")]),
        (JSON_LINES, [("", "malformed: more JSON after the object: a JSON Lines file? read it as format jsonl")]),
    ],
)
def test_bad_json_files(tmp_path: Path, contents: str, expected: list[tuple[str, str]]) -> None:
    assert summary(read(write(tmp_path / "export.json", contents))) == expected


def test_a_json_lines_file_named_json_reads_with_the_format_given(tmp_path: Path) -> None:
    path = write(tmp_path / "export.json", JSON_LINES)
    assert summary(read(path, format="jsonl")) == [
        ("line 1", "Die Bundesregierung hat neue Regeln beschlossen."),
        ("line 2", "Die GDL streikt ab Donnerstag."),
    ]


def test_a_damaged_zip_member_is_rejected_and_the_others_read(tmp_path: Path) -> None:
    path = tmp_path / "news.zip"
    with zipfile.ZipFile(path, "w") as archive:  # stored: the member's bytes lie in the file as they are
        archive.writestr("a.jsonl", JSON_LINES)
        archive.writestr("b.jsonl", ZEILE_2 + "\n")
    data = path.read_bytes()
    at = data.index(b"Bundesregierung")
    path.write_bytes(data[:at] + b"X" + data[at + 1 :])  # the CRC no longer matches
    assert summary(read(path))[-2:] == [
        ("member a.jsonl", "undecodable: the member is damaged (Bad CRC-32 for file 'a.jsonl')"),
        ("member b.jsonl line 1", "Die GDL streikt ab Donnerstag."),
    ]


def test_not_a_zip_and_not_a_parquet_file(tmp_path: Path) -> None:
    assert summary(read(write(tmp_path / "news.zip", "kein Archiv"))) == [
        ("", "undecodable: not a zip archive (File is not a zip file)")
    ]
    [(where, detail)] = summary(read(write(tmp_path / "news.parquet", "keine Tabelle")))
    assert where == "" and detail.startswith("undecodable: not a Parquet file")


def test_zip_members_that_are_one_record_or_no_text(tmp_path: Path) -> None:
    path = tmp_path / "news.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("tagesschau.de/regeln.json", ZEILE_1)  # news-please: one article a file
        archive.writestr("scan.txt", b"%PDF-1.7 ...")
        archive.writestr("leer.txt", " \n")
    assert read(path) == [
        regeln("member tagesschau.de/regeln.json", sha256(ZEILE_1)),
        RecordReject("member scan.txt", "binary", "starts like a PDF document", sha256(b"%PDF-1.7 ...")),
        RecordReject("member leer.txt", "empty", "only whitespace", sha256(" \n")),
    ]


def test_a_csv_line_over_the_limit_ends_the_file(tmp_path: Path) -> None:
    """Rows after a runaway line could not be told apart (is it inside a quoted value?): the rest is one reject."""
    path = write(tmp_path / "news.csv", f"title,text\nA,Es regnet.\nB,{'Wort ' * 100}\nC,Es schneit.\n")
    assert summary(read(path, max_record_bytes=200)) == [
        ("row 1", "Es regnet."),
        ("row 2", "too_large: line 3 has 502 bytes, over the limit of 200: from row 2 on, lost"),
    ]


# --- the text column, before anything starts ------------------------------------------------------


def test_the_text_column_of_csv_and_parquet_is_known_before_reading(tmp_path: Path) -> None:
    with open(write(tmp_path / "fundus.csv", FUNDUS_CSV), "rb") as file:
        assert check_text_column(file, "fundus.csv") == "plaintext"
    with open(write_parquet(tmp_path / "news.parquet"), "rb") as file:
        assert check_text_column(file, "news.parquet") == "content"
    with open(write(tmp_path / "export.jsonl", JSON_LINES), "rb") as file:
        assert check_text_column(file, "export.jsonl") is None  # known only record by record


def test_a_parquet_file_without_a_text_column_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "export.parquet"
    pq.write_table(pa.table({"id": ["1"], "headline": ["Wahl"], "body_html": ["<p>Die Wahl</p>"]}), path)
    with open(path, "rb") as file, pytest.raises(NoTextColumn) as error:
        check_text_column(file, "export.parquet")
    assert str(error.value) == (
        "export.parquet has no text column (looked for text, maintext, body, plaintext, content, article); "
        "its columns are: id, headline, body_html. Name the text column with --field text=COLUMN"
    )
    with open(path, "rb") as file:
        assert check_text_column(file, "export.parquet", fields=field_names({"text": "BODY_HTML"})) == "body_html"
    assert summary(read(path)) == [("", f"empty: {error.value}")]  # the same, should no check come first


def test_a_csv_file_without_the_mapped_column_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "news.csv.gz"
    path.write_bytes(gzip.compress(b"title,text\nWahl,Die Wahl.\n"))
    with open(path, "rb") as file, pytest.raises(NoTextColumn) as error:
        check_text_column(file, "news.csv.gz", fields=field_names({"text": "body_html"}))
    assert str(error.value) == "news.csv.gz: --field text=body_html names no column; its columns are: title, text"


# --- streaming ------------------------------------------------------------------------------------


class CountingReader(io.RawIOBase):
    """A file that counts the bytes read from it."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._data.readinto(buffer)
        self.bytes_read += n
        return n


def test_records_are_read_as_they_are_asked_for() -> None:
    data = "".join(
        json.dumps({"id": n, "text": f"Meldung {n}: " + "Text " * 20}) + "\n" for n in range(1, 50_001)
    ).encode()
    source = CountingReader(data)
    records = read_records(source, "export.jsonl")  # type: ignore[arg-type]
    assert iter(records) is records and source.bytes_read == 0  # nothing read yet
    first = next(records)
    assert isinstance(first, SourceRecord) and first.source_record == "line 1"
    assert source.bytes_read <= 64 * 1024 < len(data)
    assert sum(1 for _ in records) == 49_999


def test_a_json_array_is_read_item_by_item() -> None:
    items = [{"text": f"Meldung {n}: " + "Text " * 20} for n in range(1, 50_001)]
    data = json.dumps(items).encode()
    source = CountingReader(data)
    records = read_records(source, "export.json")  # type: ignore[arg-type]
    assert next(records).source_record == "record 1"
    assert source.bytes_read <= 64 * 1024 < len(data)
    *_, last = records
    assert last.source_record == "record 50000"


json_texts = st.lists(st.text(min_size=1).filter(lambda t: t.strip() != ""), max_size=20)


@given(json_texts)
def test_json_lines_give_back_every_text_with_its_line(texts: list[str]) -> None:
    data = "".join(json.dumps({"text": text}) + "\n" for text in texts).encode()
    assert summary(list(read_records(io.BytesIO(data), "x.jsonl"))) == [
        (f"line {n}", text) for n, text in enumerate(texts, 1)
    ]


@given(json_texts)
def test_csv_gives_back_every_text_with_its_row(texts: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["text"])
    writer.writerows([text] for text in texts)
    data = buffer.getvalue().encode("utf-8", "surrogatepass")
    expected = [(f"row {n}", text) for n, text in enumerate(texts, 1)]
    assert summary(list(read_records(io.BytesIO(data), "x.csv"))) == expected
