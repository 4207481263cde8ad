"""A flow run whose process stops before it finishes ends in Prefect too, never Running for ever: Cancelled
when SIGINT or SIGTERM stops the process (it says so on its way out), Crashed when the process was killed
outright (the next run on the data dir finds it left Running and says so), or when a served run was left
Pending or Running by a serve or server that stopped under it (the next serve finds it)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

from prefect import get_run_logger
from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound
from prefect.runtime import flow_run
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.states import Cancelled, Crashed

from textlake.run.lock import FlowRunRecord, forget_flow_run, record_flow_run, recorded_flow_run
from textlake.settings import Settings


@contextmanager
def flow_run_named_in_data_dir(settings: Settings) -> Iterator[None]:
    """Inside the block (holding the data dir's lock) the data dir names this flow run, its API and process:
    for this process's signal handler and, should the process be killed, for the next run. First, a flow run
    that an earlier, killed process left Running is marked Crashed."""
    if flow_run.id is None:  # called outside a flow run
        yield
        return
    crash_flow_run_left_running(settings)
    record_flow_run(settings.data_dir, FlowRunRecord(str(flow_run.id), PREFECT_API_URL.value(), os.getpid()))
    try:
        yield
    finally:  # finished, Completed or Failed: Prefect records that itself
        forget_flow_run(settings.data_dir)


def crash_flow_run_left_running(settings: Settings) -> None:
    """The flow run the data dir names was held by a process that is gone (this run holds the lock now):
    when Prefect still has it Running (or Pending), that process was killed outright; mark it Crashed."""
    record = recorded_flow_run(settings.data_dir)
    if record is None:
        return
    with get_client(sync_client=True) as client:
        try:
            left = client.read_flow_run(UUID(record.flow_run_id))
        except (ObjectNotFound, ValueError):  # recorded by another Prefect API than this run's, or garbled
            return
        if left.state is None or left.state.is_final():
            return
        message = f"its process ({record.pid}) ended without finishing, killed; a later run recovered the data dir"
        client.set_flow_run_state(left.id, Crashed(message=message), force=True)
    get_run_logger().warning("flow run %s (%s) was left %s: marked Crashed", left.name, left.id, left.state.name)


def cancel_flow_run(record: FlowRunRecord, signal_name: str) -> None:
    """The recorded flow run ends Cancelled: SIGINT or SIGTERM stopped its process."""
    if not record.api_url:
        return
    with temporary_settings({PREFECT_API_URL: record.api_url}), get_client(sync_client=True) as client:
        message = f"stopped by {signal_name}; the next run recovers the data dir"
        client.set_flow_run_state(UUID(record.flow_run_id), Cancelled(message=message), force=True)


def crash_runs_left_behind(deployment: str, data_dir: Path, pending_for_s: float = 120.0) -> list[str]:
    """The deployment's flow runs that a stopped serve or server left unfinished, marked Crashed before a new
    serve starts; their names. Prefect has them Pending or Running though nothing runs them, and one holds the
    deployment's one run slot (concurrency 1): no scheduled run of it would start again. A run Pending for
    longer than `pending_for_s` s never got a process (the server stopped while it was starting); a Running
    one was killed when the process the data dir names for it is gone."""
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    crashed = []
    with get_client(sync_client=True) as client:
        try:
            served = client.read_deployment_by_name(deployment)
        except ObjectNotFound:  # never served on this server
            return []
        unfinished = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PENDING, StateType.RUNNING]))
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(deployment_id=FlowRunFilterDeploymentId(any_=[served.id]), state=unfinished)
        )
        record = recorded_flow_run(data_dir)
        started_before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=pending_for_s)
        for run in runs:
            if run.state_type == StateType.PENDING:
                left = run.state is not None and run.state.timestamp < started_before
            else:
                left = record is not None and record.flow_run_id == str(run.id) and not _alive(record.pid)
            if left:
                message = "left unfinished when the serve or Prefect server running it stopped; a later serve found it"
                client.set_flow_run_state(run.id, Crashed(message=message), force=True)
                crashed.append(run.name)
    return crashed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
