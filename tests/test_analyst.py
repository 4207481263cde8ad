"""The analyst's side: views, the example queries, sentence search, the report and the DuckDB shell, on a
warehouse of literal rows (tests/literal_warehouse.py)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import BIN, REPO, ingest
from tests.literal_warehouse import write_literal_warehouse
from textlake.resources import resource_dir
from textlake.settings import Settings
from textlake.warehouse.connection import warehouse_sql
from textlake.warehouse.report import build_report, mentions_by_period
from textlake.warehouse.search import fts_extension_path, search_sentences

QUERIES = sorted((resource_dir("warehouse") / "queries").glob("*.sql"))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    write_literal_warehouse(settings.warehouse_path)
    return settings


def query(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_there_are_five_example_questions_and_each_answers(warehouse):
    assert len(QUERIES) >= 5
    for path in QUERIES:
        assert query(warehouse, path.read_text()), f"{path.name} returned no rows"


def test_entity_names_group_the_variants(warehouse):
    assert query(
        warehouse, "SELECT mentions, documents, variants FROM entity_names WHERE canonical = 'Wladimir Putin'"
    ) == [(3, 2, ["Putin", "Wladimir Putin"])]


def test_cooccurrence_lists_each_unordered_pair_once(warehouse):
    assert query(
        warehouse,
        "SELECT count(*) FROM entity_cooccurrence a JOIN entity_cooccurrence b ON a.entity_a = b.entity_b AND a.entity_b = b.entity_a AND a.label_a = b.label_b AND a.label_b = b.label_a",
    ) == [(0,)]
    assert query(
        warehouse,
        "SELECT sentences, documents FROM entity_cooccurrence WHERE entity_a = 'Alexander Lukaschenko' AND entity_b = 'Wladimir Putin'",
    ) == [(2, 2)]


def test_month_and_language_views(warehouse):
    import datetime as dt

    assert query(warehouse, "SELECT month, documents, sentences FROM documents_by_month ORDER BY month") == [
        (dt.date(2022, 6, 1), 1, 3),
        (dt.date(2022, 7, 1), 1, 2),
        (None, 1, 1),  # the document without a date
    ]
    assert query(warehouse, "SELECT language, documents FROM language_stats ORDER BY language") == [
        ("de", 2),
        ("en", 1),
    ]


def test_an_outlet_counts_every_text_it_carried_its_copies_of_wire_stories_too(warehouse):
    """The literal warehouse's texts a.txt and b.txt, and copies of them from a crawl (tagesschau.de once,
    spiegel.de twice); texts without an outlet under NULL."""
    assert query(warehouse, "SELECT * FROM documents_by_outlet ORDER BY outlet NULLS LAST, day NULLS LAST") == [
        ("spiegel.de", dt.date(2022, 6, 2), 1, 1, 3, 6, 0),
        ("spiegel.de", dt.date(2022, 7, 15), 1, 1, 2, 3, 0),
        ("tagesschau.de", dt.date(2022, 6, 1), 1, 1, 3, 6, 0),
        (None, dt.date(2022, 6, 1), 1, 0, 3, 6, 0),
        (None, dt.date(2022, 7, 15), 1, 0, 2, 3, 0),
        (None, None, 1, 0, 1, 0, 0),
    ]
    assert query(warehouse, "SELECT sum(documents) FROM documents_by_outlet") == [(6,)]  # three texts, three copies


def test_search_finds_the_sentences_about_atomwaffen_and_sentences_of_later_runs(prefect_harness, warehouse, tmp_path):
    columns, rows = search_sentences(warehouse.warehouse_path, "Atomwaffen", warehouse.query_wait_s, limit=20)
    assert columns[:3] == ["score", "published", "sentence"]
    assert sorted(row[2] for row in rows) == [
        "Die Ukraine protestierte gegen Atomwaffen.",
        "Putin sprach über Atomwaffen.",
    ]
    assert [row[0] for row in rows] == sorted((row[0] for row in rows), reverse=True)

    later = tmp_path / "later.txt"
    later.write_text(" date 2023-01 Die Regierung in Wien lehnt Atomwaffe in Europa ab.\n")
    ingest([str(later)], warehouse)
    _, rows = search_sentences(warehouse.warehouse_path, "Atomwaffen Wien", warehouse.query_wait_s, limit=1)
    assert rows[0][2] == "Die Regierung in Wien lehnt Atomwaffe in Europa ab."  # stemming: Atomwaffen ~ Atomwaffe


def test_a_warehouse_indexed_by_an_earlier_version_is_indexed_again_by_its_next_run(prefect_harness, tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    write_literal_warehouse(settings.warehouse_path)
    with duckdb.connect(str(settings.warehouse_path)) as con:  # the index as earlier versions left it
        con.execute("DROP SCHEMA search CASCADE; CREATE SCHEMA search")
        con.execute("CREATE TABLE search.terms (kind VARCHAR, id VARCHAR, term VARCHAR, tf INTEGER)")
        con.execute(
            "CREATE TABLE search.lengths AS SELECT 'sentence' AS kind, sentence_id AS id, 1 AS length FROM sentences"
        )

    later = tmp_path / "later.txt"
    later.write_text(" date 2023-01 Die Regierung in Wien lehnt Atomwaffe in Europa ab.\n")
    ingest([str(later)], settings)

    _, rows = search_sentences(settings.warehouse_path, "Atomwaffen", settings.query_wait_s, limit=20)
    assert sorted(row[2] for row in rows) == [
        "Die Regierung in Wien lehnt Atomwaffe in Europa ab.",
        "Die Ukraine protestierte gegen Atomwaffen.",  # rows of the earlier index, indexed again
        "Putin sprach über Atomwaffen.",
    ]
    assert query(settings, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'search'") == [(2,)]


@pytest.mark.slow
def test_report_is_one_self_contained_file_with_every_plot(warehouse, tmp_path):
    out = build_report(warehouse.warehouse_path, tmp_path / "report.html", warehouse.query_wait_s)
    page = out.read_text()
    assert "http://" not in page and "https://" not in page
    labels = query(warehouse, "SELECT count(DISTINCT label) FROM entities")[0][0]
    mapped = query(warehouse, "SELECT count(*) > 0 FROM place_mentions")[0][0]
    # months, outlets over months, a chart per label, people, pairs, and the map once a place is linked
    assert page.count('src="data:image/svg+xml;base64,') == 4 + labels + mapped
    assert "<tr><td>binary</td><td>1</td></tr>" in page  # rejects as a table: a chart of three bars says less
    for title in (
        "Documents and sentences per month",
        "Top entities per label",
        "ten most mentioned people",
        "Who appears with whom",
        "Rejected files",
        "Latest checks",
        "Who said what",
        "Places mentioned",
        "Outlets",
    ):
        assert title in page


@pytest.mark.slow
def test_the_report_counts_each_outlets_copies_and_has_no_outlet_section_without_outlets(tmp_path):
    literal = write_literal_warehouse(tmp_path / "warehouse.duckdb")  # as written: other tests add to the module's
    page = build_report(literal, tmp_path / "report.html", wait_s=0).read_text()
    assert (
        "2 outlets carried 3 documents, 3 of them copies of a text read first elsewhere (a wire story, or the "
        "same article at another address): each outlet that carried a text counts it; 3 documents name no "
        "outlet (text files) and are not shown."
    ) in page
    assert (
        "<tr><td>spiegel.de</td><td>2</td><td>2</td><td>2022-06-02</td><td>2022-07-15</td><td>0</td><td></td></tr>"
    ) in page

    with duckdb.connect(str(literal)) as con:  # as a warehouse of text files is: no source names an outlet
        con.execute("DELETE FROM appearances WHERE is_copy")
    page = build_report(literal, tmp_path / "texts_only.html", wait_s=0).read_text()
    assert "<h2>Outlets</h2>" not in page and "<h2>Top entities per label</h2>" in page


def test_the_duckdb_shell_from_the_venv_reads_the_warehouse_with_full_text_search(warehouse):
    shell = BIN / "duckdb"
    sql = f"LOAD '{fts_extension_path()}'; SELECT count(*) FROM search.bm25('Belarus', 'sentence');"
    result = subprocess.run(
        [str(shell), "-readonly", "-csv", str(warehouse.warehouse_path), "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip().splitlines()[-1]) == 1


def test_people_over_time_cover_every_period_from_first_to_last_with_zeros_between():
    rows = [
        ("Angela Merkel", dt.date(2012, 3, 1), 2),
        ("Angela Merkel", dt.date(2022, 6, 1), 1),
        ("Olaf Scholz", dt.date(2022, 1, 1), 4),
    ]
    periods, people = mentions_by_period(rows)
    assert periods == [dt.date(year, 1, 1) for year in range(2012, 2023)]  # over three years: by year, none skipped
    assert people == {"Angela Merkel": [2] + [0] * 9 + [1], "Olaf Scholz": [0] * 10 + [4]}
    periods, people = mentions_by_period([("A", dt.date(2022, 1, 1), 1), ("B", dt.date(2022, 4, 1), 1)])
    assert periods == [dt.date(2022, month, 1) for month in (1, 2, 3, 4)] and people == {
        "A": [1, 0, 0, 0],
        "B": [0, 0, 0, 1],
    }


def test_a_person_without_a_dated_mention_is_a_row_of_zeros_in_the_order_given():
    rows = [("Olaf Scholz", dt.date(2022, 1, 1), 4), ("Namenlos", None, 0), ("Angela Merkel", dt.date(2022, 2, 1), 1)]
    periods, people = mentions_by_period(rows)
    assert periods == [dt.date(2022, 1, 1), dt.date(2022, 2, 1)]
    assert list(people.items()) == [("Olaf Scholz", [4, 0]), ("Namenlos", [0, 0]), ("Angela Merkel", [0, 1])]
    assert mentions_by_period([("Namenlos", None, 0)]) == ([], {})


def test_the_people_over_time_are_the_people_of_the_bar_chart_in_its_order(warehouse, tmp_path):
    """The person mentioned most, in undated documents only, leads the bar chart and so the grid (as a row
    of zeros), rather than the grid showing other people than the chart above it."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse.warehouse_path, copy)
    with duckdb.connect(str(copy)) as con:
        for n in range(5):
            con.execute(
                "INSERT INTO entities VALUES (?, ?, ?, 0, 3, 'Bob', 'PER', 'Bob Undated', 0.67, 'literal-0')",
                [f"{'c' * 16}-x{n}", "c" * 16, f"{'c' * 16}-s0"],
            )
    with duckdb.connect(str(copy), read_only=True) as con:
        bars = [
            name for name, _ in con.execute(warehouse_sql("report/top_names_of_label.sql"), {"label": "PER"}).fetchall()
        ]
        over_time = con.execute(warehouse_sql("report/top_people_per_month.sql")).fetchall()
    assert bars[0] == "Bob Undated" and list(mentions_by_period(over_time)[1]) == bars


