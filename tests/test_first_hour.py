"""What a new user meets first, run as they run it: the `textlake` command in a subprocess."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.cli.app import print_table, table_of
from tests.conftest import REPO

TEXTLAKE = str(REPO / ".venv" / "bin" / "textlake")


def textlake(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TEXTLAKE, *args], capture_output=True, text=True, cwd=cwd, env=env or dict(os.environ), timeout=600
    )


def test_a_path_that_does_not_exist_is_a_usage_error_before_anything_starts(tmp_path):
    result = textlake("run", "/nonexistent/path", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2
    assert result.stderr == "textlake: no such file or folder: /nonexistent/path\n"  # one line; Prefect never started
    assert not (tmp_path / "data").exists()  # nothing written, no reject recorded


def test_sql_prints_values_literally_and_piped_output_is_never_cut(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    duckdb.connect(str(data / "warehouse.duckdb")).close()
    literal = "um 10:x: Uhr [false] :smile: [bold]fett[/bold]"
    long = "Wladimir Putin " * 20
    result = textlake("sql", f"SELECT '{literal}' AS \"[x]\", '{long}' AS long", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert literal in result.stdout and "[x]" in result.stdout
    assert long.strip() in result.stdout  # 300 characters on one line: piped output is not cut at 80 columns


# Printable text: what a terminal can show at all (control characters and line breaks are not data a
# table cell can hold on one line).
CELL_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=200)


@settings(max_examples=200, deadline=None)
@given(value=CELL_TEXT)
def test_any_text_round_trips_through_a_table(value):
    out = io.StringIO()
    print_table(table_of(["v"], [[value]]), out)
    row = out.getvalue().splitlines()[3]  # top border, header, rule, then the one row
    assert row.removeprefix("│ ").rstrip().removesuffix("│").rstrip() == value.rstrip()
