"""Checks: the Great Expectations suites in `expectations/` run on a run's staged tables before publication.

GX's SQL datasource on DuckDB is broken upstream, so tables are validated as pandas frames; facts that
span tables are computed in DuckDB (`warehouse/checks/cross_table.sql`) as boolean columns that GX asserts.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from textlake.resources import resource_dir

SUITES = ("documents", "sentences", "entities", "rejects", "cross_table")
_SAMPLE_SIZE = 5


@dataclass(frozen=True)
class CheckResult:
    suite: str
    expectation: str
    column: str | None
    severity: str  # 'error' or 'warning'
    success: bool
    unexpected_count: int | None
    unexpected_sample: list
    observed: str | None
    notes: str | None = None

    @property
    def blocking(self) -> bool:
        return not self.success and self.severity == "error"

    def describe(self) -> str:
        target = f"{self.suite}.{self.column}" if self.column else self.suite
        what = f"{self.expectation} on {target}"
        if self.unexpected_count:
            what += f": {self.unexpected_count} unexpected, e.g. {self.unexpected_sample[:3]}"
        elif self.observed is not None:
            what += f": observed {self.observed}"
        return what


@dataclass(frozen=True)
class CheckReport:
    results: list[CheckResult]

    @property
    def passed(self) -> int:
        return sum(r.success for r in self.results)

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if not r.success]

    @property
    def blocking(self) -> list[CheckResult]:
        return [r for r in self.results if r.blocking]

    @property
    def ok(self) -> bool:
        return not self.blocking


def load_suite(name: str) -> dict:
    return json.loads((resource_dir("expectations") / f"{name}.json").read_text(encoding="utf-8"))


def cross_table_facts(staged: dict[str, Path]) -> pd.DataFrame:
    """The frame the `cross_table` suite runs on, computed over the staged Parquet of one run."""
    with duckdb.connect() as con:
        for table in ("documents", "sentences", "entities"):
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{_sql_path(staged[table])}')")
        sql = (resource_dir("warehouse") / "checks" / "cross_table.sql").read_text(encoding="utf-8")
        return con.execute(sql).df()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def run_checks(staged: dict[str, Path]) -> CheckReport:
    """Run every suite on the staged tables of a run; a run that adds no rows has nothing to check."""
    if not any(pq.ParquetFile(path).metadata.num_rows for path in staged.values()):
        return CheckReport([])
    frames = {table: pd.read_parquet(staged[table]) for table in ("documents", "sentences", "entities", "rejects")}
    frames["cross_table"] = cross_table_facts(staged)
    results: list[CheckResult] = []
    for suite in SUITES:
        results.extend(validate_frame(suite, frames[suite]))
    return CheckReport(results)


@cache
def _gx_context():
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    return context, context.data_sources.add_pandas("textlake")


def validate_frame(suite_name: str, frame: pd.DataFrame) -> list[CheckResult]:
    """Validate one frame against the suite of that name; results in the suite's order."""
    import great_expectations as gx

    spec = load_suite(suite_name)
    context, datasource = _gx_context()
    try:
        asset = datasource.get_asset(suite_name)
    except LookupError:
        asset = datasource.add_dataframe_asset(suite_name)
    try:
        batch_definition = asset.get_batch_definition("run")
    except (KeyError, LookupError):
        batch_definition = asset.add_batch_definition_whole_dataframe("run")
    suite = gx.ExpectationSuite(name=spec["name"], expectations=spec["expectations"], meta=spec.get("meta", {}))
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    validation = batch.validate(suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": _SAMPLE_SIZE})
    return [_result(suite_name, r) for r in validation.results]


def _result(suite: str, r) -> CheckResult:
    config = r.expectation_config
    kwargs = config.kwargs
    column = kwargs.get("column") or ",".join(kwargs.get("column_list", []) or [c for c in (kwargs.get("column_A"), kwargs.get("column_B")) if c]) or None
    result = r.result or {}
    sample = [None if _is_missing(v) else v for v in (result.get("partial_unexpected_list") or [])][:_SAMPLE_SIZE]
    observed = result.get("observed_value")
    error = (r.exception_info or {}).get("exception_message") if not r.success else None
    return CheckResult(
        suite=suite,
        expectation=config.type,
        column=column,
        severity=(config.meta or {}).get("severity", "error"),
        success=bool(r.success),
        unexpected_count=result.get("unexpected_count"),
        unexpected_sample=[_jsonable(v) for v in sample],
        observed=None if observed is None and error is None else str(observed if observed is not None else error),
        notes=(config.meta or {}).get("notes"),
    )


def _is_missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)
