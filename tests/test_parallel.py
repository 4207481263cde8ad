"""The language stage gives the same rows whether it runs in one process or across several."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import replace

import pytest

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


def test_documents_analysed_ahead_are_taken_not_analysed_again():
    documents = seed_documents()
    settings = Settings(parallel_min_chars=0)
    with LanguageWorkers(settings, processes=2) as workers:
        workers.analyse_ahead(documents)
        workers._pool.shutdown(wait=True)  # the workers finish what they were given and take nothing more
        assert workers.analyse(documents) == analyse_here(documents, settings)
        changed = [replace(documents[0], text=documents[0].text + " Ende."), *documents[1:]]
        with pytest.raises(RuntimeError, match="after shutdown"):  # a changed document is analysed anew
            workers.analyse(changed)


def test_a_worker_multiplies_with_numpy_on_one_thread():
    """The network's products go to numpy's BLAS, not thinc's BLIS (3x slower here), on one thread per
    worker (a worker per core: more threads fight over the cores)."""
    script = """
import json
from threadpoolctl import threadpool_info
from textlake.nlp.workers import recognizer_in_worker
from textlake.settings import Settings
recognizer = recognizer_in_worker(Settings())
layers = list(recognizer.nlp.get_pipe("tok2vec").model.walk())  # where the products are
print(json.dumps({
    "layers": len(layers),
    "layers_on_blis": sum(getattr(layer.ops, "use_blis", False) for layer in layers),
    "blas_threads": sorted({pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}),
}))
"""
    found = json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, check=True).stdout)
    assert found["layers"] > 10
    assert found["layers_on_blis"] == 0
    assert found["blas_threads"] == [1]
