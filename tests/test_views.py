"""schemas/views/ describes every view in warehouse/views.sql, column by column, and the warehouse's own
catalogue says the same to whoever queries it."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.literal_warehouse import write_literal_warehouse
from textlake.resources import resource_dir
from textlake.warehouse.views import view_contract, views

VIEWS = views()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = write_literal_warehouse(tmp_path_factory.mktemp("views") / "warehouse.duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


def test_every_view_in_views_sql_has_a_contract_and_no_contract_lacks_its_view():
    created = re.findall(r"CREATE OR REPLACE VIEW (\w+)", (resource_dir("warehouse") / "views.sql").read_text())
    assert sorted(created) == list(VIEWS)


@pytest.mark.parametrize("view", VIEWS)
def test_a_view_has_the_columns_its_contract_describes_in_that_order(view, warehouse):
    contract = view_contract(view)
    described = [name for name, *_ in warehouse.execute(f"DESCRIBE {view}").fetchall()]
    assert described == [name for name, _ in contract.columns]
    assert contract.grain.startswith("one row per")
    assert set(contract.key) <= set(described)
    assert all(text.strip() for _, text in contract.columns), "a column lacks a description"


@pytest.mark.parametrize("view", VIEWS)
def test_the_warehouse_catalogue_carries_each_view_column_description(view, warehouse):
    comments = dict(
        warehouse.execute("SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ?", [view]).fetchall()
    )
    assert comments == dict(view_contract(view).columns)
    [(grain,)] = warehouse.execute("SELECT comment FROM duckdb_views() WHERE view_name = ?", [view]).fetchall()
    assert grain == view_contract(view).grain


def test_the_warehouse_catalogue_carries_each_table_column_description(warehouse):
    [(comment,)] = warehouse.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'documents' AND column_name = 'doc_id'"
    ).fetchall()
    assert comment.startswith("Stable content hash of the normalised text")


@pytest.mark.parametrize(
    "view",
    [
        "current_documents",
        "document_versions",
        "current_appearances",
        "documents_by_outlet",
        "current_entities",
        "entity_mentions",
        "entity_counts_by_month",
        "entity_names",
        "entity_cooccurrence",
        "documents_by_month",
        "language_stats",
    ],
)
def test_a_view_holds_one_row_per_key_as_its_grain_says(view, warehouse):
    key = ", ".join(view_contract(view).key)
    [(rows,)] = warehouse.execute(f"SELECT count(*) FROM {view}").fetchall()
    [(distinct,)] = warehouse.execute(f"SELECT count(*) FROM (SELECT DISTINCT {key} FROM {view})").fetchall()
    assert rows > 0, "the literal warehouse should give this view rows to check"
    assert rows == distinct
