"""What earlier runs made of files, read from the warehouse: the state an incremental run starts from."""

from __future__ import annotations

import os
from collections.abc import Callable, Container, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from textlake.ingest.known import AppearanceKey, FileState, KnownFiles, appearance_key
from textlake.ingest.sources import display_path
from textlake.warehouse.connection import connect_for_writing, connect_read_only, warehouse_sql


def known_files(path: Path, wait_s: float) -> KnownFiles:
    if not path.exists():
        return KnownFiles({}, {}, set())
    with connect_read_only(path, wait_s) as con:  # a run that publishes nothing must leave the file untouched

        def rows(name: str) -> list[tuple[Any, ...]]:
            return con.execute(warehouse_sql(f"state/{name}.sql")).fetchall()

        try:
            documents, counts = _texts_by_file(rows("appearances_by_file"))
            appearances: Container[AppearanceKey] = WarehouseAppearances(path, wait_s)
        except duckdb.CatalogException:  # a warehouse from before `appearances`: its documents, few
            documents, counts, appearances = _appearances_of_documents(rows)
        try:
            rejects = {(p, s, w): (r, d) for p, s, w, r, d in rows("rejects")}
        except duckdb.BinderException:  # a warehouse from before source_record
            rejects = {(p, s, w): (r, d) for p, s, w, r, d in rows("rejects_of_files")}
        runs = {r for (r,) in rows("committed_runs")}
        state = _file_state(con)
    return KnownFiles(documents, rejects, runs, state, appearances, counts)


def _file_state(con: duckdb.DuckDBPyConnection) -> dict[str, FileState]:
    """Each input path as a run last read it, by the columns the warehouse has (a warehouse from before a
    column was added has it NULL until the next run that writes adds it; from before file_state: none)."""
    try:
        cursor = con.execute(warehouse_sql("state/file_state.sql"))
    except duckdb.CatalogException:
        return {}
    names = [column[0] for column in cursor.description]
    by_name = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {
        row["source_path"]: FileState(
            row["n_bytes"],
            row["mtime_ns"],
            row["source_sha256"],
            row.get("etag"),
            row.get("sample_sha256"),
            row.get("n_lines"),
        )
        for row in by_name
    }


def _texts_by_file(
    by_file: list[tuple[Any, ...]],
) -> tuple[dict[tuple[str, str], tuple[str, ...]], dict[tuple[str, str], int]]:
    """(path, sha256) → the distinct texts read from it, and → how many appearances it gave."""
    documents = {(p, s): tuple(ids) for p, s, ids, _ in by_file}
    return documents, {(p, s): n for p, s, _, n in by_file}


def _appearances_of_documents(
    rows: Callable[[str], list[tuple[Any, ...]]],
) -> tuple[dict[tuple[str, str], tuple[str, ...]], dict[tuple[str, str], int], frozenset[AppearanceKey]]:
    """In a warehouse from before `appearances` (read before the write that upgrades it): each document's own
    source as its one appearance."""
    try:
        found = rows("appearances_of_documents")
    except duckdb.BinderException:  # before documents had a url or outlet
        found = rows("appearances_of_documents_before_urls")
    doc_ids: dict[tuple[str, str], list[str]] = {}
    for p, s, d, _, _ in found:
        doc_ids.setdefault((p, s), []).append(d)
    counts = {key: len(ids) for key, ids in doc_ids.items()}
    keys = frozenset(appearance_key(d, url, outlet, p) for p, _, d, url, outlet in found)
    return {key: tuple(dict.fromkeys(ids)) for key, ids in doc_ids.items()}, counts, keys


class WarehouseAppearances:
    """The key of every appearance a warehouse has (`appearance_key`), fetched as triage asks: a text's keys at
    the first question about it, so a run that appends one record to a file of a million appearances fetches
    none of theirs. After `BULK_AFTER` texts, every key at once (a file read again whole asks of each text). A
    warehouse another process writes meanwhile raises `WarehouseBusy` after `wait_s`, as a load would."""

    BULK_AFTER = 32

    def __init__(self, path: Path, wait_s: float):
        self._path, self._wait_s = path, wait_s
        self._by_text: dict[str, frozenset[AppearanceKey]] = {}
        self._every: frozenset[AppearanceKey] | None = None

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple) or len(key) != 3:
            return False
        if self._every is None and len(self._by_text) >= self.BULK_AFTER:
            self._every = frozenset(self._fetch("appearance_keys", {}))
        if self._every is not None:
            return key in self._every
        doc_id = key[0]
        if doc_id not in self._by_text:
            self._by_text[doc_id] = frozenset(self._fetch("appearance_keys_of_text", {"doc_id": doc_id}))
        return key in self._by_text[doc_id]

    def _fetch(self, name: str, parameters: dict[str, str]) -> Iterator[AppearanceKey]:
        with connect_read_only(self._path, self._wait_s) as con:
            found = con.execute(warehouse_sql(f"state/{name}.sql"), parameters).fetchall()
        return (appearance_key(d, url, outlet, p) for d, url, outlet, p in found)


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
