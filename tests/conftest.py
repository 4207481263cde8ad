"""Shared fixtures: the seed article, ../shared when present, and one Prefect test harness per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import textlake  # noqa: F401 — telemetry off before Prefect loads

# Property tests assert behaviour, never time: Hypothesis's per-example deadline and its "input generation is
# slow" check failed runs on this machine, whose pace drifts and whose page cache is reclaimed (one draw once
# took 1.27 s while another suite shared the cores).
settings.register_profile("textlake", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("textlake")

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the environment the tests run in: its entry points (textlake, prefect, duckdb)
SEEDS = REPO / "seeds"
SEED_ARTICLE = SEEDS / "000_88f338ab2dbf0f65.txt"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"needs ../shared beside the checkout ({SHARED} is absent)")
    return SHARED / "data"


def ingest(paths: list[str], settings):  # the flow and its Settings are imported late
    """The flow run in this process (`flows.ingest.ingest`), imported when a test first runs it: Prefect's
    import (~3 s of CPU in each test process) stays out of the tests that run no flow, `make check`'s."""
    from flows.ingest import ingest as flow

    return flow(paths, settings)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# One real Prefect server per test session, shared by its pytest-xdist workers: a server start costs ~10 s of
# CPU, and a second one would be taken from the tests. The first worker that needs it starts it (under a
# file lock) and leaves its address in the session's temporary folder; the controlling process stops it.
SERVER_FILE = "prefect-server.json"


def start_prefect_server(home: Path) -> dict:
    import os
    import subprocess

    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return {"pid": server.pid, "env": {**env, "PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}}


def wait_until_healthy(url: str, pid: int) -> None:
    import os
    import time

    from flows.cli.service import api_answers

    deadline = time.monotonic() + 120
    while True:
        if api_answers(url, timeout_s=2):
            return
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            raise RuntimeError("the Prefect server exited while starting") from None
        if time.monotonic() > deadline:
            raise RuntimeError("the Prefect server did not start within 120 s")
        time.sleep(0.5)


def stop_prefect_server(session_dir: Path) -> None:
    import json
    import os
    import signal

    record = session_dir / SERVER_FILE
    if record.exists():
        try:
            os.killpg(json.loads(record.read_text())["pid"], signal.SIGTERM)
        except ProcessLookupError:
            pass
        record.unlink()


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory, request):
    """A real Prefect server on a free 127.0.0.1 port. Yields the environment a `textlake` subprocess needs
    (PREFECT_API_URL pointing at it)."""
    import fcntl
    import json

    workers = hasattr(request.config, "workerinput")
    session_dir = tmp_path_factory.getbasetemp().parent if workers else tmp_path_factory.getbasetemp()
    with open(session_dir / "prefect-server.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = session_dir / SERVER_FILE
        if not record.exists():
            home = session_dir / "prefect-home"
            home.mkdir(exist_ok=True)
            record.write_text(json.dumps(start_prefect_server(home)))
        server = json.loads(record.read_text())
    wait_until_healthy(server["env"]["PREFECT_API_URL"], server["pid"])
    yield server["env"]
    if not workers:
        stop_prefect_server(session_dir)


def pytest_unconfigure(config) -> None:
    if not hasattr(config, "workerinput") and getattr(config, "_tmp_path_factory", None) is not None:
        stop_prefect_server(config._tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def prefect_harness(prefect_server):
    """In-process flow runs against the session's Prefect server."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: prefect_server["PREFECT_API_URL"]}):
        yield
        # Send the last logs and events while the server is up: after it stops they would fail, noisily.
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker

        try:
            APILogWorker.instance().drain()
        except RuntimeError:
            pass  # no log was sent
        EventsWorker.drain_all()


# The modules whose tests take longest go first, so that the two test processes (pytest-xdist hands out a
# module at a time, in collection order) finish at about the same time instead of one waiting on the last.
LONGEST_FIRST = ("test_operations.py", "test_reliability.py", "test_first_hour.py", "test_flow.py")
SERVER_FIXTURES = {"prefect_server", "prefect_harness"}


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects by the marks
def pytest_collection_modifyitems(items: list) -> None:
    # A test that runs a flow against the session's Prefect server is slow: `make check`, the inner loop,
    # is the tests that need no server (a server start alone costs ~10 s of CPU).
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)

    def rank(item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)
