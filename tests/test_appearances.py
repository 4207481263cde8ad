"""Wire copies: the same text from several outlets is one document and an appearance per outlet, counted for
each outlet; the same text at the same address again is unchanged, or a duplicate within one file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from tests.conftest import ingest
from tests.literal_warehouse import EXPORT, write_literal_warehouse
from textlake.ingest.known import KnownFiles, RecordReading, key_of
from textlake.ingest.record_triage import triage_record_file
from textlake.ingest.sources import discover_files
from textlake.lake.contracts import schema, staged_tables
from textlake.quality.facts import cross_table_facts
from textlake.run.batches import RunLedger
from textlake.run.summary import RunSummary
from textlake.settings import Settings
from textlake.warehouse.connection import connect_for_writing
from textlake.warehouse.search import search_sentences
from textlake.warehouse.state import known_files

# A dpa story as three sites carried it, each with its own address, headline and time.
WIRE_TEXT = (
    "Die Bundesregierung hat am Mittwoch in Berlin neue Hilfen für Landwirte beschlossen. "
    'Landwirtschaftsminister Cem Özdemir sagte: "Wir lassen die Betriebe nicht allein." '
    "Der Bauernverband begrüßte die Pläne, forderte aber mehr Geld."
)
WIRE = [
    {"url": "https://www.tagesschau.de/inland/hilfen-landwirte-100.html", "title": "Hilfen für Landwirte",
     "published": "2024-01-10T09:00:00Z", "text": WIRE_TEXT},
    {"url": "https://www.spiegel.de/wirtschaft/landwirte-hilfen-a-1.html", "title": "Bund hilft Bauern",
     "published": "2024-01-10T09:20:00Z", "text": WIRE_TEXT},
    {"url": "https://www.zeit.de/news/2024-01/10/hilfen-fuer-landwirte", "title": "Hilfen für Landwirte beschlossen",
     "published": "2024-01-10T10:05:00Z", "text": WIRE_TEXT},
]  # fmt: skip
OWN = {
    "url": "https://www.spiegel.de/sport/trainer-a-2.html",
    "title": "Neuer Trainer",
    "published": "2024-01-10T12:00:00Z",
    "text": "Der FC Bayern München hat einen neuen Trainer vorgestellt. Das erste Training ist am Mittwoch.",
}


def json_lines(*records: dict) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def rows(data: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql).fetchall()


def ledger_of(export: Path, known: KnownFiles) -> tuple[RunLedger, list[str]]:
    """A run's ledger after reading `export`, and the records of the documents it admitted."""
    [source] = discover_files([export])[0]
    ledger = RunLedger(known, RunSummary("20240110T120000Z-000001"))
    admitted = []
    for batch in triage_record_file(source, known, RecordReading(), batch_bytes=None):
        admitted += [d.source_record for d in ledger.admit(batch)]
    ledger.finish()
    return ledger, admitted


def test_a_wire_story_from_three_outlets_is_one_document_and_two_copies(tmp_path):
    export = tmp_path / "crawl.jsonl"
    export.write_text(json_lines(*WIRE, OWN, WIRE[1]), encoding="utf-8")
    ledger, admitted = ledger_of(export, KnownFiles({}, {}, set()))

    assert admitted == ["line 1", "line 4"]  # analysed once: the first outlet's record
    copies = ledger.take_copies()
    assert [(c.source_record, c.outlet, c.title, c.is_copy) for c in copies] == [
        ("line 2", "spiegel.de", "Bund hilft Bauern", True),
        ("line 3", "zeit.de", "Hilfen für Landwirte beschlossen", True),
    ]
    assert copies[1].published == dt.datetime(2024, 1, 10, 10, 5, tzinfo=dt.UTC)
    # the same url with the same text again is no appearance of its own
    assert [(r.source_record, r.reason) for r in ledger.new_rejects] == [("line 5", "duplicate")]
    assert ledger.summary.copies_new == 2 and ledger.take_copies() == []


