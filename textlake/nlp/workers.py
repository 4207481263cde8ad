"""The language stage across processes: spaCy holds the GIL, so threads would not help. Each worker
process loads the NER model once and keeps it for the life of the pool; the run that creates the pool
closes it when its language stage is done."""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from types import TracebackType

from textlake.ingest.prepare import PreparedDocument
from textlake.nlp import direct_speech
from textlake.nlp.analyse import (
    AnalysedDocument,
    analyse_documents,
    finish_document,
    sentence_parts,
    sentence_texts_of,
)
from textlake.nlp.entities import Mention, Recognizer, load_recognizer
from textlake.nlp.segment import SentenceSpan, segment_sentences
from textlake.nlp.transformer import is_transformer_model, load_transformer
from textlake.settings import Settings

_worker_recognizer: Recognizer | None = None  # in a worker process: its model, loaded once
# Documents analysed at a time in the run's own process, so progress moves during a batch.
_IN_PROCESS_CHUNK = 20
# What the progress display hears: the documents finished, and the input bytes done with them (`file_bytes`;
# a long document's parts move its bytes before it is finished, with no document).
Done = Callable[[Sequence[PreparedDocument], int], None]
# The share of a long document's bytes shown done once its names and quotations are read, after its parts:
# those steps took ~10% of a long document's language stage (8 MB of 10kGNAD text: ~15 s of ~115 s).
_FINISHING_SHARE = 0.1


def recognizer_for(settings: Settings) -> Recognizer | None:
    """The NER model the settings name (loaded once per process), or None for `ner_model = 'none'`."""
    if settings.ner_model == "none":
        return None
    if is_transformer_model(settings.ner_model):
        return load_transformer(settings.ner_model, settings.ner_max_sentence_chars)
    return load_recognizer(settings.ner_model, settings.ner_max_sentence_chars)


def analyse_here(documents: Sequence[PreparedDocument], settings: Settings) -> list[AnalysedDocument]:
    """The language stage in this process."""
    direct_speech.use_weights(settings.direct_speech_weights)
    return analyse_documents(documents, recognizer_for(settings), settings.ner_languages)


def goes_in_parts(document: PreparedDocument, settings: Settings) -> bool:
    """Whether a document is long enough to be recognised in parts (`document_part_chars`)."""
    return len(document.text) > settings.document_part_chars


def analyse_in_parts_here(document: PreparedDocument, settings: Settings, on_done: Done | None) -> AnalysedDocument:
    """`analyse_here` of one long document, its sentences recognised part by part, each part shown done
    (the same result: NER reads sentence by sentence)."""
    direct_speech.use_weights(settings.direct_speech_weights)
    recognizer = recognizer_for(settings)
    long = LongDocument.of(document, settings, recognizer is not None)
    mentions: list[list[Mention]] = []
    for part in long.parts:
        mentions += recognizer.recognise(long.texts(part)) if recognizer is not None else []
        if on_done:
            on_done((), long.bytes_of(part))
    analysed = finish_document(document, long.spans, mentions if long.recognised else None, recognizer)
    if on_done:
        on_done((document,), long.bytes_left)
    return analysed


@dataclass(frozen=True)
class LongDocument:
    """A long document's sentences and the runs of them (parts) its NER goes in; no parts when NER does
    not run on it. Each part stands for its share of the document's input bytes, less the share of the
    steps after NER (shown once those are done)."""

    document: PreparedDocument
    spans: list[SentenceSpan]
    recognised: bool  # whether NER runs on it
    parts: list[range]

    @staticmethod
    def of(document: PreparedDocument, settings: Settings, with_model: bool) -> LongDocument:
        spans = segment_sentences(document.text)
        wanted = with_model and document.language in settings.ner_languages
        parts = sentence_parts(spans, settings.document_part_chars) if wanted else []
        return LongDocument(document, spans, wanted, parts)

    def texts(self, part: range) -> list[str]:
        return sentence_texts_of(self.document, self.spans[part.start : part.stop])

    def bytes_of(self, part: range) -> int:
        chars = self.spans[part.stop - 1].end - self.spans[part.start].start
        whole = self.spans[-1].end - self.spans[0].start
        return int(file_bytes((self.document,)) * (1 - _FINISHING_SHARE) * chars / whole)

    @property
    def bytes_left(self) -> int:
        """The bytes not shown by the parts."""
        return file_bytes((self.document,)) - sum(self.bytes_of(part) for part in self.parts)


