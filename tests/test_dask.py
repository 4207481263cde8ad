"""The language stage on a Dask cluster (prefect-dask) builds the same tables as a run on one machine."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest
from distributed import Client, LocalCluster

from tests.conftest import SEEDS, SHARED, ingest
from textlake.settings import Settings

# Columns that name the run that wrote a row, or when: they differ between any two runs by design.
RUN_COLUMNS = {"run_id", "ingested_at", "flow_run_id", "validated_at"}


@pytest.fixture(scope="module")
def small_corpus(shared_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("wikinews")
    subprocess.run(
        [sys.executable, str(SHARED / "tools" / "make_corpus.py"), "--source", "wikinews", "--split", "dev",
         "--n", "40", "--out", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    return out


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


def table_rows(settings: Settings, table: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        columns = [c for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE {table})").fetchall()]
        kept = ", ".join(c for c in columns if c not in RUN_COLUMNS)
        return con.execute(f"SELECT {kept} FROM {table} ORDER BY ALL").fetchall()


@pytest.mark.slow
def test_a_dask_cluster_of_two_workers_builds_the_same_tables_as_a_local_run(
    prefect_harness, tmp_path, small_corpus, cluster
):
    inputs = [str(SEEDS), str(small_corpus)]
    # Small batches, so the run hands the cluster several at once.
    local = Settings(data_dir=tmp_path / "local", workers=1, batch_bytes=20_000)
    on_dask = Settings(
        data_dir=tmp_path / "dask", executor="dask", dask_address=cluster.scheduler_address, workers=2,
        batch_bytes=20_000,
    )  # fmt: skip

    local_summary = ingest(inputs, local)
    dask_summary = ingest(inputs, on_dask)

    assert dask_summary.published and dask_summary.documents_new == local_summary.documents_new == 43
    for table in ("documents", "sentences", "entities", "rejects"):
        assert table_rows(on_dask, table) == table_rows(local, table), table
    assert len(table_rows(on_dask, "entities")) > 500
    # Both workers did language work, each loading the model once.
    with Client(cluster.scheduler_address) as client:
        models_loaded = client.run(
            lambda: __import__("textlake.nlp.entities").nlp.entities.load_recognizer.cache_info()
        )
    assert [info.currsize for info in models_loaded.values()] == [1, 1]


def test_the_cli_refuses_a_dask_address_with_another_executor(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(SEEDS), "--data-dir", str(tmp_path),
         "--executor", "processes", "--dask-address", "tcp://127.0.0.1:1"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 2
    assert "--dask-address needs --executor dask" in result.stderr
