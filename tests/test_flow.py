"""The whole pipeline through a real Prefect run (test harness), a real GX context and a real DuckDB file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import SEED_ARTICLE, SEEDS, ingest
from tests.seed_expectations import (
    SEED_MENTIONS,
    SEED_NOT_PLACES,
    SEED_PERSONS,
    SEED_PLACES,
    SEED_QUOTATIONS,
    SEED_QUOTE_TOPIC,
    SEED_QUOTED_WORD,
    SEED_TOP_PERSON,
)
from textlake.lake.contracts import contract, tables
from textlake.quality.checks import SUITES
from textlake.settings import Settings
from textlake.warehouse.load import load_run


def final_state(flow_run_id: str):
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id).state


def flow_run_tags(flow_run_id: str) -> list[str]:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id).tags


def rows(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def seeded(prefect_harness, tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    first = ingest([str(SEED_ARTICLE)], settings)
    return settings, first


def test_the_seed_becomes_one_dated_document_with_18_sentences(seeded):
    settings, summary = seeded
    assert (summary.files_seen, summary.documents_new, summary.sentences_new, summary.published) == (1, 1, 18, True)
    assert rows(settings, "SELECT published, published_precision, language, n_sentences FROM documents") == [
        (dt.datetime(2022, 6, 1, tzinfo=dt.UTC), "month", "de", 18)  # ' date 2022-06': the month's first instant, UTC
    ]
    assert rows(settings, "SELECT title, url, outlet, authors, external_id, source_record FROM documents") == [
        (None,) * 6  # a text file is one document and says nothing of these
    ]
    assert rows(settings, "SELECT text FROM sentences WHERE ordinal = 0")[0][0].startswith("Russland wird nach Angaben")


def test_the_seed_names_its_people_and_places(seeded):
    settings, _ = seeded
    found = set(rows(settings, "SELECT DISTINCT canonical, label FROM entities"))
    assert {(name, "PER") for name in SEED_PERSONS} <= found
    assert {(name, "LOC") for name in SEED_PLACES} <= found
    assert not {(name, "LOC") for name in SEED_NOT_PLACES} & found
    counts = dict(rows(settings, "SELECT canonical, count(*) FROM entities GROUP BY canonical"))
    assert {name: counts.get(name) for name in SEED_MENTIONS} == SEED_MENTIONS


def test_views_join_mentions_to_sentences_and_dates(seeded):
    settings, _ = seeded
    (mentions,) = rows(
        settings,
        "SELECT count(*) FROM entity_mentions WHERE canonical = 'Wladimir Putin' AND published = DATE '2022-06-01'",
    )[0:1]
    assert mentions[0] == SEED_MENTIONS["Wladimir Putin"]
    assert rows(settings, "SELECT month, label FROM entity_counts_by_month WHERE canonical = 'Belarus'") == [
        (dt.date(2022, 6, 1), "LOC")
    ]


def test_quotations_land_with_their_speakers_and_are_searchable(seeded):
    from textlake.warehouse.search import search_quotes

    settings, _ = seeded
    by_speaker = dict(rows(settings, "SELECT speaker, quotations FROM quotes_by_speaker"))
    assert {speaker: by_speaker.get(speaker) for speaker in SEED_QUOTATIONS} == SEED_QUOTATIONS
    topics = set(rows(settings, "SELECT speaker, named FROM quote_topics"))
    assert SEED_QUOTE_TOPIC in topics
    word, speaker = SEED_QUOTED_WORD
    columns, found = search_quotes(settings.warehouse_path, word, settings.query_wait_s, limit=1)
    assert columns[2:7] == ["speaker", "kind", "quotation", "title", "url"]
    assert found[0][2:4] == (speaker, "direct") and word in found[0][4]


def test_the_seeds_places_are_linked_to_geonames_with_coordinates(seeded):
    settings, _ = seeded
    linked = rows(
        settings,
        "SELECT canonical, feature, country_code, round(latitude), round(longitude) FROM places "
        "WHERE canonical IN ('Minsk', 'Russland', 'Wladiwostok') ORDER BY canonical",
    )
    assert linked == [("Minsk", "city", "BY", 54.0, 28.0), ("Russland", "country", "RU", 56.0, 38.0),
                      ("Wladiwostok", "city", "RU", 43.0, 132.0)]  # fmt: skip
    on_map = dict(rows(settings, "SELECT canonical, mentions FROM place_mentions"))
    assert on_map["Russland"] == SEED_MENTIONS["Russland"]


def test_parquet_lands_in_the_lake_with_nothing_left_in_staging(seeded):
    settings, summary = seeded
    assert pq.read_table(settings.data_dir / "lake" / "sentences" / f"{summary.run_id}.parquet").num_rows == 18
    assert not any(settings.staging_dir.iterdir())


@pytest.mark.parametrize("scheme", ["file", "memory"])
def test_the_lake_can_live_behind_a_uri(prefect_harness, tmp_path, scheme):
    import fsspec

    # file:// goes through pyarrow's own filesystem, memory:// through fsspec (as other object stores would).
    lake = (tmp_path / "lake").as_uri() if scheme == "file" else f"memory://textlake-test-{tmp_path.name}"
    summary = ingest([str(SEED_ARTICLE)], Settings(data_dir=tmp_path / "data", lake=lake))
    filesystem, root = fsspec.core.url_to_fs(lake)
    with filesystem.open(f"{root}/sentences/{summary.run_id}.parquet", "rb") as published:
        assert pq.read_table(published).num_rows == 18
    assert not (tmp_path / "data" / "lake").exists()


def test_a_second_run_on_the_same_input_adds_nothing(seeded):
    settings, _ = seeded
    before = rows(
        settings,
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM sentences), (SELECT count(*) FROM entities)",
    )
    again = ingest([str(SEED_ARTICLE)], settings)
    assert (again.documents_new, again.documents_unchanged, again.sentences_new, again.rejected) == (0, 1, 0, 0)
    assert (
        rows(
            settings,
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM sentences), (SELECT count(*) FROM entities)",
        )
        == before
    )


def test_loading_a_run_again_adds_no_row_and_changes_none(seeded):
    """What a rerun does after a crash between the load's commit and the move to the lake: the same staged
    tables loaded once more. Tables whose rows are kept have no key index; the load itself keeps keys unique."""
    settings, summary = seeded
    lake = settings.data_dir / "lake"
    published = {table: lake / table / f"{summary.run_id}.parquet" for table in tables()}
    published = {table: path for table, path in published.items() if path.exists()}
    every_row = " UNION ALL ".join(
        f"SELECT '{table}', count(*), hash(list(t ORDER BY t)) FROM {table} t" for table in published
    )
    before = rows(settings, every_row)
    assert {"documents", "sentences", "entities", "quotes", "runs", "validations"} <= set(published)

    added = load_run(settings.warehouse_path, published, settings.load_wait_s, settings.duckdb_memory_limit)

    kept = [table for table in published if contract(table).on_conflict == "keep"]
    assert {table: added[table] for table in kept} == dict.fromkeys(kept, 0)
    assert rows(settings, every_row) == before  # the rows a later run replaces were replaced by the same


def task_runs_named(flow_run_id: str, prefix: str) -> int:
    """How many task runs of a flow run the Prefect server recorded under a name starting with `prefix`."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        task_runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return sum(run.name.startswith(prefix) for run in task_runs)


