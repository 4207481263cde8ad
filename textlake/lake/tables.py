"""Tables: stage results → Arrow tables that follow the contracts in `schemas/`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from textlake.ingest.known import FileState
from textlake.ingest.prepare import Appearance, Reject
from textlake.lake.contracts import schema
from textlake.nlp.analyse import AnalysedDocument
from textlake.nlp.confidence import mention_confidence, quotation_confidence
from textlake.nlp.places import Place, place_of
from textlake.nlp.quotes import MODEL as QUOTATION_MODEL


def sentence_id(doc_id: str, ordinal: int) -> str:
    return f"{doc_id}-s{ordinal}"


def entity_id(doc_id: str, ordinal: int) -> str:
    return f"{doc_id}-e{ordinal}"


def quote_id(doc_id: str, ordinal: int) -> str:
    return f"{doc_id}-q{ordinal}"


def documents_table(analysed: Sequence[AnalysedDocument], run_id: str, started_at: dt.datetime) -> pa.Table:
    docs = [a.document for a in analysed]
    return pa.table(
        {
            "doc_id": [d.doc_id for d in docs],
            "source_path": [d.source_path for d in docs],
            "source_sha256": [d.source_sha256 for d in docs],
            "n_bytes": [d.n_bytes for d in docs],
            "encoding": [d.encoding for d in docs],
            "published": [d.published for d in docs],
            "published_precision": [d.published_precision for d in docs],
            "title": [d.title for d in docs],
            "url": [d.url for d in docs],
            "outlet": [d.outlet for d in docs],
            "authors": [list(d.authors) if d.authors else None for d in docs],
            "external_id": [d.external_id for d in docs],
            "source_record": [d.source_record for d in docs],
            "language": [d.language for d in docs],
            "language_score": [d.language_score for d in docs],
            "text": [d.text for d in docs],
            "n_chars": [len(d.text) for d in docs],
            "n_sentences": [len(a.sentences) for a in analysed],
            "n_entities": [len(a.entities) for a in analysed],
            "header_note": [d.header_note for d in docs],
            "run_id": [run_id] * len(docs),
            "ingested_at": [started_at] * len(docs),
        },
        schema=schema("documents"),
    )


def appearances_table(appearances: Sequence[Appearance], run_id: str, started_at: dt.datetime) -> pa.Table:
    return pa.table(
        {
            "doc_id": [a.doc_id for a in appearances],
            "source_path": [a.source_path for a in appearances],
            "source_sha256": [a.source_sha256 for a in appearances],
            "source_record": [a.source_record for a in appearances],
            "url": [a.url for a in appearances],
            "outlet": [a.outlet for a in appearances],
            "title": [a.title for a in appearances],
            "published": [a.published for a in appearances],
            "published_precision": [a.published_precision for a in appearances],
            "is_copy": [a.is_copy for a in appearances],
            "run_id": [run_id] * len(appearances),
            "ingested_at": [started_at] * len(appearances),
        },
        schema=schema("appearances"),
    )


def sentences_table(analysed: Sequence[AnalysedDocument]) -> pa.Table:
    columns: dict[str, list[Any]] = {name: [] for name in schema("sentences").names}
    for a in analysed:
        doc_id, text = a.document.doc_id, a.document.text
        for ordinal, span in enumerate(a.sentences):
            columns["sentence_id"].append(sentence_id(doc_id, ordinal))
            columns["doc_id"].append(doc_id)
            columns["ordinal"].append(ordinal)
            columns["paragraph"].append(span.paragraph)
            columns["start_char"].append(span.start)
            columns["end_char"].append(span.end)
            columns["text"].append(text[span.start : span.end])
    return pa.table(columns, schema=schema("sentences"))


def entities_table(analysed: Sequence[AnalysedDocument]) -> pa.Table:
    columns: dict[str, list[Any]] = {name: [] for name in schema("entities").names}
    for a in analysed:
        doc_id = a.document.doc_id
        for ordinal, entity in enumerate(a.entities):
            columns["entity_id"].append(entity_id(doc_id, ordinal))
            columns["doc_id"].append(doc_id)
            columns["sentence_id"].append(sentence_id(doc_id, entity.sentence))
            columns["start_char"].append(entity.start)
            columns["end_char"].append(entity.end)
            columns["text"].append(entity.text)
            columns["label"].append(entity.label)
            columns["canonical"].append(entity.canonical)
            columns["confidence"].append(mention_confidence(entity.found_by, entity.label, entity.relabelled))
            columns["model"].append(a.model)
    return pa.table(columns, schema=schema("entities"))


def rejects_table(rejects: Sequence[Reject], run_id: str, started_at: dt.datetime) -> pa.Table:
    return pa.table(
        {
            "source_path": [r.source_path for r in rejects],
            "source_sha256": [r.source_sha256 for r in rejects],
            "source_record": [r.source_record for r in rejects],
            "reason": [r.reason for r in rejects],
            "detail": [r.detail for r in rejects],
            "n_bytes": [r.n_bytes for r in rejects],
            "duplicate_of": [r.duplicate_of for r in rejects],
            "run_id": [run_id] * len(rejects),
            "rejected_at": [started_at] * len(rejects),
        },
        schema=schema("rejects"),
    )


def file_state_table(files_read: Sequence[tuple[str, FileState]], run_id: str) -> pa.Table:
    return pa.table(
        {
            "source_path": [path for path, _ in files_read],
            "n_bytes": [state.n_bytes for _, state in files_read],
            "mtime_ns": [state.mtime_ns for _, state in files_read],
            "source_sha256": [state.sha256 for _, state in files_read],
            "run_id": [run_id] * len(files_read),
            "etag": [state.etag for _, state in files_read],
            "sample_sha256": [state.sample_sha256 for _, state in files_read],
            "n_lines": [state.n_lines for _, state in files_read],
        },
        schema=schema("file_state"),
    )


def runs_table(row: dict[str, Any]) -> pa.Table:
    """A run's `runs` row as a table of the contract's columns, every one given."""
    columns = schema("runs").names
    if set(row) != set(columns):
        raise ValueError(f"a runs row has exactly the contract's columns; differs in {set(row) ^ set(columns)}")
    return pa.Table.from_pylist([row], schema=schema("runs"))


def quotes_table(analysed: Sequence[AnalysedDocument]) -> pa.Table:
    columns: dict[str, list[Any]] = {name: [] for name in schema("quotes").names}
    for a in analysed:
        doc_id, text = a.document.doc_id, a.document.text
        for ordinal, quotation in enumerate(a.quotations):
            cue, speaker, entity = quotation.cue, quotation.speaker, quotation.speaker_entity
            columns["quote_id"].append(quote_id(doc_id, ordinal))
            columns["doc_id"].append(doc_id)
            columns["sentence_id"].append(sentence_id(doc_id, quotation.sentence))
            columns["start_char"].append(quotation.start)
            columns["end_char"].append(quotation.end)
            columns["parts"].append([list(part) for part in quotation.parts])
            columns["text"].append(text[quotation.start : quotation.end])
            columns["kind"].append(quotation.kind)
            columns["cue"].append(text[cue[0] : cue[1]] if cue else None)
            columns["cue_start_char"].append(cue[0] if cue else None)
            columns["cue_end_char"].append(cue[1] if cue else None)
            columns["speaker"].append(text[speaker[0] : speaker[1]] if speaker else None)
            columns["speaker_start_char"].append(speaker[0] if speaker else None)
            columns["speaker_end_char"].append(speaker[1] if speaker else None)
            columns["speaker_entity_id"].append(entity_id(doc_id, entity) if entity is not None else None)
            columns["speaker_canonical"].append(quotation.speaker_name)
            columns["speaker_label"].append(quotation.speaker_label)
            columns["addressee"].append(None)
            columns["confidence"].append(
                quotation_confidence(quotation.kind, speaker is not None, quotation.speaker_name is not None)
            )
            columns["model"].append(QUOTATION_MODEL)
    return pa.table(columns, schema=schema("quotes"))


def places_table(names: Iterable[str], run_id: str, places: dict[str, Place]) -> pa.Table:
    """One row per place name (canonical LOC name) of a run, linked to its GeoNames entry where one is known."""
    columns: dict[str, list[Any]] = {name: [] for name in schema("places").names}
    for canonical in sorted(set(names)):
        place = place_of(canonical, places)
        columns["canonical"].append(canonical)
        for column in ("geonames_id", "name", "feature", "country_code", "latitude", "longitude", "population"):
            columns[column].append(getattr(place, column) if place else None)
        columns["run_id"].append(run_id)
    return pa.table(columns, schema=schema("places"))
