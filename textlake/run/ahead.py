"""What a run has ahead of it, decided from file metadata and the warehouse before any file is read: the
CLI skips a run with nothing new before Prefect starts, and a flow starts worker processes only when
there is enough text to share among them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from textlake.ingest.sources import SourceFile, discover_files
from textlake.ingest.triage import KnownFiles, set_aside_settled
from textlake.settings import Settings
from textlake.warehouse.connection import WarehouseBusy
from textlake.warehouse.state import known_files


@dataclass(frozen=True)
class WorkAhead:
    files: int
    bytes_to_read: int  # in the files that are new, or changed since a run read them

    @property
    def nothing_new(self) -> bool:
        return self.files > 0 and self.bytes_to_read == 0


def bytes_to_read(sources: Sequence[SourceFile], known: KnownFiles) -> int:
    """Bytes in the files a run must read: those earlier runs did not settle as they are now."""
    return sum(s.n_bytes for s in set_aside_settled(sources, known)[0])


# The files the check before the flow listed, kept for the flow's own listing: listing 10,000 files takes
# ~0.45 s, a quarter of what one new file into a 10,000-document warehouse costs beyond an empty one.
_listed: dict[tuple[tuple[str, ...], str], list[SourceFile]] = {}


def listed_in_advance(inputs: Sequence[str], glob: str) -> list[SourceFile] | None:
    """The files `work_ahead` listed for these inputs in this process, once (None when it did not)."""
    return _listed.pop((tuple(inputs), glob), None)


def work_ahead(inputs: Sequence[str], settings: Settings) -> WorkAhead | None:
    """The files and bytes a run of `inputs` would read. None when a run must start in any case: a missing
    path to record, an interrupted run to recover, or the warehouse busy with a load."""
    staging = settings.staging_dir
    if staging.is_dir() and any(staging.iterdir()):
        return None
    sources, missing = discover_files([Path(p) for p in inputs], settings.glob)
    if missing:
        return None
    _listed[(tuple(inputs), settings.glob)] = sources
    try:
        known = known_files(settings.warehouse_path, wait_s=0)
    except WarehouseBusy:
        return None
    return WorkAhead(len(sources), bytes_to_read(sources, known))


def prepare_in_advance(settings: Settings, ahead: WorkAhead | None) -> None:
    """What a run would load first, loaded while something else is waited for (Prefect's temporary API):
    the language identifier that reading needs, the NER model when the language stage will run in this
    process (too little text for workers, which load their own), and Great Expectations, imported in the
    background. Each is kept for the process: the flow finds it loaded."""
    from textlake.ingest.language import language_identifier
    from textlake.nlp.workers import language_stage_in_this_process, recognizer_for
    from textlake.quality.checks import import_great_expectations

    import_great_expectations()
    if ahead is not None and not ahead.bytes_to_read:
        return
    language_identifier()
    if ahead is not None and language_stage_in_this_process(settings, ahead.bytes_to_read):
        recognizer_for(settings)