@pytest.mark.slow
def test_a_run_that_adds_one_file_reads_and_indexes_only_that_file(prefect_harness, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(12):
        (inbox / f"{number:02d}.txt").write_text(
            f"Meldung {number}: Der Rat in Bremen tagte am Montag. Es ging um Geld.\n"
        )
    settings = Settings(data_dir=tmp_path / "data", batch_bytes=200)  # small batches: the first run plans many
    ingest([str(inbox)], settings)
    (inbox / "new.txt").write_text("Neu: Die Polizei in Kiel sagte, die Straße sei wieder frei.\n")
    later = ingest([str(inbox)], settings)

    assert (later.files_seen, later.documents_unchanged, later.documents_new) == (13, 12, 1)
    (read_by_later,) = rows(settings, f"SELECT count(*) FROM file_state WHERE run_id = '{later.run_id}'")[0]
    assert read_by_later == 1  # the twelve settled files were neither read nor hashed again
    assert task_runs_named(later.flow_run_id, "read-batch") == 1  # nor planned into batches
    indexed, sentences = rows(
        settings,
        "SELECT (SELECT count(*) FROM search.lengths WHERE kind = 'sentence'), (SELECT count(*) FROM sentences)",
    )[0]
    assert indexed == sentences  # every sentence indexed once: the load indexed the new rows only


def test_the_cli_starts_no_flow_run_when_nothing_changed_and_one_when_a_file_did(prefect_harness, tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_ARTICLE, inbox / "a.txt")
    (inbox / "empty.txt").write_bytes(b"")  # a known reject counts as unchanged too
    command = ["run", str(inbox), "--data-dir", str(tmp_path / "data")]

    first = CliRunner().invoke(app, command)
    again = CliRunner().invoke(app, command)
    (inbox / "b.txt").write_text("Angela Merkel besuchte am Montag Paris.", encoding="utf-8")
    with_new_file = CliRunner().invoke(app, command)

    assert "documents        1 new" in first.stdout
    assert again.exit_code == 0
    assert again.stdout.startswith("nothing new: 2 files, each unchanged since a run read it; no flow run started")
    assert "documents        1 new, 1 unchanged" in with_new_file.stdout
    forced = CliRunner().invoke(app, [*command, "--no-skip-unchanged"])
    assert "documents        0 new, 2 unchanged" in forced.stdout


def test_the_flow_reads_the_files_the_check_before_it_listed(prefect_harness, tmp_path):
    # `textlake run` lists the files once, before the flow (is there anything new?); the flow takes that
    # list. A file that arrives in between is the next run's, as one arriving just after a listing is.
    from textlake.run.ahead import work_ahead

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_ARTICLE, inbox / "a.txt")
    settings = Settings(data_dir=tmp_path / "data")
    ahead = work_ahead([str(inbox)], settings)
    (inbox / "b.txt").write_text("Angela Merkel besuchte am Montag Paris.", encoding="utf-8")
    first = ingest([str(inbox)], settings)
    second = ingest([str(inbox)], settings)

    assert ahead is not None and ahead.files == 1
    assert (first.documents_new, first.files_seen) == (1, 1)
    assert (second.documents_new, second.files_seen) == (1, 2)  # listed by the flow itself: no check before it


