"""Commands that keep running: `server` (a Prefect server and UI) and `serve` (the inbox deployment)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer

from flows.cli.app import DataDirOption, _fail, _settings, app


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


def running_server(data_dir: Path) -> str | None:
    """The API URL of the `textlake server` of this data dir, when one is running and answers now."""
    import os
    import urllib.request

    record = data_dir / SERVER_RECORD
    try:
        server = json.loads(record.read_text(encoding="utf-8"))
        os.kill(int(server["pid"]), 0)  # OSError when it is gone
        with urllib.request.urlopen(f"{server['api_url']}/health", timeout=1) as response:
            return str(server["api_url"]) if response.status == 200 else None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no server, a stale record, or a server not (yet) answering: Prefect's ephemeral API


def start_temporary_api() -> Callable[[], None] | None:
    """When this process's flow runs will use Prefect's temporary (ephemeral) API, start it now in the
    background (a server process, ~6 s here) and return a function that waits until it answers: the run
    prepares its own work meanwhile. None when there is none to start (a server's URL is set)."""
    import threading

    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return None
    from prefect.server.api.server import SubprocessASGIServer

    failures: list[BaseException] = []

    def start() -> None:
        try:
            SubprocessASGIServer().start()  # the instance Prefect's client uses: it starts only once
        except BaseException as error:  # noqa: BLE001 — said in the caller's thread, where it can act
            failures.append(error)

    starting = threading.Thread(target=start, name="prefect-temporary-api", daemon=True)
    starting.start()

    def wait() -> None:
        starting.join()
        if failures:
            raise failures[0]

    return wait


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
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = prefect_server_env(settings.data_dir, port)
    prefect = shutil.which("prefect", path=str(Path(sys.executable).parent)) or "prefect"
    typer.echo(f"Prefect UI:  http://127.0.0.1:{port}")
    typer.echo(f"Runs on this data dir use it; from elsewhere: export PREFECT_API_URL=http://127.0.0.1:{port}/api")
    process = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env)
    record = settings.data_dir / SERVER_RECORD
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"api_url": env["PREFECT_API_URL"], "pid": process.pid}), encoding="utf-8")
    try:
        raise typer.Exit(process.wait())  # Ctrl-C or SIGTERM: textlake's handler stops the server and its processes
    finally:
        record.unlink(missing_ok=True)


@app.command()
def serve(
    inbox: Annotated[
        Path,
        typer.Option(
            "--inbox",
            help="Folder to watch; new or changed files are ingested.",
            metavar="DIR",
            exists=True,
            file_okay=False,
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
        Optional[str],
        typer.Option(help="Which files are read [default: *.txt].", show_default=False, metavar="PATTERN"),
    ] = None,
    name: Annotated[str, typer.Option(help="Deployment name.", metavar="NAME")] = "inbox",
) -> None:
    """Ingest an inbox on a schedule (a Prefect deployment served from this process; needs PREFECT_API_URL
    pointing at a server, see `textlake server`). Runs never overlap; Ctrl-C or SIGTERM stops it."""
    import os

    from flows.ingest import ingest

    if (interval is None) == (cron is None):
        _fail("give exactly one of --interval and --cron", 2)
    settings = _settings(data_dir=data_dir, glob=glob)
    use_running_server(settings.data_dir)
    if not os.environ.get("PREFECT_API_URL"):
        _fail(
            "textlake serve needs a Prefect server: start `textlake server` on this data dir, or set PREFECT_API_URL", 2
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    parameters = {"paths": [str(inbox.resolve())], "settings": json.loads(settings.model_dump_json())}
    ingest.serve(
        name=name,
        interval=interval,
        cron=cron,
        parameters=parameters,
        global_limit=1,
        limit=1,
        description=f"Ingest new and changed files from {inbox} into {settings.data_dir}",
        tags=["textlake"],
    )