@pytest.mark.slow
def test_the_report_reads_at_1400_and_800_pixels(warehouse, tmp_path):
    from tests.browser import console_messages, screenshot

    out = build_report(warehouse.warehouse_path, tmp_path / "report.html", warehouse.query_wait_s)
    assert console_messages(out) == []
    for width in (1400, 800):
        screenshot(out, tmp_path / f"report-{width}.png", width)


def entity_views_over(tmp_path, mentions: list[tuple[str, str, str]]) -> duckdb.DuckDBPyConnection:
    """A warehouse whose `entities` hold (doc_id, canonical, label) mentions, each document a file of its
    own, with the views."""
    con = duckdb.connect(str(tmp_path / "names.duckdb"))
    con.execute((resource_dir("warehouse") / "schema.sql").read_text())
    con.execute((resource_dir("warehouse") / "views.sql").read_text())
    for doc_id in dict.fromkeys(doc_id for doc_id, _, _ in mentions):
        con.execute(
            "INSERT INTO documents (doc_id, source_path, source_sha256, n_bytes, encoding, language, language_score,"
            " text, n_chars, n_sentences, n_entities, run_id, ingested_at)"
            " VALUES (?, ?, '', 1, 'utf-8', 'de', 1.0, 'x', 1, 1, 1, 'r', now())",
            [doc_id, f"/news/{doc_id}.txt"],
        )
    for number, (doc_id, canonical, label) in enumerate(mentions):
        con.execute(
            "INSERT INTO entities VALUES (?, ?, ?, 0, 1, ?, ?, ?, 0.67, 'm')",
            [f"{doc_id}-e{number}", doc_id, f"{doc_id}-s0", canonical, label, canonical],
        )
    return con


