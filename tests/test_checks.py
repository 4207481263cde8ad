"""Every expectation in expectations/: the clean tables of the seed pass it, and a table broken in the
way it guards against fails it (rows in, verdict out)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import REPO, SEEDS
from textlake.ingest.known import FileState
from textlake.ingest.prepare import Appearance, Reject, prepare_document
from textlake.ingest.sources import RawFile, SourceFile
from textlake.lake import tables
from textlake.lake.contracts import staged_tables
from textlake.lake.curation import Application, curate_tables, parse_curation
from textlake.nlp.places import load_places
from textlake.nlp.workers import analyse_here
from textlake.quality import checks
from textlake.quality.checks import SUITES, Validator, load_suite, validate_by_kind, validate_parquet
from textlake.quality.facts import cross_table_facts, view_facts
from textlake.settings import Settings

STARTED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
RUNS = [
    {"run_id": f"20260101T00000{i}Z-00000{i}", "flow_run_id": f"3fa85f64-5717-4562-b3fc-2c963f66afa{i}", "started_at": STARTED,
     "finished_at": STARTED + dt.timedelta(minutes=1), "inputs": '["seeds"]', "files_seen": 4, "record_files": 0,
     "records_seen": 0, "documents_new": 3, "appearances_new": 3, "documents_unchanged": 0, "rejected": 1,
     "sentences_new": 20, "entities_new": 40, "checks_passed": 90, "checks_failed": 0,
     "stage_seconds": '{"read": 0.1}'}
    for i in (1, 2)
]  # fmt: skip
SETTINGS = Settings()
VALIDATOR = Validator()


@pytest.fixture(scope="module")
def staged_seed(tmp_path_factory) -> dict[str, Path]:
    """The seeds/ files run through the stages and staged as Parquet, plus one reject of each kind that
    carries optional columns, and each document's appearance and a copy of one from another outlet."""
    inputs = {path: path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))}
    inputs[SEEDS / "malformed_header.txt"] = b" date 2022-13 Ein Text mit kaputtem Datum aus Berlin."
    documents = [
        prepare_document(RawFile(SourceFile(path, len(data)), data, hashlib.sha256(data).hexdigest()))
        for path, data in inputs.items()
    ]
    # as a record file's reader gives a document: with what its source says about it
    documents[-2] = replace(
        documents[-2],
        published=dt.datetime(2023, 5, 31, 14, 5, tzinfo=dt.UTC),
        published_precision="minute",
        title="Hamburg feiert im Hafen",
        url="https://www.abendblatt.de/hamburg/article123/hafenfest.html",
        outlet="Hamburger Abendblatt",
        authors=("Anna Schmidt", "Jens Meyer"),
        external_id="ha-2023-0531-17",
        source_record="line 2",
    )
    analysed = analyse_here(documents, SETTINGS)
    rejects = [
        Reject("a.txt", "0" * 64, "duplicate", "same text as document x", 10, documents[0].doc_id),
        Reject("b.txt", "", "unreadable", "permission denied"),
        Reject("c.jsonl", "1" * 64, "empty", "a record without text", 300, source_record="line 7"),
        Reject("c.jsonl", "1" * 64, "empty", "a record without text", 300, source_record="line 9"),
    ]
    own = [Appearance.of(a.document, is_copy=False) for a in analysed]
    copy_elsewhere = replace(
        own[-2], source_path="d.jsonl", source_sha256="2" * 64, source_record="line 4", title="Fest im Hafen",
        url="https://www.mopo.de/hamburg/hafenfest-1.html", outlet="mopo.de", is_copy=True,
    )  # fmt: skip
    # the seed's Putin is curated to his full name: entities and a quotation's speaker change
    curation = parse_curation("merge: {Wladimir Putin: Wladimir Wladimirowitsch Putin}", "curation.yaml", "c" * 64)
    application = Application(curation, "run-1", STARTED)
    curated = curate_tables(application, tables.entities_table(analysed), tables.quotes_table(analysed))
    directory = tmp_path_factory.mktemp("staged")
    staged = {}
    for name, table in {
        "documents": tables.documents_table(analysed, "run-1", STARTED),
        "appearances": tables.appearances_table([*own, copy_elsewhere], "run-1", STARTED),
        "sentences": tables.sentences_table(analysed),
        "entities": curated.entities,
        "quotes": curated.quotes,
        "curation_log": application.log_table(),
        "places": tables.places_table(
            ["Minsk", "Russland", "Atlantis"], "run-1", load_places(["Minsk", "Russland", "Atlantis"])
        ),
        "rejects": tables.rejects_table(rejects, "run-1", STARTED),
        "file_state": tables.file_state_table(
            [
                (str(path), FileState(len(data), 1_700_000_000 * 10**9, hashlib.sha256(data).hexdigest()))
                for path, data in inputs.items()
            ],
            "run-1",
        ),
        "runs": pa.concat_tables(tables.runs_table(run) for run in RUNS),
    }.items():
        staged[name] = directory / f"{name}.parquet"
        pq.write_table(table, staged[name])
    return staged


