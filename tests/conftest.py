"""Shared fixtures: the seed article, ../shared when present, and one Prefect test harness per session."""

from __future__ import annotations

from pathlib import Path

import pytest

import textlake  # noqa: F401 — telemetry off before Prefect loads

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_ARTICLE = SEEDS / "000_88f338ab2dbf0f65.txt"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"needs ../shared beside the checkout ({SHARED} is absent)")
    return SHARED / "data"


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
