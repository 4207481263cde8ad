"""One writer per data dir: a run holds an exclusive lock on `<data dir>/.textlake.run.lock`, and names its
flow run beside it."""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path


class DataDirBusy(Exception):
    """Another run holds the data dir."""


@contextmanager
def writer_lock(data_dir: Path, timeout_s: float = 0.0, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the data dir for writing; wait up to `timeout_s` for another holder (telling `on_wait` once)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / ".textlake.run.lock"
    with open(path, "a+") as handle:
        deadline = time.monotonic() + timeout_s
        waited = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if on_wait and timeout_s > 0 and not waited:
                    on_wait(f"another textlake run is writing to {data_dir}; waiting up to {timeout_s:g} s for it")
                waited = True
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise DataDirBusy(
                        f"another textlake run is writing to {data_dir} ({holder}); waited {timeout_s:g} s "
                        "(use --wait-timeout to wait longer)"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class FlowRunRecord:
    """The flow run that holds (or last held) the data dir, the API that records it, and its process."""

    flow_run_id: str
    api_url: str | None
    pid: int


# Left by a run while it holds the data dir; still there after it when its process was stopped or killed.
FLOW_RUN_RECORD = ".textlake.flow_run.json"


def record_flow_run(data_dir: Path, record: FlowRunRecord) -> None:
    """Name the flow run that holds the data dir now (call it holding `writer_lock`)."""
    written = data_dir / f"{FLOW_RUN_RECORD}.{os.getpid()}"
    written.write_text(json.dumps(asdict(record)), encoding="utf-8")
    written.replace(data_dir / FLOW_RUN_RECORD)  # whole or not at all, should the process die meanwhile


def recorded_flow_run(data_dir: Path) -> FlowRunRecord | None:
    """The flow run that holds the data dir, or held it last and ended without finishing."""
    try:
        return FlowRunRecord(**json.loads((data_dir / FLOW_RUN_RECORD).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def forget_flow_run(data_dir: Path) -> None:
    """The flow run that held the data dir finished (Completed or Failed, as Prefect saw)."""
    (data_dir / FLOW_RUN_RECORD).unlink(missing_ok=True)
