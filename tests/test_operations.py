"""Operations against a real Prefect server on 127.0.0.1: a served inbox deployment picks up new files."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, SEED_ARTICLE, SEEDS

TEXTLAKE = str(REPO / ".venv" / "bin" / "textlake")


def count_documents(warehouse: Path) -> int:
    if not warehouse.exists():
        return 0
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except duckdb.Error:  # a run is loading right now
        return -1


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(1)


def completed_runs(api_env: dict) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.settings import PREFECT_API_URL, temporary_settings

    completed = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))
    with temporary_settings({PREFECT_API_URL: api_env["PREFECT_API_URL"]}):
        with get_client(sync_client=True) as client:
            return client.read_flow_runs(
                deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["inbox-test"])),
                flow_run_filter=FlowRunFilter(state=completed),
            )


def read_artifacts(api_env: dict, key: str) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_env["PREFECT_API_URL"]}):
        with get_client(sync_client=True) as client:
            return client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))


@pytest.mark.slow
def test_serve_ingests_new_files_each_interval_and_a_quiet_interval_adds_nothing(prefect_server, tmp_path):
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    (inbox / "seed.txt").write_bytes(SEED_ARTICLE.read_bytes())
    (inbox / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    warehouse = data / "warehouse.duckdb"
    serve = subprocess.Popen(
        [TEXTLAKE, "serve", "--inbox", str(inbox), "--interval", "5", "--data-dir", str(data), "--name", "inbox-test"],
        env=prefect_server, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(lambda: count_documents(warehouse) == 1, 180, "the first served run")
        (inbox / "later.txt").write_bytes((SEEDS / "002_ohne_datum.txt").read_bytes())
        wait_for(lambda: count_documents(warehouse) == 2, 120, "the file dropped into the inbox")
        runs_so_far = len(completed_runs(prefect_server))
        wait_for(lambda: len(completed_runs(prefect_server)) > runs_so_far, 120, "a quiet interval")
        assert count_documents(warehouse) == 2
        with duckdb.connect(str(warehouse), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM rejects").fetchone() == (1,)
            assert con.execute("SELECT count(*), min(documents_new) FROM runs").fetchone() == (2, 1)  # quiet: no row
        assert read_artifacts(prefect_server, "textlake-run-summary")
        assert read_artifacts(prefect_server, "textlake-rejects")
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            serve.kill()
            pytest.fail("textlake serve did not stop within 60 s of SIGTERM")