def test_a_run_freezes_what_is_loaded_for_its_duration_and_no_longer(prefect_harness, tmp_path, monkeypatch):
    """The cycle collector leaves the run's loaded modules alone during a run; a long-running `textlake
    serve` gets them back after each."""
    import gc

    import flows.ingest as flow_module

    frozen_during_checks = []
    real_check = flow_module.check

    def check_noting_the_freeze(*args, **kwargs):
        frozen_during_checks.append(gc.get_freeze_count())
        return real_check(*args, **kwargs)

    monkeypatch.setattr(flow_module, "check", check_noting_the_freeze)
    ingest([str(SEED_ARTICLE)], Settings(data_dir=tmp_path / "data"))
    assert frozen_during_checks[0] > 100_000
    assert gc.get_freeze_count() == 0


@pytest.mark.slow
def test_what_a_small_run_needs_first_is_loaded_while_prefects_api_boots(tmp_path):
    """`textlake run` waits ~5 s for its temporary API; what the flow would load first is loaded meanwhile:
    the language identifier for reading and, for a run too small for worker processes, the NER model."""
    script = f"""
from textlake.ingest.language import language_identifier
from textlake.nlp.entities import load_recognizer
from textlake.run.ahead import prepare_in_advance, work_ahead
from textlake.settings import Settings
settings = Settings(data_dir={str(tmp_path / "data")!r})
prepare_in_advance(settings, work_ahead([{str(SEED_ARTICLE)!r}], settings))
print(language_identifier.cache_info().currsize, load_recognizer.cache_info().currsize)
"""
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert loaded.split() == ["1", "1"]


