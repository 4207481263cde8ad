"""What earlier runs made of files, read from the warehouse: the state an incremental run starts from."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from textlake.ingest.sources import display_path
from textlake.ingest.triage import AppearanceKey, FileState, KnownFiles, appearance_key
from textlake.warehouse.connection import connect_for_writing, connect_read_only, warehouse_sql


def known_files(path: Path, wait_s: float) -> KnownFiles:
    if not path.exists():
        return KnownFiles({}, {}, set())
    with connect_read_only(path, wait_s) as con:  # a run that publishes nothing must leave the file untouched

        def rows(name: str) -> list[tuple[Any, ...]]:
            return con.execute(warehouse_sql(f"state/{name}.sql")).fetchall()

        doc_ids: dict[tuple[str, str], list[str]] = {}
        keys: set[AppearanceKey] = set()
        for p, s, d, url, outlet in _appearances(rows):  # one per text file; one per record of a record file
            doc_ids.setdefault((p, s), []).append(d)
            keys.add(appearance_key(d, url, outlet, p))
        documents = {key: tuple(ids) for key, ids in doc_ids.items()}
        try:
            rejects = {(p, s, w): (r, d) for p, s, w, r, d in rows("rejects")}
        except duckdb.BinderException:  # a warehouse from before source_record
            rejects = {(p, s, w): (r, d) for p, s, w, r, d in rows("rejects_of_files")}
        runs = {r for (r,) in rows("committed_runs")}
        try:
            state = {p: FileState(n, m, h, e) for p, n, m, h, e in rows("file_state")}
        except duckdb.BinderException:  # a warehouse from before file_state had etag
            state = {p: FileState(n, m, h) for p, n, m, h in rows("file_state_of_files")}
        except duckdb.CatalogException:  # a warehouse from before file_state existed
            state = {}
    return KnownFiles(documents, rejects, runs, state, frozenset(keys))


def _appearances(rows: Callable[[str], list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    """(source_path, source_sha256, doc_id, url, outlet) of every appearance; in a warehouse from before
    `appearances` (read before the write that upgrades it), each document's own source."""
    try:
        return rows("appearances")
    except duckdb.CatalogException:
        pass
    try:
        return rows("appearances_of_documents")
    except duckdb.BinderException:  # before documents had a url or outlet
        return rows("appearances_of_documents_before_urls")


def absolute_source_paths(path: Path, bases: Sequence[Path], wait_s: float) -> dict[str, str]:
    """Give rows stored under a relative source path (by releases before paths were absolute) the absolute
    path of the file they came from: the first of `bases` (the working directory, then the data dir's
    parent) under which that file exists. A path that resolves under none stays as it is, and is tried
    again by the next run. Returns the moves made, old → new. The caller holds the data dir's lock."""
    if not path.exists():
        return {}
    with connect_read_only(path, wait_s) as con:
        relative = [p for (p,) in con.execute(warehouse_sql("state/relative_paths.sql")).fetchall()]
    moves = {}
    for old in relative:
        found = next((base / old for base in bases if (base / old).exists()), None)
        if found is not None:
            moves[old] = display_path(Path(os.path.realpath(found)))
    if moves:
        with connect_for_writing(path, wait_s) as con:
            con.execute("BEGIN TRANSACTION")
            statements = duckdb.extract_statements(warehouse_sql("state/move_path.sql"))
            for old, new in moves.items():
                for statement in statements:  # DuckDB binds parameters one statement at a time
                    con.execute(statement, {"old": old, "new": new})
            con.execute("COMMIT")
    return moves
