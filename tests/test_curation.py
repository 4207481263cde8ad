"""The curation file and `textlake review`: literal files and rows in, the exact rows and changes out; the
commands through subprocesses on real DuckDB warehouses, and a round trip through real runs."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from tests.conftest import BIN
from tests.literal_warehouse import write_literal_warehouse
from textlake.lake.contracts import schema
from textlake.lake.curation import Application, CurationError, curate_tables, parse_curation
from textlake.warehouse.connection import connect_for_writing

TEXTLAKE = str(BIN / "textlake")
VIENNA = 2761369  # GeoNames: Wien
APPLIED = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)


def textlake(*args: str | Path, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([TEXTLAKE, *map(str, args)], capture_output=True, text=True, env=env, cwd=cwd, timeout=900)


# --- the file -----------------------------------------------------------------------------------------


def test_a_curation_file_reads_as_its_rules_merges_followed_to_their_end():
    curation = parse_curation(
        """
        merge:
          Van der Bellen: Alexander Van der Bellen
          VdB: Van der Bellen
        label: {Irmgard Griss: PER}
        drop: [Men von]
        place: {Hofburg: 2761369}
        speaker: {STANDARD: null, Kabul: Verteidigungsministerium}
        """,
        "curation.yaml",
    )

    assert dict(curation.merges) == {"Van der Bellen": "Alexander Van der Bellen", "VdB": "Alexander Van der Bellen"}
    assert dict(curation.labels) == {"Irmgard Griss": "PER"}
    assert curation.drops == {"Men von"}
    assert {name: place.name for name, place in curation.places.items()} == {"Hofburg": "Vienna"}
    assert dict(curation.speakers) == {"STANDARD": None, "Kabul": "Verteidigungsministerium"}
    assert curation.rules == 7


def test_an_empty_file_has_no_rules():
    assert parse_curation("# nothing yet\n", "curation.yaml").empty


@pytest.mark.parametrize(
    "text, error",
    [
        ("merge: [a, b]", "merge: expected NAME: VALUE lines, found a list"),
        ("labels: {Griss: PER}", "unknown section 'labels' (sections: merge, label, drop, place, speaker)"),
        ("label: {Irmgard Griss: PERSON}", "label: 'Irmgard Griss': 'PERSON' is not one of PER, LOC, ORG, MISC"),
        ("merge: {A: B, B: A}", "merge: a cycle: A → B → A"),
        ("drop: [Hofer]\nmerge: {Hofer: Norbert Hofer}", "drop: 'Hofer' is merged too: drop it or merge it"),
        ("merge: {Hofer: Norbert Hofer}\nlabel: {Hofer: PER}",
         "label: 'Hofer' is merged into 'Norbert Hofer': write the rule for 'Norbert Hofer'"),
        ("merge: {VdB: Van der Bellen}\nspeaker: {Kabul: VdB}",
         "speaker: 'Kabul' → 'VdB', which is merged into 'Van der Bellen': name that"),
        ("speaker: {Fars: Fars}", "speaker: 'Fars' → 'Fars' changes nothing (a label rule sets a speaker's label)"),
        ("place: {Wien: 12}", "place: 'Wien': 12 is no GeoNames id of textlake's place lookup"),
        ("place: {Wien: Vienna}", "place: 'Wien': 'Vienna' is no GeoNames id (a whole number, e.g. 2761369)"),
        ("drop: [2022]", "drop: 2022 is no name: write names as text (quote them: 'Null', '2022')"),
        ("merge: {a: [b", "not YAML: line 1: "),
        ("- Hofer", "expected sections (merge, label, drop, place, speaker), found a list"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_mean_one_thing_is_one_line_saying_where_and_why(text, error):
    with pytest.raises(CurationError) as raised:
        parse_curation(text, "curation.yaml")

    assert str(raised.value).startswith(f"curation file curation.yaml: {error}")
    assert "\n" not in str(raised.value)


# --- the rules on a run's rows --------------------------------------------------------------------------


def rows_of(table: str, rows: list[dict]) -> pa.Table:
    """Rows of a table, the columns not given NULL (or 0)."""
    columns = schema(table).names
    return pa.Table.from_pylist([{c: row.get(c, 0 if c.endswith("_char") else None) for c in columns} for row in rows],
                                schema=schema(table))  # fmt: skip


def test_the_rules_change_the_rows_they_name_in_their_order_and_record_every_change():
    curation = parse_curation(
        "merge: {Hofer: Norbert Hofer}\nlabel: {Norbert Hofer: PER, Verteidigungsministerium: ORG}\n"
        "drop: [Men von]\nspeaker: {Kabul: Verteidigungsministerium}",
        "curation.yaml",
        "0" * 64,
    )
    entities = rows_of("entities", [
        {"entity_id": "d-e0", "doc_id": "d", "text": "Hofer", "label": "ORG", "canonical": "Hofer"},
        {"entity_id": "d-e1", "doc_id": "d", "text": "Men von", "label": "PER", "canonical": "Men von"},
        {"entity_id": "d-e2", "doc_id": "d", "text": "Kabul", "label": "LOC", "canonical": "Kabul"},
        {"entity_id": "d-e3", "doc_id": "d", "text": "Wien", "label": "LOC", "canonical": "Wien"},
    ])  # fmt: skip
    quotes = rows_of("quotes", [
        {"quote_id": "d-q0", "speaker": "Hofer", "speaker_entity_id": "d-e0", "speaker_canonical": "Hofer",
         "speaker_label": "ORG"},
        {"quote_id": "d-q1", "speaker": "Men von", "speaker_entity_id": "d-e1", "speaker_canonical": "Men von",
         "speaker_label": "PER"},
        {"quote_id": "d-q2", "speaker": "Kabul", "speaker_entity_id": "d-e2", "speaker_canonical": "Kabul",
         "speaker_label": "LOC"},
    ])  # fmt: skip
    application = Application(curation, "20240501T090000Z-abc123", APPLIED)

    curated = curate_tables(application, entities, quotes)

    assert curated.entities.select(["entity_id", "label", "canonical"]).to_pylist() == [
        {"entity_id": "d-e0", "label": "PER", "canonical": "Norbert Hofer"},  # merged, then labelled
        {"entity_id": "d-e2", "label": "LOC", "canonical": "Kabul"},  # a speaker rule changes no mention
        {"entity_id": "d-e3", "label": "LOC", "canonical": "Wien"},
    ]
    assert curated.quotes.select(["quote_id", "speaker_entity_id", "speaker_canonical", "speaker_label"]).to_pylist() == [
        {"quote_id": "d-q0", "speaker_entity_id": "d-e0", "speaker_canonical": "Norbert Hofer", "speaker_label": "PER"},
        {"quote_id": "d-q1", "speaker_entity_id": None, "speaker_canonical": None, "speaker_label": None},
        {"quote_id": "d-q2", "speaker_entity_id": None, "speaker_canonical": "Verteidigungsministerium",
         "speaker_label": "ORG"},
    ]  # fmt: skip
    assert dict(curated.removed_per_document) == {"d": 1}
    log = [(r["rule"], r["table_name"], r["row_key"], r["column_name"], r["change"], r["old_value"], r["new_value"])
           for r in application.log_table().to_pylist()]  # fmt: skip
    assert log == [
        ("merge: Hofer → Norbert Hofer", "entities", "d-e0", "canonical", "updated", "Hofer", "Norbert Hofer"),
        ("label: Norbert Hofer → PER", "entities", "d-e0", "label", "updated", "ORG", "PER"),
        ("drop: Men von", "entities", "d-e1", "canonical", "removed", "Men von", None),
        ("merge: Hofer → Norbert Hofer", "quotes", "d-q0", "speaker_canonical", "updated", "Hofer", "Norbert Hofer"),
        ("label: Norbert Hofer → PER", "quotes", "d-q0", "speaker_label", "updated", "ORG", "PER"),
        ("drop: Men von", "quotes", "d-q1", "speaker_entity_id", "updated", "d-e1", None),
        ("drop: Men von", "quotes", "d-q1", "speaker_canonical", "updated", "Men von", None),
        ("drop: Men von", "quotes", "d-q1", "speaker_label", "updated", "PER", None),
        ("speaker: Kabul → Verteidigungsministerium", "quotes", "d-q2", "speaker_canonical", "updated", "Kabul",
         "Verteidigungsministerium"),
        ("speaker: Kabul → Verteidigungsministerium", "quotes", "d-q2", "speaker_entity_id", "updated", "d-e2", None),
        ("label: Verteidigungsministerium → ORG", "quotes", "d-q2", "speaker_label", "updated", "LOC", "ORG"),
    ]  # fmt: skip
    assert {r["application_id"] for r in application.log} == {"20240501T090000Z-abc123"}


# --- a warehouse with one doubt of each kind ----------------------------------------------------------

# doc_id → (sentences, entities as (sentence, text, label, canonical), quotes as (sentence, quoted text,
# speaker as written, speaker_canonical, speaker_label, the entity it is by its number or None))
DOUBTS = {
    "d" * 16: (
        ["Irmgard Griss tritt an.", "Hofer lobte Wien.", "Die Hofburg bleibt offen."],
        [(0, "Irmgard Griss", "PER", "Irmgard Griss"), (1, "Hofer", "PER", "Hofer"), (1, "Wien", "LOC", "Wien"),
         (2, "Hofburg", "LOC", "Hofburg")],
        [],
    ),
    "e" * 16: (
        ["Die Liste Irmgard Griss wächst.", "Norbert Hofer kam nach Wien.", "Die Lage sei ruhig, teilte Kabul mit.",
         "Men von der Ecke kam."],
        [(0, "Irmgard Griss", "ORG", "Irmgard Griss"), (1, "Norbert Hofer", "PER", "Norbert Hofer"),
         (1, "Wien", "LOC", "Wien"), (2, "Kabul", "LOC", "Kabul"), (3, "Men von", "PER", "Men von")],
        [(2, "Die Lage sei ruhig", "Kabul", "Kabul", "LOC", 3)],
    ),
}  # fmt: skip
PLACES = {"Wien": VIENNA, "Hofburg": None, "Kabul": 1138958}

CURATION = """\
# corrections after reading `textlake review`
merge:
  Hofer: Norbert Hofer
