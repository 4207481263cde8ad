"""View contracts from `schemas/views/*.yaml` (grain, key, each column's description), and the warehouse's
own catalogue comments written from them and from the table contracts, so `duckdb_columns()` and
`textlake sql "DESCRIBE …"` readers see what a column means without opening this repository."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import duckdb
import yaml

from textlake.lake.contracts import contract, tables
from textlake.resources import resource_dir


@dataclass(frozen=True)
class ViewContract:
    name: str
    grain: str
    key: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]  # (column, description), in the view's column order

    def description(self, column: str) -> str:
        return dict(self.columns)[column]


@cache
def view_contract(view: str) -> ViewContract:
    """A view's contract. `columns_from: TABLE` says the view has that table's columns and descriptions."""
    spec = yaml.safe_load((resource_dir("schemas") / "views" / f"{view}.yaml").read_text(encoding="utf-8"))
    if spec["view"] != view or not view.isidentifier():
        raise ValueError(f"schemas/views/{view}.yaml: the view's name must be its file's name, a plain identifier")
    if "columns_from" in spec:
        table = contract(spec["columns_from"])
        columns = tuple((name, table.description(name)) for name in table.columns)
    else:
        columns = tuple((str(c["name"]), str(c["description"])) for c in spec["columns"])
    return ViewContract(view, spec["grain"], tuple(spec["key"]), columns)


@cache
def views() -> tuple[str, ...]:
    """Every view, one per file in schemas/views/."""
    return tuple(sorted(path.stem for path in (resource_dir("schemas") / "views").glob("*.yaml")))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def catalogue_comments() -> dict[tuple[str, str | None], str]:
    """What the catalogue should say: (relation, None) → the relation's grain, (relation, column) → the
    column's description, for every table and view."""
    wanted: dict[tuple[str, str | None], str] = {}
    for table in tables():
        c = contract(table)
        wanted[table, None] = c.grain
        wanted.update({(table, name): c.description(name) for name in c.columns})
    for view in views():
        v = view_contract(view)
        wanted[view, None] = v.grain
        wanted.update({(view, name): text for name, text in v.columns})
    return wanted


_CATALOGUE = """
SELECT table_name, NULL, comment FROM duckdb_tables() WHERE schema_name = 'main'
UNION ALL SELECT view_name, NULL, comment FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal
UNION ALL SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'main'
"""


def write_catalogue_comments(con: duckdb.DuckDBPyConnection) -> None:
    """Describe every table and view in the warehouse's catalogue, writing only what it does not say yet
    (views are created anew on each connection, which clears their comments; tables keep theirs)."""
    kinds = {name: "VIEW" for name in views()} | {name: "TABLE" for name in tables()}
    present = {(relation, column): comment for relation, column, comment in con.execute(_CATALOGUE).fetchall()}
    statements = [
        f"COMMENT ON {kinds[relation]} {relation} IS {_literal(text)}"
        if column is None
        else f"COMMENT ON COLUMN {relation}.{column} IS {_literal(text)}"
        for (relation, column), text in catalogue_comments().items()
        if present.get((relation, column)) != text
    ]
    if statements:
        con.execute(";\n".join(statements))