def test_a_large_run_starts_its_workers_on_its_first_batches_while_prefects_api_boots(prefect_server, tmp_path):
    """With text enough for worker processes, they start before the flow and analyse its first batches;
    the flow takes them over with that work, and its tables are those of a run that did none ahead."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt")) * 2):
        (inbox / f"{i}.txt").write_text(seed.read_text(encoding="utf-8") + f"\n\nKopie {i}.", encoding="utf-8")
    script = f"""
import json, sys
from flows.ingest import ingest
from textlake.run import ahead
from textlake.settings import Settings
settings = Settings(data_dir=sys.argv[1], parallel_min_chars=0, batch_bytes=4_000)
if sys.argv[2] == "ahead":
    ahead.prepare_in_advance(settings, ahead.work_ahead([{str(inbox)!r}], settings))
    print(json.dumps({{"documents_ahead": sum(w.documents_ahead for _, w in ahead._workers)}}))
ingest([{str(inbox)!r}], settings)
print(json.dumps({{"workers_left": ahead.workers_started_in_advance(settings) is not None}}))
"""

    def run(mode):
        data = tmp_path / mode
        lines = subprocess.run(
            [sys.executable, "-c", script, str(data), mode],
            capture_output=True, text=True, check=True, env={**os.environ, **prefect_server},
        ).stdout.splitlines()  # fmt: skip
        found = {k: v for line in lines if line.startswith("{") for k, v in json.loads(line).items()}
        sentences = rows(Settings(data_dir=data), "SELECT doc_id, sentence_id, text FROM sentences ORDER BY ALL")
        entities = rows(Settings(data_dir=data), "SELECT doc_id, label, text, start_char FROM entities ORDER BY ALL")
        return found, sentences, entities

    ahead, sentences_ahead, entities_ahead = run("ahead")
    plain, sentences, entities = run("plain")
    assert ahead == {"documents_ahead": 6, "workers_left": False}  # two batches of three documents
    assert plain == {"workers_left": False}
    assert (sentences_ahead, entities_ahead) == (sentences, entities)
    assert len(entities) > 50


def test_bad_files_become_rejects_with_reasons_and_the_counts_reconcile(prefect_harness, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_ARTICLE, inbox / "a.txt")
    shutil.copy(SEED_ARTICLE, inbox / "b copy.txt")  # same text under another name
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "header_only.txt").write_text(" date 2022-06\n")
    (inbox / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (inbox / "latin1.txt").write_bytes("Grüße aus München, schöne Äpfel in Köln.".encode("latin-1"))
    (inbox / "english.txt").write_text("The weather in London was fine on Monday.")
    settings = Settings(data_dir=tmp_path / "data")
    summary = ingest([str(inbox), str(tmp_path / "missing.txt")], settings)
    assert summary.reconciles
    assert (summary.files_seen, summary.documents_new) == (8, 3)
    assert dict(summary.rejects_by_reason) == {"duplicate": 1, "empty": 2, "binary": 1, "unreadable": 1}
    assert rows(
        settings, "SELECT reason, duplicate_of IS NOT NULL FROM rejects WHERE source_path LIKE '%b copy.txt'"
    ) == [("duplicate", True)]
    assert rows(settings, "SELECT language FROM documents WHERE source_path LIKE '%english.txt'") == [("en",)]
    assert rows(
        settings, "SELECT count(*) FROM entities e JOIN documents d USING (doc_id) WHERE d.language = 'en'"
    ) == [(0,)]
    again = ingest([str(inbox), str(tmp_path / "missing.txt")], settings)
    assert (again.documents_new, again.documents_unchanged, again.rejected) == (0, 3, 5)
    assert rows(settings, "SELECT count(*) FROM rejects") == [(5,)]


def test_a_failed_check_quarantines_the_run_and_leaves_the_warehouse_byte_for_byte(
    prefect_harness, tmp_path, monkeypatch
):
    """Corrupt the sentences of a run (offsets off by one) and the cross-table checks must stop it."""
    import json

    from typer.testing import CliRunner

    import flows.ingest as flow_module
    from flows.cli import app
    from textlake.lake import tables

    settings = Settings(data_dir=tmp_path / "data")
    ingest([str(SEEDS / "002_ohne_datum.txt")], settings)
    before = rows(settings, "SELECT count(*) FROM sentences")
    warehouse_bytes = hashlib.sha256(settings.warehouse_path.read_bytes()).hexdigest()
    real = tables.sentences_table

    def shifted(analysed):
        table = real(analysed)
        import pyarrow.compute as pc

        index = table.schema.get_field_index("start_char")
        return table.set_column(index, table.schema.field(index), pc.add(table["start_char"], 1))

    monkeypatch.setattr(flow_module.tables, "sentences_table", shifted)
    with pytest.raises(
        flow_module.ChecksFailed, match="cross_table.offsets_in_bounds|cross_table.text_matches_document"
    ) as failure:
        ingest([str(SEED_ARTICLE)], settings)
    assert hashlib.sha256(settings.warehouse_path.read_bytes()).hexdigest() == warehouse_bytes
    assert rows(settings, "SELECT count(*) FROM sentences") == before
    assert not any(settings.staging_dir.iterdir())
    [quarantined] = settings.quarantine_dir.iterdir()
    assert quarantined.name in str(failure.value)
    assert pq.read_table(quarantined / "sentences.parquet").num_rows == 18
    report = json.loads((quarantined / "validation.json").read_text())
    assert any(r["suite"] == "cross_table" and not r["success"] and r["severity"] == "error" for r in report["results"])
    shown = CliRunner().invoke(app, ["checks", "--data-dir", str(settings.data_dir), "--failed"])
    assert shown.exit_code == 1
    assert quarantined.name in shown.stdout and "text_matches_document" in shown.stdout
    monkeypatch.undo()
    fixed = ingest([str(SEED_ARTICLE)], settings)
    assert fixed.published and fixed.sentences_new == 18


def ingest_an_article_dated_in_the_future(tmp_path):
    """A run whose one failed check is a warning (a publication date in the future)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "future.txt").write_text(" date 2099-01 Die Stadt Köln feiert ein Fest am Rhein.\n")
    settings = Settings(data_dir=tmp_path / "data")
    return settings, ingest([str(inbox)], settings)


