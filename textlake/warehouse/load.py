"""Loading a run: its staged tables, its `runs` row among them, into the warehouse in one transaction."""

from __future__ import annotations

from pathlib import Path

import duckdb

from textlake.faults import crash_point
from textlake.lake.contracts import contract, tables
from textlake.warehouse.connection import bound_memory, connect_for_writing, warehouse_sql
from textlake.warehouse.search import update_search_index


def load_run(path: Path, staged: dict[str, Path], wait_s: float, memory_limit: str) -> dict[str, int]:
    """Insert a run's staged tables, its `runs` row among them, in one transaction, by column name. A row
    whose key is there already is kept or replaced as its table's contract says (`on_conflict`), so loading
    the same files twice adds nothing. Documents an earlier release staged, without appearances, get their
    own appearance. Returns rows added per table."""
    added: dict[str, int] = {}
    with connect_for_writing(path, wait_s) as con:
        # Unbounded, the key checks and the search index rebuild over all sentences took 1.2 GB at 30,000
        # documents, memory that grows with the warehouse.
        bound_memory(con, memory_limit)
        con.execute("BEGIN TRANSACTION")
        try:
            for table in (t for t in tables() if t in staged):
                inserted = con.execute(
                    _insert_sql(table, _columns_of(con, staged[table])), [str(staged[table])]
                ).fetchone()
                added[table] = inserted[0] if inserted else 0
                crash_point("load")
            if "documents" in staged and "appearances" not in staged:  # staged by a release before appearances
                sql = warehouse_sql("upgrade/appearances_of_staged_documents.sql")
                con.execute(sql, [str(staged["documents"])])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        update_search_index(con)
    return added


def _columns_of(con: duckdb.DuckDBPyConnection, parquet: Path) -> set[str]:
    return {row[0] for row in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(parquet)]).fetchall()}


def _insert_sql(table: str, staged_columns: set[str]) -> str:
    """The statement adding a staged table's rows (its Parquet file the one parameter): replacing rows with
    the same key, or adding only rows whose key is new (those tables have no key index: warehouse/schema.sql
    says why). Key columns compare NULL-safely: a NULL `rejects.source_record` (the whole file) is the same
    key as another NULL. A column the file lacks (staged by an earlier release, before the column existed)
    loads as NULL. Names come from the contract, checked there to be plain identifiers."""
    table_contract = contract(table)
    missing = "".join(f", NULL AS {column}" for column in table_contract.columns if column not in staged_columns)
    rows = f"(SELECT *{missing} FROM read_parquet(?))"
    if table_contract.on_conflict == "replace":
        return f"INSERT OR REPLACE INTO {table} BY NAME SELECT * FROM {rows}"
    same_key = " AND ".join(f"loaded.{column} IS NOT DISTINCT FROM staged.{column}" for column in table_contract.key)
    return (
        f"INSERT INTO {table} BY NAME SELECT * FROM {rows} AS staged "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS loaded WHERE {same_key})"
    )
