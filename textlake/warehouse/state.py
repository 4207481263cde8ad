"""What earlier runs made of files, read from the warehouse: the state an incremental run starts from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from textlake.ingest.triage import KnownFiles
from textlake.warehouse.connection import connect_read_only, warehouse_sql


def known_files(path: Path, wait_s: float) -> KnownFiles:
    if not path.exists():
        return KnownFiles({}, {}, set())
    with connect_read_only(path, wait_s) as con:  # a run that publishes nothing must leave the file untouched

        def rows(name: str) -> list[tuple[Any, ...]]:
            return con.execute(warehouse_sql(f"state/{name}.sql")).fetchall()

        documents = {(p, s): d for p, s, d in rows("documents")}
        rejects = {(p, s): (r, d) for p, s, r, d in rows("rejects")}
        runs = {r for (r,) in rows("committed_runs")}
        try:
            state = {p: (n, m, h) for p, n, m, h in rows("file_state")}
        except duckdb.CatalogException:  # a warehouse from before file_state existed
            state = {}
    return KnownFiles(documents, rejects, runs, state)