def test_a_failed_warning_is_recorded_and_the_run_publishes(prefect_harness, tmp_path):
    settings, summary = ingest_an_article_dated_in_the_future(tmp_path)
    assert summary.published and summary.documents_new == 1
    assert final_state(summary.flow_run_id).name == "Completed with warnings"
    assert "warned" in flow_run_tags(summary.flow_run_id)  # the runs list finds it by its tag
    assert "warned" in summary.markdown().splitlines()[2]
    assert rows(
        settings,
        "SELECT severity, success, unexpected_count FROM validations WHERE \"column\" = 'published_not_in_future'",
    ) == [("warning", False, 1)]
    suites = {suite for (suite,) in rows(settings, "SELECT DISTINCT suite FROM validations")}
    assert suites == set(SUITES) and rows(settings, "SELECT count(*) > 25 FROM validations") == [(True,)]

    from typer.testing import CliRunner

    from flows.cli import app

    (doc_id,) = rows(settings, "SELECT doc_id FROM documents")[0]
    shown = CliRunner().invoke(app, ["checks", "--data-dir", str(settings.data_dir)])
    assert shown.exit_code == 0  # a warning does not fail the command
    warned = [line for line in shown.stdout.splitlines() if line.startswith(("warned: ", "failed: "))]
    assert warned == [
        "warned: warning column_values_to_be_in_set on cross_table.published_not_in_future: 1 unexpected in "
        f"row_kind=document, row_id={doc_id}; no document is dated more than a day ahead of the run (a header "
        "typo, or a time zone given wrong)"
    ]
    assert summary.checks_warned == [warned[0].removeprefix("warned: ")]  # the same words as the run's summary
    assert f"{summary.checks_passed} passed, 1 warned, 0 failed" in shown.stdout  # and the same counts
    assert f"checks           {summary.checks_passed} passed, 1 warned, 0 failed" in summary.lines()
    as_json = json.loads(
        CliRunner().invoke(app, ["checks", "--data-dir", str(settings.data_dir), "--format", "json"]).stdout
    )
    [warned] = [r for r in as_json["results"] if not r["success"]]
    assert warned["unexpected_rows"] == [{"row_kind": "document", "row_id": doc_id}] and warned["notes"]


