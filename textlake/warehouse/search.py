"""Search: BM25 with German stemming over `sentences.text` and over quotations (`quotes.text` and their
speakers), from an index of terms the load keeps up to date (`warehouse/search/index.sql`).

The stemmer is the FTS extension's `stem()`. The extension comes from the PyPI package
duckdb-extension-fts, built for the pinned DuckDB, and is loaded from its file: DuckDB never downloads an
extension here (auto-install and auto-load are off).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from textlake.resources import resource_dir
from textlake.warehouse.connection import connect_read_only, warehouse_sql


def fts_extension_path() -> Path:
    import duckdb_extension_fts

    path = Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    if not path.exists():
        raise FileNotFoundError(f"no FTS extension for DuckDB {duckdb.__version__} at {path}")
    return path


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute(f"LOAD '{fts_extension_path()}'")


def update_search_index(con: duckdb.DuckDBPyConnection) -> None:
    """Index the sentences and quotations not indexed yet (`warehouse/search/index.sql`); called by every
    load, inside its connection. The work grows with the rows added, not with the warehouse."""
    load_fts(con)
    _drop_indexes_of_earlier_versions(con)
    con.execute(warehouse_sql("search/index.sql"))


def _drop_indexes_of_earlier_versions(con: duckdb.DuckDBPyConnection) -> None:
    """The FTS extension's own indexes (rebuilt in full by every load), and a `search` schema whose
    `search.terms` counted each term per row: the index SQL then indexes every row again."""
    for old_index in ("sentences", "quotes"):
        if _catalog_has(con, "duckdb_schemas() WHERE schema_name = ?", f"fts_main_{old_index}"):
            con.execute(f"PRAGMA drop_fts_index('{old_index}')")
    if _catalog_has(con, "duckdb_tables() WHERE schema_name = 'search' AND table_name = ?", "terms"):
        con.execute("DROP SCHEMA search CASCADE")


def _catalog_has(con: duckdb.DuckDBPyConnection, where: str, name: str) -> bool:
    return con.execute(f"SELECT count(*) FROM {where}", [name]).fetchone() != (0,)


# A word as the index splits text into words (`[\p{L}\p{N}]+` in index.sql): letters and digits.
_WORD = re.compile(r"[^\W_]+")


class NothingToSearch(ValueError):
    """A query with no word to rank by: empty, punctuation only, or German stop words only."""


@dataclass(frozen=True)
class Query:
    words: str  # what the index is searched for
    ignored: tuple[str, ...]  # stop words left out of it


@cache
def stop_words() -> frozenset[str]:
    lines = (resource_dir("warehouse") / "search" / "stop_words_german.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in lines.splitlines() if line.strip() and not line.startswith("#"))


def search_query(text: str) -> Query:
    """The words of `text` to search for: German stop words ("der die das") are in nearly every sentence
    and would rank anything, so they are left out; raises NothingToSearch when no word is left."""
    words = _WORD.findall(text.lower())
    kept = [w for w in words if w not in stop_words()]
    if not words:
        raise NothingToSearch('search needs words to look for, e.g. textlake search "Atomwaffen Belarus"')
    if not kept:
        raise NothingToSearch(f"only stop words ({', '.join(dict.fromkeys(words))}): nothing to rank them by")
    return Query(" ".join(kept), tuple(dict.fromkeys(w for w in words if w in stop_words())))


def search_sentences(
    warehouse: Path, query: str, wait_s: float, limit: int = 10, all_terms: bool = False
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Ranked sentences for `query`: column names and rows (score, published, sentence, title, url,
    sentence_id, path)."""
    empty = ["score", "published", "sentence", "title", "url", "sentence_id", "source_path"]
    return _search(warehouse, "search/sentences.sql", empty, query, wait_s, limit, all_terms)


def search_quotes(
    warehouse: Path, query: str, wait_s: float, limit: int = 10, all_terms: bool = False
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Ranked quotations for `query` (words of the quotation or its speaker): column names and rows (score,
    published, speaker, kind, quotation, title, url, quote_id, path)."""
    empty = ["score", "published", "speaker", "kind", "quotation", "title", "url", "quote_id", "source_path"]
    return _search(warehouse, "search/quotes.sql", empty, query, wait_s, limit, all_terms)


def _search(
    warehouse: Path, sql: str, empty: list[str], query: str, wait_s: float, limit: int, all_terms: bool
) -> tuple[list[str], list[tuple[Any, ...]]]:
    with connect_read_only(warehouse, wait_s=wait_s) as con:
        load_fts(con)
        try:
            cursor = con.execute(warehouse_sql(sql), {"query": query, "all_terms": int(all_terms), "limit": limit})
        except duckdb.CatalogException:
            return empty, []  # nothing indexed yet
        return [d[0] for d in cursor.description], cursor.fetchall()
