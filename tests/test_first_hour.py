"""What a new user meets first, run as they run it: the `textlake` command in a subprocess."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.cli.app import print_table, table_of
from tests.conftest import BIN, REPO, SEEDS
from textlake import __version__ as textlake_version
from textlake.run.lock import writer_lock

TEXTLAKE = str(BIN / "textlake")


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


@settings(max_examples=200)
@given(value=CELL_TEXT)
def test_any_text_round_trips_through_a_table(value):
    out = io.StringIO()
    print_table(table_of(["v"], [[value]]), out)
    row = out.getvalue().splitlines()[3]  # top border, header, rule, then the one row
    assert row.removeprefix("│ ").rstrip().removesuffix("│").rstrip() == value.rstrip()


@pytest.mark.slow
def test_every_user_error_is_one_line_and_an_exit_code(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    duckdb.connect(str(data / "warehouse.duckdb")).close()
    where = ["--data-dir", str(data)]
    mistakes = {
        ("sql", "-f", "missing.sql", *where): 2,
        ("eval", "ner", "--gold", "missing.tsv"): 2,
        ("eval", "sentences", "--gold", "missing.jsonl"): 2,
        ("sql", "SELECT 1", "--format", "xml", *where): 2,
        ("run", "--workers", "0", *where): 2,
        ("run", "--no-such-option"): 2,
        ("no-such-command",): 2,
        ("serve", "--inbox", str(tmp_path / "no-inbox"), "--interval", "5"): 2,
        ("sql", "SELECT * FROM no_such_view", *where): 1,
        ("sql", "DELETE FROM documents", *where): 1,
        ("search", "Putin", "--data-dir", str(tmp_path / "empty")): 1,
    }
    for args, code in mistakes.items():
        result = textlake(*args)
        assert result.returncode == code, (args, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr, args
        assert result.stderr.startswith("textlake: ") and result.stderr.count("\n") == 1, (args, result.stderr)


def test_a_locked_data_dir_is_one_line_too(tmp_path):
    data = tmp_path / "data"
    with writer_lock(data):  # a run holds the data dir
        result = textlake(
            "sql", "CREATE TABLE notes (a INT)", "--write", "--wait-timeout", "0", "--data-dir", str(data)
        )
    assert result.returncode == 1
    assert result.stderr.startswith("textlake: another textlake run is writing") and result.stderr.count("\n") == 1


@pytest.mark.slow
def test_version_and_help_read_plainly_at_80_columns():
    assert textlake("--version").stdout == f"textlake {textlake_version}\n"
    for command in (["run"], ["sql"], ["search"], ["checks"], ["serve"], ["eval", "ner"]):
        result = textlake(*command, "--help", env={**os.environ, "COLUMNS": "80"})
        assert result.returncode == 0
        assert max(len(line) for line in result.stdout.splitlines()) <= 80, command
        for odd in ("<list[", "<str>", "<int", "<bool>", "<path>", "<float>", "[x>=", " .\n", "╭"):
            assert odd not in result.stdout, (command, odd)


def test_the_command_line_loads_no_data_library_until_a_command_needs_one():
    # `textlake --help`, `--version` and a usage error answer in half a second, not after ~1 s of imports
    libraries = ("pandas", "pyarrow", "duckdb", "numpy", "prefect", "great_expectations", "spacy")
    script = f"import sys, flows.cli; print([m for m in {libraries!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert (loaded.returncode, loaded.stdout) == (0, "[]\n"), loaded.stderr


def seed_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    return corpus


@pytest.mark.slow
def test_a_file_is_the_same_file_from_any_working_directory(prefect_server, tmp_path):
    corpus, data = seed_corpus(tmp_path), tmp_path / "data"
    first = textlake("run", "corpus", "--data-dir", "data", cwd=tmp_path, env=prefect_server)
    assert first.returncode == 0, first.stderr
    for cwd, named in ((corpus, "."), (Path("/"), str(corpus))):
        again = textlake("run", named, "--data-dir", str(data), cwd=cwd, env=prefect_server)
        assert again.returncode == 0, again.stderr
        assert again.stdout.startswith("nothing new: 3 files"), again.stdout
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        paths = [p for (p,) in con.execute("SELECT source_path FROM documents ORDER BY 1").fetchall()]
        assert paths == sorted(str(p.resolve()) for p in corpus.glob("*.txt"))
        assert con.execute("SELECT count(*) FROM rejects").fetchone() == (0,)


@pytest.mark.slow
def test_a_warehouse_with_relative_paths_is_migrated_and_loses_nothing(prefect_server, tmp_path):
    corpus, data = seed_corpus(tmp_path), tmp_path / "data"
    assert textlake("run", "corpus", "--data-dir", "data", cwd=tmp_path, env=prefect_server).returncode == 0
    with duckdb.connect(str(data / "warehouse.duckdb")) as con:  # as releases before absolute paths wrote it
        for table in ("documents", "file_state"):
            con.execute(f"UPDATE {table} SET source_path = replace(source_path, ?, '')", [f"{tmp_path.resolve()}/"])
        assert con.execute("SELECT min(source_path) FROM documents").fetchone()[0].startswith("corpus/")

    later = textlake("run", str(corpus), "--data-dir", str(data), cwd=Path("/"), env=prefect_server)
    assert later.returncode == 0, later.stderr
    assert "documents        0 new, 3 unchanged" in later.stdout and "rejects          0" in later.stdout
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), min(source_path) LIKE '/%' FROM documents").fetchone() == (3, True)
        assert con.execute("SELECT count(*) FROM file_state WHERE source_path NOT LIKE '/%'").fetchone() == (0,)


def in_a_terminal(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """What `textlake ARGS` shows on a terminal (a pty, 120 columns): its stdout and stderr as one stream."""
    import pty

    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [TEXTLAKE, *args], stdin=secondary, stdout=secondary, stderr=secondary, cwd=cwd,
        env={**env, "COLUMNS": "120", "TERM": "xterm"},
    )  # fmt: skip
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closed: the process is gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=600)
    os.close(primary)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", errors="replace"))  # colours off


@pytest.mark.slow
def test_a_run_on_a_terminal_shows_one_moving_bar_then_the_summary_once(prefect_server, tmp_path):
    corpus = seed_corpus(tmp_path)
    screen = in_a_terminal(["run", str(corpus), "--data-dir", str(tmp_path / "data")], prefect_server, tmp_path)
    assert "| INFO" not in screen and "Traceback" not in screen  # Prefect's and GX's INFO logs stay in the API
    assert "0/3 files" in screen and "3/3 files" in screen  # the bar knew the total and finished
    assert screen.count("files seen") == 1 and "run " in screen and ": published" in screen
    verbose = in_a_terminal(
        ["run", str(corpus), "--data-dir", str(tmp_path / "data"), "--no-skip-unchanged", "--verbose"],
        prefect_server,
        tmp_path,
    )
    assert "| INFO" in verbose


def hold_open_read_only(warehouse: Path) -> subprocess.Popen[str]:
    """Another process with the warehouse open, as a DuckDB shell or a notebook has it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
         "print('open', flush=True); time.sleep(600)", str(warehouse)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == "open\n"
    return holder


