"""The language stage gives the same rows whether it runs in one process or across several."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace

import pytest

from tests.conftest import SEEDS
from textlake.ingest.prepare import PreparedDocument, document_id, prepare_document
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


@pytest.mark.slow
def test_two_worker_processes_give_the_same_result_as_one():
    documents = seed_documents() * 2
    settings = Settings(parallel_min_chars=0)
    sequential = analyse_here(documents, settings)
    with LanguageWorkers(settings, processes=2) as workers:
        parallel = workers.analyse(documents)
    assert parallel == sequential
    assert sum(len(a.entities) for a in parallel) > 50


@pytest.mark.slow
def test_once_the_workers_are_up_even_a_small_batch_goes_to_them():
    documents = seed_documents()[:1]
    settings = Settings()  # the seed article holds less text than `parallel_min_chars`
    with LanguageWorkers(settings, processes=2) as workers:
        assert workers.runs_here(documents)  # starting workers for it alone would cost more than it saves
        workers.start()
        assert not workers.runs_here(documents)  # the workers have the model loaded, this process has not
        assert workers.analyse(documents) == analyse_here(documents, settings)


@pytest.mark.slow
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


def long_document():
    """The seed article six times over (~15,000 characters): long, for settings that cut parts of 3,000."""
    seed = seed_documents()[0]
    text = "\n\n".join([seed.text] * 6)
    return replace(seed, doc_id=document_id(text), text=text, n_bytes=len(text.encode()))


class Heard:
    """What a progress display hears: (documents finished, bytes) as they are done."""

    def __init__(self) -> None:
        self.done: list[tuple[list[str], int]] = []

    def __call__(self, documents: Sequence[PreparedDocument], n_bytes: int) -> None:
        self.done.append(([d.doc_id for d in documents], n_bytes))


@pytest.mark.parametrize("processes", [2, 1])
@pytest.mark.slow
def test_a_long_document_is_recognised_in_parts_with_the_same_result_and_progress_inside_it(processes):
    """A long document's sentences are recognised in parts (across the workers when there are several),
    then its names and quotations read over the whole: the same rows as in one piece; the progress display
    hears each part's bytes before the document is done."""
    document, short = long_document(), seed_documents()[0]
    in_one_piece = analyse_here([short, document], Settings())
    heard = Heard()
    with LanguageWorkers(Settings(document_part_chars=3_000), processes=processes) as workers:
        assert workers.analyse([short, document], heard) == in_one_piece
    parts = [n_bytes for finished, n_bytes in heard.done if not finished]
    assert len(parts) >= 4 and all(parts)
    assert sorted(doc_id for finished, _ in heard.done for doc_id in finished) == sorted(
        [short.doc_id, document.doc_id]
    )
    finished_at = next(i for i, (finished, _) in enumerate(heard.done) if document.doc_id in finished)
    assert any(not finished for finished, _ in heard.done[:finished_at])  # its parts are heard before it is done
    assert sum(n_bytes for _, n_bytes in heard.done) == short.n_bytes + document.n_bytes


def test_a_long_record_moves_no_bytes_its_file_was_shown_done_when_read():
    """A record's bytes are its file's, shown done when the file was read: its parts and its end move none."""
    record = replace(long_document(), source_record="line 1")
    heard = Heard()
    with LanguageWorkers(Settings(document_part_chars=3_000), processes=1) as workers:
        workers.analyse([record], heard)
    assert len(heard.done) >= 5
    assert [n_bytes for _, n_bytes in heard.done] == [0] * len(heard.done)
    assert [doc_id for finished, _ in heard.done for doc_id in finished] == [record.doc_id]


def test_a_long_document_alone_goes_to_the_workers():
    """One document is not worth starting workers for, unless it is long enough to go in parts."""
    with LanguageWorkers(Settings(document_part_chars=3_000), processes=2) as workers:
        assert workers.runs_here(seed_documents()[:1])
        assert not workers.runs_here([long_document()])


@pytest.mark.slow
def test_a_long_documents_parts_analysed_ahead_are_taken():
    document = long_document()
    settings = Settings(document_part_chars=3_000)
    with LanguageWorkers(settings, processes=2) as workers:
        workers.analyse_ahead([document])
        assert workers.documents_ahead == 1
        assert workers.analyse([document]) == analyse_here([document], Settings())
        assert workers.documents_ahead == 0


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
