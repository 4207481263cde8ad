"""Recorded validation results: published runs' rows in the `validations` table, quarantined runs'
`validation.json` beside their tables. `textlake checks` reads both."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textlake.lake.contracts import contract
from textlake.warehouse.connection import connect_read_only, warehouse_sql

# What a recorded check says: the columns of `validations` but those that name its run.
COLUMNS = tuple(c for c in contract("validations").columns if c not in ("run_id", "validated_at"))


@dataclass(frozen=True)
class RunChecks:
    run_id: str
    status: str  # 'published' or 'quarantined'
    validated_at: str
    where: Path
    rows: list[dict[str, Any]]


def _quarantined(quarantine_dir: Path) -> list[RunChecks]:
    found = []
    for report_path in sorted(quarantine_dir.glob("*/validation.json")):
        report = json.loads(report_path.read_text(encoding="utf-8"))
        rows = [{c: r.get(c) for c in COLUMNS} for r in report["results"]]
        for row in rows:
            row["unexpected_sample"] = (
                json.dumps(row["unexpected_sample"], ensure_ascii=False) if row["unexpected_count"] else None
            )
        found.append(RunChecks(report["run_id"], "quarantined", report["validated_at"], report_path.parent, rows))
    return found


def _published(warehouse: Path, run_id: str | None, wait_s: float) -> RunChecks | None:
    if not warehouse.exists():
        return None
    with connect_read_only(warehouse, wait_s) as con:
        cursor = con.execute(warehouse_sql("checks/run_validations.sql"), {"run_id": run_id})
        names = [d[0] for d in cursor.description]
        records = [dict(zip(names, record, strict=True)) for record in cursor.fetchall()]
    if not records:
        return None
    rows = [{c: record[c] for c in COLUMNS} for record in records]
    return RunChecks(records[0]["run_id"], "published", records[0]["validated_at"], warehouse, rows)


def run_checks_record(
    warehouse: Path, quarantine_dir: Path, wait_s: float, run_id: str | None = None
) -> RunChecks | None:
    """The checks of `run_id`, or of the latest run that ran checks (published or quarantined)."""
    quarantined = _quarantined(quarantine_dir)
    if run_id:
        return next((q for q in quarantined if q.run_id == run_id), None) or _published(warehouse, run_id, wait_s)
    candidates = [c for c in (_published(warehouse, None, wait_s), *quarantined) if c is not None]
    return max(candidates, key=lambda c: c.validated_at, default=None)
