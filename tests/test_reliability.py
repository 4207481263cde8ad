"""Hostile input, crashes and concurrent use: nothing lost, nothing corrupted, always a clear answer."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BIN, REPO, SEED_ARTICLE, ingest
from tests.hostile import write_hostile_inputs
from textlake.faults import POINTS
from textlake.ingest.known import KnownFiles
from textlake.ingest.sources import SourceFile, Unreadable, discover_files, display_path, read_source
from textlake.ingest.triage import triage_batch
from textlake.lake.contracts import contract, tables
from textlake.run.lock import writer_lock
from textlake.settings import Settings
from textlake.warehouse.connection import WritingQuery, refuse_writes

TEXTLAKE = str(BIN / "textlake")
NOTHING_KNOWN = KnownFiles({}, {}, set())


def outcomes(settings: Settings) -> dict[str, str]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        found = {path: "document" for (path,) in con.execute("SELECT source_path FROM documents").fetchall()}
        found |= dict(con.execute("SELECT source_path, reason FROM rejects").fetchall())
    return found


def test_every_hostile_file_becomes_a_document_or_a_reject_with_a_reason(prefect_harness, tmp_path):
    root = tmp_path / "inbox"
    root.mkdir()
    cases = write_hostile_inputs(root)
    settings = Settings(data_dir=tmp_path / "data")
    summary = ingest([str(root), str(root / "copy_a.txt")], settings)  # the same path twice counts once

    assert summary.published and summary.reconciles
    assert summary.files_seen == len(cases)
    found = outcomes(settings)
    prefix = display_path(root) + "/"
    got = {path.removeprefix(prefix): outcome for path, outcome in found.items()}
    assert got == {name: expected.outcome for name, expected in cases.items()}
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM rejects WHERE detail = '' OR reason = ''").fetchone() == (0,)
        notes = dict(
            con.execute("SELECT source_path, header_note FROM documents WHERE header_note IS NOT NULL").fetchall()
        )
        languages = dict(con.execute("SELECT source_path, language FROM documents").fetchall())
        encodings = dict(con.execute("SELECT source_path, encoding FROM documents").fetchall())
    assert {p.removeprefix(prefix) for p in notes} == {"bad_month.txt", "short_year.txt", "colon.txt"}
    assert languages[prefix + "russian.txt"] == "ru" and languages[prefix + "chinese.txt"] == "zh"
    assert encodings[prefix + "cp1252.txt"] == "cp1252"
    assert encodings[prefix + "invalid_utf8.txt"].startswith("utf-8 (2 invalid bytes")


def test_a_file_that_vanishes_between_listing_and_reading_is_an_unreadable_reject(tmp_path):
    (tmp_path / "gone.txt").write_text("Gleich weg.")
    sources, _ = discover_files([tmp_path])
    (tmp_path / "gone.txt").unlink()
    batch = triage_batch(sources, NOTHING_KNOWN, 1 << 20)
    assert [(r.reason, r.detail) for r in batch.rejects] == [
        ("unreadable", "the file disappeared before it could be read")
    ]


@pytest.mark.skipif(
    os.geteuid() == 0 and shutil.which("setpriv") is None, reason="root needs setpriv to lose its rights"
)
def test_a_file_without_read_permission_is_an_unreadable_reject(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Geheim.")
    secret.chmod(0)
    tmp_path.chmod(0o755)
    check = f"from pathlib import Path; from textlake.ingest.sources import SourceFile, read_source; r = read_source(SourceFile(Path({str(secret)!r}), 7), 100); print(r.reason, '|', r.detail)"
    command = [sys.executable, "-c", check]
    if os.geteuid() == 0:  # root reads anything; drop to nobody as a user would be
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    assert result.stdout.strip() == "unreadable | permission denied", result.stderr


def test_the_listing_names_files_by_their_real_path_and_skips_what_is_no_file(tmp_path):
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    (inbox / "sub").mkdir(parents=True)
    outside.mkdir()
    (inbox / "a.txt").write_text("a")
    (inbox / "sub" / "b.txt").write_text("bb")
    (inbox / "sub" / "C.TXT").write_text("c")  # the glob is case-sensitive, as the shell's
    (inbox / "folder.txt").mkdir()  # a folder named like a text file is walked, not read
    (inbox / "folder.txt" / "d.txt").write_text("d")
    (outside / "far.txt").write_text("far")
    os.symlink(outside / "far.txt", inbox / "link_to_far.txt")  # listed under the path it leads to
    os.symlink(inbox / "sub", inbox / "linked_folder")  # a linked folder is not walked: b.txt once
    os.symlink(inbox / "nowhere.txt", inbox / "broken.txt")  # listed, to be read as unreadable
    os.mkfifo(inbox / "pipe.txt")  # no file: reading it would block
    sources, missing = discover_files([inbox], "*.txt")
    listed = {str(s.location.relative_to(tmp_path)): s.n_bytes for s in sources}
    assert listed == {
        "inbox/a.txt": 1, "inbox/sub/b.txt": 2, "inbox/folder.txt/d.txt": 1, "outside/far.txt": 3, "inbox/nowhere.txt": 0
    }  # fmt: skip
    assert missing == []
    assert [s.location.name for s in discover_files([inbox], "sub/*.txt")[0]] == ["b.txt"]
    assert [s.location.name for s in discover_files([inbox / "linked_folder"], "*.txt")[0]] == [
        "b.txt"
    ]  # named: walked


def test_a_missing_path_is_an_unreadable_reject(tmp_path):
    sources, missing = discover_files([tmp_path / "nope.txt"])
    assert sources == [] and [(m.reason, m.detail) for m in missing] == [("unreadable", "no such file or folder")]


def test_read_source_never_reads_past_the_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 1000)
    assert isinstance(read_source(SourceFile(big, 1000), 999), Unreadable)
    assert read_source(SourceFile(big, 1000), 999).reason == "too_large"


# --- crash safety ----------------------------------------------------------------------------------


def make_corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"{i:04d}.txt").write_text(f"{text}\n\nMeldung Nummer {i} aus Berlin.\n", encoding="utf-8")


def run_textlake(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([TEXTLAKE, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=600)


def warehouse_keys(data_dir: Path) -> dict[str, frozenset]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return {
            table: frozenset(con.execute(f"SELECT {key} FROM {table}").fetchall())
            for table, key in {
                "documents": "doc_id",
                "appearances": "doc_id, source_path, source_record",
                "sentences": "sentence_id",
                "entities": "entity_id, canonical",
                "quotes": "quote_id, speaker_canonical",
                "rejects": "source_path, reason",
            }.items()
        }


def duplicated_keys(data_dir: Path) -> dict[str, int]:
    """Rows beyond one per key, per table that has any (no table has a key index to refuse them)."""
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        extra = {
            table: con.execute(
                f"SELECT count(*) - count(DISTINCT row({', '.join(contract(table).key)})) FROM {table}"
            ).fetchone()[0]
            for table in tables()
        }
    return {table: n for table, n in extra.items() if n}


@pytest.fixture(scope="module")
def crash_corpus(tmp_path_factory, prefect_server):
    root = tmp_path_factory.mktemp("crash")
    make_corpus(root / "corpus", 40)
    (root / "corpus" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    # several batches, so a crash lands mid-run; two worker processes even for this little text, so a
    # killed run must also take its workers down (else they hold its pipes open and this test hangs)
    env = {
        **prefect_server,
        "TEXTLAKE_BATCH_BYTES": "20000",
        "TEXTLAKE_WORKERS": "2",
        "TEXTLAKE_PARALLEL_MIN_CHARS": "0",
    }
    reference = root / "reference"
    result = run_textlake(env, "run", str(root / "corpus"), "--data-dir", str(reference))
    assert result.returncode == 0, result.stderr[-2000:]
    seeded = root / "seeded"  # a previous published state, copied for every crash
    result = run_textlake(env, "run", str(SEED_ARTICLE), "--data-dir", str(seeded))
    assert result.returncode == 0, result.stderr[-2000:]
    return root, env, warehouse_keys(reference), seeded


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_anywhere_leaves_the_previous_warehouse_and_a_rerun_completes_it(crash_corpus, point):
    root, env, reference, seeded = crash_corpus
    data = root / f"data-{point}"
    shutil.copytree(seeded, data)
    before = warehouse_keys(data)

    killed = run_textlake({**env, "TEXTLAKE_CRASH_AT": point}, "run", str(root / "corpus"), "--data-dir", str(data))
    assert killed.returncode == -signal.SIGKILL
    if point != "publish":  # killed before the commit: the warehouse is as it was
        assert warehouse_keys(data) == before

    rerun = run_textlake(env, "run", str(root / "corpus"), "--data-dir", str(data))
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    expected = {table: reference[table] | before[table] for table in reference}
    assert warehouse_keys(data) == expected
    assert duplicated_keys(data) == {}
    assert not list(data.rglob("*.partial")) and not any((data / "staging").iterdir())
    lake_rows = duckdb.sql(f"SELECT count(*) FROM read_parquet('{data}/lake/documents/*.parquet')").fetchone()[0]
    assert lake_rows == len(expected["documents"])


# --- concurrent use --------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_second_run_on_a_busy_data_dir_waits_then_says_why(tmp_path):
    data = tmp_path / "data"
    with writer_lock(data):  # another run holds the data dir: said before Prefect starts, so none is needed
        result = run_textlake(
            dict(os.environ), "run", str(SEED_ARTICLE), "--data-dir", str(data), "--wait-timeout", "2"
        )
    assert result.returncode == 1
    assert "waiting up to 2 s" in result.stderr  # said while waiting
    assert "another textlake run is writing" in result.stderr and "waited 2 s" in result.stderr
    assert not (data / "warehouse.duckdb").exists()


def test_sql_during_a_load_waits_for_the_published_state_or_says_it_is_busy(prefect_harness, tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    ingest([str(SEED_ARTICLE)], settings)
    env = {**os.environ}
    with duckdb.connect(str(settings.warehouse_path)) as writer:  # a run loading
        writer.execute("BEGIN TRANSACTION")
        writer.execute("DELETE FROM sentences")
        busy = run_textlake(
            env, "sql", "SELECT count(*) FROM sentences", "--data-dir", str(settings.data_dir), "--wait-timeout", "1"
        )
        writer.execute("ROLLBACK")
    assert busy.returncode == 1 and "busy" in busy.stderr and "waited 1 s" in busy.stderr
    answer = run_textlake(
        env, "sql", "SELECT count(*) AS n FROM sentences", "--data-dir", str(settings.data_dir), "--format", "csv"
    )
    assert answer.returncode == 0 and answer.stdout == "n\n18\n"


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM documents",
        "COPY documents TO '/tmp/x.csv'",
        "ATTACH '/tmp/other.duckdb'",
        "SELECT 1; DROP TABLE documents",
        "CREATE TABLE t (a INT)",
    ],
)
def test_a_statement_that_writes_is_refused_as_read_only(statement):
    with pytest.raises(WritingQuery, match="read-only unless --write"):
        refuse_writes(statement)


@pytest.mark.parametrize("statement", ["SELECT 1", "SHOW TABLES", "DESCRIBE documents", "EXPLAIN SELECT 1"])
def test_a_statement_that_only_reads_passes(statement):
    assert refuse_writes(statement) is None  # returns without raising WritingQuery


def test_sql_refuses_a_statement_that_writes_unless_told_to(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    duckdb.connect(str(data / "warehouse.duckdb")).close()
    result = run_textlake(dict(os.environ), "sql", "DELETE FROM documents", "--data-dir", str(data))
    assert result.returncode == 1 and "read-only unless --write" in result.stderr
    allowed = run_textlake(dict(os.environ), "sql", "CREATE TABLE notes (a INT)", "--data-dir", str(data), "--write")
    assert allowed.returncode == 0, allowed.stderr


@pytest.mark.slow
def test_a_run_that_finds_the_warehouse_open_keeps_its_checked_tables_for_the_next_run(prefect_server, tmp_path):
    from tests.test_first_hour import hold_open_read_only

    corpus, data = tmp_path / "corpus", tmp_path / "data"
    make_corpus(corpus, 40)
    first = run_textlake(prefect_server, "run", str(SEED_ARTICLE), "--data-dir", str(data))
    assert first.returncode == 0, first.stderr
    run = subprocess.Popen(
        [TEXTLAKE, "run", str(corpus), "--data-dir", str(data)],
        env={**prefect_server, "TEXTLAKE_WORKERS": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not any((data / "staging").glob("*/documents.parquet.partial")) and time.monotonic() < deadline:
        time.sleep(0.05)  # the run is past its start and into its language stage
    holder = hold_open_read_only(data / "warehouse.duckdb")
    try:
        _, stderr = run.communicate(timeout=600)
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 1 and "end that process" in stderr and "next run" in stderr
    [kept] = (data / "staging").iterdir()

    later = run_textlake(prefect_server, "run", str(corpus), "--data-dir", str(data))
    assert later.returncode == 0, later.stderr
    assert "documents        0 new, 40 unchanged" in later.stdout  # loaded as staged: no language stage again
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs WHERE run_id = ?", [kept.name]).fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (41,)
    assert not any((data / "staging").iterdir())
