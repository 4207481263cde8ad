"""Parquet: a run's tables are staged on local disk under `staging/<run_id>/`, appearing only by atomic
rename, and move into the lake (`<lake>/<table>/<run_id>.parquet`) once the warehouse has committed the run.

The lake is a folder or a URI. Paths go through `pyarrow.fs` (local, s3://, gs://, hdfs://, abfs://) or,
for other schemes, an fsspec filesystem (memory://, or any a user installs), so it can live on object
storage; staging stays local because a half-written run must be removable and renamable cheaply.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from textlake.lake.contracts import schema, staged_tables, tables

READY = "READY"  # beside a staged run's tables: checked, only the load is missing


class StagedRun:
    """Streams one run's tables into Parquet, a row group per appended batch."""

    def __init__(self, staging_dir: Path, run_id: str):
        self.run_id = run_id
        self.directory = staging_dir / run_id
        self.directory.mkdir(parents=True, exist_ok=True)
        self._writers = {
            table: pq.ParquetWriter(self._partial(table), schema(table), compression="zstd")
            for table in staged_tables()
        }

    def _partial(self, table: str) -> Path:
        return self.directory / f"{table}.parquet.partial"

    def append(self, table: str, rows: pa.Table) -> None:
        if rows.num_rows:
            self._writers[table].write_table(rows)

    def close(self) -> dict[str, Path]:
        """Finish every file; each appears under its final name by rename, never half-written."""
        paths: dict[str, Path] = {}
        for table, writer in self._writers.items():
            writer.close()
            final = self.directory / f"{table}.parquet"
            os.replace(self._partial(table), final)
            paths[table] = final
        _fsync_dir(self.directory)
        return paths

    def add(self, table: str, rows: pa.Table) -> Path:
        """Stage a whole table at once (the run's validation results, its `runs` row), atomically."""
        partial = self._partial(table)
        pq.write_table(rows, partial, compression="zstd")
        final = self.directory / f"{table}.parquet"
        os.replace(partial, final)
        return final

    def quarantine(self, quarantine_dir: Path, report: dict[str, Any]) -> Path:
        """Keep a run that failed its checks, with the validation result beside its tables."""
        self.close_writers()
        target = quarantine_dir / self.run_id
        target.parent.mkdir(parents=True, exist_ok=True)
        (self.directory / "validation.json").write_text(
            json.dumps(report, indent=1, ensure_ascii=False, default=str), encoding="utf-8"
        )
        os.replace(self.directory, target)
        return target

    def close_writers(self) -> None:
        for writer in self._writers.values():
            try:
                writer.close()
            except Exception:  # noqa: BLE001 — a writer already closed
                pass

    def mark_ready(self) -> None:
        """The run's tables are staged and checked and only the load is missing (the warehouse was busy): the
        next run loads them, instead of removing them as an unfinished run's."""
        (self.directory / READY).write_text("checked, ready to load\n", encoding="utf-8")

    def abort(self) -> None:
        self.close_writers()
        shutil.rmtree(self.directory, ignore_errors=True)


def lake_filesystem(lake: str | Path) -> tuple[pafs.FileSystem, str]:
    """The filesystem and root path of a lake given as a local folder or a URI."""
    lake = str(lake)
    if "://" not in lake:
        return pafs.LocalFileSystem(), os.path.abspath(lake)
    try:
        filesystem, root = pafs.FileSystem.from_uri(lake)
        return filesystem, str(root)
    except pa.ArrowInvalid:  # a scheme pyarrow has no native filesystem for
        import fsspec

        filesystem, root = fsspec.core.url_to_fs(lake)
        return pafs.PyFileSystem(pafs.FSSpecHandler(filesystem)), root


def publish_to_lake(staged: dict[str, Path], lake: str | Path, run_id: str) -> dict[str, str]:
    """Move a committed run's staged files into the lake: one rename each on local disk, else one upload
    each (an object appears whole or not at all). Safe to repeat after a crash: a file is overwritten."""
    filesystem, root = lake_filesystem(lake)
    local = isinstance(filesystem, pafs.LocalFileSystem)
    published: dict[str, str] = {}
    for table, path in staged.items():
        target = f"{root}/{table}/{run_id}.parquet"
        if pq.ParquetFile(path).metadata.num_rows:
            filesystem.create_dir(f"{root}/{table}", recursive=True)
            if local:
                os.replace(path, target)
            else:
                pafs.copy_files(str(path), target, source_filesystem=pafs.LocalFileSystem(),
                                destination_filesystem=filesystem)  # fmt: skip
                path.unlink()
            published[table] = target
        else:
            path.unlink()
    for directory in {path.parent for path in staged.values()}:
        shutil.rmtree(directory, ignore_errors=True)
    return published


def recover_staging(staging_dir: Path, lake: str | Path, committed_run_ids: set[str]) -> list[str]:
    """After a crash: finish publishing runs the warehouse committed; delete the unfinished ones but those
    checked and ready to load (see `ready_runs`). Returns what it did."""
    actions: list[str] = []
    if not staging_dir.is_dir():
        return actions
    for run_dir in sorted(p for p in staging_dir.iterdir() if p.is_dir()):
        finished = {p.stem: p for p in run_dir.glob("*.parquet") if p.stem in tables()}
        if run_dir.name in committed_run_ids:  # some files may have reached the lake before the crash
            publish_to_lake(finished, lake, run_dir.name)
            actions.append(f"published committed run {run_dir.name}")
        elif (run_dir / READY).is_file():
            actions.append(f"kept run {run_dir.name}, checked and ready to load")
        else:
            shutil.rmtree(run_dir, ignore_errors=True)
            actions.append(f"removed unfinished run {run_dir.name}")
    return actions


def ready_runs(staging_dir: Path) -> dict[str, dict[str, Path]]:
    """Runs whose tables are staged and checked but not loaded (the warehouse was busy): run id → tables."""
    if not staging_dir.is_dir():
        return {}
    return {
        run_dir.name: {p.stem: p for p in run_dir.glob("*.parquet") if p.stem in tables()}
        for run_dir in sorted(staging_dir.iterdir())
        if (run_dir / READY).is_file()
    }


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
