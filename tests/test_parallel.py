"""The language stage gives the same rows whether it runs in one process or across several."""

from __future__ import annotations

import hashlib

from tests.conftest import SEEDS
from textlake.ingest.prepare import prepare_document
from textlake.ingest.sources import RawFile, SourceFile
from textlake.nlp.workers import LanguageWorkers, analyse_here, split_by_characters
from textlake.settings import Settings


def seed_documents():
    documents = []
    for path in sorted(SEEDS.glob("*.txt")):
        data = path.read_bytes()
        documents.append(prepare_document(RawFile(SourceFile(path, len(data)), data, hashlib.sha256(data).hexdigest())))
    return documents


def test_chunks_keep_order_and_lose_nothing():
    documents = seed_documents() * 3
    chunks = split_by_characters(documents, 4)
    assert 1 < len(chunks) <= 4 and all(chunks)
    assert [d for chunk in chunks for d in chunk] == documents


def test_two_worker_processes_give_the_same_result_as_one():
    documents = seed_documents() * 2
    settings = Settings(parallel_min_chars=0)
    sequential = analyse_here(documents, settings)
    with LanguageWorkers(settings, processes=2) as workers:
        parallel = workers.analyse(documents)
    assert parallel == sequential
    assert sum(len(a.entities) for a in parallel) > 50


def test_once_the_workers_are_up_even_a_small_batch_goes_to_them():
    documents = seed_documents()[:1]
    settings = Settings()  # the seed article holds less text than `parallel_min_chars`
    with LanguageWorkers(settings, processes=2) as workers:
        assert workers.runs_here(documents)  # starting workers for it alone would cost more than it saves
        workers.start()
        assert not workers.runs_here(documents)  # the workers have the model loaded, this process has not
        assert workers.analyse(documents) == analyse_here(documents, settings)
