"""Record files in runs: a JSON Lines, JSON, CSV or Parquet file gives one document per record."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from tests.conftest import REPO, ingest
from tests.news_pages import news_page, write_warc
from textlake.ingest.known import KnownFiles, RecordReading, key_of
from textlake.ingest.record_triage import triage_record_file
from textlake.ingest.sources import discover_files
from textlake.settings import Settings

TEXTLAKE = str(REPO / ".venv" / "bin" / "textlake")


def textlake(*args: str, cwd=REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`textlake ARGS` in a subprocess; a run given the session's Prefect server (`env=prefect_server`) uses it
    instead of starting a temporary API of its own."""
    return subprocess.run(
        [TEXTLAKE, *args], capture_output=True, text=True, cwd=cwd, env=env or dict(os.environ), timeout=600
    )


def rows(data, sql: str) -> list[tuple]:
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_folder_gives_every_file_of_a_format_textlake_reads_and_glob_narrows_it(tmp_path):
    read = ["a.txt", "b.jsonl", "c.json", "d.csv.gz", "e.tsv", "f.parquet", "g.zip", "h.ndjson.zst", "i.html",
            "j.htm", "k.html.gz", "l.warc", "m.warc.gz"]  # fmt: skip
    for name in [*read, "notes.md", "x", "bild.png"]:
        (tmp_path / name).write_bytes(b"")
    listed = [s.location.name for s in discover_files([tmp_path])[0]]
    assert listed == read
    assert [s.location.name for s in discover_files([tmp_path], ["*.jsonl", "*.md"])[0]] == ["b.jsonl", "notes.md"]
    assert [s.location.name for s in discover_files([tmp_path / "x"])[0]] == ["x"]  # named: always read


def test_glob_takes_one_pattern_or_several():
    assert Settings().glob == ()
    assert Settings(glob="*.jsonl").glob == ("*.jsonl",)
    assert Settings(glob=["*.jsonl", "*.txt"]).glob == ("*.jsonl", "*.txt")


ARTICLES = [
    {
        "title": "Regierung beschließt Haushalt",
        "url": "https://www.tagesschau.de/inland/haushalt-101.html",
        "published": "2024-03-05T10:15:00+01:00",
        "text": "Die Bundesregierung hat am Dienstag in Berlin den Haushalt für das kommende Jahr beschlossen. "
        'Finanzminister Christian Lindner sagte: "Wir halten die Schuldenbremse ein." '
        "Die Opposition kritisierte den Entwurf scharf.",
    },
    {
        "title": "Hochwasser in Bayern",
        "url": "https://www.sueddeutsche.de/bayern/hochwasser-1.234",
        "published": "2024-06-02",
        "text": "Nach tagelangem Regen sind in Bayern mehrere Flüsse über die Ufer getreten. In Passau und "
        "Regensburg wurden Straßen gesperrt. Ministerpräsident Markus Söder besuchte am Sonntag die Gebiete.",
    },
    {
        "title": "Neuer Trainer",
        "url": "https://www.spiegel.de/sport/fussball/trainer-a-1.html",
        "published": "2024-07-01T08:00:00Z",
        "authors": ["Anna Müller"],
        "text": "Der FC Bayern München hat einen neuen Trainer vorgestellt. Vereinspräsident Herbert Hainer sprach "
        "von einem Neuanfang. Das erste Training ist für Mittwoch in München geplant.",
    },
]


