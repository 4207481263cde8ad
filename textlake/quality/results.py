"""Recorded validation results: published runs' rows in the `validations` table, quarantined runs'
`validation.json` beside their tables. `textlake checks` reads both."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields
from pathlib import Path

import pyarrow as pa

from textlake.lake.contracts import schema
from textlake.quality.checks import CheckReport, CheckResult
from textlake.warehouse.connection import connect_read_only, warehouse_sql


@dataclass(frozen=True)
class RunChecks:
    run_id: str
    status: str  # 'published' or 'quarantined'
    validated_at: str
    where: Path
    results: list[CheckResult]

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if not r.success]


def _quarantined(quarantine_dir: Path) -> list[RunChecks]:
    found = []
    for report_path in sorted(quarantine_dir.glob("*/validation.json")):
        report = json.loads(report_path.read_text(encoding="utf-8"))
        results = [CheckResult(**{k: v for k, v in r.items() if k in _FIELDS}) for r in report["results"]]
        found.append(RunChecks(report["run_id"], "quarantined", report["validated_at"], report_path.parent, results))
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
    results = [
        CheckResult(
            **{k: v for k, v in record.items() if k in _FIELDS and k not in _AS_JSON},
            **{k: json.loads(record[k]) if record.get(k) else [] for k in _AS_JSON},
        )
        for record in records
    ]
    return RunChecks(records[0]["run_id"], "published", records[0]["validated_at"], warehouse, results)


# CheckResult's fields, and those `validations` stores as JSON text
_FIELDS = {f.name for f in fields(CheckResult)}
_AS_JSON = ("unexpected_sample", "unexpected_rows")


def run_checks_record(
    warehouse: Path, quarantine_dir: Path, wait_s: float, run_id: str | None = None
) -> RunChecks | None:
    """The checks of `run_id`, or of the latest run that ran checks (published or quarantined)."""
    quarantined = _quarantined(quarantine_dir)
    if run_id:
        return next((q for q in quarantined if q.run_id == run_id), None) or _published(warehouse, run_id, wait_s)
    candidates = [c for c in (_published(warehouse, None, wait_s), *quarantined) if c is not None]
    return max(candidates, key=lambda c: c.validated_at, default=None)


def results_table(report: CheckReport, run_id: str, validated_at: dt.datetime) -> pa.Table:
    """The `validations` rows of a run."""
    results = report.results
    return pa.table(
        {
            "run_id": [run_id] * len(results),
            "suite": [r.suite for r in results],
            "position": [r.position for r in results],
            "expectation": [r.expectation for r in results],
            "column": [r.column for r in results],
            "severity": [r.severity for r in results],
            "success": [r.success for r in results],
            "observed": [r.observed for r in results],
            "unexpected_count": [r.unexpected_count for r in results],
            "unexpected_sample": [
                json.dumps(r.unexpected_sample, ensure_ascii=False) if r.unexpected_count else None for r in results
            ],
            "notes": [r.notes for r in results],
            "unexpected_rows": [
                json.dumps(r.unexpected_rows, ensure_ascii=False) if r.unexpected_rows else None for r in results
            ],
            "validated_at": [validated_at] * len(results),
        },
        schema=schema("validations"),
    )