@pytest.fixture(scope="module")
def clean_frames(staged_seed) -> dict[str, pd.DataFrame]:
    frames = {name: pd.read_parquet(path) for name, path in staged_seed.items()}
    frames["cross_table"] = cross_table_facts(staged_seed, SETTINGS)
    frames["views"] = view_facts(staged_seed, SETTINGS)
    return frames


def test_sentences_tile_their_document_up_to_its_last_visible_character(staged_seed, tmp_path):
    """A document whose text goes on after its last sentence has lost words between the stages."""
    documents = pq.read_table(staged_seed["documents"]).to_pylist()
    documents[0]["text"] += " Ein Nachsatz ohne Satz."
    documents[0]["n_chars"] = len(documents[0]["text"])
    staged = {**staged_seed, "documents": tmp_path / "documents.parquet"}
    pq.write_table(pa.Table.from_pylist(documents, pq.read_schema(staged_seed["documents"])), staged["documents"])

    facts = cross_table_facts(staged, SETTINGS)
    sentences = pq.read_table(staged_seed["sentences"]).to_pandas()
    last_of_first = sentences[sentences.doc_id == documents[0]["doc_id"]].sort_values("ordinal").sentence_id.iloc[-1]
    tiling = facts[facts.row_kind == "sentence"].set_index("row_id").sentence_tiles_document
    assert not tiling[last_of_first]
    assert tiling.drop(last_of_first).all()