@pytest.mark.slow
def test_an_open_reader_stops_a_run_in_one_line_that_names_it(prefect_server, tmp_path):
    corpus, data = seed_corpus(tmp_path), tmp_path / "data"
    assert textlake("run", str(corpus), "--data-dir", str(data), env=prefect_server).returncode == 0
    (corpus / "later.txt").write_text(" date 2023-01 Die Regierung in Wien tagte am Montag.\n", encoding="utf-8")
    holder = hold_open_read_only(data / "warehouse.duckdb")
    try:
        blocked = textlake("run", str(corpus), "--data-dir", str(data), env=prefect_server)
    finally:
        holder.kill()
    assert blocked.returncode == 1
    assert blocked.stderr.count("\n") == 1 and "Traceback" not in blocked.stderr, blocked.stderr
    # the holder by the command that started it, not by its interpreter's path
    assert "(python -c 'import duckdb, sys, time; c = duckdb.connect(" in blocked.stderr
    assert f"…, PID {holder.pid})" in blocked.stderr and "end that process" in blocked.stderr
    assert "--wait-timeout" in blocked.stderr
    holder.wait()
    later = textlake("run", str(corpus), "--data-dir", str(data), env=prefect_server)
    assert later.returncode == 0 and "documents        1 new, 3 unchanged" in later.stdout


