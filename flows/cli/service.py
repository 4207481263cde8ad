"""Commands that keep running: `server` (a Prefect server and UI) and `serve` (the inbox deployment)."""

from __future__ import annotations

import asyncio
import atexit
import functools
import importlib.util
import json
import socket
import subprocess
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from flows.cli.app import DataDirOption, _fail, _settings, app, local_or_reachable
from flows.cli.processes import stop_on_sigterm, stop_with, when_stopped


def prefect_server_env(data_dir: Path, port: int) -> dict[str, str]:
    """Environment for a Prefect server on 127.0.0.1:port with its database in the data dir and the UI
    pointing at the right API (`--port` alone leaves the UI pointing at 4200)."""
    import os

    api = f"http://127.0.0.1:{port}/api"
    return {
        **os.environ,
        "PREFECT_HOME": str((data_dir / "prefect").resolve()),
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_UI_API_URL": api,
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }


# Where `textlake server` leaves its API's address, so that runs on the same data dir use it without the
# user setting PREFECT_API_URL (and skip the ~20 s start of Prefect's ephemeral API).
SERVER_RECORD = Path("prefect") / "server.json"


def api_answers(api_url: str, timeout_s: float = 1.0) -> bool:
    """Whether the Prefect API at `api_url` answers its health check now."""
    import urllib.request

    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout_s) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def running_server(data_dir: Path) -> str | None:
    """The API URL of the `textlake server` of this data dir, when one is running and answers now."""
    import os

    record = data_dir / SERVER_RECORD
    try:
        server = json.loads(record.read_text(encoding="utf-8"))
        os.kill(int(server["pid"]), 0)  # OSError when it is gone
        return str(server["api_url"]) if api_answers(str(server["api_url"])) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no server, a stale record, or a server not (yet) answering: Prefect's ephemeral API


class TemporaryApi:
    """Prefect's temporary API for one `textlake` process: the server Prefect starts itself when no API URL
    is set (the same uvicorn command and environment), started here before Prefect's server code is
    imported in this process (~2-3 s it would spend only to start a subprocess), and stopped with it."""

    def __init__(self, environment: dict[str, str]) -> None:
        import tempfile

        self._environment = environment
        self._process: subprocess.Popen[bytes] | None = None
        # Its log is not the run's: the server's own retries and warnings would land in the middle of the
        # progress bar. It is kept aside, and its last line said if the API fails to start.
        self._log = tempfile.TemporaryFile()
        self.port = 0
        self._launch()
        atexit.register(self.stop)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def _launch(self) -> None:
        self.port = _free_port()
        site_packages = Path(importlib.util.find_spec("prefect").origin).parent.parent  # type: ignore[arg-type, union-attr]
        self._process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(site_packages), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"],
            env=self._environment,
            stdout=self._log,
            stderr=self._log,
            preexec_fn=_end_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509 — no threads yet
            start_new_session=True,  # Ctrl-C on the terminal is for the run: it still needs the API to say so
        )  # fmt: skip

    def wait(self, timeout_s: float) -> None:
        """Return once the API answers; RuntimeError when it does not within `timeout_s` or its process ends."""
        import time

        deadline = time.monotonic() + timeout_s
        while True:
            assert self._process is not None
            code = self._process.poll()
            if code == 3:  # uvicorn could not bind: another process took the port meanwhile
                self._launch()
                continue
            if code is not None:
                raise RuntimeError(f"its process exited with code {code}{self._last_words()}")
            if _listens(self._process.pid, self.port) and api_answers(self.api_url):
                return  # its own answer: another API that took the port meanwhile answers there too
            if time.monotonic() >= deadline:
                raise RuntimeError(f"no answer on {self.api_url} within {timeout_s:g} s")
            time.sleep(0.1)

    def _last_words(self) -> str:
        self._log.seek(0)
        lines = [line.strip() for line in self._log.read().decode(errors="replace").splitlines() if line.strip()]
        return f": {lines[-1]}" if lines else ""

    def in_use(self) -> AbstractContextManager[object]:
        """Prefect's client in this process talks to this API inside the block."""
        from prefect.settings import PREFECT_API_URL, temporary_settings

        return temporary_settings(updates={PREFECT_API_URL: self.api_url})

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        self._log.close()


def _listens(pid: int, port: int) -> bool:
    """Whether process `pid` listens on `port` of 127.0.0.1."""
    import psutil

    try:
        process = psutil.Process(pid)
        # psutil 6 named it net_connections; 5.9 (the oldest pyproject.toml admits) connections
        connections = getattr(process, "net_connections", None) or process.connections
        listening = connections(kind="tcp")
    except psutil.Error:
        return False
    return any(
        c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port and c.laddr.ip == "127.0.0.1"
        for c in listening
    )


