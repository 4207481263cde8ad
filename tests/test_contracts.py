"""schemas/, expectations/ and warehouse/ say the same thing about every table."""

from __future__ import annotations

import duckdb
import pytest

from textlake.lake.contracts import contract, tables
from textlake.quality.checks import SUITES, load_suite
from textlake.resources import resource_dir

DUCKDB_TYPES = {"string": "VARCHAR", "int32": "INTEGER", "int64": "BIGINT", "double": "DOUBLE",
                "date32[day]": "DATE", "timestamp[us, tz=UTC]": "TIMESTAMP WITH TIME ZONE", "bool": "BOOLEAN",
                "list<item: string>": "VARCHAR[]", "list<item: list<item: int64>>": "BIGINT[][]"}  # fmt: skip
TABLES = tables()


@pytest.mark.parametrize("table", TABLES)
def test_every_column_has_a_description_and_the_table_a_grain_and_key(table):
    c = contract(table)
    assert c.grain.startswith("one row per")
    assert set(c.key) <= set(c.columns)
    assert all(c.description(column).strip() for column in c.columns), "a column lacks a description"


@pytest.mark.parametrize("table", TABLES)
def test_duckdb_ddl_matches_the_schema(table):
    with duckdb.connect() as con:
        con.execute((resource_dir("warehouse") / "schema.sql").read_text())
        described = con.execute(f"DESCRIBE {table}").fetchall()
    ddl = [(name, kind, nullable == "YES") for name, kind, nullable, *_ in described]
    expected = [(f.name, DUCKDB_TYPES[str(f.type)], f.nullable) for f in contract(table).schema]
    assert ddl == expected


def test_every_table_has_a_suite_but_the_checks_own_results():
    assert set(SUITES) == {*TABLES, "cross_table", "views"} - {"validations"}


@pytest.mark.parametrize("table", [t for t in TABLES if t in SUITES])
def test_every_column_has_a_check_and_every_required_column_a_not_null_check(table):
    suite = load_suite(table)
    cross_table = load_suite("cross_table")["expectations"]
    checked = {c.split(".", 1)[1] for e in cross_table for c in e["meta"]["columns"] if c.startswith(f"{table}.")}
    for expectation in suite["expectations"]:
        kwargs = expectation["kwargs"]
        checked |= {
            kwargs.get("column"),
            kwargs.get("column_A"),
            kwargs.get("column_B"),
            *kwargs.get("column_list", []),
        }
        assert expectation["meta"]["severity"] in ("error", "warning")
    schema = contract(table).schema
    not_null = {
        e["kwargs"]["column"] for e in suite["expectations"] if e["type"] == "expect_column_values_to_not_be_null"
    }
    assert {f.name for f in schema if not f.nullable} <= not_null
    assert not set(schema.names) - checked, f"columns without a check: {set(schema.names) - checked}"
