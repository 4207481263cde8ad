"""SIGTERM inside a flow run of a `textlake` command: the command's handler, not Prefect's (no Prefect import
here: the CLI registers its handler before Prefect reads its settings)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable

# The SIGTERM handler of the `textlake` command this process is, which a flow run in it keeps. Prefect's flow
# engine swaps in its own while a flow runs, and that one marks the task and flow runs Crashed and logs
# "Crash detected!" for each (three ERROR lines) before it hands the signal to the command's handler, which
# says in one line what stopped. Under `serve` a flow runs in a process of its own, where none is set and
# Prefect's handler stays: its runner stops a run by SIGTERM.
_command_sigterm_handler: list[Callable[[int, object], None]] = []


def command_handles_sigterm(handler: Callable[[int, object], None]) -> None:
    """The command installed `handler` for SIGTERM: a flow run in this process keeps it (`keep_commands_sigterm`)."""
    _command_sigterm_handler[:] = [handler]


def keep_commands_sigterm() -> None:
    """Inside a flow run: SIGTERM goes to the command's handler again, as SIGINT does (one line, the flow run
    Cancelled by that handler's action), not through Prefect's."""
    if _command_sigterm_handler and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _command_sigterm_handler[0])
