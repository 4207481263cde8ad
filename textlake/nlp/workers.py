"""The language stage across processes: spaCy holds the GIL, so threads would not help. Each worker
process loads the NER model once and keeps it for the life of the pool; the run that creates the pool
closes it when its language stage is done."""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType

from textlake.ingest.prepare import PreparedDocument
from textlake.nlp import direct_speech
from textlake.nlp.analyse import AnalysedDocument, analyse_documents
from textlake.nlp.entities import EntityRecognizer, load_recognizer
from textlake.settings import Settings

_worker_recognizer: EntityRecognizer | None = None  # in a worker process: its model, loaded once
# Documents analysed at a time in the run's own process, so progress moves during a batch.
_IN_PROCESS_CHUNK = 20
ChunkDone = Callable[[Sequence[PreparedDocument]], None]


def recognizer_for(settings: Settings) -> EntityRecognizer | None:
    """The NER model the settings name (loaded once per process), or None for `ner_model = 'none'`."""
    if settings.ner_model == "none":
        return None
    return load_recognizer(settings.ner_model, settings.ner_max_sentence_chars)


def analyse_here(documents: Sequence[PreparedDocument], settings: Settings) -> list[AnalysedDocument]:
    """The language stage in this process."""
    direct_speech.use_weights(settings.direct_speech_weights)
    return analyse_documents(documents, recognizer_for(settings), settings.ner_languages)


def recognizer_in_worker(settings: Settings) -> EntityRecognizer | None:
    """`recognizer_for` in one of as many worker processes as cores: its matrix products on one thread.
    numpy's OpenBLAS starts a thread per core in every process, and two workers' threads on two cores
    took longer than BLIS on one (1,000 articles: 28 s against 26 s; one thread each: 17.6 s)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
    return recognizer_for(settings)


def _start_worker(settings: Settings, parent_pid: int) -> None:
    global _worker_recognizer
    # Ctrl-C on a terminal reaches every process of the run: the run stops its workers itself, and a worker
    # would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    _worker_recognizer = recognizer_in_worker(settings)
    direct_speech.use_weights(settings.direct_speech_weights)


def _exit_with_parent(parent_pid: int) -> None:
    """A run killed outright (SIGKILL, OOM) cannot shut its pool down; its workers must not outlive it,
    holding its output pipes open and its memory."""
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(1)


def _analyse_chunk(documents: list[PreparedDocument], ner_languages: tuple[str, ...]) -> list[AnalysedDocument]:
    return analyse_documents(documents, _worker_recognizer, ner_languages)


def _report(on_done: ChunkDone, chunk: Sequence[PreparedDocument], _: Future[list[AnalysedDocument]]) -> None:
    on_done(chunk)


def language_stage_in_this_process(settings: Settings, text_bytes: int) -> bool:
    """Whether a run with this much text to analyse does its language stage in its own process: with one
    worker, or too little text to share (starting workers costs ~5 s), and not on a Dask cluster."""
    return settings.executor == "processes" and (settings.workers <= 1 or text_bytes < settings.parallel_min_chars)


def _ready() -> None:
    """Nothing: submitted once per worker so that the pool starts them all."""


class LanguageWorkers:
    """Worker processes for the language stage, each with the model loaded. Created by a run and closed by
    it (a `with` block); processes start on first use or on `start()`, whichever comes first."""

    def __init__(self, settings: Settings, processes: int):
        self.settings = settings
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._ahead: list[tuple[list[PreparedDocument], Future[list[AnalysedDocument]]]] = []

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: forking a process that runs Prefect's threads can copy a held lock and hang.
            self._pool = ProcessPoolExecutor(
                self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.settings, os.getpid()),
            )
        return self._pool

    def start(self) -> None:
        """Start the processes now, each loading the model as it starts, so that their start-up (~3 s)
        overlaps reading instead of delaying the first batch. Nothing to start for one process."""
        if self.processes > 1:
            pool = self._started()
            for _ in range(self.processes):
                pool.submit(_ready)

    def analyse(
        self, documents: Sequence[PreparedDocument], on_done: ChunkDone | None = None
    ) -> list[AnalysedDocument]:
        """Same result as `analyse_here`, in the same order, with the work spread over the processes unless
        `runs_here`. `on_done` hears of each chunk of documents as it is finished (for progress)."""
        if self.runs_here(documents):
            analysed: list[AnalysedDocument] = []
            for chunk in split_by_characters(documents, max(1, len(documents) // _IN_PROCESS_CHUNK)):
                analysed += analyse_here(chunk, self.settings)
                if on_done:
                    on_done(chunk)
            return analysed
        chunks = split_by_characters(documents, self.processes * 2)
        futures = [self._taken_ahead(chunk) or self._submitted(chunk) for chunk in chunks]
        if on_done:
            for future, chunk in zip(futures, chunks, strict=True):
                future.add_done_callback(functools.partial(_report, on_done, chunk))
        return [analysed for future in futures for analysed in future.result()]

    def analyse_ahead(self, documents: Sequence[PreparedDocument]) -> None:
        """Start analysing documents that `analyse` is expected to get soon (a run's first batches, while
        Prefect's API boots and the workers would wait): `analyse` of the same documents takes the results
        instead of doing the work again. A document that differs by a byte is analysed anew."""
        for chunk in split_by_characters(documents, self.processes * 2):
            self._ahead.append((chunk, self._submitted(chunk)))

    @property
    def documents_ahead(self) -> int:
        """Documents given to `analyse_ahead` that `analyse` has not taken yet."""
        return sum(len(documents) for documents, _ in self._ahead)

    def _submitted(self, chunk: list[PreparedDocument]) -> Future[list[AnalysedDocument]]:
        return self._started().submit(_analyse_chunk, chunk, tuple(self.settings.ner_languages))

    def _taken_ahead(self, chunk: list[PreparedDocument]) -> Future[list[AnalysedDocument]] | None:
        for i, (documents, future) in enumerate(self._ahead):
            if documents == chunk:
                del self._ahead[i]
                return future
        return None

    def runs_here(self, documents: Sequence[PreparedDocument]) -> bool:
        """Whether `analyse` does these documents in this process: with one process, or, before the workers
        are started, when the batch holds less than `parallel_min_chars` of text (starting them would cost
        more than it saves). Once they are up, every batch goes to them, the small last one of a large run
        too: this process has no model loaded, and loading one took ~5 s and ~400 MB at the run's end."""
        if self.processes <= 1:
            return True
        if self._pool is not None:
            return False
        return len(documents) < 2 or sum(len(d.text) for d in documents) < self.settings.parallel_min_chars

    def close(self) -> None:
        """Stop the processes (each holds a model, ~400 MB): the checks and the load that follow the
        language stage should not share memory with idle workers."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            self._ahead.clear()

    def __enter__(self) -> LanguageWorkers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


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
