"""What textlake 0.1.0 left behind, used by this release: its warehouse (documents.published a DATE; no
title, url, outlet, authors, external_id or source_record) is upgraded in place without losing a row, and
Parquet it staged loads as it is."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import BIN
from tests.literal_warehouse import DOCUMENTS, write_literal_warehouse
from textlake.lake.contracts import schema
from textlake.warehouse.connection import connect_for_writing, upgrade_tables
from textlake.warehouse.load import load_run

NEW_DOCUMENT_COLUMNS = ("title", "url", "outlet", "authors", "external_id", "source_record")
NEW_RUNS_COLUMNS = ("record_files", "records_seen", "appearances_new")


def every_row(path: Path) -> dict[str, list[dict]]:
    """Each table's rows as dicts, in a stable order."""
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        names = [
            t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
        ]
        found = {}
        for table in names:
            cursor = con.execute(f"SELECT * FROM {table} ORDER BY ALL")
            columns = [d[0] for d in cursor.description]
            found[table] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return found


def as_upgraded(table: str, row: dict) -> dict:
    """A 0.1.0 row as the upgrade keeps it: a date published at midnight UTC, the columns new since NULL."""
    if table == "documents":
        day = row["published"]
        published = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day else None
        return {**row, "published": published, **dict.fromkeys(NEW_DOCUMENT_COLUMNS)}
    if table == "rejects":
        return {**row, "source_record": None}
    if table == "runs":
        return {**row, **dict.fromkeys(NEW_RUNS_COLUMNS)}
    if table == "entities":
        return {**row, "confidence": None}
    return row


def own_appearance(document: dict) -> dict:
    """The appearance the upgrade gives a document: its own source, no copy."""
    columns = ("doc_id", "source_path", "source_sha256", "source_record", "url", "outlet", "title", "published",
               "published_precision", "run_id", "ingested_at")  # fmt: skip
    return {**{c: document[c] for c in columns}, "is_copy": False}


def test_a_release_0_1_0_warehouse_is_upgraded_in_place_with_every_row(tmp_path):
    path = write_literal_warehouse(tmp_path / "warehouse.duckdb", release_0_1_0=True)
    before = every_row(path)
    assert {d["published"] for d in before["documents"]} == {dt.date(2022, 6, 1), dt.date(2022, 7, 15), None}

    with connect_for_writing(path, wait_s=0) as con:
        pass
    after = every_row(path)

    assert set(after) == {*before, "appearances", "curation_log"}  # the tables new since, empty or filled
    assert after["curation_log"] == []
    for table, rows in before.items():
        assert after[table] == [as_upgraded(table, row) for row in rows], table
    assert after["appearances"] == [own_appearance(d) for d in after["documents"]]  # both in doc_id order
    with duckdb.connect(str(path), read_only=True) as con:  # columns in the contract's order, as in a new warehouse
        for table in ("documents", "rejects", "runs"):
            assert [c for (c, *_) in con.execute(f"DESCRIBE {table}").fetchall()] == schema(table).names
        assert con.execute("SELECT month, documents FROM documents_by_month ORDER BY ALL").fetchall() == [
            (dt.date(2022, 6, 1), 1),
            (dt.date(2022, 7, 1), 1),
            (None, 1),
        ]
        assert con.execute("SELECT count(*) FROM entity_mentions WHERE url IS NULL").fetchone() == (9,)

    with connect_for_writing(path, wait_s=0) as con:  # once upgraded, there is nothing to upgrade
        assert upgrade_tables(con) == []


def test_a_column_an_analyst_added_is_kept_through_the_upgrade(tmp_path):
    path = write_literal_warehouse(tmp_path / "warehouse.duckdb", release_0_1_0=True)
    with duckdb.connect(str(path)) as con:
        con.execute("ALTER TABLE documents ADD COLUMN analyst_notes VARCHAR")
        con.execute("UPDATE documents SET analyst_notes = 'gelesen' WHERE doc_id = 'aaaaaaaaaaaaaaaa'")
    with connect_for_writing(path, wait_s=0) as con:
        assert con.execute(
            "SELECT doc_id, analyst_notes FROM documents WHERE analyst_notes IS NOT NULL"
        ).fetchall() == [("a" * 16, "gelesen")]
        assert [c for (c, *_) in con.execute("DESCRIBE documents").fetchall()] == [
            *schema("documents").names,
            "analyst_notes",
        ]
        assert upgrade_tables(con) == []  # its extra column does not make the table outdated


