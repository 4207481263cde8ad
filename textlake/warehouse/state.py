"""What earlier runs made of files, read from the warehouse: the state an incremental run starts from."""

from __future__ import annotations

from pathlib import Path

import duckdb

from textlake.ingest.triage import KnownFiles
from textlake.warehouse.connection import connect_read_only


def known_files(path: Path, wait_s: float) -> KnownFiles:
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
