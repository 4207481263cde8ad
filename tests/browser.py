"""Headless Chromium (Debian's `chromium` package, `make browser`), to judge pages the way a person sees them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("needs headless Chromium: `make browser` installs Debian's chromium package")
    return found


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def console_messages(page: Path) -> list[str]:
    """What the page logs to the console, or fails to load, once its scripts have run."""
    result = _run("--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    return re.findall(r":CONSOLE:\d+\] (.*)", result.stderr)


def screenshot(page: Path, out: Path, width: int, height: int = 4000) -> Path:
    _run(f"--screenshot={out}", f"--window-size={width},{height}", "--virtual-time-budget=3000", page.as_uri())
    assert out.is_file() and out.stat().st_size > 10_000, f"no screenshot of {page}"
    return out
