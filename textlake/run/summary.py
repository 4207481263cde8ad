"""The run summary: counts that reconcile, for people. Each text file is one input and each record of a record
file is one (its records: a JSON Lines file's lines, a CSV's rows): inputs = documents new + copies new +
unchanged + rejected; for a run of text files only, inputs = files seen."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textlake.ingest.prepare import Reject
from textlake.quality.checks import CheckReport

EXAMPLE_QUERY = (
    "SELECT label, canonical, count(*) AS mentions FROM entities GROUP BY ALL ORDER BY mentions DESC LIMIT 10"
)


def textlake_command() -> str:
    """How a person calls textlake from the working directory: `textlake` when it is on PATH, else the
    entry point beside this Python (`.venv/bin/textlake` after `make run`, which puts nothing on PATH)."""
    beside = Path(sys.executable).parent / "textlake"
    on_path = shutil.which("textlake")
    if not beside.is_file() or (on_path and Path(on_path).resolve() == beside.resolve()):
        return "textlake"
    relative = os.path.relpath(beside)
    return relative if not relative.startswith("..") else str(beside)


@dataclass
class RunSummary:
    run_id: str
    flow_run_id: str | None = None
    files_seen: int = 0
    record_files: int = 0  # of the files seen, those read record by record (JSON Lines, CSV, Parquet, ...)
    records_seen: int = 0  # the records they gave (a record file rejected as a whole: one)
    records_skipped: Counter[str] = field(default_factory=Counter)  # no inputs: a WARC's requests, images, ...
    documents_new: int = 0
    copies_new: int = 0  # texts that are documents already, read at another address or outlet: appearances
    documents_unchanged: int = 0
    sentences_new: int = 0
    entities_new: int = 0
    quotations_new: int = 0
    place_names: int = 0  # distinct place names (LOC) of the run's entities
    places_linked: int = 0  # of them, those linked to a GeoNames place
    rejects_by_reason: Counter[str] = field(default_factory=Counter)
    reject_examples: list[tuple[str, str, str]] = field(default_factory=list)  # (path [record], reason, detail)
    header_notes: list[str] = field(default_factory=list)
    # A check passed, warned (a warning-level expectation failed: recorded, the run publishes) or failed
    # (an error-level one failed: nothing is published). The same three words everywhere.
    checks_passed: int = 0
    checks_warned: list[str] = field(default_factory=list)
    checks_blocking: list[str] = field(default_factory=list)
    warehouse: Path | None = None
    quarantine: Path | None = None
    data_docs: Path | None = None
    published: bool = False
    nothing_new: bool = False  # the run found no new rows to write, so it wrote none (not even its `runs` row)
    stage_seconds: dict[str, float] = field(default_factory=dict)  # read, nlp, tables, checks, load, ...

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + time.perf_counter() - start

    def record_rejects(self, rejects: list[Reject]) -> None:
        for reject in rejects:
            self.rejects_by_reason[reject.reason] += 1
        self.reject_examples = [
            (f"{r.source_path} {r.source_record}" if r.source_record else r.source_path, r.reason, r.detail)
            for r in rejects
        ]

    def record_places(self, named: int, linked: int) -> None:
        self.place_names, self.places_linked = named, linked

    def record_checks(self, report: CheckReport) -> None:
        self.checks_passed = report.passed
        self.checks_warned = [r.describe() for r in report.failed if not r.blocking]
        self.checks_blocking = [r.describe() for r in report.blocking]

    def counts(self) -> dict[str, int]:
        """The run's counts, as the `runs` table and the JSON summary name them."""
        return {
            "files_seen": self.files_seen, "record_files": self.record_files, "records_seen": self.records_seen,
            "documents_new": self.documents_new, "appearances_new": self.appearances_new,
            "documents_unchanged": self.documents_unchanged, "rejected": self.rejected,
            "sentences_new": self.sentences_new, "entities_new": self.entities_new,
            # `runs.checks_failed` counts every expectation that did not pass: in a published run, the warnings
            "checks_passed": self.checks_passed, "checks_failed": len(self.checks_warned) + len(self.checks_blocking),
        }  # fmt: skip

    def runs_row(self, started_at: dt.datetime, inputs: list[str]) -> dict[str, Any]:
        """The run's row of the `runs` table, written once its checks ran."""
        return {
            "run_id": self.run_id, "flow_run_id": self.flow_run_id, "started_at": started_at,
            "finished_at": dt.datetime.now(dt.UTC), "inputs": json.dumps(inputs), **self.counts(),
            "stage_seconds": json.dumps({stage: round(seconds, 3) for stage, seconds in self.stage_seconds.items()}),
        }  # fmt: skip

    @property
    def outcome(self) -> str:
        """What became of the run, in a few words, the same in the terminal, the log and the artifact."""
        if self.nothing_new:
            return "nothing new, the warehouse is unchanged"
        if not self.published:
            return "NOT published"
        if self.checks_warned:
            return (
                f"published, {len(self.checks_warned)} {'check' if len(self.checks_warned) == 1 else 'checks'} warned"
            )
        return "published"

    @property
    def rejected(self) -> int:
        return sum(self.rejects_by_reason.values())

    @property
    def appearances_new(self) -> int:
        """Rows the run adds to `appearances`: each new document's own, and each copy."""
        return self.documents_new + self.copies_new

    @property
    def inputs_seen(self) -> int:
        """Text files and records: what becomes one appearance (a new document, or a copy), one unchanged or one
        reject each."""
        return self.files_seen - self.record_files + self.records_seen

    @property
    def reconciles(self) -> bool:
        return self.inputs_seen == self.appearances_new + self.documents_unchanged + self.rejected

    def as_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "flow_run_id": self.flow_run_id, "published": self.published,
            **self.counts(), "copies_new": self.copies_new,
            "records_skipped": dict(self.records_skipped), "quotations_new": self.quotations_new,
            "place_names": self.place_names, "places_linked": self.places_linked, "rejects_by_reason": dict(self.rejects_by_reason),
            "stage_seconds": self.stage_seconds,
            "warehouse": str(self.warehouse), "data_docs": str(self.data_docs) if self.data_docs else None,
        }  # fmt: skip

    def lines(self) -> list[str]:
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(self.rejects_by_reason.items())) or "none"
        out = [
            f"run {self.run_id}: {self.outcome}",
            f"files seen       {self.files_seen}{self._records_said()}",
            f"documents        {self.documents_new} new, {self.documents_unchanged} unchanged",
            *self._copies_said(),
            f"sentences        {self.sentences_new} new",
            f"entities         {self.entities_new} new",
            f"quotations       {self.quotations_new} new",
            f"places           {self.place_names} named, {self.places_linked} on the map",
            f"rejects          {self.rejected} ({reasons})",
            f"checks           {self.checks_passed} passed, {len(self.checks_warned)} warned, "
            f"{len(self.checks_blocking)} failed",
        ]
        out += [f"  failed: {line}" for line in self.checks_blocking[:10]]
        out += [f"  warned: {line}" for line in self.checks_warned[:10]]
        if len(self.checks_warned) + len(self.checks_blocking) > 20:
            out.append("  … and more: textlake checks --failed")
        if self.records_skipped:
            kinds = ", ".join(f"{kind} {count}" for kind, count in self.records_skipped.most_common())
            out.append(f"  skipped {self.records_skipped.total()} web archive records that hold no page: {kinds}")
        out += [f"  header kept as text: {note}" for note in self.header_notes[:5]]
        if len(self.header_notes) > 5:
            out.append(f"  … and {len(self.header_notes) - 5} more header notes")
        out += [f"  rejected {path}: {reason} ({detail})" for path, reason, detail in self.reject_examples[:5]]
        if len(self.reject_examples) > 5:
            out.append(
                f'  … and {len(self.reject_examples) - 5} more rejects: {self._command("sql")} "SELECT * FROM rejects"'
            )
        if self.data_docs:
            out.append(f"data docs        {self.data_docs}")
        if self.quarantine:
            out.append(f"quarantined      {self.quarantine}")
        if self.warehouse:
            out.append(f"warehouse        {self.warehouse}")
            out.append(f'try              {self._command("sql")} "{EXAMPLE_QUERY}"')
        return out

    def _copies_said(self) -> list[str]:
        """A line for the copies when there were some: a text that is a document already, read at another
        address or outlet (a wire story), is analysed once and kept as an appearance."""
        if not self.copies_new:
            return []
        return [f"copies           {self.copies_new} new (texts already documents, from another address or outlet)"]

    def _records_said(self) -> str:
        """' (1 record file: 120 records)' when record files were seen; nothing for text files only."""
        if not self.record_files:
            return ""
        files = "record file" if self.record_files == 1 else "record files"
        records = "record" if self.records_seen == 1 else "records"
        return f" ({self.record_files} {files}: {self.records_seen} {records})"

    def _command(self, subcommand: str) -> str:
        """The textlake command a person would type here to reach this run's warehouse."""
        command = f"{textlake_command()} {subcommand}"
        if self.warehouse and self.warehouse.parent.resolve() != Path("data").resolve():
            command += f" --data-dir {self.warehouse.parent}"
        return command

    def markdown(self) -> str:
        rows = "\n".join(f"| {reason} | {count} |" for reason, count in sorted(self.rejects_by_reason.items()))
        failed = "\n".join(f"- {line}" for line in self.checks_blocking) or "- none"
        warned = "\n".join(f"- {line}" for line in self.checks_warned) or "- none"
        return f"""# textlake run `{self.run_id}`

**{self.outcome[0].upper() + self.outcome[1:]}** to `{self.warehouse}`

| | count |
|---|---|
| files seen | {self.files_seen}{self._records_said()} |
| documents new | {self.documents_new} |
| copies new (a document's text at another address or outlet) | {self.copies_new} |
| documents unchanged | {self.documents_unchanged} |
| rejected | {self.rejected} |
| sentences new | {self.sentences_new} |
| entities new | {self.entities_new} |
| quotations new | {self.quotations_new} |
| place names | {self.place_names} ({self.places_linked} on the map) |
| checks passed | {self.checks_passed} |
| checks warned | {len(self.checks_warned)} |
| checks failed | {len(self.checks_blocking)} |

## Rejects by reason

| reason | rejects |
|---|---|
{rows or "| none | 0 |"}

## Failed checks (nothing published)

{failed}

## Warned checks (recorded; the run publishes)

{warned}

Data Docs: `{self.data_docs}`

Try: `{self._command("sql")} "{EXAMPLE_QUERY}"`
"""