def break_for(expectation: dict, frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` broken in exactly the way `expectation` guards against."""
    frame = frame.copy()
    kind, kw = expectation["type"], expectation["kwargs"]
    column = kw.get("column")
    applicable = frame.index[frame[column].notna()] if column else frame.index
    first = applicable[0] if len(applicable) else frame.index[0]
    if kind == "expect_column_values_to_be_null":
        frame[column] = frame[column].astype(object)
        frame.loc[first, column] = "someone"
    elif kind == "expect_column_values_to_not_be_null":
        if "row_condition" in kw:
            first = frame.index[frame.eval(kw["row_condition"])][0]
        frame[column] = frame[column].astype(object)
        frame.loc[first, column] = None
    elif kind == "expect_column_values_to_be_unique":
        frame.loc[applicable[1], column] = frame.loc[first, column]
    elif kind == "expect_compound_columns_to_be_unique":
        for c in kw["column_list"]:
            frame.loc[frame.index[1], c] = frame.loc[frame.index[0], c]
    elif kind == "expect_column_values_to_match_regex":
        frame.loc[first, column] = " "  # only whitespace: no pattern of the suites matches it
    elif kind == "expect_column_values_to_be_in_set":
        value = False if kw["value_set"] == [True] else "BOGUS"
        rows = applicable if kw.get("mostly") else [first]
        frame[column] = frame[column].astype(object)
        frame.loc[rows, column] = value
    elif kind == "expect_column_values_to_be_between":
        frame[column] = frame[column].astype(float)
        frame.loc[first, column] = kw["max_value"] + 1 if kw.get("max_value") is not None else kw["min_value"] - 1
    elif kind == "expect_column_mean_to_be_between":
        frame.loc[applicable, column] = kw["max_value"] * 10
    elif kind == "expect_column_pair_values_a_to_be_greater_than_b":
        before_b = frame.loc[frame.index[0], kw["column_B"]] - (dt.timedelta(seconds=1) if kw.get("or_equal") else 0)
        frame.loc[frame.index[0], kw["column_A"]] = before_b
    elif kind == "expect_column_values_to_be_json_parseable":
        frame.loc[first, column] = "{not json"
    elif kind == "expect_column_value_lengths_to_be_between":
        frame.loc[first, column] = "x" * (kw["max_value"] + 1) if kw.get("max_value") else ""
    else:
        raise AssertionError(f"no faulty table for {kind}: teach break_for how to trip it")
    return frame


CASES = [(suite, position, e) for suite in SUITES for position, e in enumerate(load_suite(suite)["expectations"])]


@pytest.mark.parametrize(
    "suite, position, expectation",
    CASES,
    ids=[f"{s}-{p}-{e['type'].removeprefix('expect_')}-{e['kwargs'].get('column', '')}" for s, p, e in CASES],
)
def test_expectation_passes_clean_rows_and_fails_broken_ones(clean_frames, suite, position, expectation):
    clean = clean_frames[suite]
    [verdict] = VALIDATOR.validate(suite, [copy.deepcopy(expectation)], clean)[0]
    assert verdict.success, f"clean rows fail: {verdict.describe()}"
    [verdict] = VALIDATOR.validate(suite, [copy.deepcopy(expectation)], break_for(expectation, clean))[0]
    assert not verdict.success, "a broken table passes"
    assert verdict.severity == expectation["meta"]["severity"]


def test_every_suite_file_is_run_and_every_expectation_is_a_case():
    files = sorted(path.stem for path in (REPO / "expectations").glob("*.json"))
    assert sorted(SUITES) == files
    assert len(CASES) == sum(len(load_suite(suite)["expectations"]) for suite in files) > 0


@pytest.mark.parametrize("suite", ["documents", "sentences", "entities", "rejects"])
def test_checking_a_table_in_chunks_gives_the_verdicts_and_counts_of_one_pass(clean_frames, suite, tmp_path):
    expectations = load_suite(suite)["expectations"]
    broken = clean_frames[suite]
    for expectation in expectations[::2]:  # several faults at once, in different rows and columns
        candidate = break_for(expectation, broken)
        try:
            pa.Table.from_pandas(candidate, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            continue  # a fault Parquet cannot hold (a string in a boolean column) is tested above, in memory
        broken = candidate
    path = tmp_path / f"{suite}.parquet"
    pq.write_table(pa.Table.from_pandas(broken, preserve_index=False), path)

    one_pass, _ = validate_parquet(VALIDATOR, suite, expectations, path, SETTINGS.check_chunk_bytes, chunk_rows=10**9)
    chunk_rows = max(1, len(broken) // 3)
    in_chunks, raw = validate_parquet(
        VALIDATOR, suite, expectations, path, SETTINGS.check_chunk_bytes, chunk_rows=chunk_rows
    )

    assert len(broken) > chunk_rows and any(not r.success for r in one_pass)
    assert in_chunks == one_pass
    assert raw.statistics["unsuccessful_expectations"] == sum(not r.success for r in one_pass)


def test_checking_the_cross_table_facts_kind_by_kind_gives_the_verdicts_and_counts_of_one_pass(clean_frames, tmp_path):
    """Each kind of row (document, sentence, entity, quote, appearance, run) has only its own facts; each is
    checked on those."""
    expectations = load_suite("cross_table")["expectations"]
    broken = clean_frames["cross_table"]
    for expectation in expectations[::2]:
        broken = break_for(expectation, broken)
    one_file, by_kind = tmp_path / "facts.parquet", tmp_path / "facts"
    with duckdb.connect() as con:
        con.register("facts", broken)
        con.execute(f"COPY facts TO '{one_file}' (FORMAT parquet)")
        con.execute(
            f"COPY facts TO '{by_kind}' (FORMAT parquet, PARTITION_BY (row_kind), WRITE_PARTITION_COLUMNS true)"
        )
    named_by = ["row_kind", "row_id"]

    one_pass, one_raw = validate_parquet(VALIDATOR, "cross_table", expectations, one_file, 10**9, named_by)
    kind_by_kind, raw = validate_by_kind(VALIDATOR, "cross_table", expectations, by_kind, 10**9, named_by)

    assert len(list(by_kind.iterdir())) == 6 and sum(not r.success for r in one_pass) >= 4

    def without_samples(results):  # which five offending rows are shown depends on the order they are read
        return [replace(r, unexpected_sample=[], unexpected_rows=[]) for r in results]

    assert without_samples(kind_by_kind) == without_samples(one_pass)
    assert [len(r.unexpected_rows) for r in kind_by_kind] == [min(5, r.unexpected_count or 0) for r in one_pass]
    counted = ("element_count", "missing_count", "unexpected_count", "unexpected_percent", "missing_percent")
    assert [{k: r.result.get(k) for k in counted} for r in raw.results] == [
        {k: r.result.get(k) for k in counted} for r in one_raw.results
    ]


@pytest.mark.slow
def test_great_expectations_runs_the_suites_without_loading_scipy_stats_until_it_is_used():
    """GX imports scipy.stats for expectations no suite here uses; loading it cost ~1 s of every run's start."""
    script = """
import sys
import pandas as pd
from textlake.quality.checks import Validator
[result], _ = Validator().validate("documents", [{"type": "expect_column_values_to_not_be_null",
    "kwargs": {"column": "doc_id"}, "meta": {"severity": "error"}}], pd.DataFrame({"doc_id": ["a", "b"]}))
print(result.success, "scipy.stats._stats_py" in sys.modules)
from scipy import stats
print(round(float(stats.entropy([0.5, 0.5])), 4), "scipy.stats._stats_py" in sys.modules)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["True", "False", "0.6931", "True"]


@pytest.mark.slow
def test_the_cross_table_facts_are_computed_while_the_tables_are_checked(staged_seed, monkeypatch):
    """DuckDB computes the facts on its own threads while GX checks the tables in Python: both cores work."""
    facts_begun = threading.Event()
    real_facts, real_check = checks.stage_facts, checks.check_table

    def facts_noting_their_start(*args):
        facts_begun.set()
        return real_facts(*args)

    tables_checked_after_the_facts_began = []

    def check_after_the_facts_began(suite, *args):
        if suite not in ("cross_table", "views"):
            tables_checked_after_the_facts_began.append(facts_begun.wait(timeout=10))
        return real_check(suite, *args)

    monkeypatch.setattr(checks, "stage_facts", facts_noting_their_start)
    monkeypatch.setattr(checks, "check_table", check_after_the_facts_began)
    report = checks.run_checks(staged_seed, SETTINGS, VALIDATOR)
    assert tables_checked_after_the_facts_began == [True] * len(staged_tables())
    assert report.ok and {r.suite for r in report.results} == {*staged_tables(), "cross_table", "views"}


def test_a_title_the_text_repeats_as_its_first_sentence_is_flagged(staged_seed, tmp_path):
    """A reader that left the headline in the body: the title comes back as the text's first sentence."""
    documents = pq.read_table(staged_seed["documents"]).to_pylist()
    sentences = pq.read_table(staged_seed["sentences"]).to_pylist()
    titled = next(d for d in documents if d["title"])
    first = next(s["text"] for s in sentences if s["doc_id"] == titled["doc_id"] and s["ordinal"] == 0)
    facts = cross_table_facts(staged_seed, SETTINGS).set_index("row_id")
    assert facts.loc[titled["doc_id"], ["title_not_first_sentence", "authors_are_names"]].tolist() == [True, True]

    titled["title"] = first.rstrip(".")  # 'Die Stadt Hamburg plant am 3. Juni ein Fest im Hafen'
    titled["authors"] = ["Anna Schmidt", " "]
    staged = {**staged_seed, "documents": tmp_path / "documents.parquet"}
    pq.write_table(pa.Table.from_pylist(documents, pq.read_schema(staged_seed["documents"])), staged["documents"])
    facts = cross_table_facts(staged, SETTINGS).set_index("row_id")
    assert facts.loc[titled["doc_id"], ["title_not_first_sentence", "authors_are_names"]].tolist() == [False, False]
    untitled = [d["doc_id"] for d in documents if not d["title"]]
    assert facts.loc[untitled, "title_not_first_sentence"].isna().all()  # a text file has no title to repeat


def test_a_bad_record_is_named_by_its_line_in_the_file(clean_frames):
    """A record file holds many documents: a failed check names the one by its source_record too."""
    documents = clean_frames["documents"].copy()
    documents.loc[documents.source_record == "line 2", "url"] = "www.abendblatt.de/hamburg"  # no scheme
    [url] = [e for e in load_suite("documents")["expectations"] if e["kwargs"].get("column") == "url"]
    named_by = load_suite("documents")["meta"]["rows_named_by"]
    [verdict] = VALIDATOR.validate("documents", [url], documents, named_by)[0]
    assert (verdict.success, verdict.severity) == (False, "warning")
    [row] = verdict.unexpected_rows
    assert (row["source_record"], row["published"]) == ("line 2", "2023-05-31 14:05:00+00:00")