def recognizer_in_worker(settings: Settings) -> Recognizer | None:
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


def _recognise_part(sentences: list[str]) -> list[list[Mention]]:
    return _worker_recognizer.recognise(sentences) if _worker_recognizer is not None else [[] for _ in sentences]


def _finish_in_worker(
    document: PreparedDocument, spans: list[SentenceSpan], mentions: list[list[Mention]] | None
) -> AnalysedDocument:
    return finish_document(document, spans, mentions, _worker_recognizer)


def file_bytes(documents: Sequence[PreparedDocument]) -> int:
    """The input bytes the documents stand for on the progress display: a text file's, whole (the file is
    the document); a record's none (its file was shown done when it was read)."""
    return sum(d.n_bytes for d in documents if d.source_record is None)


def _report(on_done: Done, documents: Sequence[PreparedDocument], n_bytes: int, _: Future[object]) -> None:
    on_done(documents, n_bytes)


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
        self._ahead_in_parts: list[PartsInFlight] = []

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

    def analyse(self, documents: Sequence[PreparedDocument], on_done: Done | None = None) -> list[AnalysedDocument]:
        """Same result as `analyse_here`, in the same order, with the work spread over the processes unless
        `runs_here`. A long document (`goes_in_parts`) is recognised in parts spread over the processes,
        then read as a whole by one of them. `on_done` hears of documents and bytes as they are done (for
        progress): chunks of documents, and a long document's parts."""
        if self.runs_here(documents):
            return self._analyse_here(documents, on_done)
        long = {i: self._taken_ahead_in_parts(d) or self._in_parts(d) for i, d in enumerate(documents) if self._long(d)}
        short = [d for i, d in enumerate(documents) if i not in long]
        chunks = split_by_characters(short, self.processes * 2)
        futures = [self._taken_ahead(chunk) or self._submitted(chunk) for chunk in chunks]
        if on_done:
            for future, chunk in zip(futures, chunks, strict=True):
                future.add_done_callback(functools.partial(_report, on_done, chunk, file_bytes(chunk)))
            for pending in long.values():
                pending.report_parts(on_done)
        finished = {i: pending.finished(self._started(), on_done) for i, pending in long.items()}
        analysed_short = iter([analysed for future in futures for analysed in future.result()])
        return [finished[i].result() if i in finished else next(analysed_short) for i in range(len(documents))]

    def _analyse_here(self, documents: Sequence[PreparedDocument], on_done: Done | None) -> list[AnalysedDocument]:
        analysed: list[AnalysedDocument] = []
        for chunk in split_by_characters(documents, max(1, len(documents) // _IN_PROCESS_CHUNK)):
            for long, run in itertools.groupby(chunk, key=self._long):
                together = list(run)
                if long:
                    analysed += [analyse_in_parts_here(document, self.settings, on_done) for document in together]
                    continue
                analysed += analyse_here(together, self.settings)
                if on_done:
                    on_done(together, file_bytes(together))
        return analysed

    def analyse_ahead(self, documents: Sequence[PreparedDocument]) -> None:
        """Start analysing documents that `analyse` is expected to get soon (a run's first batches, while
        Prefect's API boots and the workers would wait): `analyse` of the same documents takes the results
        instead of doing the work again. A document that differs by a byte is analysed anew. Of a long
        document, the parts are begun."""
        for document in (d for d in documents if self._long(d)):
            self._ahead_in_parts.append(self._in_parts(document))
        for chunk in split_by_characters([d for d in documents if not self._long(d)], self.processes * 2):
            self._ahead.append((chunk, self._submitted(chunk)))

    @property
    def documents_ahead(self) -> int:
        """Documents given to `analyse_ahead` that `analyse` has not taken yet."""
        return sum(len(documents) for documents, _ in self._ahead) + len(self._ahead_in_parts)

    def _submitted(self, chunk: list[PreparedDocument]) -> Future[list[AnalysedDocument]]:
        return self._started().submit(_analyse_chunk, chunk, tuple(self.settings.ner_languages))

    def _taken_ahead(self, chunk: list[PreparedDocument]) -> Future[list[AnalysedDocument]] | None:
        for i, (documents, future) in enumerate(self._ahead):
            if documents == chunk:
                del self._ahead[i]
                return future
        return None

    def _long(self, document: PreparedDocument) -> bool:
        return goes_in_parts(document, self.settings)

    def _in_parts(self, document: PreparedDocument) -> PartsInFlight:
        """A long document segmented here, its parts' NER submitted to the processes."""
        long = LongDocument.of(document, self.settings, self.settings.ner_model != "none")
        pool = self._started()
        return PartsInFlight(long, [pool.submit(_recognise_part, long.texts(part)) for part in long.parts])

    def _taken_ahead_in_parts(self, document: PreparedDocument) -> PartsInFlight | None:
        for i, pending in enumerate(self._ahead_in_parts):
            if pending.long.document == document:
                del self._ahead_in_parts[i]
                return pending
        return None

    def runs_here(self, documents: Sequence[PreparedDocument]) -> bool:
        """Whether `analyse` does these documents in this process: with one process, or, before the workers
        are started, when the batch holds one document or less than `parallel_min_chars` of text (starting
        them would cost more than it saves), none long enough to go in parts. Once they are up, every batch
        goes to them, the small last one of a large run too: this process has no model loaded, and loading
        one took ~5 s and ~400 MB at the run's end."""
        if self.processes <= 1:
            return True
        if self._pool is not None or any(self._long(d) for d in documents):
            return False
        return len(documents) < 2 or sum(len(d.text) for d in documents) < self.settings.parallel_min_chars

    def close(self, abandon: bool = False) -> None:
        """Stop the processes (each holds a model, ~400 MB): the checks and the load that follow the
        language stage should not share memory with idle workers. With `abandon` (the run is unwinding from
        an error or a signal) they are terminated at once: a graceful shutdown lets each finish the chunk it
        has, and a run's SIGTERM (Prefect raises it in the flow) waited for every chunk in flight (74 s with
        the transformer backend on 300 articles; 25 s with the shipped model on chunks of ~96,000 words)."""
        if self._pool is not None:
            if abandon:
                # ProcessPoolExecutor has no public way to stop its processes before Python 3.14
                # (terminate_workers); its `_processes` map has been there since 3.2.
                for process in list(getattr(self._pool, "_processes", {}).values()):
                    process.terminate()
            self._pool.shutdown(wait=not abandon, cancel_futures=True)
            self._pool = None
            self._ahead.clear()
            self._ahead_in_parts.clear()

    def __enter__(self) -> LanguageWorkers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close(abandon=kind is not None)


@dataclass(frozen=True)
class PartsInFlight:
    """A long document whose parts are being recognised in the worker processes."""

    long: LongDocument
    parts: list[Future[list[list[Mention]]]]

    def report_parts(self, on_done: Done) -> None:
        for part, future in zip(self.long.parts, self.parts, strict=True):
            future.add_done_callback(functools.partial(_report, on_done, (), self.long.bytes_of(part)))

    def finished(self, pool: ProcessPoolExecutor, on_done: Done | None) -> Future[AnalysedDocument]:
        """Once every part is recognised (waited for here), the document read as a whole in a process."""
        mentions = [in_sentence for future in self.parts for in_sentence in future.result()]
        long = self.long
        future = pool.submit(_finish_in_worker, long.document, long.spans, mentions if long.recognised else None)
        if on_done:
            future.add_done_callback(functools.partial(_report, on_done, (long.document,), long.bytes_left))
        return future


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
