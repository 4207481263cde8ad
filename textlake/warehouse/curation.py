"""`textlake curate apply`: the curation file applied to the rows already in the warehouse, without the
language stage, in one transaction that also records every change in `curation_log`.

The rows a rule names are read (`warehouse/curation/*.sql`), changed by the same function a run applies
to its new rows (textlake.lake.curation.curate_tables), and written back; the place names the rules touch
are linked again (a pin, else the lookup), added where a place mention now uses them and removed where
none does any more. Applying the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from textlake.lake import tables
from textlake.lake.curation import Application, Curation, curate_tables, pinned_places, rule_text
from textlake.nlp.places import load_places
from textlake.warehouse.connection import NoWarehouse, bound_memory, connect_for_writing, warehouse_sql
from textlake.warehouse.search import update_search_index


@dataclass(frozen=True)
class CurationApplied:
    application_id: str
    changes: Counter[tuple[str, str]]  # (table, change) → values changed: ("entities", "updated") …

    @property
    def total(self) -> int:
        return sum(self.changes.values())


def application_id(now: dt.datetime) -> str:
    return f"curate-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def apply_curation(path: Path, curation: Curation, wait_s: float, memory_limit: str) -> CurationApplied:
    """Apply `curation` to the warehouse at `path`; what changed is in `curation_log` under the returned id."""
    if not path.exists():
        raise NoWarehouse(f"no warehouse at {path} yet: run `textlake run` first")
    now = dt.datetime.now(dt.UTC)
    application = Application(curation, application_id(now), now)
    with connect_for_writing(path, wait_s) as con:
        bound_memory(con, memory_limit)
        con.execute("BEGIN TRANSACTION")
        try:
            changed_quotes = _apply(con, application)
            con.register("log", application.log_table())
            con.execute("INSERT INTO curation_log BY NAME SELECT * FROM log")
            if changed_quotes and _has_search_index(con):  # found by their speakers' names too: index them again
                con.register("changed_quotes", pa.table({"id": pa.array(sorted(changed_quotes), pa.string())}))
                con.execute(warehouse_sql("curation/forget_indexed_quotes.sql"))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        update_search_index(con)
    return CurationApplied(application.application_id, Counter((r["table_name"], r["change"]) for r in application.log))


def _has_search_index(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'search' AND table_name IN ('occurrences', 'lengths')"
    ).fetchone()
    return bool(found and found[0] == 2)


def _apply(con: duckdb.DuckDBPyConnection, application: Application) -> set[str]:
    """Change the rows the rules name; returns the quotations changed."""
    curation = application.curation
    con.register("rule_names", pa.table({"name": pa.array(sorted(curation.names()), pa.string())}))
    con.register("dropped_names", pa.table({"name": pa.array(sorted(curation.drops), pa.string())}))
    entities = con.execute(warehouse_sql("curation/entities_named.sql")).to_arrow_table()
    quotes = con.execute(warehouse_sql("curation/quotes_named.sql")).to_arrow_table()
    curated = curate_tables(application, entities, quotes)
    changed = {(r["table_name"], r["row_key"]) for r in application.log}
    removed = [r["row_key"] for r in application.log if r["table_name"] == "entities" and r["change"] == "removed"]
    con.register("removed_entities", pa.table({"entity_id": pa.array(removed, pa.string())}))
    con.register(
        "curated_entities", curated.entities.filter(_keys_in(curated.entities, "entity_id", changed, "entities"))
    )
    con.register("curated_quotes", curated.quotes.filter(_keys_in(curated.quotes, "quote_id", changed, "quotes")))
    con.register("removed_per_document", pa.table({
        "doc_id": pa.array(list(curated.removed_per_document), pa.string()),
        "removed": pa.array(list(curated.removed_per_document.values()), pa.int64()),
    }))  # fmt: skip
    con.execute(warehouse_sql("curation/write_back.sql"))
    _link_places(con, application)
    return {key for table, key in changed if table == "quotes"}


def _keys_in(table: pa.Table, column: str, changed: set[tuple[str, str]], table_name: str) -> pa.Array:
    return pa.array([(table_name, key) in changed for key in table.column(column).to_pylist()], pa.bool_())


def _link_places(con: duckdb.DuckDBPyConnection, application: Application) -> None:
    """The `places` rows of the names the rules touch, as the warehouse's entities now use them: linked to
    the pinned place or the lookup's where a place mention uses the name, removed where none does."""
    touched = application.curation.place_names()
    if not touched:
        return
    con.register("touched_names", pa.table({"name": pa.array(sorted(touched), pa.string())}))
    used = {row[0] for row in con.execute(warehouse_sql("curation/place_names_used.sql")).fetchall()}
    existing = dict(con.execute(warehouse_sql("curation/places_of_names.sql")).fetchall())
    linked = pinned_places(_quiet(application), used, load_places(used))
    wanted = tables.places_table(used, application.application_id, linked)
    ids = dict(zip(wanted.column("canonical").to_pylist(), wanted.column("geonames_id").to_pylist(), strict=True))
    rules = _place_rules(application.curation, touched)
    for name in sorted(set(existing) - used):
        application.record(rules[name], "places", name, "canonical", "removed", name, None)
    for name in sorted(used):
        if name not in existing:
            application.record(rules[name], "places", name, "geonames_id", "added", None, ids[name])
        elif existing[name] != ids[name]:
            application.record(rules[name], "places", name, "geonames_id", "updated", existing[name], ids[name])
    renewed = [name for name in sorted(used) if name not in existing or existing[name] != ids[name]]
    con.register("places_removed", pa.table({"name": pa.array(sorted(set(existing) - used), pa.string())}))
    con.register(
        "places_renewed", wanted.filter(pa.array([n in renewed for n in wanted.column("canonical").to_pylist()]))
    )
    con.execute(warehouse_sql("curation/write_places.sql"))


def _quiet(application: Application) -> Application:
    """The same curation, its log kept apart: `_link_places` records place changes itself, against the rows
    the warehouse has rather than against the lookup."""
    return Application(application.curation, application.application_id, application.applied_at, [])


def _place_rules(curation: Curation, names: set[str]) -> dict[str, str]:
    """For each name whose place row changes, the rule that changed it (the last that names it)."""
    rules: dict[str, str] = {}
    for alias, name in curation.merges.items():
        rules.setdefault(alias, rule_text("merge", alias, name))
        rules.setdefault(name, rule_text("merge", alias, name))
    for name in curation.drops:
        rules[name] = rule_text("drop", name)
    for name, label in curation.labels.items():
        rules[name] = rule_text("label", name, label)
    for name, place in curation.places.items():
        rules[name] = rule_text("place", name, place)
    return {name: rules[name] for name in names if name in rules}