def test_data_docs_are_written_per_suite_and_reach_no_network(seeded):
    import re

    _, summary = seeded
    pages = sorted(p.name for p in summary.data_docs.parent.glob("*.html"))
    assert pages == sorted(["index.html", *(f"{suite}.html" for suite in SUITES)])
    for page in summary.data_docs.parent.glob("*.html"):
        html = page.read_text()
        assert not re.search(r"(src|href)=\"https?://|url\(['\"]?https?://", html), (
            f"{page.name} loads something remote"
        )
        for local in re.findall(r'(?:src|href)="(\.\./assets/[^"]+)"', html):
            assert (page.parent / local).is_file(), local


def test_sql_prints_csv_with_a_header_and_nothing_else(seeded):
    from typer.testing import CliRunner

    from flows.cli import app

    settings, _ = seeded
    result = CliRunner().invoke(
        app,
        [
            "sql",
            "SELECT canonical, count(*) AS n FROM entities WHERE label = 'PER' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2",
            "--data-dir",
            str(settings.data_dir),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "canonical,n"
    assert result.stdout.splitlines()[1].startswith(f"{SEED_TOP_PERSON},")


def test_sql_is_read_only_and_says_why_it_failed(seeded):
    from typer.testing import CliRunner

    from flows.cli import app

    settings, _ = seeded
    result = CliRunner().invoke(app, ["sql", "DELETE FROM documents", "--data-dir", str(settings.data_dir)])
    assert result.exit_code == 1
    assert "read-only" in result.stderr
    assert rows(settings, "SELECT count(*) FROM documents") == [(1,)]


@pytest.mark.slow
def test_data_docs_load_without_errors_and_say_what_failed_where(prefect_harness, tmp_path):
    from tests.browser import console_messages

    settings, summary = ingest_an_article_dated_in_the_future(tmp_path)
    (doc_id,) = rows(settings, "SELECT doc_id FROM documents")[0]
    pages = sorted(summary.data_docs.parent.glob("*.html"))
    for page in pages:
        assert console_messages(page) == [], page.name  # no blocked script, no "$(...).modal is not a function"
        text = page.read_text()
        assert "newsletter" not in text and "__none__" not in text, page.name
    cross_table = (summary.data_docs.parent / "cross_table.html").read_text()
    assert "Passed with warnings" in cross_table and "Failed</span>" not in cross_table  # a warning is no failure
    assert f"row_id={doc_id}" in cross_table  # the failure names its document
    assert f"row_id={doc_id}" in summary.data_docs.read_text()  # and so does the index
    # a warning is drawn as one, counted out of the rows it checked (the document, not every fact row)
    assert "fa-times text-danger" not in cross_table and "fa-exclamation-triangle text-warning" in cross_table
    assert "1 unexpected of 1 row checked (100%)." in cross_table and "total rows" not in cross_table
    for page in pages:  # every link stays inside the data dir and finds its page
        for link in re.findall(r'href="([^"#]+)"', page.read_text()):
            assert (page.parent / link).resolve().is_file(), f"{page.name} links to {link}"
    all_runs = settings.data_docs_dir / "index.html"
    assert f'href="{summary.run_id}/index.html"' in all_runs.read_text()
    assert console_messages(all_runs) == []
