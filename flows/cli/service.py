"""Commands that keep running: `server` (a Prefect server and UI) and `serve` (the inbox deployment)."""

from __future__ import annotations

import json
import sys
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
    typer.echo(f"Point runs at it:  export PREFECT_API_URL=http://127.0.0.1:{port}/api")
    process = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env)
    raise typer.Exit(process.wait())  # Ctrl-C or SIGTERM: textlake's handler stops the server and its processes


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
    if not os.environ.get("PREFECT_API_URL"):
        _fail("textlake serve needs a Prefect server: start one with `textlake server` and set PREFECT_API_URL", 2)
    settings = _settings(data_dir=data_dir, glob=glob)
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
