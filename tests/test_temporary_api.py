"""Prefect's temporary API that a `textlake` process starts for itself (flows/cli/service.py): real
uvicorn, real Prefect server."""

from __future__ import annotations

import http.server
import os
import threading

import pytest

from flows.cli import service
from tests.conftest import free_port


class AnotherApi(http.server.BaseHTTPRequestHandler):
    """Some other process's API: its health check answers 200 too."""

    def do_GET(self) -> None:  # noqa: N802 — the name http.server calls
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, *_: object) -> None:
        pass


@pytest.mark.slow
def test_a_port_another_api_took_meanwhile_is_left_to_it(tmp_path, monkeypatch):
    """The port chosen for the temporary API was free when chosen, and another API bound it before ours
    did: ours starts again on another port, and the run talks to its own API, not the one that answers
    on the first port."""
    taken = free_port()
    other = http.server.ThreadingHTTPServer(("127.0.0.1", taken), AnotherApi)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    ports = iter([taken])
    monkeypatch.setattr(service, "_free_port", lambda: next(ports, None) or free_port())
    environment = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_UI_ENABLED": "0",
                   "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT_API_URL": ""}  # fmt: skip
    api = service.TemporaryApi(environment)
    try:
        api.wait(timeout_s=180)
        assert api.port != taken
        assert service.api_answers(api.api_url)
    finally:
        api.stop()
        other.shutdown()
