"""HTML pages and web archives (WARC) → one SourceRecord per page, or a RecordReject that says why not, on small
hand-made pages with the exact records expected."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import socket
from pathlib import Path

import pytest

from tests.news_pages import PARAGRAPHS, news_page, write_warc
from textlake.ingest.records.fields import RecordReject, SkippedRecords, SourceRecord
from textlake.ingest.records.formats import FileFormat, detect_format
from textlake.ingest.records.html_page import decode_html, extract_page
from textlake.ingest.records.readers import read_record_file

UTC = dt.UTC
URL = "https://www.tagesschau.de/inland/haushalt-101.html"
PAGE = news_page(
    "Regierung beschließt Haushalt", PARAGRAPHS, "2024-03-05T10:15:00+01:00", ("Anna Müller", "Jan Schmidt"), URL
)


def read(path: Path) -> list[SourceRecord | RecordReject | SkippedRecords]:
    return list(read_record_file(path))


@pytest.mark.parametrize(
    "name, expected",
    [
        ("a.html", FileFormat("html")),
        ("a.HTM", FileFormat("html")),
        ("a.html.gz", FileFormat("html", "gzip")),
        ("crawl.warc", FileFormat("warc")),
        ("crawl.warc.gz", FileFormat("warc", "gzip")),
    ],
)
def test_html_and_warc_files_are_known_by_their_names(name: str, expected: FileFormat) -> None:
    assert detect_format(name) == expected


def test_a_news_page_is_its_main_text_and_what_it_says_of_itself(tmp_path: Path) -> None:
    path = tmp_path / "haushalt.html"
    path.write_text(PAGE, encoding="utf-8")
    assert read(path) == [
        SourceRecord(
            source_record="",
            text="\n\n".join(PARAGRAPHS),  # no menu, teaser list, footer, nor the headline again
            title="Regierung beschließt Haushalt",  # JSON-LD's headline without "- Beispiel-Zeitung"
            published=dt.datetime(2024, 3, 5, 9, 15, tzinfo=UTC),
            published_precision="second",
            url=URL,  # <link rel="canonical">
            outlet=None,  # the document's outlet is then the URL's host, tagesschau.de
            authors=("Anna Müller", "Jan Schmidt"),
            external_id=None,
            language_hint="de",
            raw_sha256=hashlib.sha256(PAGE.encode()).hexdigest(),
        )
    ]


def test_a_gzipped_page_reads_as_the_page(tmp_path: Path) -> None:
    plain, packed = tmp_path / "a.html", tmp_path / "a.html.gz"
    plain.write_text(PAGE, encoding="utf-8")
    packed.write_bytes(gzip.compress(PAGE.encode()))
    assert read(packed) == read(plain)


def page(head: str = "", body: str = "") -> bytes:
    return f"<html><head>{head}</head><body>{body}<p>{' '.join(PARAGRAPHS)}</p></body></html>".encode()


@pytest.mark.parametrize(
    "head, body, title",
    [
        # JSON-LD of an article first, its HTML entities undone
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Gr&uuml;ne Welle"}</script>'
         "<title>Anders</title>", "<h1>Noch anders</h1>", "Grüne Welle"),
        # then the page's <h1>, when it shares words with og:title or <title>
        ('<meta property="og:title" content="Was jetzt kommt, da der Haushalt beschlossen ist">',
         "<h1>Haushalt  beschlossen:\n Was jetzt kommt</h1>", "Haushalt beschlossen: Was jetzt kommt"),
        # not when it is the site's logo
        ('<meta property="og:title" content="Haushalt beschlossen">', "<h1>Beispiel-Zeitung</h1>",
         "Haushalt beschlossen"),
        # <title> last, without the site's name (its URL's host)
        ('<title>Haushalt beschlossen | NDR.de - Nachrichten</title><link rel="canonical" href="https://www.ndr.de/a">',
         "", "Haushalt beschlossen"),
        # a part that only begins with the site's name is the headline's
        ('<title>Streit um den Rundfunkbeitrag – Spiegel-Chef äußert sich</title>'
         '<link rel="canonical" href="https://www.spiegel.de/a">', "",
         "Streit um den Rundfunkbeitrag – Spiegel-Chef äußert sich"),
        ("", "", None),
    ],
)  # fmt: skip
def test_the_title_is_the_one_the_page_states_first(head: str, body: str, title: str | None) -> None:
    assert extract_page(page(head, body)).metadata.title == title


@pytest.mark.parametrize(
    "head, at, precision",
    [
        ('<meta property="article:published_time" content="2024-04-26T20:44:00+0200">',
         dt.datetime(2024, 4, 26, 18, 44, tzinfo=UTC), "second"),
        ('<meta name="date" content="2025-10-20">', dt.datetime(2025, 10, 20, tzinfo=UTC), "day"),
        ('<script type="application/ld+json">[{"@type": "WebPage"}, {"@graph": [{"@type": "NewsArticle", '
         '"datePublished": "2023-06-13T12:15:32.158Z"}]}]</script>',
         dt.datetime(2023, 6, 13, 12, 15, 32, 158000, tzinfo=UTC), "second"),
        ("", None, None),
    ],
)  # fmt: skip
def test_the_date_comes_from_structured_data(head: str, at: dt.datetime | None, precision: str | None) -> None:
    published = extract_page(page(head)).published
    assert (published.at, published.precision) == (at, precision)


def test_a_page_whose_structured_data_states_no_date_is_dated_by_its_visible_date() -> None:
    published = extract_page(page(body="<p class='date'>Veröffentlicht am 22.08.2024</p>")).published
    assert (published.at, published.precision) == (dt.datetime(2024, 8, 22, tzinfo=UTC), "day")


@pytest.mark.parametrize(
    "data, declared, text, encoding",
    [
        ("<meta charset='iso-8859-1'>Grüße".encode(), None, "<meta charset='iso-8859-1'>Grüße", "utf-8"),
        ("<meta charset='iso-8859-1'>Grüße".encode("cp1252"), None, "<meta charset='iso-8859-1'>Grüße", "cp1252"),
        ("<p>Grüße</p>".encode("iso-8859-15"), "iso-8859-15", "<p>Grüße</p>", "iso8859-15"),
        ("Grüße".encode("utf-16"), None, "Grüße", "utf-16"),
    ],
)
def test_a_page_is_decoded_as_utf8_when_it_is_utf8_whatever_it_declares(
    data: bytes, declared: str | None, text: str, encoding: str
) -> None:
    assert decode_html(data, declared) == (text, encoding)


def test_a_page_without_main_text_is_an_empty_reject(tmp_path: Path) -> None:
    path = tmp_path / "start.html"
    path.write_text("<html><head><title>Startseite</title></head><body><nav><a href='/'>Start</a></nav></body></html>")
    assert read(path) == [
        RecordReject(
            "",
            "empty",
            "no main text found in the HTML page (title: 'Startseite')",
            hashlib.sha256(path.read_bytes()).hexdigest(),
        )
    ]


def test_an_empty_html_file_is_an_empty_reject(tmp_path: Path) -> None:
    path = tmp_path / "leer.html"
    path.write_bytes(b"")
    assert read(path) == [RecordReject("", "empty", "the file has no bytes")]


def test_a_warc_is_one_record_per_html_page_and_its_other_records_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    ids = write_warc(path, [("https://example.org/haushalt", PAGE.encode()), ("https://example.org/leer", b"<p></p>")])
    items = read(path)
    assert [(type(i).__name__, i.source_record) for i in items[:2]] == [
        ("SourceRecord", f"record {ids[0]}"),
        ("RecordReject", f"record {ids[1]}"),
    ]
    document, reject = items[0], items[1]
    assert isinstance(document, SourceRecord) and isinstance(reject, RecordReject)
    assert (document.url, document.title, document.text) == (
        "https://example.org/haushalt",  # the record's WARC-Target-URI, where the crawler found the page
        "Regierung beschließt Haushalt",
        "\n\n".join(PARAGRAPHS),
    )
    assert (reject.reason, reject.detail) == ("empty", "no main text found in the HTML page")
    assert items[2:] == [
        SkippedRecords({"warcinfo": 1, "request": 2, "response image/png": 1, "response HTTP 301": 1}),
    ]


def test_a_warc_without_html_pages_is_one_empty_reject_that_says_what_it_held(tmp_path: Path) -> None:
    path = tmp_path / "bilder.warc"
    write_warc(path, [])
    assert read(path) == [
        SkippedRecords({"warcinfo": 1, "response image/png": 1, "response HTTP 301": 1}),
        RecordReject(
            "", "empty", "no HTML page among its 3 WARC records (response HTTP 301 1, response image/png 1, warcinfo 1)"
        ),
    ]


def test_a_truncated_warc_gz_keeps_the_pages_before_the_damage(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    ids = write_warc(
        path,
        [(f"https://example.org/{i}", PAGE.replace("Haushalt", f"Haushalt {i}").encode()) for i in range(3)],
        extra=False,
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])
    *records, skipped = read(path)
    assert [(type(i).__name__, i.source_record) for i in records] == [
        ("SourceRecord", f"record {ids[0]}"),
        ("SourceRecord", f"record {ids[1]}"),
        ("RecordReject", f"record {ids[2]}"),  # the page the damage cut
    ]
    assert isinstance(records[-1], RecordReject) and records[-1].reason == "truncated"
    assert skipped == SkippedRecords({"request": 3})


def test_a_file_that_is_no_warc_is_one_malformed_reject(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    path.write_text("Dies ist kein Webarchiv.\n")
    [reject] = read(path)
    assert isinstance(reject, RecordReject)
    assert (reject.source_record, reject.reason) == ("", "malformed")
    assert reject.detail.startswith("not a WARC record")


def test_reading_pages_opens_no_network_connection(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """trafilatura and htmldate could fetch a URL they are given: they are given pages, never addresses."""

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [(URL, PAGE.encode()), ("https://example.org/ohne-datum", page())])
    assert [type(i).__name__ for i in read(path)] == ["SourceRecord", "SourceRecord", "SkippedRecords"]


def test_a_line_break_inside_a_paragraph_keeps_the_words_apart() -> None:
    lines = "Der Haushalt ist beschlossen.<br>Die Opposition kritisierte den Entwurf scharf."
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    text = extract_page(f"<html><body><article><p>{lines}</p>{paragraphs}</article></body></html>".encode()).text
    assert text.split("\n\n")[0] == "Der Haushalt ist beschlossen. Die Opposition kritisierte den Entwurf scharf."
