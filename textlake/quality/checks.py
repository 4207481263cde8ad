"""Checks: the Great Expectations suites in `expectations/` run on a run's staged tables before publication.

GX's SQL datasource on DuckDB is broken upstream, so tables are validated as pandas frames; facts that
span tables are computed in DuckDB (`warehouse/checks/cross_table.sql`) as boolean columns that GX asserts.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow.parquet as pq

from textlake.lake.contracts import staged_tables, tables
from textlake.quality.facts import stage_facts
from textlake.resources import resource_dir
from textlake.settings import Settings

if TYPE_CHECKING:  # GX is imported in the background while the NLP runs, not with this module
    from great_expectations.core import ExpectationSuiteValidationResult as SuiteResult
    from great_expectations.core import ExpectationValidationResult
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

# A table's suite has its name (every table has one but `validations`, the checks' own output);
# `cross_table` runs on facts that span the staged tables, `views` on facts about the analysts' views.
SUITES = (*(t for t in tables() if (resource_dir("expectations") / f"{t}.json").is_file()), "cross_table", "views")
_SAMPLE_SIZE = 5


@dataclass(frozen=True)
class CheckResult:
    suite: str
    position: int
    expectation: str
    column: str | None
    severity: str  # 'error' or 'warning'
    success: bool
    unexpected_count: int | None
    unexpected_sample: list[Any]
    observed: str | None
    notes: str | None = None
    # up to five offending rows, each by the columns that name a row of its table (doc_id, source_path, ...)
    unexpected_rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return not self.success and self.severity == "error"

    def describe(self) -> str:
        """One line, the same in the log, the summary and `textlake checks`: what failed, how often, in
        which rows, and what it means."""
        target = f"{self.suite}.{self.column}" if self.column else self.suite
        what = f"{self.severity} {self.expectation.removeprefix('expect_')} on {target}"
        if self.unexpected_count:
            what += f": {self.unexpected_count} unexpected"
            if self.unexpected_rows:
                what += " in " + "; ".join(name_row(row) for row in self.unexpected_rows[:3])
            else:
                what += f", e.g. {self.unexpected_sample[:3]}"
        elif self.observed is not None:
            what += f": observed {self.observed}"
        if self.notes:
            what += f"; {self.notes}"
        return what


def name_row(row: dict[str, Any]) -> str:
    """'doc_id=…, source_path=…': a row by the columns that name it (empty ones left out)."""
    return ", ".join(f"{column}={value}" for column, value in row.items() if value is not None)


@dataclass(frozen=True)
class CheckReport:
    results: list[CheckResult]
    raw: dict[str, SuiteResult] = field(
        default_factory=dict, compare=False, repr=False
    )  # suite → GX result, for Data Docs

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

    def __add__(self, other: CheckReport) -> CheckReport:
        return CheckReport([*self.results, *other.results], {**self.raw, **other.raw})


def load_suite(name: str) -> dict[str, Any]:
    suite: dict[str, Any] = json.loads((resource_dir("expectations") / f"{name}.json").read_text(encoding="utf-8"))
    return suite


def run_checks(staged: dict[str, Path], settings: Settings, validator: Validator) -> CheckReport:
    """Run the suite of every staged table, then the cross-table suite, on a run's staged Parquet; a run
    that adds no rows has nothing to check."""
    if not any(pq.ParquetFile(staged[table]).metadata.num_rows for table in staged_tables()):
        return CheckReport([])
    report = CheckReport([])
    # The facts are computed by DuckDB, which leaves Python's lock free, while GX checks the tables in Python:
    # both cores work (a 10,000-document run's checks: 7.9 s one after the other).
    with ThreadPoolExecutor(1, thread_name_prefix="cross-table-facts") as background:
        facts = background.submit(stage_facts, staged, settings)
        for suite in staged_tables():
            report += check_table(suite, staged[suite], settings, validator)
        cross_table, views = facts.result()
        report += check_table("cross_table", cross_table, settings, validator)
        return report + check_table("views", views, settings, validator)


def check_table(suite: str, path: Path, settings: Settings, validator: Validator) -> CheckReport:
    """Run one suite on one staged table (also a table written once the checks ran: the `runs` row)."""
    spec = load_suite(suite)
    named_by = spec["meta"].get("rows_named_by", [])
    validate = validate_by_kind if path.is_dir() else validate_parquet  # a folder: a file per kind of row
    results, raw = validate(validator, suite, spec["expectations"], path, settings.check_chunk_bytes, named_by)
    return CheckReport(results, {suite: raw})


def validate_by_kind(
    validator: Validator,
    suite_name: str,
    expectations: list[dict[str, Any]],
    folder: Path,
    chunk_bytes: int,
    named_by: Sequence[str] = (),
) -> tuple[list[CheckResult], SuiteResult]:
    """Validate a table written a Parquet file per kind of row, whose kinds fill different columns (the
    cross-table facts: NULL where a fact does not apply to a row's kind, and GX skips NULLs): each
    expectation on the kinds whose rows fill its columns, each kind on the columns it fills. GX copied
    every column of the whole table for each expectation (a 10,000-document run's facts: 2.9 s against
    0.6 s). Same verdicts and counts as one pass over the whole table; the offending rows shown may be
    others of them."""
    parts = sorted(folder.glob("*/*.parquet"), key=lambda part: pq.ParquetFile(part).metadata.num_rows)
    assert parts, f"no Parquet files in {folder}"
    placed = _with_positions(expectations)
    merged: SuiteResult | None = None
    rows = 0
    for part in parts:
        parquet = pq.ParquetFile(part)
        rows += parquet.metadata.num_rows
        filled = _filled_columns(parquet)
        applies = [e for e in placed if set(checked_columns([e])) <= filled]
        if applies:
            raw = validate_parquet(validator, suite_name, applies, part, chunk_bytes, named_by)[1]
            merged = raw if merged is None else _add_up_raw(merged, raw)
    checked = {_config(r).meta["position"] for r in merged.results} if merged else set()
    if unfilled := [e for e in placed if e["meta"]["position"] not in checked]:
        # columns no row fills: checked on the smallest file, where they are NULL too
        raw = validate_parquet(validator, suite_name, unfilled, parts[0], chunk_bytes, named_by)[1]
        merged = raw if merged is None else _add_up_raw(merged, raw)
    assert merged is not None
    for result in merged.results:  # counted over every row, as one pass would: other kinds' rows are NULL
        if result.result and "element_count" in result.result:
            filled_rows = result.result["element_count"] - result.result.get("missing_count", 0)
            result.result["element_count"] = rows
            if "missing_count" in result.result:
                result.result["missing_count"] = rows - filled_rows
            _restate_counts(result)
    merged.results.sort(key=lambda r: _config(r).meta["position"])
    _restate_statistics(merged)
    return [_result(suite_name, r) for r in merged.results], merged


def _filled_columns(parquet: pq.ParquetFile) -> set[str]:
    """The columns with a value in some row, by the file's statistics (a column without them counts)."""
    metadata = parquet.metadata
    filled = set()
    for i, name in enumerate(parquet.schema_arrow.names):
        nulls = 0
        for group in range(metadata.num_row_groups):
            statistics = metadata.row_group(group).column(i).statistics
            if statistics is None or not statistics.has_null_count:
                nulls = -1
                break
            nulls += statistics.null_count
        if nulls < metadata.num_rows:
            filled.add(name)
    return filled


# Expectations about the whole column at once; every other kind judges each row on its own.
_WHOLE_TABLE = {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}


def validate_parquet(
    validator: Validator,
    suite_name: str,
    expectations: list[dict[str, Any]],
    path: Path,
    chunk_bytes: int,
    named_by: Sequence[str] = (),
    chunk_rows: int | None = None,
) -> tuple[list[CheckResult], SuiteResult]:
    """Validate a Parquet table so that memory does not grow with the run: one table at a time, only the
    columns the expectations name, row-by-row expectations on chunks of rows (`chunk_rows`, by default
    about `chunk_bytes` of data; results added up), whole-column ones (uniqueness) on the key columns alone.
    Same verdicts and counts as one pass. Offending rows are named by the columns `named_by`."""
    parquet = pq.ParquetFile(path)
    named_by = [c for c in named_by if c in parquet.schema_arrow.names]

    def columns(expectations: list[dict[str, Any]]) -> list[str]:
        return list(dict.fromkeys([*checked_columns(expectations), *named_by]))

    chunk_rows = chunk_rows or _rows_per_chunk(parquet, chunk_bytes)
    if parquet.metadata.num_rows <= chunk_rows:
        return validator.validate(
            suite_name, expectations, parquet.read(columns=columns(expectations)).to_pandas(), named_by
        )
    placed = _with_positions(expectations)
    row_wise = [e for e in placed if e["type"] not in _WHOLE_TABLE]
    whole = [e for e in placed if e["type"] in _WHOLE_TABLE]
    merged: SuiteResult | None = None
    for batch in parquet.iter_batches(batch_size=chunk_rows, columns=columns(row_wise)):
        chunk = validator.validate(suite_name, row_wise, batch.to_pandas(), named_by)[1]
        merged = chunk if merged is None else _add_up_raw(merged, chunk)
    assert merged is not None  # more rows than one chunk: at least one batch
    if whole:
        frame = parquet.read(columns=columns(whole)).to_pandas()
        merged.results.extend(validator.validate(suite_name, whole, frame, named_by)[1].results)
    merged.results.sort(key=lambda r: _config(r).meta["position"])
    _restate_statistics(merged)
    return [_result(suite_name, r) for r in merged.results], merged


def _with_positions(expectations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each expectation carries its place in the suite file (kept if it has one already, as a chunk's
    subset does), so results map back to it one to one."""
    return [{**e, "meta": {"position": i, **e.get("meta", {})}} for i, e in enumerate(expectations)]


def _rows_per_chunk(parquet: pq.ParquetFile, chunk_bytes: int) -> int:
    metadata = parquet.metadata
    size = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    return max(1_000, int(chunk_bytes / max(1.0, size / max(1, metadata.num_rows))))


def _add_up_raw(first: SuiteResult, second: SuiteResult) -> SuiteResult:
    """Fold later GX results (a later chunk's, or another kind of row's) into earlier ones, expectation by
    expectation: counts add up, samples concatenate, an expectation `first` lacks is added, and a `mostly`
    expectation is judged on the added-up counts, as one pass over the whole table would."""
    earlier = {_config(r).meta["position"]: r for r in first.results}
    for theirs in second.results:
        mine = earlier.get(_config(theirs).meta["position"])
        if mine is None:
            first.results.append(theirs)
            continue
        mine.success = bool(mine.success and theirs.success)
        if mine.result and theirs.result:
            for key in ("element_count", "unexpected_count", "missing_count"):
                if key in mine.result and key in theirs.result:
                    mine.result[key] += theirs.result[key]
            for sample in ("partial_unexpected_list", "partial_unexpected_index_list"):
                if sample in mine.result:
                    combined = mine.result[sample] + theirs.result.get(sample, [])
                    mine.result[sample] = combined[:_SAMPLE_SIZE]
            _restate_counts(mine)
    return first


def _restate_counts(result: ExpectationValidationResult) -> None:
    """A result's percentages, as GX computes them, and its `mostly` verdict, from its counts."""
    counts = result.result
    elements = counts.get("element_count")
    if not elements or "unexpected_count" not in counts:
        return
    unexpected, missing = counts["unexpected_count"], counts.get("missing_count", 0)
    nonmissing = elements - missing
    for key, value in (
        ("unexpected_percent_total", unexpected / elements * 100),
        ("missing_percent", missing / elements * 100),
        ("unexpected_percent_nonmissing", unexpected / nonmissing * 100 if nonmissing else None),
        ("unexpected_percent", unexpected / nonmissing * 100 if nonmissing else None),
    ):
        if key in counts:
            counts[key] = value
    mostly = _config(result).kwargs.get("mostly")
    if mostly is not None and not (result.exception_info or {}).get("raised_exception"):
        result.success = nonmissing == 0 or (nonmissing - unexpected) / nonmissing >= mostly


def _restate_statistics(validation: SuiteResult) -> None:
    successful = sum(bool(r.success) for r in validation.results)
    evaluated = len(validation.results)
    validation.success = successful == evaluated
    validation.statistics.update(
        evaluated_expectations=evaluated,
        successful_expectations=successful,
        unsuccessful_expectations=evaluated - successful,
        success_percent=100 * successful / evaluated if evaluated else None,
    )


def checked_columns(expectations: list[dict[str, Any]]) -> list[str]:
    """The columns a suite's expectations name, in first-named order."""
    columns: dict[str, None] = {}
    for expectation in expectations:
        kwargs = expectation["kwargs"]
        for name in (
            kwargs.get("column"),
            kwargs.get("column_A"),
            kwargs.get("column_B"),
            *kwargs.get("column_list", []),
        ):
            if name:
                columns[name] = None
    return list(columns)


def import_great_expectations() -> threading.Thread | None:
    """Start importing Great Expectations in a background thread (None when it is imported or being
    imported already): a thread that imports it later waits for this one, on Python's import lock."""
    if "great_expectations" in sys.modules:
        return None
    importing = threading.Thread(target=_import_great_expectations_now, daemon=True)
    importing.start()
    return importing


def _import_great_expectations_now() -> None:
    """Import Great Expectations, with `scipy.stats` loaded on first use instead: GX imports it for
    expectations no suite here uses (KL divergence, KS tests), a quarter of GX's import time (~1 s of every
    run's start)."""
    if "scipy.stats" not in sys.modules:
        _import_on_first_use("scipy.stats")
    importlib.import_module("great_expectations")


def _import_on_first_use(name: str) -> None:
    """The standard library's lazy import (`importlib.util.LazyLoader`): the module object now, its code
    run when one of its attributes is first read."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)  # `from scipy import stats` finds it without importing


class Validator:
    """Great Expectations ready to validate pandas frames: an ephemeral context (nothing written to disk) with
    one pandas datasource. A run creates one and may `prepare()` it early."""

    def __init__(self) -> None:
        self._import: threading.Thread | None = None
        self._gx: tuple[Any, Any] | None = None  # (context, datasource)

    def prepare(self) -> None:
        """Import Great Expectations (~5 s) in the background while the language stage runs, where the run's
        own process mostly waits for its workers. Call it once there is something to check."""
        if self._import is None:
            self._import = import_great_expectations()

    def _context(self) -> tuple[Any, Any]:
        if self._gx is None:
            if self._import is not None:
                self._import.join()
            logging.getLogger("great_expectations").setLevel(logging.WARNING)
            if "great_expectations" not in sys.modules:
                _import_great_expectations_now()
            import great_expectations as gx
            from great_expectations.execution_engine import pandas_execution_engine

            # GX fingerprints every frame it validates, twice per suite (an md5 over a hash of every cell,
            # a third of a run's check time); the fingerprint is a batch marker nothing here reads, and
            # GX itself skips it above this threshold of bytes.
            pandas_execution_engine.HASH_THRESHOLD = 0
            from great_expectations.data_context.types.base import ProgressBarsConfig

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(globally=False)
            self._gx = context, context.data_sources.add_pandas("textlake")
        return self._gx

    def validate(
        self, suite_name: str, expectations: list[dict[str, Any]], frame: pd.DataFrame, named_by: Sequence[str] = ()
    ) -> tuple[list[CheckResult], SuiteResult]:
        """Validate `frame` against expectations in the suite-file format: results in their order, and GX's
        own result (for Data Docs). Offending rows are named by the columns `named_by`."""
        _, datasource = self._context()  # imports Great Expectations
        import great_expectations as gx

        try:
            asset = datasource.get_asset(suite_name)
        except LookupError:
            asset = datasource.add_dataframe_asset(suite_name)
        try:
            batch_definition = asset.get_batch_definition("run")
        except (KeyError, LookupError):
            batch_definition = asset.add_batch_definition_whole_dataframe("run")
        expectations = _with_positions(expectations)
        suite = gx.ExpectationSuite(name=suite_name, expectations=expectations)
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": _SAMPLE_SIZE}
        if named_by:
            result_format["unexpected_index_column_names"] = list(named_by)
        validation = batch.validate(suite, result_format=result_format)
        return sorted((_result(suite_name, r) for r in validation.results), key=lambda r: r.position), validation


def _config(r: ExpectationValidationResult) -> ExpectationConfiguration:
    """The expectation a result is about (GX types it optional; a validation result always has one)."""
    assert r.expectation_config is not None
    return r.expectation_config


def _result(suite: str, r: ExpectationValidationResult) -> CheckResult:
    config = _config(r)
    kwargs = config.kwargs
    column = (
        kwargs.get("column")
        or ",".join(kwargs.get("column_list", []) or [c for c in (kwargs.get("column_A"), kwargs.get("column_B")) if c])
        or None
    )
    result = r.result or {}
    sample = [None if _is_missing(v) else v for v in (result.get("partial_unexpected_list") or [])][:_SAMPLE_SIZE]
    observed = result.get("observed_value")
    error = (r.exception_info or {}).get("exception_message") if not r.success else None
    names = result.get("unexpected_index_column_names") or []
    rows = [{n: _jsonable(row.get(n)) for n in names} for row in result.get("partial_unexpected_index_list") or []]
    return CheckResult(
        suite=suite,
        position=int(config.meta["position"]),
        expectation=config.type,
        column=column,
        severity=(config.meta or {}).get("severity", "error"),
        success=bool(r.success),
        unexpected_count=result.get("unexpected_count"),
        unexpected_sample=[_jsonable(v) for v in sample],
        observed=None if observed is None and error is None else str(observed if observed is not None else error),
        notes=(config.meta or {}).get("notes"),
        unexpected_rows=rows[:_SAMPLE_SIZE],
    )


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, (list, tuple, str)):
        value = value.item()  # numpy scalars
    if isinstance(value, float) and value != value:
        return None  # NaN: a missing value, and JSON has no NaN
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)
