"""`textlake review`: what an analyst should look at in the warehouse, each kind of doubt from its query in
`warehouse/review/`, most mentioned first, with an example in its document's words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from textlake.warehouse.connection import connect_read_only, warehouse_sql


@dataclass(frozen=True)
class ReviewKind:
    name: str  # as --kind takes it
    query: str  # warehouse/review/<query>.sql
    title: str
    fix: str  # the curation file's rule that settles it


KINDS = (
    ReviewKind("label-conflicts", "label_conflicts", "Names with more than one label across documents",
               "label: {NAME: PER|LOC|ORG|MISC}, or merge: {NAME: OTHER NAME}"),
    ReviewKind("surnames", "surnames", "Persons named by one word alone",
               "merge: {SURNAME: FULL NAME}, or drop: [WORD] when it names nobody"),
    ReviewKind("unlinked-places", "unlinked_places", "Place names with no GeoNames entry",
               "place: {NAME: GEONAMES ID}, or label / drop when it is no place"),
    ReviewKind("place-speakers", "place_speakers", "Speakers that are places",
               "speaker: {NAME: WHO SPOKE} (null: nobody), or label: {NAME: ORG}"),
)  # fmt: skip
KIND_NAMES = tuple(kind.name for kind in KINDS)
EXAMPLE_WIDTH = 40  # characters of the document on each side of an example's mention


@dataclass(frozen=True)
class ReviewItem:
    name: str
    detail: str
    mentions: int  # mentions, or quotations for speakers
    documents: int
    example_doc: str
    example: str  # the words around the mention, the mention in brackets


@dataclass(frozen=True)
class ReviewSection:
    kind: ReviewKind
    total: int  # items of the kind in the warehouse; `items` holds the first of them
    items: list[ReviewItem]


def review(warehouse: Path, kinds: tuple[str, ...], limit: int, wait_s: float) -> list[ReviewSection]:
    """The sections asked for (names from KIND_NAMES), each its `limit` items with most mentions."""
    with connect_read_only(warehouse, wait_s) as con:
        return [_section(con, kind, limit) for kind in KINDS if kind.name in kinds]


def _section(con: duckdb.DuckDBPyConnection, kind: ReviewKind, limit: int) -> ReviewSection:
    rows = con.execute(warehouse_sql(f"review/{kind.query}.sql"), {"limit": limit}).fetchall()
    items = [
        ReviewItem(name, detail, mentions, documents, doc_id, _example(con, doc_id, start, end))
        for name, detail, mentions, documents, doc_id, start, end, _ in rows
    ]
    return ReviewSection(kind, rows[0][-1] if rows else 0, items)


def _example(con: duckdb.DuckDBPyConnection, doc_id: str, start: int, end: int) -> str:
    found = con.execute(
        warehouse_sql("review/example.sql"), {"doc_id": doc_id, "start": start, "end": end, "width": EXAMPLE_WIDTH}
    ).fetchone()
    return str(found[0]) if found else ""
