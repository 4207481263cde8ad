"""The language stage across processes: spaCy holds the GIL, so threads would not help. Each worker
process loads the NER model once and keeps it for the life of the pool (one pool per process and model)."""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from textlake.ingest.prepare import PreparedDocument
from textlake.nlp.analyse import AnalysedDocument, analyse_documents
from textlake.nlp.entities import EntityRecognizer, load_recognizer

_pools: dict[tuple[str, int], ProcessPoolExecutor] = {}
_worker_recognizer: EntityRecognizer | None = None


def _recognizer(model: str) -> EntityRecognizer | None:
    return None if model == "none" else load_recognizer(model)


def _start_worker(model: str, parent_pid: int) -> None:
    global _worker_recognizer
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    _worker_recognizer = _recognizer(model)


def _exit_with_parent(parent_pid: int) -> None:
    """A run killed outright (SIGKILL, OOM) cannot shut its pool down; its workers must not outlive it,
    holding its output pipes open and its memory."""
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(1)


def _analyse_chunk(documents: list[PreparedDocument], ner_languages: tuple[str, ...]) -> list[AnalysedDocument]:
    return analyse_documents(documents, _worker_recognizer, ner_languages)


def _pool(model: str, workers: int) -> ProcessPoolExecutor:
    key = (model, workers)
    if key not in _pools:
        # spawn, not fork: forking a process that runs Prefect's threads can copy a held lock and hang.
        context = multiprocessing.get_context("spawn")
        _pools[key] = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(model, os.getpid())
        )
    return _pools[key]


def _ready() -> None:
    """Nothing: submitted once per worker so that the pool starts them all."""


def start_workers(model: str, workers: int) -> None:
    """Start the worker processes now, each loading the model as it starts, so that their start-up (~3 s)
    overlaps other work (the Prefect API start) instead of delaying the first batch."""
    if workers > 1:
        pool = _pool(model, workers)
        for _ in range(workers):
            pool.submit(_ready)


@atexit.register
def stop_workers() -> None:
    """Stop the worker processes (each holds a model, ~400 MB): the language stage is done, and the checks
    and the load that follow should not have to share memory with idle workers."""
    for pool in _pools.values():
        pool.shutdown(cancel_futures=True)
    _pools.clear()


def split_by_characters(documents: Sequence[PreparedDocument], parts: int) -> list[list[PreparedDocument]]:
    """Consecutive chunks of about equal text length, in order (at most `parts`, none empty)."""
    total = sum(len(d.text) for d in documents)
    chunks: list[list[PreparedDocument]] = [[]]
    size = 0
    for document in documents:
        if size >= total / parts * len(chunks) and len(chunks) < parts:
            chunks.append([])
        chunks[-1].append(document)
        size += len(document.text)
    return [chunk for chunk in chunks if chunk]


def analyse_in_parallel(
    documents: Sequence[PreparedDocument],
    model: str,
    ner_languages: tuple[str, ...],
    workers: int,
    min_chars: int = 200_000,
) -> list[AnalysedDocument]:
    """Same result as `analyse_documents`, in the same order, with the work spread over `workers` processes
    when the batch holds at least `min_chars` of text (below that, starting workers costs more than it saves)."""
    if workers <= 1 or len(documents) < 2 or sum(len(d.text) for d in documents) < min_chars:
        return analyse_documents(documents, _recognizer(model), ner_languages)
    chunks = split_by_characters(documents, workers * 2)
    pool = _pool(model, workers)
    futures = [pool.submit(_analyse_chunk, chunk, tuple(ner_languages)) for chunk in chunks]
    return [analysed for future in futures for analysed in future.result()]