def test_a_text_the_warehouse_has_is_a_copy_at_a_new_address_and_unchanged_at_a_known_one(tmp_path):
    export = tmp_path / "crawl.jsonl"
    export.write_text(json_lines(WIRE[0]), encoding="utf-8")
    [first] = list(triage_record_file(discover_files([export])[0][0], KnownFiles({}, {}, set()), RecordReading(), None))
    [document] = first.documents
    known = KnownFiles(
        {(document.source_path, document.source_sha256): (document.doc_id,)}, {}, set(),
        appearances=frozenset({key_of(document)}),
    )  # fmt: skip
    later = tmp_path / "next-day.jsonl"  # another file: the story again where it was, and at a new outlet
    later.write_text(json_lines(WIRE[0], WIRE[2], WIRE[0]), encoding="utf-8")
    ledger, admitted = ledger_of(later, known)

    assert admitted == []
    assert ledger.summary.documents_unchanged == 1
    assert [(c.source_record, c.outlet, c.doc_id) for c in ledger.take_copies()] == [
        ("line 2", "zeit.de", document.doc_id)
    ]
    assert [(r.source_record, r.reason, r.duplicate_of) for r in ledger.new_rejects] == [
        ("line 3", "duplicate", document.doc_id)  # the known address twice in one file, as in a first run
    ]


def test_copies_are_counted_for_every_outlet_and_reruns_change_nothing(prefect_harness, tmp_path):
    crawl, note, data = tmp_path / "crawl.jsonl", tmp_path / "note.txt", tmp_path / "data"
    crawl.write_text(json_lines(*WIRE[:2], OWN), encoding="utf-8")
    note.write_text("Der Stadtrat in Köln tagt am Donnerstag.", encoding="utf-8")  # a text file: no outlet
    inputs = [str(crawl), str(note)]
    settings = Settings(data_dir=data, workers=1)

    class Heard:  # what a progress display hears of the run, and shows after each thing it hears
        def __init__(self) -> None:
            self.files_found = self.files = self.documents = self.n_bytes = 0
            self.shown: list[tuple[int, int]] = []  # (files done, documents analysed)

        def found(self, files: int, n_bytes: int) -> None:
            self.files_found = files

        def advance(self, files: int, n_bytes: int, documents: int = 0) -> None:
            self.files, self.n_bytes, self.documents = (
                self.files + files, self.n_bytes + n_bytes, self.documents + documents
            )  # fmt: skip
            self.shown.append((self.files, self.documents))

    from flows.ingest import run_progress

    heard = Heard()
    token = run_progress.set(heard)
    try:
        first = ingest(inputs, settings)
    finally:
        run_progress.reset(token)
    assert (first.documents_new, first.copies_new, first.appearances_new, first.rejected, first.reconciles) == (
        3, 1, 4, 0, True
    )  # fmt: skip
    # a record file of three records and a text file: two files done, three documents analysed, every byte
    n_bytes = crawl.stat().st_size + note.stat().st_size
    assert (heard.files_found, heard.files, heard.documents, heard.n_bytes) == (2, 2, 3, n_bytes)
    assert heard.shown == sorted(heard.shown) and all(0 <= files <= 2 for files, _ in heard.shown)  # never back
    assert rows(data, "SELECT files_seen, record_files, records_seen, appearances_new FROM runs") == [(2, 1, 3, 4)]
    # the wire story counts for both outlets, with its sentences and quotations; spiegel.de has its own too
    [(wire_sentences, wire_quotations)] = rows(
        data, f"SELECT n_sentences, (SELECT count(*) FROM quotes q WHERE q.doc_id = d.doc_id) FROM documents d "
        f"WHERE url = '{WIRE[0]['url']}'"
    )  # fmt: skip
    [(own_sentences, own_quotations)] = rows(
        data, f"SELECT n_sentences, (SELECT count(*) FROM quotes q WHERE q.doc_id = d.doc_id) FROM documents d "
        f"WHERE url = '{OWN['url']}'"
    )  # fmt: skip
    by_outlet = (
        "SELECT outlet, day, documents, copies, sentences, quotations FROM documents_by_outlet "
        "WHERE outlet IS NOT NULL ORDER BY ALL"
    )
    day = dt.date(2024, 1, 10)
    assert rows(data, by_outlet) == [
        ("spiegel.de", day, 2, 1, wire_sentences + own_sentences, wire_quotations + own_quotations),
        ("tagesschau.de", day, 1, 0, wire_sentences, wire_quotations),
    ]
    assert wire_quotations >= 1
    quoted = rows(data, "SELECT outlet, quotations, documents FROM quotes_by_outlet WHERE speaker = 'Cem Özdemir'")
    assert sorted(quoted) == [("spiegel.de", 1, 1), ("tagesschau.de", 1, 1)]

    crawl.write_text(json_lines(*WIRE, OWN), encoding="utf-8")  # the crawl grows by the third outlet's copy
    second = ingest(inputs, settings)
    assert (second.documents_new, second.copies_new, second.documents_unchanged, second.reconciles) == (0, 1, 4, True)
    again = ingest(inputs, settings)
    assert (again.appearances_new, again.documents_unchanged, again.nothing_new) == (0, 5, True)
    assert rows(data, "SELECT count(*), count(*) FILTER (WHERE is_copy) FROM appearances") == [(5, 2)]
    assert rows(data, "SELECT count(*) FROM documents") == [(3,)]
    assert rows(data, "SELECT count(*) FROM rejects") == [(0,)]
    assert rows(data, "SELECT outlet, documents FROM documents_by_outlet ORDER BY outlet") == [
        ("spiegel.de", 2), ("tagesschau.de", 1), ("zeit.de", 1), (None, 1)
    ]  # fmt: skip
    # search results say which article a sentence is from: its headline and address
    columns, found = search_sentences(settings.warehouse_path, "Landwirte", settings.query_wait_s, limit=1)
    assert columns[2:5] == ["sentence", "title", "url"]
    assert found[0][3:5] == (WIRE[0]["title"], WIRE[0]["url"])


