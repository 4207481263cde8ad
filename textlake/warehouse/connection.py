"""Connections to the DuckDB warehouse: its DDL and views from `warehouse/*.sql`, waiting for the file lock,
read-only queries."""

from __future__ import annotations

import re
import shlex
import time
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import psutil

from textlake.resources import resource_dir
from textlake.warehouse.views import write_catalogue_comments


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
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"the warehouse {path} is busy: another process has it open{_holder(error)}, and DuckDB lets "
                    "one process write or several read at a time; end that process or close the warehouse in it "
                    f"(a textlake run holds it only while it loads), or pass --wait-timeout (waited {wait_s:g} s)"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
            continue
        # Times are UTC in the warehouse; shown, cast from dates and cut into days and months in UTC too,
        # whatever the machine's zone.
        con.execute("SET TimeZone = 'UTC'")
        return con


def _holder(error: duckdb.IOException) -> str:
    """' (textlake sql "SELECT …", PID 1234)' for the process DuckDB's lock error names: its command line
    as it was typed, not the interpreter that runs it; '' when the error names no holder."""
    found = re.search(r"held in (.+?) \(PID (\d+)\)", str(error))
    if not found:
        return ""
    return f" ({command_line(int(found.group(2))) or found.group(1)}, PID {found.group(2)})"


def command_line(pid: int, limit: int = 100) -> str | None:
    """A process's command line as a person typed it: a Python script's name and arguments without the
    interpreter's path (`textlake sql "SELECT 1"`, `python -c "…"`), cut at `limit` characters; None
    when the process is gone or not ours to read."""
    try:
        argv = psutil.Process(pid).cmdline()
    except (psutil.Error, OSError):
        return None
    if not argv:
        return None
    program = Path(argv[0]).name
    if program.startswith("python") and len(argv) > 1 and not argv[1].startswith("-"):
        argv = argv[1:]  # a script run by its interpreter (an entry point such as textlake): the script
        program = Path(argv[0]).name
    elif program.startswith("python"):
        program = "python"
    shown = shlex.join([program, *argv[1:]])
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def bound_memory(con: duckdb.DuckDBPyConnection, memory_limit: str, threads: int | None = None) -> None:
    """Keep a connection's work within `memory_limit` (e.g. '512MB'), spilling to disk beyond it; row order
    of inserts is not kept, which saves memory."""
    con.execute("SET memory_limit = ?", [memory_limit])
    con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute("SET threads = ?", [threads])


def warehouse_sql(name: str) -> str:
    """The SQL of `warehouse/<name>` (e.g. 'report/totals.sql'): every question textlake asks lives there."""
    return (resource_dir("warehouse") / name).read_text(encoding="utf-8")


def connect_for_writing(path: Path, wait_s: float) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse with its tables, in their current shape, and views in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only=False, wait_s=wait_s)
    upgrade_tables(con)
    con.execute(warehouse_sql("schema.sql"))
    fill_appearances_of_documents(con)
    con.execute(warehouse_sql("views.sql"))
    write_catalogue_comments(con)
    return con


def upgrade_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rebuild, with every row, each table an earlier release created in another shape than
    `warehouse/schema.sql` gives it now (a column missing, or of another type): in one transaction, the old
    table is renamed, the DDL creates the current one, the rows are copied by column name (each cast to the
    column's type now: a DATE `published` becomes midnight UTC; columns new since are NULL), and the old
    table is dropped. The columns come out in the DDL's order, as in a new warehouse; a column the DDL does
    not have (added by an analyst) is kept, after them. Returns the tables rebuilt."""
    current = _current_shapes()
    existing = {t: shape for t, shape in _shapes(con).items() if t in current}
    outdated = [t for t, shape in existing.items() if any(shape.get(c) != k for c, k in current[t].items())]
    if not outdated:
        return []
    con.execute("BEGIN TRANSACTION")
    try:
        for table in outdated:  # names from the catalog, equal to the DDL's: plain identifiers
            con.execute(f"ALTER TABLE {table} RENAME TO {table}_before_upgrade")
        con.execute(warehouse_sql("schema.sql"))
        for table in outdated:
            kinds = {**existing[table], **current[table]}
            for column in existing[table].keys() - current[table].keys():
                con.execute(f'ALTER TABLE {table} ADD COLUMN "{column}" {kinds[column]}')
            copied = ", ".join(f'CAST("{c}" AS {kinds[c]}) AS "{c}"' for c in existing[table])
            con.execute(f"INSERT INTO {table} BY NAME SELECT {copied} FROM {table}_before_upgrade")
            con.execute(f"DROP TABLE {table}_before_upgrade")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return outdated


def fill_appearances_of_documents(con: duckdb.DuckDBPyConnection) -> bool:
    """Give every document of a warehouse from before `appearances` existed its own appearance
    (`warehouse/upgrade/appearances_of_documents.sql`); True when it did. Such a warehouse is one with
    documents and no appearance: a run writes a document and its appearance in one transaction."""
    row = con.execute("SELECT NOT EXISTS (FROM appearances) AND EXISTS (FROM documents)").fetchone()
    if not (row and row[0]):
        return False
    con.execute(warehouse_sql("upgrade/appearances_of_documents.sql"))
    return True


@cache
def _current_shapes() -> dict[str, dict[str, str]]:
    """The tables as `warehouse/schema.sql` creates them."""
    with duckdb.connect() as con:
        con.execute(warehouse_sql("schema.sql"))
        return _shapes(con)


def _shapes(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Each table of the main schema: column → type."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "JOIN duckdb_tables() USING (database_name, schema_name, table_name) "
        "WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary "
        "ORDER BY table_name, column_index"
    ).fetchall()
    shapes: dict[str, dict[str, str]] = {}
    for table, column, kind in rows:
        shapes.setdefault(table, {})[column] = kind
    return shapes


def ensure_writable(path: Path, wait_s: float) -> None:
    """Raise `WarehouseBusy` (naming the process that has the file open) unless a run could write the
    warehouse now, or within `wait_s` seconds: a run says so before its language stage, not after."""
    if path.exists():
        _connect(path, read_only=False, wait_s=wait_s).close()


def connect_read_only(path: Path, wait_s: float) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise NoWarehouse(f"no warehouse at {path} yet: run `textlake run` first")
    return _connect(path, read_only=True, wait_s=wait_s)


def query(path: Path, sql: str, wait_s: float, write: bool = False) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run a query, read-only unless `write`; returns the last statement's column names and rows.
    Loads commit in one transaction, so a reader sees the warehouse before or after a run, never half."""
    if not write:
        refuse_writes(sql)
    connect = connect_for_writing if write else connect_read_only
    with connect(path, wait_s=wait_s) as con:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall()
