"""Processes a command starts end with it: SIGTERM or SIGINT to `textlake` stops its whole process tree
(Prefect's API server and its uvicorn, a served flow run, the language stage's workers), not just itself,
and says so in one line, after what the command asked to do first (end its flow run in Prefect)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import psutil

from flows.sigterm import command_handles_sigterm

# What the command's own actions get before its processes are stopped anyway: calls to a Prefect API on
# 127.0.0.1 take ~0.1 s; one that hangs must not keep a stopped command alive.
ACTIONS_WAIT_S = 2.0


@dataclass
class _WhenStopped:
    say: str = "stopped by {signal}, with every process it started"
    grace_s: float = 10.0
    actions_wait_s: float = ACTIONS_WAIT_S
    actions: list[Callable[[str], None]] = field(default_factory=list)
    say_if_unfinished: str | None = None  # said instead of `say` when an action failed or ran out of time


_when_stopped = _WhenStopped()


def when_stopped(
    action: Callable[[str], None] | None = None,
    *,
    say: str | None = None,
    grace_s: float | None = None,
    actions_wait_s: float | None = None,
    say_if_unfinished: str | None = None,
) -> None:
    """What this command does when SIGINT or SIGTERM stops it: first `action` (given the signal's name;
    together with the others at most `actions_wait_s`, by default ACTIONS_WAIT_S s), then its processes get
    `grace_s` s to end, then it says `say` ("{signal}" is the signal's name; "{stopped}" reads "interrupted"
    for SIGINT, "stopped by SIGTERM" for SIGTERM), or `say_if_unfinished` when an action raised or ran out of
    time ("{why}" says which)."""
    if action is not None:
        _when_stopped.actions.append(action)
    if say_if_unfinished is not None:
        _when_stopped.say_if_unfinished = say_if_unfinished
    if actions_wait_s is not None:
        _when_stopped.actions_wait_s = actions_wait_s
    if say is not None:
        _when_stopped.say = say
    if grace_s is not None:
        _when_stopped.grace_s = grace_s


def stop_descendants(grace_s: float = 10.0) -> None:
    """Ask every process this one started (recursively) to stop, then kill those still there after
    `grace_s` seconds. One that ignores SIGTERM (multiprocessing's resource tracker) is killed at once."""
    children = psutil.Process().children(recursive=True)
    for child in children:
        try:
            child.kill() if _ignores_sigterm(child.pid) else child.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(children, timeout=grace_s)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


def _ignores_sigterm(pid: int) -> bool:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("SigIgn:"):
                return bool(int(line.split()[1], 16) >> (signal.SIGTERM - 1) & 1)
    except (OSError, ValueError):
        pass
    return False


# Taken by whatever stops the command first (a signal, or `stop_with` from a thread); the other waits for
# the process to exit: its line and exit code are the first one's.
_stopping = threading.Lock()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    for again in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C while stopping does not start it over
        signal.signal(again, signal.SIG_IGN)
    if not _stopping.acquire(blocking=False):
        return
    name = signal.Signals(signum).name
    terminal = _silenced()
    unfinished = _run_actions(name)
    stop_descendants(_when_stopped.grace_s)
    stopped = "interrupted" if signum == signal.SIGINT else f"stopped by {name}"
    say = _when_stopped.say_if_unfinished if unfinished and _when_stopped.say_if_unfinished else _when_stopped.say
    _say_and_exit(terminal, say.format(stopped=stopped, signal=name, why=unfinished), 128 + signum)


def stop_with(message: str, code: int) -> None:
    """Stop this command from any thread, as a signal does but without its actions (what they would tell
    cannot be told): its processes end, then it says `message` in one line and exits with `code`. Nothing,
    when a signal is stopping it already."""
    if not _stopping.acquire(blocking=False):
        return
    terminal = _silenced()
    stop_descendants(_when_stopped.grace_s)
    _say_and_exit(terminal, message, code)


def _say_and_exit(terminal: int, message: str, code: int) -> None:
    line = f"textlake: {message}\n"
    if os.isatty(terminal):  # off the progress bar's line (and a "^C"), and the cursor the bar hid shown again
        line = f"\r\x1b[2K{line}\x1b[?25h"
    os.write(terminal, line.encode())
    # Exit now, as a kill would: unwinding could wait forever on a library's worker threads. What the run
    # left is what a crash leaves, and the next run recovers it (the warehouse changes in one transaction).
    os._exit(code)


def _silenced() -> int:
    """Point this process's stdout and stderr at /dev/null: while it stops, its threads would print what
    they meet (a broken process pool, a lost connection to the API) and the progress bar would move. Returns
    a descriptor of the stderr it had."""
    original = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    return original


def _run_actions(signal_name: str) -> str | None:
    """The command's actions, in a thread of their own (a signal handler must not wait on a lock the
    interrupted code holds), for at most `actions_wait_s` s. Returns why they did not all finish (the first
    error, or the time they ran out of), None when they did."""
    failures: list[str] = []

    def run_all() -> None:
        for action in _when_stopped.actions:
            try:
                action(signal_name)
            except Exception as error:  # noqa: BLE001 — stopping goes on; the last line says it
                first_line = (str(error).strip() or "no message").splitlines()[0]
                failures.append(f"{type(error).__name__}: {first_line}")

    worker = threading.Thread(target=run_all, daemon=True)
    worker.start()
    worker.join(_when_stopped.actions_wait_s)
    if worker.is_alive():
        return f"not done within {_when_stopped.actions_wait_s:g} s"
    return failures[0] if failures else None


def stop_on_sigterm(*_: object) -> None:
    """What SIGTERM does to this command, for a library that installs its own handler for it (Prefect's
    runner does, when it starts serving)."""
    _on_signal(signal.SIGTERM, None)


def end_process_tree_on_signals() -> None:
    """From now on SIGTERM and SIGINT stop this process's descendants first, then this process (a flow run
    in it too: `flows.sigterm`)."""
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    command_handles_sigterm(_on_signal)
