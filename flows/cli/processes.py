"""Processes a command starts end with it: SIGTERM or SIGINT to `textlake` stops its whole process tree
(Prefect's API server and its uvicorn, a served flow run, the language stage's workers), not just itself."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

import psutil


def stop_descendants(grace_s: float = 10.0) -> None:
    """Ask every process this one started (recursively) to stop, then kill those still there after
    `grace_s` seconds."""
    children = psutil.Process().children(recursive=True)
    for child in children:
        try:
            child.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(children, timeout=grace_s)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


def _on_signal(signum: int, frame: FrameType | None) -> None:
    stop_descendants()
    print(f"textlake: stopped by {signal.Signals(signum).name}, with every process it started", file=sys.stderr)
    # Exit now, as a kill would: unwinding could wait forever on a library's worker threads. What the run
    # left is what a crash leaves, and the next run recovers it (the warehouse changes in one transaction).
    os._exit(128 + signum)


def end_process_tree_on_signals() -> None:
    """From now on SIGTERM and SIGINT stop this process's descendants first, then this process."""
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
