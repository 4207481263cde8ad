"""A warehouse written from literal rows through the real DDL: view and query tests read what is
written here, not what the current NER model happens to find, so a retrain changes none of them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from textlake.warehouse.connection import connect_for_writing
from textlake.warehouse.search import update_search_index

RUN_ID = "20220701T120000Z-abc123"
INGESTED = dt.datetime(2022, 7, 1, 12, 0, tzinfo=dt.UTC)

# doc_id → (path, published, language, sentences, entities as (sentence ordinal, text, label, canonical))
DOCUMENTS = {
    "a" * 16: (
        "news/a.txt",
        dt.date(2022, 6, 1),
        "de",
        [
            "Wladimir Putin traf Alexander Lukaschenko in Minsk.",
            "Putin sprach über Atomwaffen.",
            "Belarus bekommt Raketen aus Russland.",
        ],
        [
            (0, "Wladimir Putin", "PER", "Wladimir Putin"),
            (0, "Alexander Lukaschenko", "PER", "Alexander Lukaschenko"),
            (0, "Minsk", "LOC", "Minsk"),
            (1, "Putin", "PER", "Wladimir Putin"),
            (2, "Belarus", "LOC", "Belarus"),
            (2, "Russland", "LOC", "Russland"),
        ],
    ),
    "b" * 16: (
        "news/b.txt",
        dt.date(2022, 7, 15),
        "de",
        ["Lukaschenko lobte Putin.", "Die Ukraine protestierte gegen Atomwaffen."],
        [
            (0, "Lukaschenko", "PER", "Alexander Lukaschenko"),
            (0, "Putin", "PER", "Wladimir Putin"),
            (1, "Ukraine", "LOC", "Ukraine"),
        ],
    ),
    "c" * 16: ("news/c.txt", None, "en", ["The weather was fine."], []),
}


# Copies of the texts above, read later from a crawl's export with outlets of their own (a wire story carried
# by two sites): doc_id → (record, url, outlet, title, published).
COPIES = {
    "a" * 16: [
        (
            "line 1",
            "https://www.tagesschau.de/ausland/minsk-101.html",
            "tagesschau.de",
            "Putin in Minsk",
            dt.datetime(2022, 6, 1, 9, 30, tzinfo=dt.UTC),
        ),
        (
            "line 2",
            "https://www.spiegel.de/ausland/putin-minsk-a-1.html",
            "spiegel.de",
            "Putin besucht Lukaschenko",
            dt.datetime(2022, 6, 2, 7, 0, tzinfo=dt.UTC),
        ),
    ],
    "b" * 16: [
        (
            "line 3",
            "https://www.spiegel.de/ausland/lob-a-2.html",
            "spiegel.de",
            "Lukaschenko lobt Putin",
            dt.datetime(2022, 7, 15, 18, 45, tzinfo=dt.UTC),
        ),
    ],
}
EXPORT = "news/crawl.jsonl"

# The tables and views as textlake 0.1.0 created them (documents.published a DATE; no title, url, outlet,
# authors, external_id, source_record).
RELEASE_0_1_0 = Path(__file__).parent / "fixtures" / "release_0.1.0"


def write_literal_warehouse(path: Path, release_0_1_0: bool = False) -> Path:
    """Create the warehouse at `path` (tables and views from warehouse/*.sql, or as textlake 0.1.0 created
    them) holding DOCUMENTS, one run, one reject and its checks (one warning failed), and in this release's
    tables each document's appearance and the COPIES; the search index is built as a load builds it."""
    if release_0_1_0:
        connection = duckdb.connect(str(path))
        for name in ("schema.sql", "views.sql"):
            connection.execute((RELEASE_0_1_0 / name).read_text(encoding="utf-8"))
    else:
        connection = connect_for_writing(path, wait_s=0)
    with connection as con:
        for doc_id, (source, published, language, sentences, entities) in DOCUMENTS.items():
            text = " ".join(sentences)
            con.execute(
                "INSERT INTO documents (doc_id, source_path, source_sha256, n_bytes, encoding, published, "
                "published_precision, language, language_score, text, n_chars, n_sentences, n_entities, "
                "header_note, run_id, ingested_at) VALUES (?, ?, ?, ?, 'utf-8', ?, ?, ?, 0.99, ?, ?, ?, ?, NULL, ?, ?)",
                [doc_id, source, doc_id * 4, len(text.encode()), published, "day" if published else None,
                 language, text, len(text), len(sentences), len(entities), RUN_ID, INGESTED],
            )  # fmt: skip
            starts = [sum(len(s) + 1 for s in sentences[:i]) for i in range(len(sentences))]
            for ordinal, (start, sentence) in enumerate(zip(starts, sentences, strict=True)):
                con.execute(
                    "INSERT INTO sentences VALUES (?, ?, ?, 0, ?, ?, ?)",
                    [f"{doc_id}-s{ordinal}", doc_id, ordinal, start, start + len(sentence), sentence],
                )
            for number, (ordinal, mention, label, canonical) in enumerate(entities):
                start = starts[ordinal] + sentences[ordinal].index(mention)
                con.execute(
                    "INSERT INTO entities (entity_id, doc_id, sentence_id, start_char, end_char, text, label, canonical, "
                    "model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'literal-0')",
                    [f"{doc_id}-e{number}", doc_id, f"{doc_id}-s{ordinal}", start, start + len(mention),
                     mention, label, canonical],
                )  # fmt: skip
        if not release_0_1_0:
            add_appearances(con)
        con.execute(
            "INSERT INTO rejects (source_path, source_sha256, reason, detail, n_bytes, duplicate_of, run_id, rejected_at) "
            "VALUES ('news/logo.png', ?, 'binary', 'PNG signature', 8, NULL, ?, ?)",
            ["f" * 64, RUN_ID, INGESTED],
        )
        con.execute(
            "INSERT INTO runs (run_id, flow_run_id, started_at, finished_at, inputs, files_seen, documents_new, "
            "documents_unchanged, rejected, sentences_new, entities_new, checks_passed, checks_failed, stage_seconds) "
            "VALUES (?, NULL, ?, ?, '[\"news\"]', 4, 3, 0, 1, 6, 9, 1, 1, '{}')",
            [RUN_ID, INGESTED, INGESTED],
        )
        if not release_0_1_0:  # the export too: 3 records, each a copy
            con.execute("UPDATE runs SET files_seen = 5, record_files = 1, records_seen = 3, appearances_new = 6")
        con.execute(
            """INSERT INTO validations VALUES
            (?, 'documents', 0, 'expect_column_values_to_not_be_null', 'doc_id', 'error', true, NULL, 0, NULL, NULL, ?, NULL),
            (?, 'documents', 1, 'expect_column_values_to_be_in_set', 'language', 'warning', false, NULL, 1, '["en"]',
             'most documents are in the corpus language', ?, '[{"doc_id": "cccccccccccccccc"}]')""",
            [RUN_ID, INGESTED, RUN_ID, INGESTED],
        )
        update_search_index(con)
    return path


def add_appearances(con: duckdb.DuckDBPyConnection) -> None:
    """Each document's own appearance, as a run writes it with the document, and the COPIES."""
    con.execute(
        "INSERT INTO appearances BY NAME SELECT doc_id, source_path, source_sha256, source_record, url, outlet, "
        "title, published, published_precision, false AS is_copy, run_id, ingested_at FROM documents"
    )
    for doc_id, copies in COPIES.items():
        for record, url, outlet, title, published in copies:
            con.execute(
                "INSERT INTO appearances VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'minute', true, ?, ?)",
                [doc_id, EXPORT, "e" * 64, record, url, outlet, title, published, RUN_ID, INGESTED],
            )
