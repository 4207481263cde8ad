"""The DuckDB warehouse: DDL and views from `warehouse/*.sql`, one-transaction loads, read-only queries."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb

from textlake.faults import crash_point
from textlake.resources import resource_dir
from textlake.store import PUBLISHED_TABLES

# What a run's own DuckDB work may hold in memory; beyond it DuckDB spills to disk.
MEMORY_BUDGET = "512MB"


class NoWarehouse(Exception):
    """The data dir has no warehouse yet."""


class WarehouseBusy(Exception):
    """Another process holds the DuckDB file longer than we were willing to wait."""


class WritingQuery(Exception):
    """A statement that would write, given to a read-only query."""


# Statement types a read-only query may run: SELECT (also SHOW, DESCRIBE, SUMMARIZE, PRAGMA) and EXPLAIN.
_READ_ONLY_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


def refuse_writes(sql: str) -> None:
    """Raise `WritingQuery` unless every statement in `sql` only reads."""
    for statement in duckdb.extract_statements(sql):
        if statement.type not in _READ_ONLY_STATEMENTS:
            raise WritingQuery(
                f"{statement.type.name} writes or changes state; textlake sql is read-only unless --write is given"
            )


def _connect(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    """DuckDB allows one writing process, or readers, at a time; wait for the file as a lock, not fail."""
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"the warehouse {path} is busy (another process has it open); waited {wait_s:g} s"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def bound_memory(con: duckdb.DuckDBPyConnection, threads: int | None = None) -> None:
    """Keep a connection's work within MEMORY_BUDGET (row order of inserts is not kept, which saves memory)."""
    con.execute(f"SET memory_limit = '{MEMORY_BUDGET}'")
    con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {threads}")


def _sql(name: str) -> str:
    return (resource_dir("warehouse") / name).read_text(encoding="utf-8")


def connect_for_writing(path: Path, wait_s: float = 120.0) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse with its tables and views in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only=False, wait_s=wait_s)
    con.execute(_sql("schema.sql"))
    con.execute(_sql("views.sql"))
    return con


def connect_read_only(path: Path, wait_s: float = 30.0) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise NoWarehouse(f"no warehouse at {path} yet: run `textlake run` first")
    return _connect(path, read_only=True, wait_s=wait_s)


@dataclass(frozen=True)
class KnownFiles:
    """What earlier runs made of files: (source_path, source_sha256) → doc_id or reject reason."""

    documents: dict[tuple[str, str], str]
    rejects: dict[tuple[str, str], tuple[str, str]]  # → (reason, detail)
    committed_runs: set[str]
    file_state: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # path → (size, mtime_ns, sha256)

    @cached_property
    def doc_ids(self) -> set[str]:
        return set(self.documents.values())  # every document has exactly one (source_path, sha256)


def known_files(path: Path, wait_s: float = 30.0) -> KnownFiles:
    if not path.exists():
        return KnownFiles({}, {}, set())
    with connect_read_only(path, wait_s) as con:  # a run that publishes nothing must leave the file untouched
        documents = {
            (p, s): d for p, s, d in con.execute("SELECT source_path, source_sha256, doc_id FROM documents").fetchall()
        }
        rejects = {
            (p, s): (r, d)
            for p, s, r, d in con.execute("SELECT source_path, source_sha256, reason, detail FROM rejects").fetchall()
        }
        runs = {r for (r,) in con.execute("SELECT run_id FROM runs").fetchall()}
        try:
            state = {
                p: (n, m, h)
                for p, n, m, h in con.execute(
                    "SELECT source_path, n_bytes, mtime_ns, source_sha256 FROM file_state"
                ).fetchall()
            }
        except duckdb.CatalogException:  # a warehouse from before file_state existed
            state = {}
    return KnownFiles(documents, rejects, runs, state)


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    flow_run_id: str | None
    started_at: dt.datetime
    inputs: str
    files_seen: int
    documents_new: int
    documents_unchanged: int
    rejected: int
    sentences_new: int
    entities_new: int
    checks_passed: int
    checks_failed: int
    stage_seconds: str  # JSON


def load_run(path: Path, staged: dict[str, Path], run: RunRecord) -> dict[str, int]:
    """Insert a run's staged tables and its `runs` row in one transaction; rows already present are
    skipped by key, so loading the same files twice adds nothing. Returns rows added per table."""
    added: dict[str, int] = {}
    with connect_for_writing(path) as con:
        # Unbounded, the key checks and the search index rebuild over all sentences took 1.2 GB at 30,000
        # documents, memory that grows with the warehouse.
        bound_memory(con)
        con.execute("BEGIN TRANSACTION")
        try:
            for table in (t for t in PUBLISHED_TABLES if t in staged):
                verb = "INSERT OR REPLACE" if table == "file_state" else "INSERT OR IGNORE"
                (count,) = con.execute(
                    f"{verb} INTO {table} BY NAME SELECT * FROM read_parquet(?)", [str(staged[table])]
                ).fetchone()
                added[table] = count
                crash_point("load")
            con.execute(
                "INSERT OR IGNORE INTO runs VALUES (?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    run.run_id, run.flow_run_id, run.started_at, run.inputs, run.files_seen, run.documents_new,
                    run.documents_unchanged, run.rejected, run.sentences_new, run.entities_new,
                    run.checks_passed, run.checks_failed, run.stage_seconds,
                ],
            )  # fmt: skip
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        if added.get("sentences"):
            from textlake.search import rebuild_sentence_index

            rebuild_sentence_index(con)
    return added


def query(path: Path, sql: str, write: bool = False, wait_s: float = 30.0) -> tuple[list[str], list[tuple]]:
    """Run a query, read-only unless `write`; returns the last statement's column names and rows.
    Loads commit in one transaction, so a reader sees the warehouse before or after a run, never half."""
    if not write:
        refuse_writes(sql)
    connect = connect_for_writing if write else connect_read_only
    with connect(path, wait_s=wait_s) as con:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall()