label:
  Irmgard Griss: PER
  Verteidigungsministerium: ORG
drop:
  - Men von
place:
  Hofburg: 2761369
speaker:
  Kabul: Verteidigungsministerium
"""


def write_doubts(path: Path) -> Path:
    """The literal warehouse, and two documents with a label conflict (Irmgard Griss), a surname alone
    (Hofer), a place with no GeoNames entry (Hofburg), a place as speaker (Kabul) and a false name (Men von)."""
    write_literal_warehouse(path)
    with connect_for_writing(path, wait_s=0) as con:
        for doc_id, (sentences, entities, quotes) in DOUBTS.items():
            add_document(con, doc_id, sentences, entities, quotes)
        for name, geonames_id in PLACES.items():
            con.execute("INSERT INTO places (canonical, geonames_id, name, run_id) VALUES (?, ?, ?, 'literal')",
                        [name, geonames_id, name if geonames_id else None])  # fmt: skip
    return path


def add_document(con, doc_id: str, sentences: list[str], entities: list[tuple], quotes: list[tuple]) -> None:
    text = " ".join(sentences)
    starts = [sum(len(s) + 1 for s in sentences[:i]) for i in range(len(sentences))]
    con.execute(
        "INSERT INTO documents (doc_id, source_path, source_sha256, n_bytes, encoding, published, published_precision, "
        "language, language_score, text, n_chars, n_sentences, n_entities, run_id, ingested_at) "
        "VALUES (?, ?, ?, ?, 'utf-8', ?, 'day', 'de', 0.99, ?, ?, ?, ?, 'literal', ?)",
        [doc_id, f"news/{doc_id[0]}.txt", doc_id * 4, len(text.encode()), dt.datetime(2016, 4, 1, tzinfo=dt.UTC),
         text, len(text), len(sentences), len(entities), dt.datetime(2016, 4, 2, tzinfo=dt.UTC)],
    )  # fmt: skip
    for ordinal, (start, sentence) in enumerate(zip(starts, sentences, strict=True)):
        con.execute("INSERT INTO sentences VALUES (?, ?, ?, 0, ?, ?, ?)",
                    [f"{doc_id}-s{ordinal}", doc_id, ordinal, start, start + len(sentence), sentence])  # fmt: skip
    for number, (ordinal, mention, label, canonical) in enumerate(entities):
        start = starts[ordinal] + sentences[ordinal].index(mention)
        con.execute(
            "INSERT INTO entities (entity_id, doc_id, sentence_id, start_char, end_char, text, label, canonical, "
            "confidence, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0.67, 'literal-0')",
            [f"{doc_id}-e{number}", doc_id, f"{doc_id}-s{ordinal}", start, start + len(mention), mention, label,
             canonical],
        )  # fmt: skip
    for number, (ordinal, quoted, speaker, canonical, label, entity) in enumerate(quotes):
        start = starts[ordinal] + sentences[ordinal].index(quoted)
        speaker_start = starts[ordinal] + sentences[ordinal].index(speaker)
        con.execute(
            "INSERT INTO quotes (quote_id, doc_id, sentence_id, start_char, end_char, parts, text, kind, speaker, "
            "speaker_start_char, speaker_end_char, speaker_entity_id, speaker_canonical, speaker_label, confidence, "
            "model) VALUES (?, ?, ?, ?, ?, ?, ?, 'indirect', ?, ?, ?, ?, ?, ?, 0.69, 'literal')",
            [f"{doc_id}-q{number}", doc_id, f"{doc_id}-s{ordinal}", start, start + len(quoted),
             [[start, start + len(quoted)]], quoted, speaker, speaker_start, speaker_start + len(speaker),
             None if entity is None else f"{doc_id}-e{entity}", canonical, label],
        )  # fmt: skip


def every_row(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_review_lists_one_doubt_of_each_kind_with_counts_and_an_example(tmp_path):
    write_doubts(tmp_path / "warehouse.duckdb")

    result = textlake("review", "--data-dir", tmp_path)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Names with more than one label across documents: 1, all" in out
    assert "│ Irmgard Griss │ ORG in 1 document, PER in 1 document │ 2  " in out
    assert "Die Liste [Irmgard Griss] wächst." in out  # the mention under the rarer label (a tie: ORG)
    assert "Persons named by one word alone: 1, all" in out
    assert "one full name ends in it: Norbert Hofer" in out
    assert "Place names with no GeoNames entry: 1, all" in out
    assert "Die [Hofburg] bleibt offen." in out
    assert "Speakers that are places: 1, all" in out
    assert "teilte [Kabul] mit." in out
    assert "settle in the curation file with speaker: {NAME: WHO SPOKE} (null: nobody)" in out


def test_review_of_one_kind_as_json_with_a_limit(tmp_path):
    write_doubts(tmp_path / "warehouse.duckdb")

    result = textlake("review", "--data-dir", tmp_path, "--kind", "surnames", "--limit", "1", "--format", "json")

    assert result.returncode == 0, result.stderr
    import json

    assert json.loads(result.stdout) == [
        {"kind": "surnames", "name": "Hofer", "detail": "one full name ends in it: Norbert Hofer", "mentions": 1,
         "documents": 1, "example_doc": "d" * 16, "example": "Irmgard Griss tritt an. [Hofer] lobte Wien. Die Hofburg "
         "bleibt offen."},
    ]  # fmt: skip


def test_review_of_an_unknown_kind_is_a_usage_error(tmp_path):
    result = textlake("review", "--data-dir", tmp_path, "--kind", "labels")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "textlake: unknown --kind 'labels': one of label-conflicts, surnames, unlinked-places, place-speakers\n"
    )


@pytest.mark.slow
def test_curate_apply_changes_the_warehouse_records_each_change_and_a_second_time_nothing(tmp_path):
    warehouse = write_doubts(tmp_path / "warehouse.duckdb")
    (tmp_path / "curation.yaml").write_text(CURATION, encoding="utf-8")

    first = textlake("curate", "apply", "--data-dir", tmp_path)

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[1:4] == [
        "  entities: 2 names or labels changed, 1 mention removed",
        "  quotes: 3 speaker values changed",
        "  places: 1 place name linked to another place",
    ]
    e = "e" * 16
    assert every_row(warehouse, f"SELECT entity_id, label, canonical FROM entities WHERE doc_id IN ('{'d' * 16}', '{e}') "
                                "ORDER BY entity_id") == [  # fmt: skip
        ("d" * 16 + "-e0", "PER", "Irmgard Griss"), ("d" * 16 + "-e1", "PER", "Norbert Hofer"),
        ("d" * 16 + "-e2", "LOC", "Wien"), ("d" * 16 + "-e3", "LOC", "Hofburg"),
        (f"{e}-e0", "PER", "Irmgard Griss"), (f"{e}-e1", "PER", "Norbert Hofer"), (f"{e}-e2", "LOC", "Wien"),
        (f"{e}-e3", "LOC", "Kabul"),  # "Men von" (e4) is gone
    ]  # fmt: skip
    assert every_row(warehouse, f"SELECT n_entities FROM documents WHERE doc_id = '{e}'") == [(4,)]
    assert every_row(warehouse, "SELECT speaker_canonical, speaker_label, speaker_entity_id FROM quotes") == [
        ("Verteidigungsministerium", "ORG", None),
    ]
    assert every_row(warehouse, "SELECT canonical, geonames_id, name FROM places ORDER BY ALL") == [
        ("Hofburg", VIENNA, "Vienna"), ("Kabul", 1138958, "Kabul"), ("Wien", VIENNA, "Wien"),
    ]  # fmt: skip
    [application] = every_row(warehouse, "SELECT DISTINCT application_id FROM curation_log")
    assert first.stdout.splitlines()[-1] == f"7 changes recorded in curation_log as {application[0]}"
    assert every_row(warehouse, "SELECT rule, table_name, row_key, column_name, change, old_value, new_value "
                                "FROM curation_log ORDER BY table_name, row_key, column_name") == [  # fmt: skip
        ("merge: Hofer → Norbert Hofer", "entities", "d" * 16 + "-e1", "canonical", "updated", "Hofer", "Norbert Hofer"),
        ("label: Irmgard Griss → PER", "entities", f"{e}-e0", "label", "updated", "ORG", "PER"),
        ("drop: Men von", "entities", f"{e}-e4", "canonical", "removed", "Men von", None),
        ("place: Hofburg → 2761369", "places", "Hofburg", "geonames_id", "updated", None, str(VIENNA)),
        ("speaker: Kabul → Verteidigungsministerium", "quotes", f"{e}-q0", "speaker_canonical", "updated", "Kabul",
         "Verteidigungsministerium"),
        ("speaker: Kabul → Verteidigungsministerium", "quotes", f"{e}-q0", "speaker_entity_id", "updated", f"{e}-e3",
         None),
        ("label: Verteidigungsministerium → ORG", "quotes", f"{e}-q0", "speaker_label", "updated", "LOC", "ORG"),
    ]  # fmt: skip
    review = textlake("review", "--data-dir", tmp_path)
    assert [line for line in review.stdout.splitlines() if ": " in line and "settle" not in line] == [
        "Names with more than one label across documents: 0",
        "Persons named by one word alone: 0",
        "Place names with no GeoNames entry: 0",
        "Speakers that are places: 0",
    ]

    second = textlake("curate", "apply", "--data-dir", tmp_path)

    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("nothing to change:")
    assert every_row(warehouse, "SELECT count(*) FROM curation_log") == [(7,)]


@pytest.mark.slow
def test_an_invalid_curation_file_is_one_line_and_exit_2_and_changes_nothing(tmp_path):
    warehouse = write_doubts(tmp_path / "warehouse.duckdb")
    bad = tmp_path / "bad.yaml"
    bad.write_text("label:\n  Irmgard Griss: PERSON\n", encoding="utf-8")

    result = textlake("curate", "apply", "--data-dir", tmp_path, "--curation", bad)

    assert (result.returncode, result.stdout) == (2, "")
    assert (
        result.stderr
        == f"textlake: curation file {bad}: label: 'Irmgard Griss': 'PERSON' is not one of PER, LOC, ORG, MISC\n"
    )
    assert every_row(warehouse, "SELECT count(*) FROM curation_log") == [(0,)]
    missing = textlake("curate", "apply", "--data-dir", tmp_path)  # no curation.yaml in the data dir
    assert (missing.returncode, missing.stderr) == (
        2,
        f"textlake: curation file {tmp_path}/curation.yaml: no such file\n",
    )


def test_a_run_given_an_invalid_curation_file_says_so_before_it_starts(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Angela Merkel traf Emmanuel Macron in Paris.", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("merge: {A: B, B: A}\n", encoding="utf-8")

    result = textlake("run", inbox, "--data-dir", tmp_path / "data", "--curation", bad)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"textlake: curation file {bad}: merge: a cycle: A → B → A\n"
    assert not (tmp_path / "data" / "warehouse.duckdb").exists()


# --- round trip through real runs ---------------------------------------------------------------------

FIRST = "Angela Merkel traf am Montag Emmanuel Macron in Frankfurt. Merkel sagte, Frankreich sei ein enger Freund.\n"
SECOND = "Emmanuel Macron empfing Angela Merkel in Frankfurt. Beide sprachen über Europa.\n"
FRANKFURT_ODER = 2925535  # the lookup reads "Frankfurt" as Frankfurt am Main
ROUND_TRIP = f"""\
merge:
  Angela Merkel: Angela Dorothea Merkel
