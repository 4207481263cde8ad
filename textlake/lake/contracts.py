"""Table contracts from `schemas/*.yaml` as Arrow schemas, with grain, key and column descriptions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyarrow as pa
import yaml

from textlake.resources import resource_dir

TABLES = ("documents", "sentences", "entities", "rejects", "runs", "validations", "file_state")

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date32": pa.date32(),
    "timestamp[us, tz=UTC]": pa.timestamp("us", tz="UTC"),
}


@dataclass(frozen=True)
class TableContract:
    name: str
    grain: str
    key: tuple[str, ...]
    schema: pa.Schema

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
    return TableContract(
        name=spec["table"],
        grain=spec["grain"],
        key=tuple(spec["key"]),
        schema=pa.schema(fields, metadata={"grain": spec["grain"], "key": ",".join(spec["key"])}),
    )


def schema(table: str) -> pa.Schema:
    return contract(table).schema
