"""The one settings object: defaults that run out of the box, overridable by TEXTLAKE_* variables and the CLI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TEXTLAKE_")

    data_dir: Path = Field(Path("data"), description="Where Parquet, the DuckDB file and run state live.")
    glob: str = Field("*.txt", description="Which files in input folders are read (recursively).")
    batch_chars: int = Field(1_000_000, description="Characters of text per processing batch (one task run).")
    max_file_bytes: int = Field(
        16 * 1024 * 1024, description="Larger input files are rejected as 'too_large' (a news article is < 1 MB)."
    )
    ner_model: str = Field(
        "default", description="'default' (the shipped German model), a spaCy package name or a path."
    )
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        description="Processes for the language stage (1: in the run's own process). With the Dask executor: the "
        "local cluster's processes, or for a remote cluster how many batches it is given at once (minus one).",
    )
    executor: Literal["processes", "dask"] = Field(
        "processes",
        description="Where the language stage runs: worker processes of the run, or a Dask cluster (prefect-dask).",
    )
    dask_address: str | None = Field(
        None, description="Scheduler of an existing Dask cluster (tcp://HOST:PORT); unset: a local cluster."
    )
    parallel_min_chars: int = Field(
        200_000, description="Batches with less text run in the run's own process (workers cost ~5 s to start)."
    )
    ner_languages: tuple[str, ...] = Field(("de",), description="Languages the NER model is run on.")
    corpus_language: str = Field(
        "de", description="The language most documents are expected in (a check warns when under half are)."
    )
    lake: str | None = Field(
        None,
        description="Where published Parquet goes: a folder or a URI (s3://bucket/prefix, gs://..., file:///...); "
        "default <data_dir>/lake.",
    )
    lock_timeout_s: float = Field(0.0, description="How long a run waits for another run on the same data dir.")

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def lake_location(self) -> str:
        return self.lake or str(self.data_dir / "lake")

    @property
    def staging_dir(self) -> Path:
        return self.data_dir / "staging"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def data_docs_dir(self) -> Path:
        return self.data_dir / "data_docs"
