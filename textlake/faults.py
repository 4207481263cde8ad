"""Crash points for the crash-safety tests: `TEXTLAKE_CRASH_AT=<point>` kills the process there with
SIGKILL, as a power cut would. Unset (always, outside those tests) it does nothing."""

from __future__ import annotations

import os
import signal

POINTS = ("nlp", "parquet", "load", "publish")


def crash_point(point: str) -> None:
    if os.environ.get("TEXTLAKE_CRASH_AT") == point:
        os.kill(os.getpid(), signal.SIGKILL)