def test_a_copy_of_an_earlier_runs_document_passes_the_cross_table_check_and_one_of_nothing_fails(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    write_literal_warehouse(settings.warehouse_path)  # has documents aaaa…, bbbb…, cccc…
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    copies = [
        {"doc_id": doc_id, "source_path": "/in/crawl.jsonl", "source_sha256": "9" * 64, "source_record": record,
         "url": f"https://www.zeit.de/{record[-1]}", "outlet": "zeit.de", "title": None, "published": None,
         "published_precision": None, "is_copy": True, "run_id": "20260101T000000Z-000002", "ingested_at": at}
        for doc_id, record in (("a" * 16, "line 1"), ("0" * 16, "line 2"))
    ]  # fmt: skip
    staged = {}
    for table in staged_tables():  # every one a run stages, the copies in appearances, the others empty
        staged[table] = tmp_path / f"{table}.parquet"
        pq.write_table(pa.Table.from_pylist(copies if table == "appearances" else [], schema(table)), staged[table])

    facts = cross_table_facts(staged, settings).set_index("row_id")

    assert facts.loc[["/in/crawl.jsonl line 1", "/in/crawl.jsonl line 2"], "parent_exists"].tolist() == [True, False]


def test_a_warehouses_appearances_are_fetched_text_by_text_as_triage_asks_then_all_at_once(tmp_path):
    path = write_literal_warehouse(tmp_path / "warehouse.duckdb")
    asked = [
        ("a" * 16, "url", "https://www.spiegel.de/ausland/putin-minsk-a-1.html"),  # a copy
        ("a" * 16, "path", "news/a.txt"),  # the document's own
        ("a" * 16, "url", "https://www.zeit.de/putin"),  # not there
        ("b" * 16, "outlet", "spiegel.de"),  # b's copy has a url: its key is the url
        ("b" * 16, "url", "https://www.spiegel.de/ausland/lob-a-2.html"),
        ("0" * 16, "path", "news/a.txt"),  # no such text
    ]
    answers = [True, True, False, False, True, False]

    known = known_files(path, wait_s=0)
    assert [key in known.appearances for key in asked] == answers
    assert known.documents[(EXPORT, "e" * 64)] == ("a" * 16, "b" * 16)  # each text once: two copies of a
    assert known.documents_by_path[EXPORT] == 3  # ... and every appearance counted

    every_at_once = known_files(path, wait_s=0)
    every_at_once.appearances.BULK_AFTER = 1  # type: ignore[attr-defined]  # as after 256 texts
    assert [key in every_at_once.appearances for key in asked] == answers


def test_a_warehouse_from_before_appearances_gives_each_document_its_own_and_its_state_by_url(tmp_path):
    path = write_literal_warehouse(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(path)) as con:  # as this release's documents were before appearances existed
        con.execute("DROP TABLE appearances")
        con.execute(
            "UPDATE documents SET url = 'https://www.tagesschau.de/a', outlet = 'tagesschau.de' "
            "WHERE doc_id = 'aaaaaaaaaaaaaaaa'"
        )

    known = known_files(path, wait_s=0)  # read before the write that upgrades it
    assert ("a" * 16, "url", "https://www.tagesschau.de/a") in known.appearances
    assert ("b" * 16, "path", "news/b.txt") in known.appearances

    with connect_for_writing(path, wait_s=0) as con:
        assert con.execute(
            "SELECT doc_id, source_path, url, outlet, is_copy FROM appearances ORDER BY doc_id"
        ).fetchall() == [
            ("a" * 16, "news/a.txt", "https://www.tagesschau.de/a", "tagesschau.de", False),
            ("b" * 16, "news/b.txt", None, None, False),
            ("c" * 16, "news/c.txt", None, None, False),
        ]
    with connect_for_writing(path, wait_s=0) as con:  # filled once: a warehouse with appearances is left as it is
        assert con.execute("SELECT count(*) FROM appearances").fetchone() == (3,)


def test_record_order_sorts_records_as_the_file_has_them(tmp_path):
    path = write_literal_warehouse(tmp_path / "warehouse.duckdb")
    records = ["line 10", "line 9", "member b.zip line 2", "row 100", "member a.zip line 11", "line 1"]
    with duckdb.connect(str(path)) as con:
        assert con.execute(
            "SELECT r FROM unnest(?::VARCHAR[]) AS t(r) ORDER BY record_order(r)", [records]
        ).fetchall() == [("line 1",), ("line 9",), ("line 10",), ("member a.zip line 11",), ("member b.zip line 2",),
                         ("row 100",)]  # fmt: skip


def test_of_two_versions_one_run_read_from_one_file_the_later_record_is_current(tmp_path):
    """An export that lists an article at line 9 and its corrected text at line 10: line 10 is the current
    version (ordered as text, 'line 10' would come first; by doc_id, as chance has it)."""
    with connect_for_writing(tmp_path / "warehouse.duckdb", wait_s=0) as con:
        for doc_id, record in (("f" * 16, "line 9"), ("0" * 16, "line 10")):
            con.execute(
                "INSERT INTO documents (doc_id, source_path, source_sha256, n_bytes, encoding, url, source_record, "
                "language, language_score, text, n_chars, n_sentences, n_entities, run_id, ingested_at) VALUES "
                "(?, '/in/export.jsonl', ?, 5, 'utf-8', 'https://www.zeit.de/a', ?, 'de', 0.9, 'Text.', 5, 1, 0, "
                "'20260101T000000Z-000001', TIMESTAMPTZ '2026-01-01 00:00:00+00')",
                [doc_id, "1" * 64, record],
            )
        assert con.execute(
            "SELECT source_record, version, is_current FROM document_versions ORDER BY version"
        ).fetchall() == [("line 9", 1, False), ("line 10", 2, True)]


def test_an_interview_counts_per_outlet_as_its_answers_and_the_views_add_up(prefect_harness, tmp_path):
    """quotes_by_outlet counts as quotes_by_speaker does: by the speaker's name and label, an interview's
    answers included, the interviewer's questions not (they once made its kinds not add up)."""
    interview = {
        "url": "https://www.derstandard.at/story/1/poposki", "title": "Poposki im Interview",
        "published": "2016-02-20T08:00:00Z",
        "text": "Im Interview spricht Außenminister Nikola Poposki über die Flüchtlingskrise. "
                "STANDARD: Wie wird Mazedonien reagieren, wenn Österreich weniger Menschen einreisen lässt? "
                "Poposki: Wir koordinieren unsere Bemühungen mit den europäischen Partnern. Mehr geht nicht. "
                "STANDARD: Und wenn Österreich die Grenze ganz schließt? "
                "Poposki: Dann werden auch wir reagieren müssen.",
    }  # fmt: skip
    crawl, data = tmp_path / "crawl.jsonl", tmp_path / "data"
    crawl.write_text(json_lines(interview, WIRE[0]), encoding="utf-8")

    summary = ingest([str(crawl)], Settings(data_dir=data, workers=1))

    assert summary.checks_warned == [] and summary.checks_blocking == []
    assert rows(data, "SELECT count(*) FROM quotes WHERE kind = 'question'") == [(2,)]
    assert rows(
        data, "SELECT speaker, label, quotations, answers FROM quotes_by_outlet WHERE outlet = 'derstandard.at'"
    ) == [("Nikola Poposki", "PER", 2, 2)]
