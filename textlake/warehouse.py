"""The DuckDB warehouse: DDL and views from `warehouse/*.sql`, one-transaction loads, read-only queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from textlake.resources import resource_dir
from textlake.store import PUBLISHED_TABLES


class NoWarehouse(Exception):
    """The data dir has no warehouse yet."""


def _sql(name: str) -> str:
    return (resource_dir("warehouse") / name).read_text(encoding="utf-8")


def connect_for_writing(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse with its tables and views in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute(_sql("schema.sql"))
    con.execute(_sql("views.sql"))
    return con


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise NoWarehouse(f"no warehouse at {path} yet: run `textlake run` first")
    return duckdb.connect(str(path), read_only=True)


@dataclass(frozen=True)
class KnownFiles:
    """What earlier runs made of files: (source_path, source_sha256) → doc_id or reject reason."""

    documents: dict[tuple[str, str], str]
    rejects: dict[tuple[str, str], tuple[str, str]]  # → (reason, detail)
    doc_ids: set[str]
    committed_runs: set[str]


def known_files(path: Path) -> KnownFiles:
    if not path.exists():
        return KnownFiles({}, {}, set(), set())
    with connect_read_only(path) as con:  # a run that publishes nothing must leave the file untouched
        documents = {
            (p, s): d for p, s, d in con.execute("SELECT source_path, source_sha256, doc_id FROM documents").fetchall()
        }
        rejects = {
            (p, s): (r, d)
            for p, s, r, d in con.execute("SELECT source_path, source_sha256, reason, detail FROM rejects").fetchall()
        }
        doc_ids = {d for (d,) in con.execute("SELECT doc_id FROM documents").fetchall()}
        runs = {r for (r,) in con.execute("SELECT run_id FROM runs").fetchall()}
    return KnownFiles(documents, rejects, doc_ids, runs)


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
        con.execute("BEGIN TRANSACTION")
        try:
            for table in (t for t in PUBLISHED_TABLES if t in staged):
                (count,) = con.execute(
                    f"INSERT OR IGNORE INTO {table} BY NAME SELECT * FROM read_parquet(?)", [str(staged[table])]
                ).fetchone()
                added[table] = count
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
    return added


def query(path: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Run one read-only query; returns column names and rows."""
    with connect_read_only(path) as con:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall()