def json_lines(*records: dict) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def test_a_json_lines_file_is_one_document_per_line_and_a_second_run_adds_nothing(prefect_server, tmp_path):
    export, data = tmp_path / "export.jsonl", tmp_path / "data"
    export.write_text(json_lines(*ARTICLES) + '{"title": "kaputt",\n' + '{"title": "leer", "text": ""}\n')
    first = textlake("run", str(export), "--data-dir", str(data), "--workers", "1", env=prefect_server)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert "files seen       1 (1 record file: 5 records)" in lines
    assert "documents        3 new, 0 unchanged" in lines
    assert "rejects          2 (empty 1, malformed 1)" in lines
    assert any(line.startswith(f"  rejected {export} line 4: malformed (Expecting property name") for line in lines)
    documents = (
        "SELECT source_record, title, url, outlet, authors, published, published_precision, source_path FROM documents"
    )
    assert rows(data, documents + " ORDER BY source_record") == [
        ("line 1", "Regierung beschließt Haushalt", ARTICLES[0]["url"], "tagesschau.de", None,
         dt.datetime(2024, 3, 5, 9, 15, tzinfo=dt.UTC), "second", str(export)),
        ("line 2", "Hochwasser in Bayern", ARTICLES[1]["url"], "sueddeutsche.de", None,
         dt.datetime(2024, 6, 2, tzinfo=dt.UTC), "day", str(export)),
        ("line 3", "Neuer Trainer", ARTICLES[2]["url"], "spiegel.de", ["Anna Müller"],
         dt.datetime(2024, 7, 1, 8, tzinfo=dt.UTC), "second", str(export)),
    ]  # fmt: skip
    assert rows(data, "SELECT source_record, reason FROM rejects ORDER BY source_record") == [
        ("line 4", "malformed"), ("line 5", "empty")
    ]  # fmt: skip
    # the same file again: skipped before a flow starts, and forced through one, nothing new either
    assert textlake("run", str(export), "--data-dir", str(data), env=prefect_server).stdout.startswith(
        "nothing new: 1 files"
    )
    again = textlake(
        "run", str(export), "--data-dir", str(data), "--workers", "1", "--no-skip-unchanged", env=prefect_server
    )
    assert again.returncode == 0, again.stderr
    assert "documents        0 new, 3 unchanged" in again.stdout.splitlines()
    assert "nothing new, the warehouse is unchanged" in again.stdout
    assert rows(data, "SELECT count(*) FROM documents") == [(3,)]
    assert rows(data, "SELECT count(*) FROM rejects") == [(2,)]