def _free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now (the API may still lose it: it then exits with code 3)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _end_with_parent() -> None:
    """In the API's process before it starts: SIGTERM when the `textlake` process ends, even by SIGKILL."""
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_temporary_api() -> TemporaryApi | None:
    """When this process's flow runs would use Prefect's temporary (ephemeral) API, start it now, in its own
    process (~5 s to answer here), so that the run prepares its own work meanwhile. None when there is none
    to start: an API URL is set (environment, profile) or the temporary API is switched off."""
    import os

    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED, get_current_settings

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return None
    return TemporaryApi(
        {
            **os.environ,
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
            **get_current_settings().to_environment_variables(exclude_unset=True),
        }
    )


def use_running_server(data_dir: Path) -> None:
    """Point this process's flow runs at the data dir's `textlake server`, unless PREFECT_API_URL says where."""
    import os

    if not os.environ.get("PREFECT_API_URL") and (url := running_server(data_dir)):
        os.environ["PREFECT_API_URL"] = url


@app.command()
def server(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.", metavar="PORT")] = 4200,
    data_dir: DataDirOption = None,
) -> None:
    """Start a Prefect server (API and UI) on 127.0.0.1, its database in the data dir. Ctrl-C stops it."""
    import shutil
    import subprocess

    settings = _settings(data_dir=data_dir)
    # A second server would fail on the port, or race the first for it, and on exit delete the first's record.
    if running := server_of(settings.data_dir):
        ui = running.removesuffix("/api")
        _fail(f"a textlake server already runs on {settings.data_dir}: {ui} (its runs use it; stop it first)")
    if not port_free(port):
        _fail(f"port {port} on 127.0.0.1 is in use by another process; choose another with --port")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = prefect_server_env(settings.data_dir, port)
    prefect = shutil.which("prefect", path=str(Path(sys.executable).parent)) or "prefect"
    typer.echo(f"Prefect UI:  http://127.0.0.1:{port}")
    typer.echo(f"Runs on this data dir use it; from elsewhere: export PREFECT_API_URL=http://127.0.0.1:{port}/api")
    process = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env)
    record = settings.data_dir / SERVER_RECORD
    record.parent.mkdir(parents=True, exist_ok=True)
    written = json.dumps({"api_url": env["PREFECT_API_URL"], "pid": process.pid})
    record.write_text(written, encoding="utf-8")
    try:
        raise typer.Exit(process.wait())  # Ctrl-C or SIGTERM: textlake's handler stops the server and its processes
    finally:
        if record.exists() and record.read_text(encoding="utf-8") == written:  # this server's record, no other's
            record.unlink(missing_ok=True)


def server_of(data_dir: Path) -> str | None:
    """The API URL of the data dir's `textlake server` when one runs: its API answers, or its process is a
    Prefect server still starting."""
    import psutil

    if url := running_server(data_dir):
        return url
    try:
        server = json.loads((data_dir / SERVER_RECORD).read_text(encoding="utf-8"))
        command = psutil.Process(int(server["pid"])).cmdline()
    except (OSError, ValueError, KeyError, TypeError, psutil.Error):
        return None
    starting = any(Path(part).name == "prefect" for part in command) and "server" in command
    return str(server["api_url"]) if starting else None