def temporary_api_processes(prefect_home: Path) -> list[int]:
    """Processes serving a Prefect API whose PREFECT_HOME is this test's."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            environment = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if (
            b"prefect.server.api.server:create_app" in command
            and f"PREFECT_HOME={prefect_home}".encode() in environment
        ):
            found.append(int(entry.name))
    return found


def run_without_a_server(tmp_path: Path, **prefect_settings: str) -> subprocess.CompletedProcess[str]:
    """`textlake run` of one small file with no PREFECT_API_URL and no `textlake server`, Prefect's home in
    `tmp_path / "prefect-home"`."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Der Bürgermeister sagte, die Brücke werde im Mai fertig.", encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect-home"), **prefect_settings}
    return textlake("run", str(inbox), "--data-dir", str(tmp_path / "data"), env=env)


@pytest.mark.slow
def test_a_run_without_a_server_starts_prefects_temporary_api_and_leaves_nothing_running(tmp_path):
    # The run starts Prefect's temporary API while it loads its model, and stops it at the end.
    result = run_without_a_server(tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"documents\s+1 new", result.stdout)
    assert temporary_api_processes(tmp_path / "prefect-home") == []


@pytest.mark.slow
def test_a_run_killed_outright_takes_its_temporary_api_with_it(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Der Bürgermeister sagte, die Brücke werde im Mai fertig.", encoding="utf-8")
    home = tmp_path / "prefect-home"
    env = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"} | {"PREFECT_HOME": str(home)}
    run = subprocess.Popen(
        [TEXTLAKE, "run", str(inbox), "--data-dir", str(tmp_path / "data")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not temporary_api_processes(home) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert temporary_api_processes(home), "the run started no temporary API"
    run.kill()  # SIGKILL: no exit handler, no signal handler runs
    run.wait()
    deadline = time.monotonic() + 15
    while temporary_api_processes(home) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert temporary_api_processes(home) == []


@pytest.mark.slow
def test_a_temporary_api_that_does_not_start_is_one_line_and_leaves_nothing_running(tmp_path):
    # Its database cannot be made (a folder where a file is): the API never answers, however quick the
    # machine (a startup timeout of 0 s alone raced it: the API once answered before the run first asked).
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    database = f"sqlite+aiosqlite:///{tmp_path / 'a-file' / 'prefect.db'}"
    result = run_without_a_server(
        tmp_path, PREFECT_API_DATABASE_CONNECTION_URL=database, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="10"
    )
    assert result.returncode == 1
    assert result.stderr.startswith("textlake: Prefect's temporary API did not start: ")
    assert result.stderr.count("\n") == 1
    assert temporary_api_processes(tmp_path / "prefect-home") == []


@pytest.mark.slow
def test_the_summary_counts_quotations_and_places_names_every_reject_and_suggests_commands_that_work(
    prefect_server, tmp_path
):
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    for number in range(7):
        (inbox / f"empty{number}.txt").write_bytes(b"")
    data = tmp_path / "elsewhere"
    result = textlake("run", str(inbox), "--data-dir", str(data), cwd=tmp_path, env=prefect_server)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.search(r"^quotations +[1-9]\d* new$", result.stdout, re.MULTILINE)
    assert re.search(r"^places +[1-9]\d* named, [1-9]\d* on the map$", result.stdout, re.MULTILINE)
    assert sum(line.startswith("  rejected ") for line in lines) == 5
    [more] = [line for line in lines if line.startswith("  … and ")]
    assert more.startswith("  … and 2 more rejects: ")
    [suggested] = [line.removeprefix("try").strip() for line in lines if line.startswith("try ")]
    for command in (suggested, more.split(": ", 1)[1]):  # typed as shown, where the user is: they answer
        answer = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=tmp_path, timeout=300)
        assert answer.returncode == 0, f"{command}: {answer.stderr}"
    assert (
        "Wladimir Putin" in subprocess.run(suggested, shell=True, capture_output=True, text=True, cwd=tmp_path).stdout
    )
