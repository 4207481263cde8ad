"""Operations against a real Prefect server on 127.0.0.1: a served inbox deployment picks up new files."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BIN, SEED_ARTICLE, SEEDS

TEXTLAKE = str(BIN / "textlake")


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
    children: list[int] = []
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
        children = descendants_once_running(serve, 1, 120)  # a served flow run and its processes
    finally:
        stop_and_assert_no_child_survives(serve, children)


def start_textlake_server(data: Path) -> tuple[subprocess.Popen, str]:
    """`textlake server` on a free port for the data dir, once its API answers; and that API's URL."""
    from tests.conftest import free_port, wait_until_healthy

    port = free_port()
    server = subprocess.Popen(
        [TEXTLAKE, "server", "--port", str(port), "--data-dir", str(data)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    api_url = f"http://127.0.0.1:{port}/api"
    wait_until_healthy(api_url, server.pid)
    return server, api_url


def without_api_url() -> dict[str, str]:
    """This environment without PREFECT_API_URL: as a user's shell has it."""
    import os

    return {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}


@pytest.mark.slow
def test_serve_without_an_api_url_uses_the_textlake_server_of_its_data_dir(tmp_path):
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    server, api_url = start_textlake_server(data)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        serve = subprocess.Popen(
            [TEXTLAKE, "serve", "--inbox", str(inbox), "--interval", "5", "--data-dir", str(data), "--name", "inbox-test"],
            env=without_api_url(), stdout=out, stderr=out, start_new_session=True,
        )  # fmt: skip
    try:
        (inbox / "dropped.txt").write_bytes(SEED_ARTICLE.read_bytes())
        wait_for(lambda: count_documents(data / "warehouse.duckdb") == 1 or serve.poll() is not None, 240, "a run")
        assert serve.poll() is None, log.read_text(errors="replace")
        assert count_documents(data / "warehouse.duckdb") == 1
        # the load commits before the flow run ends: its Completed state reaches the server a moment later
        served = lambda: completed_runs({"PREFECT_API_URL": api_url})  # noqa: E731
        wait_for(served, 60, "the server of the data dir to record the served run as completed")
        assert "ephemeral server" not in log.read_text(errors="replace")

        stop_and_assert_no_child_survives(server, [])  # the server goes: serve cannot go on without it
        assert serve.wait(timeout=60) == 1
        last_line = log.read_text(errors="replace").splitlines()[-1]
        assert last_line == (
            f"textlake: the Prefect server at {api_url} stopped answering; textlake-ingest/inbox-test stopped: "
            "serve again once it runs"
        )
    finally:
        stop_and_assert_no_child_survives(serve, [])
        stop_and_assert_no_child_survives(server, [])


@pytest.mark.slow
def test_a_second_server_says_one_runs_and_leaves_the_first_alone(tmp_path):
    from tests.conftest import free_port

    data = tmp_path / "data"
    first, api_url = start_textlake_server(data)
    record = (data / "prefect" / "server.json").read_text()
    port = int(api_url.removesuffix("/api").rsplit(":", 1)[1])
    try:
        same_data_dir = textlake_server(data, free_port())
        same_port = textlake_server(tmp_path / "other", port)
        for second in (same_data_dir, same_port):
            assert second.returncode == 1, second.stderr
            assert second.stdout == "" and second.stderr.count("\n") == 1, second.stderr
            assert second.stderr.startswith("textlake: ") and "Traceback" not in second.stderr
        assert f"already runs on {data}: http://127.0.0.1:{port}" in same_data_dir.stderr
        assert f"port {port} on 127.0.0.1 is in use" in same_port.stderr
        assert (data / "prefect" / "server.json").read_text() == record  # runs on the data dir still find it
        assert first.poll() is None and flow_runs_recorded(api_url) == 0  # and it answers
    finally:
        stop_and_assert_no_child_survives(first, [])


def textlake_server(data: Path, port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TEXTLAKE, "server", "--data-dir", str(data), "--port", str(port)], capture_output=True, text=True, timeout=60
    )


# --- stopping: SIGTERM ends the whole process tree --------------------------------------------------


def descendants_once_running(process: subprocess.Popen, at_least: int, timeout: float) -> list[int]:
    """The process ids below `process` once there are `at_least` of them."""
    import psutil

    found: list[int] = []

    def enough() -> bool:
        found[:] = [child.pid for child in psutil.Process(process.pid).children(recursive=True)]
        return len(found) >= at_least

    wait_for(enough, timeout, f"{at_least} child processes")
    return found


def stop_and_assert_no_child_survives(process: subprocess.Popen, children: list[int]) -> None:
    import psutil

    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("textlake did not stop within 60 s of SIGTERM")
    wait_for(lambda: not any(psutil.pid_exists(pid) for pid in children), 30, "every child process to end")


def flow_runs_recorded(api_url: str) -> int:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        return len(client.read_flow_runs())


@pytest.mark.slow
def test_textlake_server_takes_the_runs_of_its_data_dir_and_sigterm_stops_it(tmp_path):
    import os

    from tests.conftest import free_port, wait_until_healthy

    port, data = free_port(), tmp_path / "data"
    server = subprocess.Popen(
        [TEXTLAKE, "server", "--port", str(port), "--data-dir", str(data)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    children = descendants_once_running(server, 1, 120)
    api_url = f"http://127.0.0.1:{port}/api"
    wait_until_healthy(api_url, server.pid)
    # No PREFECT_API_URL: the run finds the server of its data dir, and the server records the flow run.
    env = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    run = subprocess.run(
        [TEXTLAKE, "run", str(SEED_ARTICLE), "--data-dir", str(data)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert flow_runs_recorded(api_url) == 1
    stop_and_assert_no_child_survives(server, children)


STOPPED_WHILE_ITS_ACTION = """
import os, signal, sys, time
from flows.cli.processes import end_process_tree_on_signals, when_stopped

def pause(signal_name):
    if sys.argv[1] == "refused":
        raise RuntimeError("the API refused")
    if sys.argv[1] == "hangs":
        time.sleep(60)

when_stopped(pause, say="{stopped}; paused", say_if_unfinished="{stopped}; maybe not paused ({why})", actions_wait_s=1)
end_process_tree_on_signals()
os.kill(os.getpid(), signal.SIGINT)
time.sleep(60)
"""


@pytest.mark.parametrize(
    ("action", "last_line"),
    [
        ("works", "textlake: interrupted; paused"),
        ("refused", "textlake: interrupted; maybe not paused (RuntimeError: the API refused)"),
        ("hangs", "textlake: interrupted; maybe not paused (not done within 1 s)"),
    ],
)
def test_what_a_stopped_command_did_first_is_said_as_it_went(action, last_line):
    import sys

    stopped = subprocess.run(
        [sys.executable, "-c", STOPPED_WHILE_ITS_ACTION, action], capture_output=True, text=True, timeout=30
    )
    assert stopped.returncode == 130
    assert stopped.stderr.splitlines() == [last_line]


@pytest.mark.slow
def test_sigterm_to_a_run_stops_its_worker_processes(prefect_server, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(30):
        (corpus / f"{i:03d}.txt").write_bytes(SEED_ARTICLE.read_bytes() + f"\nKopie {i}.\n".encode())
    env = {
        **prefect_server,
        "TEXTLAKE_WORKERS": "2",
        "TEXTLAKE_PARALLEL_MIN_CHARS": "0",
        "TEXTLAKE_BATCH_BYTES": "20000",
    }
    run = subprocess.Popen(
        [TEXTLAKE, "run", str(corpus), "--data-dir", str(tmp_path / "data")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    children = descendants_once_running(run, 3, 180)  # two workers and their resource tracker
    stop_and_assert_no_child_survives(run, children)


@pytest.mark.slow
def test_sigterm_stops_a_run_at_once_though_its_workers_are_deep_in_large_chunks(prefect_server, tmp_path):
    """What `docker stop` or systemd sends: the run does not wait for the chunks in flight (it did: the
    four chunks of ~96,000 words, two at work, kept it alive for 25 s; a container runtime kills it after 10 s)."""
    import psutil

    corpus = busy_corpus(tmp_path, "corpus", copies=1200)
    env = {**prefect_server, **BUSY, "TEXTLAKE_BATCH_BYTES": "5000000"}
    run = subprocess.Popen(
        [TEXTLAKE, "run", str(corpus), "--data-dir", str(tmp_path / "data")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    children = descendants_once_running(run, 3, 180)  # two workers and their resource tracker
    workers = [psutil.Process(pid) for pid in children]

    def both_workers_busy() -> bool:
        return sum(1 for w in workers if w.is_running() and w.cpu_times().user > 6) >= 2

    wait_for(both_workers_busy, 180, "both workers deep in their first chunks")
    run.send_signal(signal.SIGTERM)
    try:
        code = run.wait(timeout=10)  # ~1 s
    except subprocess.TimeoutExpired:
        run.kill()
        pytest.fail("textlake was still running 10 s after SIGTERM")
    assert code == 128 + signal.SIGTERM
    # one line, as for Ctrl-C: not Prefect's "Crash detected!" for the flow and task runs before it
    assert run.stderr is not None and run.stderr.read() == "textlake: stopped by SIGTERM; the next run recovers\n"
    wait_for(lambda: not any(psutil.pid_exists(pid) for pid in children), 30, "every child process to end")


# --- Ctrl-C and kills: one line, and every flow run ends in Prefect --------------------------------

# Enough text that a run is still in its language stage seconds after it started, on two worker processes.
BUSY = {"TEXTLAKE_WORKERS": "2", "TEXTLAKE_PARALLEL_MIN_CHARS": "0", "TEXTLAKE_BATCH_BYTES": "50000"}


def busy_corpus(root: Path, name: str, copies: int = 400) -> Path:
    corpus = root / name
    corpus.mkdir()
    for i in range(copies):
        (corpus / f"{i:03d}.txt").write_bytes(SEED_ARTICLE.read_bytes() + f"\nKopie {i}.\n".encode())
    return corpus


class Terminal:
    """`textlake ARGS` on a terminal (a pty, 120 columns) in its own process group, as a shell runs it; what
    it shows is read as it comes."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        import os
        import pty
        import threading

        primary, secondary = pty.openpty()
        self.process = subprocess.Popen(
            [TEXTLAKE, *args], stdin=secondary, stdout=secondary, stderr=secondary,
            env={**env, "COLUMNS": "120", "TERM": "xterm"}, start_new_session=True,
        )  # fmt: skip
        os.close(secondary)
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, args=(primary,), daemon=True)
        self._reader.start()

    def _read(self, primary: int) -> None:
        import os

        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed: the process is gone
                break
            if not chunk:
                break
            self._chunks.append(chunk)
        os.close(primary)

    def screen(self) -> str:
        import re

        text = b"".join(self._chunks).decode("utf-8", errors="replace")
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)  # colours and cursor moves off

    def ctrl_c(self) -> None:
        """SIGINT to the foreground process group, as the terminal sends it on Ctrl-C."""
        import os

        os.killpg(self.process.pid, signal.SIGINT)

    def wait(self, timeout: float) -> int:
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code


@pytest.mark.slow
def test_ctrl_c_stops_a_run_in_one_line_and_the_next_run_recovers(tmp_path):
    import os
    import re

    corpus, data = busy_corpus(tmp_path, "corpus"), tmp_path / "data"
    # No server: the run starts Prefect's temporary API, whose lost connection was part of the noise.
    env = without_api_url() | BUSY | {"PREFECT_HOME": str(tmp_path / "prefect-home")}
    terminal = Terminal(["run", str(corpus), "--data-dir", str(data)], env)
    try:
        wait_for(lambda: re.search(r"[1-9][0-9]*/400 files", terminal.screen()) or terminal.process.poll() is not None,
                 600, "the run's language stage")  # fmt: skip
        assert terminal.process.poll() is None, terminal.screen()
        terminal.ctrl_c()
        code = terminal.wait(timeout=10)  # ~1-2 s; it took 10-12 s when it waited on a process ignoring SIGTERM
    finally:
        if terminal.process.poll() is None:
            os.killpg(terminal.process.pid, signal.SIGKILL)
    screen = terminal.screen()
    assert code == 130, screen
    assert "Traceback" not in screen and "Error" not in screen, screen
    assert screen.splitlines()[-1] == "textlake: interrupted; the next run recovers", screen[-2000:]
    later = subprocess.run(
        [TEXTLAKE, "run", str(corpus), "--data-dir", str(data)], env=env, capture_output=True, text=True, timeout=900
    )
    assert later.returncode == 0, later.stderr
    assert count_documents(data / "warehouse.duckdb") == 400


def test_the_data_dir_names_the_flow_run_that_holds_it_until_it_finishes(tmp_path):
    from textlake.run.lock import FLOW_RUN_RECORD, FlowRunRecord, forget_flow_run, record_flow_run, recorded_flow_run

    holder = FlowRunRecord("0d6c1f3e-5b7a-4c1e-9f1a-2b3c4d5e6f70", "http://127.0.0.1:4200/api", 4242)
    assert recorded_flow_run(tmp_path) is None
    record_flow_run(tmp_path, holder)
    assert recorded_flow_run(tmp_path) == holder
    assert [p.name for p in tmp_path.iterdir()] == [FLOW_RUN_RECORD]
    forget_flow_run(tmp_path)
    assert recorded_flow_run(tmp_path) is None
    (tmp_path / FLOW_RUN_RECORD).write_text('{"flow_run_id": "0d6c', encoding="utf-8")  # garbled: no holder
    assert recorded_flow_run(tmp_path) is None


def flow_runs_named(api_url: str, part: str) -> list:
    """The flow runs of `textlake-ingest` whose name contains `part` (a run is named after its input)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        return client.read_flow_runs(flow_run_filter=FlowRunFilter(name=FlowRunFilterName(like_=part)))


def run_in_language_stage(corpus: Path, data: Path, env: dict[str, str]) -> subprocess.Popen:
    """`textlake run` in its own process group, once its flow run is Running and its workers are up."""
    run = subprocess.Popen(
        [TEXTLAKE, "run", str(corpus), "--data-dir", str(data)],
        env=env | BUSY, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    api_url = env["PREFECT_API_URL"]
    wait_for(lambda: [r for r in flow_runs_named(api_url, corpus.name) if r.state_name == "Running"], 300, "Running")
    descendants_once_running(run, 3, 120)  # two workers and their resource tracker
    assert run.poll() is None
    return run


@pytest.mark.slow
def test_a_stopped_run_ends_cancelled_and_a_killed_one_is_marked_crashed_by_the_next(prefect_server, tmp_path):
    import os

    data = tmp_path / "data"
    api_url = prefect_server["PREFECT_API_URL"]
    stopped = busy_corpus(tmp_path, f"stopped-{tmp_path.name}", copies=200)
    run = run_in_language_stage(stopped, data, prefect_server)
    os.killpg(run.pid, signal.SIGINT)
    assert run.wait(timeout=30) == 130
    [flow_run] = flow_runs_named(api_url, stopped.name)
    assert flow_run.state_type.value == "CANCELLED", flow_run.state

    killed = busy_corpus(tmp_path, f"killed-{tmp_path.name}", copies=200)
    run = run_in_language_stage(killed, data, prefect_server)
    os.killpg(run.pid, signal.SIGKILL)  # no handler runs: the flow run is left Running
    run.wait()
    [flow_run] = flow_runs_named(api_url, killed.name)
    assert flow_run.state_name == "Running"
    later = subprocess.run(
        [TEXTLAKE, "run", str(killed), "--data-dir", str(data)],
        env=prefect_server, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert later.returncode == 0, later.stderr
    [killed_run, later_run] = sorted(flow_runs_named(api_url, killed.name), key=lambda r: r.created)
    assert killed_run.state_type.value == "CRASHED" and later_run.state_type.value == "COMPLETED"
    assert [r.state_type.value for r in flow_runs_named(api_url, stopped.name)] == ["CANCELLED"]


def test_a_served_run_left_unfinished_is_marked_crashed_by_the_next_serve(prefect_server, tmp_path):
    """A serve or server stopped under a served run leaves it Pending (its process never reached the API) or
    Running (killed): it holds the deployment's one run slot until the next serve marks it Crashed."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.states import Pending, Running

    from flows.ingest import ingest
    from flows.stopped_runs import crash_runs_left_behind
    from textlake.run.lock import FlowRunRecord, record_flow_run

    data, name = tmp_path / "data", f"left-{tmp_path.name}"
    data.mkdir()
    ended = subprocess.Popen(["true"])
    ended.wait()  # its pid names no process now
    api_url = prefect_server["PREFECT_API_URL"]
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        deployment = client.create_deployment(flow_id=client.create_flow(ingest), name=name)
        pending, killed, running = (
            client.create_flow_run_from_deployment(deployment, state=state)
            for state in (Pending(), Running(), Running())
        )
        record_flow_run(data, FlowRunRecord(str(killed.id), api_url, ended.pid))  # the data dir names its process

        assert crash_runs_left_behind(f"textlake-ingest/{name}", data) == [killed.name]  # the other just now Pending
        assert crash_runs_left_behind(f"textlake-ingest/{name}", data, pending_for_s=0) == [pending.name]
        states = {run.id: client.read_flow_run(run.id).state_type.value for run in (pending, killed, running)}
    assert states == {
        pending.id: "CRASHED",
        killed.id: "CRASHED",
        running.id: "RUNNING",
    }  # the last one: no record names it


def deployment_and_due_runs(api_url: str, name: str) -> tuple:
    """The deployment `textlake-ingest/NAME` and its runs in a Scheduled state (Late ones included)."""
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

    scheduled = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(f"textlake-ingest/{name}")
        due = client.read_flow_runs(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[name])),
            flow_run_filter=FlowRunFilter(state=scheduled),
        )
        return deployment, due


@pytest.mark.slow
def test_stopping_serve_pauses_its_schedule_and_serving_again_resumes_it(prefect_server, tmp_path):
    import os

    inbox, data, name = tmp_path / "inbox", tmp_path / "data", f"pause-{tmp_path.name}"
    inbox.mkdir()
    (inbox / "seed.txt").write_bytes(SEED_ARTICLE.read_bytes())
    api_url = prefect_server["PREFECT_API_URL"]

    log = tmp_path / "serve.log"

    def serve() -> subprocess.Popen:
        with open(log, "wb") as out:  # a file, not a pipe: a pipe nobody reads would fill and stop serve
            return subprocess.Popen(
                [TEXTLAKE, "serve", "--inbox", str(inbox), "--interval", "5", "--data-dir", str(data), "--name", name],
                env=prefect_server, stdout=subprocess.DEVNULL, stderr=out, start_new_session=True,
            )  # fmt: skip

    served = serve()
    wait_for(lambda: count_documents(data / "warehouse.duckdb") == 1, 240, "the first served run")
    assert deployment_and_due_runs(api_url, name)[1], "serve scheduled no runs ahead"
    os.killpg(served.pid, signal.SIGINT)  # Ctrl-C
    assert served.wait(timeout=60) == 130
    deployment, due = deployment_and_due_runs(api_url, name)
    said = log.read_text().splitlines()[-1]
    assert said == f"textlake: interrupted; textlake-ingest/{name} paused until serve runs again"
    assert deployment.paused and due == [], said  # nothing scheduled piles up Late while nothing serves it

    served = serve()
    try:
        wait_for(lambda: not deployment_and_due_runs(api_url, name)[0].paused, 120, "serve to resume the deployment")
    finally:
        stop_and_assert_no_child_survives(served, [])  # SIGTERM, as a service manager stops it
    assert log.read_text().splitlines()[0].startswith(f"textlake: serving textlake-ingest/{name} every 5 s from ")
    # SIGTERM too, also once Prefect's runner has installed its own handler for it (which stopped serving
    # and left the schedule running: this test's flaky half)
    assert (
        log.read_text().splitlines()[-1]
        == f"textlake: stopped by SIGTERM; textlake-ingest/{name} paused until serve runs again"
    )
    assert deployment_and_due_runs(api_url, name)[0].paused