def test_names_labelled_differently_across_documents_are_listed_with_their_labels(tmp_path):
    con = entity_views_over(tmp_path, [
        ("d1", "Strache", "PER"), ("d2", "Strache", "PER"), ("d3", "Strache", "ORG"), ("d3", "Strache", "ORG"),
        ("d1", "Wien", "LOC"), ("d2", "Wien", "LOC"),
    ])  # fmt: skip
    rows = con.execute(
        "SELECT canonical, labels, documents_per_label, mentions_per_label FROM entity_label_conflicts"
    ).fetchall()
    assert rows == [("Strache", ["PER", "ORG"], [2, 1], [2, 2])]  # Wien has one label: not a conflict


def test_a_surname_alone_reads_as_the_one_full_name_that_ends_in_it(tmp_path):
    con = entity_views_over(tmp_path, [
        ("d1", "Norbert Hofer", "PER"), ("d2", "Hofer", "PER"), ("d2", "Hofer", "PER"),
        ("d1", "Thomas Müller", "PER"), ("d2", "Gerd Müller", "PER"), ("d3", "Müller", "PER"),
    ])  # fmt: skip
    rows = con.execute("SELECT surname, full_name, mentions FROM surname_resolutions ORDER BY surname").fetchall()
    assert rows == [("Hofer", "Norbert Hofer", 2)]  # two full names end in Müller: not resolved