def port_free(port: int) -> bool:
    """Whether a server could listen on 127.0.0.1:port now (as uvicorn binds: a port in TIME_WAIT is free)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@app.command()
def serve(
    inbox: Annotated[
        str,
        typer.Option(
            "--inbox",
            help="Folder (or bucket prefix, s3://bucket/prefix/) to watch; new or changed files are ingested.",
            metavar="DIR|URL",
        ),
    ],
    interval: Annotated[
        Optional[float], typer.Option(help="Seconds between runs.", show_default=False, metavar="SECONDS")
    ] = None,
    cron: Annotated[
        Optional[str], typer.Option(help="Cron schedule instead of an interval.", show_default=False, metavar="CRON")
    ] = None,
    data_dir: DataDirOption = None,
    glob: Annotated[
        Optional[list[str]],
        typer.Option(
            help="Which files are read; repeatable [default: every file of a format textlake reads].",
            show_default=False,
            metavar="PATTERN",
        ),
    ] = None,
    name: Annotated[str, typer.Option(help="Deployment name.", metavar="NAME")] = "inbox",
) -> None:
    """Ingest an inbox on a schedule (a Prefect deployment served from this process, on the `textlake server`
    of the data dir or the server PREFECT_API_URL names). Runs never overlap; Ctrl-C or SIGTERM stops it."""
    import os

    if (interval is None) == (cron is None):
        _fail("give exactly one of --interval and --cron", 2)
    watched = _inbox_or_usage_error(inbox)
    settings = _settings(data_dir=data_dir, glob=glob or None)
    use_running_server(settings.data_dir)
    if not os.environ.get("PREFECT_API_URL"):
        _fail(
            "textlake serve needs a Prefect server: start `textlake server` on this data dir, or set PREFECT_API_URL", 2
        )
    # Only now: Prefect reads its settings (the API's address among them) once, when it is first imported.
    from flows.ingest import ingest
    from flows.stopped_runs import crash_runs_left_behind

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    deployment = f"{ingest.name}/{name}"
    try:
        left_behind = crash_runs_left_behind(deployment, settings.data_dir)
    except Exception as error:  # noqa: BLE001 — the first call to the API: a server still starting, or gone
        _fail(f"the Prefect server at {os.environ['PREFECT_API_URL']} does not answer ({type(error).__name__})", 1)
    for left in left_behind:
        print(f"textlake: flow run {left} of {deployment} was left unfinished: marked Crashed", file=sys.stderr)
    # Ctrl-C: Prefect's runner would pause the schedule on its way out, but textlake's handler exits at once.
    # A service stopped may take longer than a run: its schedule is left clean (pause_deployment), which
    # takes ~4 s; 8 s may run out on a busy server (the likely cause of a schedule left behind), so 30.
    when_stopped(
        functools.partial(pause_deployment, deployment),
        say=f"{{stopped}}; {deployment} paused until serve runs again",
        actions_wait_s=30.0,
        say_if_unfinished=f"{{stopped}}; {deployment} may still be scheduled ({{why}}): pause it in the Prefect UI",
    )
    parameters = {"paths": [watched], "settings": json.loads(settings.model_dump_json())}
    runner = _runner_class()(name=name, pause_on_shutdown=False, limit=1)  # the pause is textlake's (above)
    runner.add_flow(
        ingest,
        name=name,
        interval=interval,
        cron=cron,
        parameters=parameters,
        concurrency_limit=1,
        description=f"Ingest new and changed files from {inbox} into {settings.data_dir}",
        tags=["textlake"],
    )
    every = f"every {interval:g} s" if interval is not None else f"on the schedule {cron!r}"
    print(f"textlake: serving {deployment} {every} from {watched}; Ctrl-C stops it", file=sys.stderr, flush=True)
    stop_when_the_server_goes(os.environ["PREFECT_API_URL"], deployment)
    asyncio.run(runner.start())


def stop_when_the_server_goes(api_url: str, deployment: str, every_s: float = 2.0, refusals: int = 3) -> None:
    """Prefect's runner does not outlive its server: with the server gone it logs a traceback at every poll,
    and once the server is back it skips every scheduled run ("at capacity": the run the server's end cut
    off still holds its one slot). So serve stops, in one line and with exit code 1, when nothing listens
    at the API any more (`refusals` times in a row, `every_s` apart); a server that answers slowly is waited
    for. Serving again after the server is back resumes the deployment."""
    import threading
    import time
    import urllib.error
    import urllib.request

    def watch() -> None:
        refused = 0
        while True:
            time.sleep(every_s)
            try:
                urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=10).close()
                refused = 0
            except urllib.error.URLError as error:
                refused = refused + 1 if isinstance(error.reason, ConnectionRefusedError) else 0
            except Exception:  # noqa: BLE001 — a timeout, a reset, a garbled answer: a server is there, busy
                refused = 0
            if refused >= refusals:
                stop_with(
                    f"the Prefect server at {api_url} stopped answering; {deployment} stopped: serve again once it runs",
                    1,
                )

    threading.Thread(target=watch, name="server-watch", daemon=True).start()


def _runner_class() -> type:
    from prefect.runner import Runner

    class TextlakeRunner(Runner):
        """Prefect's runner, as `Flow.serve` starts it, but SIGTERM stops serve as Ctrl-C does: the runner's
        own handler, installed when it starts, shut down gracefully and left the schedule running (a
        SIGTERM that came before it was installed paused the deployment: the flaky half of a test)."""

        def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
            stop_on_sigterm()

    return TextlakeRunner


def _inbox_or_usage_error(inbox: str) -> str:
    """The inbox as the deployment's runs name it: a folder's resolved path, or the URL of a bucket prefix that
    the store was asked about now (one that does not answer or refuses is said at once, not at every run)."""
    folder = local_or_reachable(inbox)
    if folder is None:
        return inbox
    if not folder.is_dir():
        _fail(f"{'not a folder' if folder.exists() else 'no such folder'}: {inbox}", 2)
    return str(folder.resolve())


def pause_deployment(name: str, signal_name: str) -> None:
    """Nothing schedules runs of the deployment while nothing serves it: it is paused (the API deletes its
    runs scheduled for later) and its runs already due are deleted, so that none piles up Late. Serving it
    again resumes it."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    scheduled = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(name)
        client.pause_deployment(deployment.id)
        # The server's scheduler may be committing runs it made just before the pause landed: look again,
        # every half second for three seconds, and delete what has come.
        for _ in range(6):
            for run in client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
                flow_run_filter=FlowRunFilter(state=scheduled),
            ):
                if run.auto_scheduled:
                    client.delete_flow_run(run.id)
            time.sleep(0.5)
