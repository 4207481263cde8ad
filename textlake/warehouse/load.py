"""Loading a run: its staged tables and its `runs` row into the warehouse in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from textlake.faults import crash_point
from textlake.lake.staging import PUBLISHED_TABLES
from textlake.warehouse.connection import bound_memory, connect_for_writing
from textlake.warehouse.search import rebuild_sentence_index


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


def load_run(path: Path, staged: dict[str, Path], run: RunRecord, wait_s: float, memory_limit: str) -> dict[str, int]:
    """Insert a run's staged tables and its `runs` row in one transaction; rows already present are
    skipped by key, so loading the same files twice adds nothing. Returns rows added per table."""
    added: dict[str, int] = {}
    with connect_for_writing(path, wait_s) as con:
        # Unbounded, the key checks and the search index rebuild over all sentences took 1.2 GB at 30,000
        # documents, memory that grows with the warehouse.
        bound_memory(con, memory_limit)
        con.execute("BEGIN TRANSACTION")
        try:
            for table in (t for t in PUBLISHED_TABLES if t in staged):
                verb = "INSERT OR REPLACE" if table == "file_state" else "INSERT OR IGNORE"
                inserted = con.execute(
                    f"{verb} INTO {table} BY NAME SELECT * FROM read_parquet(?)", [str(staged[table])]
                ).fetchone()
                added[table] = inserted[0] if inserted else 0
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
            rebuild_sentence_index(con)
    return added