def textlake(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )


@pytest.mark.parametrize(
    "words, said",
    [
        ("", 'textlake: search needs words to look for, e.g. textlake search "Atomwaffen Belarus"'),
        ("  …!  ", 'textlake: search needs words to look for, e.g. textlake search "Atomwaffen Belarus"'),
        ("der die das", "textlake: only stop words (der, die, das): nothing to rank them by"),
    ],
)
def test_a_search_with_nothing_to_rank_by_says_so_in_one_line_and_exits_2(warehouse, words, said):
    run = textlake("search", words, "--data-dir", str(warehouse.data_dir))
    assert (run.returncode, run.stdout, run.stderr.strip()) == (2, "", said)


def test_a_search_leaves_stop_words_out_and_says_which(warehouse):
    run = textlake("search", "die Atomwaffen", "--data-dir", str(warehouse.data_dir), "--format", "csv")
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == "left out stop words: die"
    found = run.stdout.splitlines()[1:]
    # the sentences about Atomwaffen, not every sentence with "die"
    assert len(found) >= 2 and all("Atomwaffe" in line for line in found)


def test_an_edited_file_counts_once_and_its_earlier_version_stays_queryable(tmp_path):
    """A file whose text changed is a new document; the analysis views count its current version only."""
    con = duckdb.connect(str(tmp_path / "versions.duckdb"))
    con.execute((resource_dir("warehouse") / "schema.sql").read_text())
    con.execute((resource_dir("warehouse") / "views.sql").read_text())
    versions = [("old", "/news/mond.txt", None, None, "2024-01-01"), ("new", "/news/mond.txt", None, None, "2024-01-02"),
                ("a1", "/x/crawl.jsonl", "line 1", "https://a.example/1", "2024-01-01"),
                ("a2", "/x/crawl.jsonl", "line 9", "https://a.example/1", "2024-01-03"),  # the same url again
                ("b1", "/x/crawl.jsonl", "line 2", None, "2024-01-01")]  # fmt: skip
    for doc_id, path, record, url, ingested in versions:
        con.execute(
            "INSERT INTO documents (doc_id, source_path, source_record, url, source_sha256, n_bytes, encoding,"
            " language, language_score, text, n_chars, n_sentences, n_entities, run_id, ingested_at)"
            " VALUES (?, ?, ?, ?, '', 1, 'utf-8', 'de', 1.0, 'Der Mond.', 9, 1, 1, 'r', ?::TIMESTAMPTZ)",
            [doc_id, path, record, url, ingested],
        )
        con.execute(
            "INSERT INTO entities VALUES (?, ?, ?, 4, 8, 'Mond', 'LOC', 'Mond', 0.55, 'm')",
            [f"{doc_id}-e", doc_id, f"{doc_id}-s0"],
        )
    assert sorted(con.execute("SELECT doc_id FROM current_documents").fetchall()) == [("a2",), ("b1",), ("new",)]
    assert con.execute("SELECT mentions, documents FROM entity_names WHERE canonical = 'Mond'").fetchall() == [(3, 3)]
    assert con.execute(
        "SELECT doc_id, version, versions, is_current FROM document_versions WHERE item = '/news/mond.txt' ORDER BY version"
    ).fetchall() == [("old", 1, 2, False), ("new", 2, 2, True)]
