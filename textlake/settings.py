"""The one settings object: defaults that run out of the box, overridable by TEXTLAKE_* variables and the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TEXTLAKE_", populate_by_name=True)

    data_dir: Path = Field(Path("data"), description="Where Parquet, the DuckDB file and run state live.")
    glob: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        description="Which files in input folders are read (recursively): shell patterns, a file read when it "
        "matches one ('*.jsonl', or a JSON list in TEXTLAKE_GLOB); none: every file of a format textlake reads "
        "(.txt, .jsonl, .json, .csv, .tsv, .parquet, .zip; also .gz, .bz2, .zst).",
    )
    record_format: str | None = Field(
        None,
        description="Read every input file as this format ('jsonl', 'json', 'csv', 'tsv', 'parquet', 'zip', 'txt', "
        "optionally with '.gz', '.bz2' or '.zst'); unset: each file by its name.",
    )
    fields: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        description="Where a record file's fields come from, FIELD=COLUMN ('text=body'; a JSON list in "
        "TEXTLAKE_FIELDS); a field not named is looked for under its usual names.",
    )
    batch_bytes: int = Field(
        1_000_000,
        # TEXTLAKE_BATCH_CHARS is the name this setting had before it said what it counts
        validation_alias=AliasChoices("batch_bytes", "TEXTLAKE_BATCH_BYTES", "TEXTLAKE_BATCH_CHARS"),
        description="Input bytes per processing batch (one task run per stage and batch).",
    )
    max_file_bytes: int = Field(
        16 * 1024 * 1024, description="Larger input files are rejected as 'too_large' (a news article is < 1 MB)."
    )
    ner_model: str = Field(
        "default",
        description="'default' (the shipped German model), 'transformer' (the opt-in e5-small teacher that "
        "`make transformer` builds: better entities, slower), a spaCy package name or a path.",
    )
    direct_speech_weights: Path | None = Field(
        None,
        description="Weights of the direct-speech classifier (models/noncommercial/direct_speech.json in a "
        "checkout): CC BY-NC-SA 4.0, for non-commercial use only. Unset: the rules decide what is speech.",
    )
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
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
    document_part_chars: int = Field(
        250_000,
        ge=1,
        description="A document with more text is recognised in parts of about this many characters (a run of its "
        "sentences each), spread over the workers, the progress display moving with each part; its names and "
        "quotations are then read over the whole document.",
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
    load_wait_s: float = Field(
        5.0,
        description="How long a run waits for the DuckDB file while another process (a DuckDB shell, a notebook) "
        "has it open; then it says who has it and keeps its checked tables for the next run to load.",
    )
    query_wait_s: float = Field(30.0, description="How long a query waits while a load holds the DuckDB file.")
    duckdb_memory_limit: str = Field(
        "512MB", description="Memory a run's own DuckDB work (cross-table checks, the load) may use before spilling."
    )
    check_chunk_bytes: int = Field(
        32 * 2**20,
        description="Data validated at a time (uncompressed Parquet bytes of the checked columns); GX and pandas "
        "need several times this while they work.",
    )
    curation: Path | None = Field(
        None,
        description="The curation file (merge names, set labels, drop false names, pin places, map speakers) that "
        "every run applies to its new rows and `textlake curate apply` to the warehouse; unset: "
        "<data_dir>/curation.yaml when it exists.",
    )
    ner_max_sentence_chars: int = Field(
        20_000,
        description="Longer sentences get no entities: spaCy slows down sharply on long texts. (The sentences "
        "suite already warns from 2,000 characters: a sentence that long is a segmentation failure.)",
    )

    @field_validator("glob", "fields", mode="before")
    @classmethod
    def _patterns(cls, value: object) -> object:
        """One value as a string (TEXTLAKE_GLOB='*.jsonl'), several as a list or a JSON list."""
        if isinstance(value, str):
            return tuple(json.loads(value)) if value.lstrip().startswith("[") else (value,)
        return value

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

    @property
    def curation_path(self) -> Path:
        return self.curation or self.data_dir / "curation.yaml"
