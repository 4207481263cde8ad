"""Where the project's contract files live: beside the package in a checkout, inside it in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder `schemas`, `expectations` or `warehouse`."""
    for candidate in (_PACKAGE / "_contracts" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"textlake's {name}/ folder is missing from {_PACKAGE.parent}")