def test_a_table_without_a_text_column_is_a_usage_error_before_anything_starts(tmp_path):
    table = tmp_path / "articles.parquet"
    pq.write_table(pa.table({"headline": ["Ein Titel"], "body_html": ["<p>Ein Text.</p>"]}), table)
    result = textlake("run", str(table), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2
    assert result.stderr == (
        "textlake: articles.parquet has no text column (looked for text, maintext, body, plaintext, content, "
        "article); its columns are: headline, body_html. Name the text column with --field text=COLUMN\n"
    )
    assert not (tmp_path / "data").exists()


def test_a_csv_names_its_text_column_with_field(prefect_server, tmp_path):
    table, data = tmp_path / "articles.csv", tmp_path / "data"
    table.write_text(
        "headline,story,link\n"
        '"Neuer Trainer","Der FC Bayern München hat einen neuen Trainer vorgestellt.",https://www.spiegel.de/a\n',
        encoding="utf-8",
    )
    result = textlake(
        "run", str(table), "--data-dir", str(data), "--workers", "1", "--field", "text=story", env=prefect_server
    )
    assert result.returncode == 0, result.stderr
    assert rows(data, "SELECT source_record, title, outlet, text FROM documents") == [
        ("row 1", "Neuer Trainer", "spiegel.de", "Der FC Bayern München hat einen neuen Trainer vorgestellt.")
    ]


def test_a_folder_of_news_please_files_needs_no_flags(prefect_harness, tmp_path):
    inbox = tmp_path / "news-please" / "spiegel.de"
    inbox.mkdir(parents=True)
    for i, article in enumerate(ARTICLES[:2]):
        news_please = {  # as news-please writes an article: one JSON object a file, its text as maintext
            "authors": ["Anna Müller"], "date_download": "2024-07-01 10:00:00", "date_publish": "2024-07-01 08:00:00",
            "description": None, "language": "de", "maintext": article["text"], "source_domain": "www.spiegel.de",
            "text": None, "title": article["title"], "url": article["url"],
        }  # fmt: skip
        (inbox / f"{i}.json").write_text(json.dumps(news_please, ensure_ascii=False), encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", workers=1)
    summary = ingest([str(tmp_path / "news-please")], settings)
    assert (summary.files_seen, summary.records_seen, summary.documents_new, summary.reconciles) == (2, 2, 2, True)
    assert rows(settings.data_dir, "SELECT source_record, title, outlet, authors, published FROM documents ORDER BY title") == [
        (None, "Hochwasser in Bayern", "spiegel.de", ["Anna Müller"], dt.datetime(2024, 7, 1, 8, tzinfo=dt.UTC)),
        (None, "Regierung beschließt Haushalt", "spiegel.de", ["Anna Müller"], dt.datetime(2024, 7, 1, 8, tzinfo=dt.UTC)),
    ]  # fmt: skip


def assert_same_language_tables(one: Path, other: Path) -> None:
    """Two warehouses hold the same documents, sentences, entities and quotations, some quotations among them."""
    for table, columns in [
        ("documents", "doc_id, text, language, n_sentences, n_entities"),
        ("sentences", "doc_id, ordinal, start_char, end_char, text"),
        ("entities", "doc_id, start_char, end_char, label, canonical"),
        ("quotes", "doc_id, kind, text, speaker"),
    ]:
        sql = f"SELECT {columns} FROM {table} ORDER BY ALL"
        assert rows(one, sql) == rows(other, sql), table
    assert rows(other, "SELECT count(*) FROM quotes") != [(0,)]


def test_the_same_texts_as_text_files_or_as_one_json_lines_file_give_the_same_tables(prefect_harness, tmp_path):
    texts, export = tmp_path / "texts", tmp_path / "export.jsonl"
    texts.mkdir()
    for i, article in enumerate(ARTICLES):
        (texts / f"{i}.txt").write_text(article["text"], encoding="utf-8")
    export.write_text(json_lines(*ARTICLES), encoding="utf-8")
    as_files = Settings(data_dir=tmp_path / "files", workers=1)
    # batches of 300 bytes: the JSON Lines file is read as a stream of parts, as a file of gigabytes is
    as_records = Settings(data_dir=tmp_path / "records", workers=1, batch_bytes=300)
    assert ingest([str(texts)], as_files).documents_new == 3
    summary = ingest([str(export)], as_records)
    assert (summary.documents_new, summary.records_seen, summary.reconciles) == (3, 3, True)
    assert_same_language_tables(as_files.data_dir, as_records.data_dir)


def test_a_record_file_larger_than_a_batch_is_read_in_parts(tmp_path):
    export = tmp_path / "export.jsonl"
    export.write_text(json_lines(*ARTICLES), encoding="utf-8")
    nothing_known = KnownFiles({}, {}, set())
    parts = list(triage_record_file(discover_files([export])[0][0], nothing_known, RecordReading(), batch_bytes=300))
    assert [len(part.documents) for part in parts] == [2, 1]
    assert [d.source_record for part in parts for d in part.documents] == ["line 1", "line 2", "line 3"]
    assert [(part.record_files, part.records, len(part.files_read)) for part in parts] == [(1, 2, 1), (0, 1, 0)]


def test_an_appended_record_file_is_read_again_its_known_records_unchanged(tmp_path):
    export = tmp_path / "export.jsonl"
    export.write_text(json_lines(ARTICLES[0], ARTICLES[0]), encoding="utf-8")
    [source] = discover_files([export])[0]
    first = list(triage_record_file(source, KnownFiles({}, {}, set()), RecordReading(), batch_bytes=None))[0]
    document = first.documents[0]  # the second line repeats it: the run's ledger rejects that as a duplicate
    known = KnownFiles(
        {(source.path, document.source_sha256): (document.doc_id,)},
        {},
        set(),
        appearances=frozenset({key_of(document)}),
    )
    export.write_text(json_lines(ARTICLES[0], ARTICLES[0], ARTICLES[1]), encoding="utf-8")
    [source] = discover_files([export])[0]
    [again] = list(triage_record_file(source, known, RecordReading(), batch_bytes=None))
    assert (again.unchanged, again.records) == (1, 3)
    assert [d.source_record for d in again.documents] == ["line 3"]
    assert [(r.source_record, r.reason, r.duplicate_of) for r in again.rejects] == [
        ("line 2", "duplicate", document.doc_id)
    ]


def test_a_format_or_field_that_names_nothing_is_a_usage_error(tmp_path):
    export = tmp_path / "export.jsonl"
    export.write_text(json_lines(*ARTICLES), encoding="utf-8")
    data = str(tmp_path / "data")
    bad_field = textlake("run", str(export), "--data-dir", data, "--field", "body=story")
    assert (bad_field.returncode, bad_field.stderr) == (
        2, "textlake: no field 'body' to map: the fields are text, title, published, url, outlet, authors, id, language\n"
    )  # fmt: skip
    bad_format = textlake("run", str(export), "--data-dir", data, "--format", "xml")
    assert bad_format.returncode == 2 and bad_format.stderr.startswith("textlake: unknown record format 'xml'")
    assert not (tmp_path / "data").exists()


def test_a_web_archive_gives_a_document_per_html_page_and_counts_its_other_records(prefect_server, tmp_path):
    crawl, data = tmp_path / "crawl.warc.gz", tmp_path / "data"
    pages = [
        (a["url"], news_page(a["title"], [a["text"]], a["published"], tuple(a.get("authors", ())))) for a in ARTICLES
    ]
    empty = ("https://www.spiegel.de/", "<html><body><nav><a href='/'>Startseite</a></nav></body></html>")
    ids = write_warc(crawl, [(url, page.encode()) for url, page in [*pages, empty]])
    result = textlake("run", str(crawl), "--data-dir", str(data), "--workers", "1", env=prefect_server)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "files seen       1 (1 record file: 4 records)" in lines
    assert "documents        3 new, 0 unchanged" in lines
    assert "rejects          1 (empty 1)" in lines
    assert (
        "  skipped 7 web archive records that hold no page: request 4, warcinfo 1, response image/png 1, "
        "response HTTP 301 1" in lines
    )
    assert f"  rejected {crawl} record {ids[3]}: empty (no main text found in the HTML page)" in lines
    documents = "SELECT source_record, title, url, outlet, authors, published, published_precision, text FROM documents"
    assert rows(data, documents + " ORDER BY published") == [
        (f"record {ids[0]}", "Regierung beschließt Haushalt", ARTICLES[0]["url"], "tagesschau.de", None,
         dt.datetime(2024, 3, 5, 9, 15, tzinfo=dt.UTC), "second", ARTICLES[0]["text"]),
        (f"record {ids[1]}", "Hochwasser in Bayern", ARTICLES[1]["url"], "sueddeutsche.de", None,
         dt.datetime(2024, 6, 2, tzinfo=dt.UTC), "day", ARTICLES[1]["text"]),
        (f"record {ids[2]}", "Neuer Trainer", ARTICLES[2]["url"], "spiegel.de", ["Anna Müller"],
         dt.datetime(2024, 7, 1, 8, tzinfo=dt.UTC), "second", ARTICLES[2]["text"]),
    ]  # fmt: skip
    assert rows(data, "SELECT source_record, reason FROM rejects") == [(f"record {ids[3]}", "empty")]


def test_a_web_archive_of_only_other_records_ends_as_one_reject_that_says_so(prefect_server, tmp_path):
    crawl, data = tmp_path / "bilder.warc", tmp_path / "data"
    write_warc(crawl, [])
    result = textlake("run", str(crawl), "--data-dir", str(data), "--workers", "1", env=prefect_server)
    assert result.returncode == 0, result.stderr
    assert "rejects          1 (empty 1)" in result.stdout.splitlines()
    assert rows(data, "SELECT source_record, reason, detail FROM rejects") == [
        (None, "empty", "no HTML page among its 3 WARC records (response HTTP 301 1, response image/png 1, warcinfo 1)")
    ]


SEED = (REPO / "seeds" / "000_88f338ab2dbf0f65.txt").read_text(encoding="utf-8").split("\n", 1)[1].strip()


def test_the_same_texts_as_text_files_or_as_a_web_archive_of_their_pages_give_the_same_tables(
    prefect_harness, tmp_path
):
    """Pages rendered from the articles (a menu, a teaser list and a footer around them) read back to the same
    texts, so to the same documents, sentences, entities and quotations."""
    articles = [(a["title"], [a["text"]], a["url"]) for a in ARTICLES]
    articles.append(("Putin kündigt Raketen für Belarus an", SEED.split("\n\n"), "https://example.org/belarus"))
    texts, crawl = tmp_path / "texts", tmp_path / "crawl.warc.gz"
    texts.mkdir()
    for i, (_, paragraphs, _) in enumerate(articles):
        (texts / f"{i}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    write_warc(crawl, [(url, news_page(title, paragraphs).encode()) for title, paragraphs, url in articles])
    as_files = Settings(data_dir=tmp_path / "files", workers=1)
    as_pages = Settings(data_dir=tmp_path / "pages", workers=1)
    assert ingest([str(texts)], as_files).documents_new == 4
    summary = ingest([str(crawl)], as_pages)
    assert (summary.documents_new, summary.records_seen, summary.reconciles) == (4, 4, True)
    assert_same_language_tables(as_files.data_dir, as_pages.data_dir)


def test_fundus_json_lines_need_no_flags(prefect_server, tmp_path):
    """Fundus's `article.to_json()` as it writes it, one article a line: the body as summary and sections,
    the date as str(datetime), topics, free_access and images beside them, no URL."""
    export, data = tmp_path / "fundus.jsonl", tmp_path / "data"
    fundus = {
        "title": "Streik bei der Bahn",
        "authors": ["Anna Müller"],
        "publishing_date": "2024-03-04 10:11:12+01:00",
        "topics": ["Bahn", "Streik"],
        "free_access": True,
        "images": [{"versions": [{"url": "https://example.org/bild.jpg", "query_width": None, "size": None,
                                  "type": None}], "is_cover": True, "description": None, "caption": "Ein Zug",
                    "authors": [], "position": 12}],
        "body": {
            "summary": ["Die Gewerkschaft GDL streikt ab Donnerstag im Personenverkehr."],
            "sections": [
                {"headline": [], "paragraphs": ["Der Fernverkehr der Deutschen Bahn steht still."]},
                {"headline": ["Wie geht es weiter?"], "paragraphs": ["Verhandelt wird am 3. Juni in Berlin."]},
            ],
        },
    }  # fmt: skip
    export.write_text(json_lines(fundus), encoding="utf-8")
    result = textlake("run", str(export), "--data-dir", str(data), "--workers", "1", env=prefect_server)
    assert result.returncode == 0, result.stderr
    assert rows(data, "SELECT source_record, title, authors, published, outlet, text FROM documents") == [
        ("line 1", "Streik bei der Bahn", ["Anna Müller"], dt.datetime(2024, 3, 4, 9, 11, 12, tzinfo=dt.UTC), None,
         "Die Gewerkschaft GDL streikt ab Donnerstag im Personenverkehr.\n\nDer Fernverkehr der Deutschen Bahn steht "
         "still.\n\nWie geht es weiter?\n\nVerhandelt wird am 3. Juni in Berlin.")
    ]  # fmt: skip
