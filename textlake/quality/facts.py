"""Facts the `cross_table` and `views` suites assert, computed by DuckDB over a run's staged Parquet:
what spans tables (`warehouse/checks/cross_table.sql`) and what the analysts' views say about the run's
rows (`warehouse/checks/views.sql`)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from textlake.lake.contracts import staged_tables
from textlake.resources import resource_dir
from textlake.settings import Settings
from textlake.warehouse.connection import bound_memory, connect_read_only, warehouse_sql


def _kind_column() -> str:
    """The cross-table facts' kind column, as the suite names it (a plain identifier)."""
    suite = json.loads((resource_dir("expectations") / "cross_table.json").read_text(encoding="utf-8"))
    return str(suite["meta"]["kind_column"])


def cross_table_facts(staged: dict[str, Path], settings: Settings) -> pd.DataFrame:
    """The frame the `cross_table` suite runs on, computed over the staged Parquet of one run."""
    with _facts_query(staged, settings) as (con, sql):
        return con.execute(sql).df()


def stage_cross_table_facts(staged: dict[str, Path], settings: Settings) -> Path:
    """The same facts written to Parquet beside the staged tables (streamed, never whole in memory), a file
    per kind of row (`<kind column>=<kind>/`), to be validated kind by kind and in chunks: a large run has a
    row of facts per sentence and entity, and each kind has only its own facts."""
    target = next(iter(staged.values())).parent / "cross_table_facts"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    kind = _kind_column()
    with _facts_query(staged, settings) as (con, sql):
        whole = sql.strip().rstrip(";")
        ctes, selects = _union_parts(whole)
        # One part of the union at a time: DuckDB runs a UNION ALL's parts side by side, and together they
        # outgrew the memory limit each part keeps within (10,000 articles: out of memory at 512 MB). Every
        # file has every column, NULL where its part has none, as one pass over the union gave.
        columns = con.execute(f"DESCRIBE ({whole})").fetchall()  # binds the query, runs nothing
        for number, select in enumerate(selects):
            own = {row[0] for row in con.execute(f"DESCRIBE ({ctes} {select})").fetchall()}
            every_column = ", ".join(
                f'"{name}"' if name in own else f'NULL::{type_} AS "{name}"' for name, type_, *_ in columns
            )
            written = target / f"part_{number}.parquet"
            con.execute(
                f"COPY ({ctes} SELECT {every_column} FROM ({select})) TO '{_sql_path(written)}' (FORMAT parquet)"
            )
            kinds = pc.unique(pq.read_table(written, columns=[kind]).column(kind)).to_pylist()
            if not kinds:  # no rows of this part's kind: no file, as a partitioned write gave none
                written.unlink()
                continue
            assert len(kinds) == 1, f"a part of the cross-table facts query gave rows of several kinds: {kinds}"
            (folder := target / f"{kind}={kinds[0]}").mkdir(exist_ok=True)
            written.rename(folder / written.name)
    return target


def _union_parts(query: str) -> tuple[str, list[str]]:
    """A `WITH … SELECT … UNION ALL BY NAME SELECT …` query as its WITH clause and its SELECTs."""
    body = re.search(r"^SELECT", query, re.MULTILINE)  # the WITH clause's SELECTs are indented
    assert body, "the cross-table facts query has no SELECT at the start of a line"
    return query[: body.start()], [part.strip() for part in query[body.start() :].split("\nUNION ALL BY NAME\n")]


def view_facts(staged: dict[str, Path], settings: Settings) -> pd.DataFrame:
    """The frame the `views` suite runs on: a row of facts per view, the views made over the staged
    Parquet of one run (`warehouse/checks/views.sql`)."""
    with _facts_query(staged, settings) as (con, _):
        con.execute((resource_dir("warehouse") / "views.sql").read_text(encoding="utf-8"))
        return con.execute((resource_dir("warehouse") / "checks" / "views.sql").read_text(encoding="utf-8")).df()


def stage_facts(staged: dict[str, Path], settings: Settings) -> tuple[Path, Path]:
    """The cross-table facts and the view facts, staged as Parquet beside the run's tables."""
    cross_table = stage_cross_table_facts(staged, settings)
    views = next(iter(staged.values())).parent / "view_facts.parquet"
    pq.write_table(pa.Table.from_pandas(view_facts(staged, settings), preserve_index=False), views)
    return cross_table, views


@contextmanager
def _facts_query(staged: dict[str, Path], settings: Settings) -> Iterator[tuple[duckdb.DuckDBPyConnection, str]]:
    with duckdb.connect() as con:
        # A bounded budget, spilling beside the staged files beyond it: a large run's joins and sorts
        # would otherwise take memory in proportion to the run. Every core: the checks run after the
        # language stage, whose worker processes have ended (a 2,000-document run's facts: 1.55 s on one
        # thread, 0.85 s on two).
        bound_memory(con, settings.duckdb_memory_limit)
        con.execute("SET temp_directory = ?", [str(next(iter(staged.values())).parent / "duckdb_tmp")])
        con.execute("SET VARIABLE corpus_language = ?", [settings.corpus_language])
        con.execute("SET VARIABLE ner_languages = ?::VARCHAR[]", [list(settings.ner_languages)])
        for table in staged_tables():  # names from the contracts, plain identifiers
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{_sql_path(staged[table])}')")
        named = [doc_id for (doc_id,) in con.execute(warehouse_sql("checks/documents_named_by_copies.sql")).fetchall()]
        con.execute(
            "CREATE TEMP TABLE earlier_documents AS SELECT unnest(?::VARCHAR[]) AS doc_id",
            [_earlier_documents(named, settings)],
        )
        yield con, (resource_dir("warehouse") / "checks" / "cross_table.sql").read_text(encoding="utf-8")


def _earlier_documents(doc_ids: list[str], settings: Settings) -> list[str]:
    """Of `doc_ids` (named by a run's copies, not among its own documents), those the warehouse has: a copy's
    text may be a document of an earlier run. The warehouse is opened only when there are some to look up."""
    if not doc_ids or not settings.warehouse_path.exists():
        return []
    with connect_read_only(settings.warehouse_path, settings.query_wait_s) as warehouse:
        rows = warehouse.execute(warehouse_sql("checks/earlier_documents.sql"), {"doc_ids": doc_ids}).fetchall()
    return [doc_id for (doc_id,) in rows]


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
