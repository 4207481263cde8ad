"""Table contracts from `schemas/*.yaml` as Arrow schemas, with grain, key and column descriptions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

import pyarrow as pa
import yaml

from textlake.resources import resource_dir

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date32": pa.date32(),
    "timestamp[us, tz=UTC]": pa.timestamp("us", tz="UTC"),
    "list<string>": pa.list_(pa.string()),
    "list<list<int64>>": pa.list_(pa.list_(pa.int64())),  # [start, end) spans
}


@dataclass(frozen=True)
class TableContract:
    name: str
    grain: str
    key: tuple[str, ...]
    schema: pa.Schema
    written: Literal["staged", "after_checks"]  # streamed by a run's stages, or written once its checks ran
    on_conflict: Literal["keep", "replace"]  # a row whose key the warehouse has: kept as it is, or replaced

    @property
    def columns(self) -> list[str]:
        return list(self.schema.names)

    def description(self, column: str) -> str:
        return str(self.schema.field(column).metadata[b"description"].decode())


@cache
def contract(table: str) -> TableContract:
    spec = yaml.safe_load((resource_dir("schemas") / f"{table}.yaml").read_text(encoding="utf-8"))
    fields = [
        pa.field(
            column["name"],
            _ARROW_TYPES[column["type"]],
            nullable=column["nullable"],
            metadata={"description": column.get("description", "")},
        )
        for column in spec["columns"]
    ]
    if not spec["table"].isidentifier() or spec["table"] != table:
        raise ValueError(f"schemas/{table}.yaml: the table's name must be its file's name, a plain identifier")
    if not all(str(column).isidentifier() for column in spec["key"]):
        raise ValueError(f"schemas/{table}.yaml: key columns must be plain identifiers (the load names them in SQL)")
    if spec["written"] not in ("staged", "after_checks") or spec["on_conflict"] not in ("keep", "replace"):
        raise ValueError(f"schemas/{table}.yaml: written or on_conflict is not one of the known values")
    return TableContract(
        name=spec["table"],
        grain=spec["grain"],
        key=tuple(spec["key"]),
        schema=pa.schema(fields, metadata={"grain": spec["grain"], "key": ",".join(spec["key"])}),
        written=spec["written"],
        on_conflict=spec["on_conflict"],
    )


@cache
def tables() -> tuple[str, ...]:
    """Every table, one per file in schemas/: the one list of them."""
    return tuple(sorted(path.stem for path in resource_dir("schemas").glob("*.yaml")))


def staged_tables() -> tuple[str, ...]:
    """The tables a run's stages stream into Parquet (and its checks validate before publication)."""
    return tuple(t for t in tables() if contract(t).written == "staged")


def schema(table: str) -> pa.Schema:
    return contract(table).schema