drop:
  - Emmanuel Macron
place:
  Frankfurt: {FRANKFURT_ODER}
"""


@pytest.mark.slow
def test_curation_round_trip_applied_to_the_warehouse_then_kept_and_applied_by_the_next_runs(prefect_server, tmp_path):
    data, inbox = tmp_path / "data", tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "first.txt").write_text(FIRST, encoding="utf-8")
    assert textlake("run", inbox, "--data-dir", data, env=prefect_server, cwd=tmp_path).returncode == 0
    warehouse = data / "warehouse.duckdb"
    mentions = "SELECT text, label, canonical FROM entities ORDER BY doc_id, start_char"
    assert every_row(warehouse, mentions) == [
        ("Angela Merkel", "PER", "Angela Merkel"), ("Emmanuel Macron", "PER", "Emmanuel Macron"),
        ("Frankfurt", "LOC", "Frankfurt"), ("Merkel", "PER", "Angela Merkel"), ("Frankreich", "LOC", "Frankreich"),
    ]  # fmt: skip
    (data / "curation.yaml").write_text(ROUND_TRIP, encoding="utf-8")

    applied = textlake("curate", "apply", "--data-dir", data)

    assert applied.returncode == 0, applied.stderr
    curated = [
        ("Angela Merkel", "PER", "Angela Dorothea Merkel"), ("Frankfurt", "LOC", "Frankfurt"),
        ("Merkel", "PER", "Angela Dorothea Merkel"), ("Frankreich", "LOC", "Frankreich"),
    ]  # fmt: skip
    assert every_row(warehouse, mentions) == curated
    speakers = "SELECT speaker, speaker_canonical FROM quotes ORDER BY doc_id, start_char"
    assert every_row(warehouse, speakers) == [("Merkel", "Angela Dorothea Merkel")]
    assert every_row(warehouse, "SELECT geonames_id FROM places WHERE canonical = 'Frankfurt'") == [(FRANKFURT_ODER,)]
    counts = "SELECT (SELECT count(*) FROM documents), (SELECT sum(n_entities) FROM documents), (SELECT count(*) FROM entities), (SELECT count(*) FROM quotes)"
    assert every_row(warehouse, counts) == [(1, 4, 4, 1)]

    again = textlake("run", inbox, "--data-dir", data, "--no-skip-unchanged", env=prefect_server, cwd=tmp_path)

    assert again.returncode == 0, again.stderr
    assert every_row(warehouse, mentions) == curated  # nothing lost, the curated values stay
    assert every_row(warehouse, counts) == [(1, 4, 4, 1)]
    assert every_row(warehouse, "SELECT geonames_id FROM places WHERE canonical = 'Frankfurt'") == [(FRANKFURT_ODER,)]

    (inbox / "second.txt").write_text(SECOND, encoding="utf-8")
    added = textlake("run", inbox, "--data-dir", data, env=prefect_server, cwd=tmp_path)

    assert added.returncode == 0, added.stderr
    second = every_row(warehouse, "SELECT doc_id FROM documents WHERE source_path LIKE '%second.txt'")[0][0]
    assert every_row(
        warehouse, f"SELECT text, canonical FROM entities WHERE doc_id = '{second}' ORDER BY start_char"
    ) == [
        ("Angela Merkel", "Angela Dorothea Merkel"),
        ("Frankfurt", "Frankfurt"),
        ("Europa", "Europa"),
    ]  # the run applied the file to its new rows: Macron dropped, Merkel merged
    assert every_row(warehouse, f"SELECT n_entities FROM documents WHERE doc_id = '{second}'") == [(3,)]
    first = every_row(warehouse, "SELECT doc_id FROM documents WHERE source_path LIKE '%first.txt'")[0][0]
    assert every_row(warehouse, mentions.replace("ORDER BY", f"WHERE doc_id = '{first}' ORDER BY")) == curated
    assert every_row(warehouse, "SELECT geonames_id FROM places WHERE canonical = 'Frankfurt'") == [(FRANKFURT_ODER,)]
    [(run_id,)] = every_row(warehouse, f"SELECT run_id FROM documents WHERE doc_id = '{second}'")
    assert every_row(
        warehouse,
        f"SELECT rule, table_name, change, count(*) FROM curation_log "
        f"WHERE application_id = '{run_id}' GROUP BY ALL ORDER BY ALL",
    ) == [  # fmt: skip
        ("drop: Emmanuel Macron", "entities", "removed", 1),
        ("merge: Angela Merkel → Angela Dorothea Merkel", "entities", "updated", 1),
        ("place: Frankfurt → 2925535", "places", "updated", 1),
    ]
    assert every_row(warehouse, "SELECT count(DISTINCT application_id) FROM curation_log") == [(2,)]