def test_parquet_staged_by_release_0_1_0_loads_once_its_new_columns_null(tmp_path):
    """A run of 0.1.0 that found the warehouse busy left its checked tables staged; this release loads them."""
    warehouse = write_literal_warehouse(tmp_path / "warehouse.duckdb", release_0_1_0=True)
    old_documents = pa.schema(
        [f if f.name != "published" else pa.field("published", pa.date32()) for f in schema("documents")
         if f.name not in NEW_DOCUMENT_COLUMNS]
    )  # fmt: skip
    text = "Olaf Scholz besuchte Kiew."
    document = {
        "doc_id": "d" * 16, "source_path": "/news/d.txt", "source_sha256": "d" * 64, "n_bytes": len(text),
        "encoding": "utf-8", "published": dt.date(2022, 6, 3), "published_precision": "day", "language": "de",
        "language_score": 0.99, "text": text, "n_chars": len(text), "n_sentences": 1, "n_entities": 0,
        "header_note": None, "run_id": "20220801T120000Z-def456", "ingested_at": dt.datetime(2022, 8, 1, tzinfo=dt.UTC),
    }  # fmt: skip
    reject = {
        "source_path": "/news/e.txt", "source_sha256": "e" * 64, "reason": "empty", "detail": "only whitespace",
        "n_bytes": 3, "duplicate_of": None, "run_id": "20220801T120000Z-def456",
        "rejected_at": dt.datetime(2022, 8, 1, tzinfo=dt.UTC),
    }  # fmt: skip
    old_rejects = pa.schema([f for f in schema("rejects") if f.name != "source_record"])
    staged = {"documents": tmp_path / "documents.parquet", "rejects": tmp_path / "rejects.parquet"}
    pq.write_table(pa.Table.from_pylist([document], old_documents), staged["documents"])
    pq.write_table(pa.Table.from_pylist([reject], old_rejects), staged["rejects"])

    assert load_run(warehouse, staged, wait_s=0, memory_limit="256MB") == {"documents": 1, "rejects": 1}
    assert load_run(warehouse, staged, wait_s=0, memory_limit="256MB") == {"documents": 0, "rejects": 0}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(  # its own appearance, as a run now stages it with the document: once
            "SELECT source_path, is_copy FROM appearances WHERE doc_id = 'dddddddddddddddd'"
        ).fetchall() == [("/news/d.txt", False)]
        assert con.execute(
            "SELECT published = TIMESTAMPTZ '2022-06-03 00:00:00+00', published_precision, title, url, source_record "
            "FROM documents WHERE doc_id = 'dddddddddddddddd'"
        ).fetchall() == [(True, "day", None, None, None)]
        assert con.execute("SELECT source_record FROM rejects WHERE source_path = '/news/e.txt'").fetchall() == [
            (None,)
        ]
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (len(DOCUMENTS) + 1,)


def test_a_files_reject_and_its_records_rejects_are_each_loaded_once(tmp_path):
    """The rejects key (source_path, source_sha256, source_record) compares NULL, the whole file, as a value."""
    warehouse = write_literal_warehouse(tmp_path / "warehouse.duckdb")
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows = [
        {"source_path": "/in/feed.jsonl", "source_sha256": "a" * 64, "source_record": record, "reason": "empty",
         "detail": "no text", "n_bytes": 80, "duplicate_of": None, "run_id": "20260101T000000Z-000001", "rejected_at": at}
        for record in ("line 3", "line 9", None)
    ]  # fmt: skip
    staged = {"rejects": tmp_path / "rejects.parquet"}
    pq.write_table(pa.Table.from_pylist(rows, schema("rejects")), staged["rejects"])

    assert load_run(warehouse, staged, wait_s=0, memory_limit="256MB") == {"rejects": 3}
    assert load_run(warehouse, staged, wait_s=0, memory_limit="256MB") == {"rejects": 0}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(
            "SELECT source_record FROM rejects WHERE source_path = '/in/feed.jsonl' ORDER BY ALL"
        ).fetchall() == [("line 3",), ("line 9",), (None,)]


@pytest.mark.slow
def test_the_next_run_on_a_release_0_1_0_warehouse_keeps_every_row_and_adds_its_document(prefect_server, tmp_path):
    """As a user upgrades: textlake run, in a subprocess, on the data dir 0.1.0 wrote."""
    data = tmp_path / "data"
    data.mkdir()
    warehouse = write_literal_warehouse(data / "warehouse.duckdb", release_0_1_0=True)
    before = every_row(warehouse)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "neu.txt").write_text(
        " date 2023-03 Bundeskanzler Olaf Scholz ist am Montag nach Kiew gereist. Dort traf er Präsident "
        "Wolodymyr Selenskyj. Beide sprachen über Waffenlieferungen und den Wiederaufbau der Ukraine.\n",
        encoding="utf-8",
    )

    run = subprocess.run(
        [str(BIN / "textlake"), "run", str(inbox), "--data-dir", str(data)],
        capture_output=True, text=True, cwd=tmp_path, env=prefect_server, timeout=600,
    )  # fmt: skip

    assert run.returncode == 0, run.stderr
    assert "documents        1 new" in run.stdout
    after = every_row(warehouse)
    for table, rows in before.items():
        missing = [row for row in map(as_upgraded, [table] * len(rows), rows) if row not in after[table]]
        assert not missing, f"{table} lost rows: {missing}"
    assert len(after["documents"]) == len(before["documents"]) + 1
    assert after["appearances"] == [own_appearance(d) for d in after["documents"]]  # the old ones' and the new one's
    [new] = [d for d in after["documents"] if d["source_path"].endswith("/neu.txt")]
    assert (new["published"], new["published_precision"]) == (dt.datetime(2023, 3, 1, tzinfo=dt.UTC), "month")
    assert [new[c] for c in NEW_DOCUMENT_COLUMNS] == [None] * len(NEW_DOCUMENT_COLUMNS)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT month, documents FROM documents_by_month ORDER BY ALL").fetchall() == [
            (dt.date(2022, 6, 1), 1),
            (dt.date(2022, 7, 1), 1),
            (dt.date(2023, 3, 1), 1),
            (None, 1),
        ]


def test_report_on_a_warehouse_release_0_1_0_wrote_says_so_in_one_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    write_literal_warehouse(data / "warehouse.duckdb", release_0_1_0=True)

    report = subprocess.run(
        [str(BIN / "textlake"), "report", "--data-dir", str(data), "--out", str(tmp_path / "report.html")],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip

    assert report.returncode == 1
    assert report.stderr.count("\n") == 1, report.stderr
    assert "written by an earlier textlake" in report.stderr and "Traceback" not in report.stderr
    assert not (tmp_path / "report.html").exists()
