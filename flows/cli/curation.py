"""Commands for an analyst's corrections: `review` (what to look at) and `curate apply` (the curation file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from flows.cli.app import DataDirOption, OutputFormat, _fail, _settings, app, print_table, table_of


@app.command()
def review(
    kind: Annotated[
        Optional[list[str]],
        typer.Option(
            "--kind",
            help="label-conflicts, surnames, unlinked-places or place-speakers; repeatable [default: all four].",
            show_default=False,
            metavar="KIND",
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help="Rows of each kind, most mentioned first.", metavar="N", min=1)] = 10,
    data_dir: DataDirOption = None,
    format: Annotated[
        OutputFormat,
        typer.Option(
            "--format", help="table, csv or json (one row per item, with its kind).", metavar="table|csv|json"
        ),
    ] = OutputFormat.table,
) -> None:
    """What an analyst should look at, most mentioned first: names with more than one label across documents,
    persons named by one word alone, place names with no GeoNames entry, and speakers that are places; each
    with its mentions, documents and an example in its document's words, and the curation rule that settles it."""
    from textlake.warehouse.connection import NoWarehouse, WarehouseBusy
    from textlake.warehouse.review import KIND_NAMES
    from textlake.warehouse.review import review as review_warehouse

    unknown = [k for k in kind or [] if k not in KIND_NAMES]
    if unknown:
        _fail(f"unknown --kind {unknown[0]!r}: one of {', '.join(KIND_NAMES)}", 2)
    settings = _settings(data_dir=data_dir)
    try:
        sections = review_warehouse(settings.warehouse_path, tuple(kind or KIND_NAMES), limit, settings.query_wait_s)
    except (NoWarehouse, WarehouseBusy) as error:
        _fail(str(error))
    columns = ["name", "detail", "mentions", "documents", "example_doc", "example"]
    if format is not OutputFormat.table:
        rows = [
            (section.kind.name, item.name, item.detail, item.mentions, item.documents, item.example_doc, item.example)
            for section in sections
            for item in section.items
        ]
        if format is OutputFormat.json:
            typer.echo(json.dumps([dict(zip(["kind", *columns], row, strict=True)) for row in rows],
                                  ensure_ascii=False, indent=1))  # fmt: skip
        else:
            import csv
            import sys

            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerows([["kind", *columns], *rows])
        return
    for number, section in enumerate(sections):
        if number:
            typer.echo("")
        shown = f"the {len(section.items)} most mentioned" if len(section.items) < section.total else "all"
        typer.echo(f"{section.kind.title}: {section.total:,}" + (f", {shown}" if section.total else ""))
        if not section.items:
            continue
        mentions = "quotations" if section.kind.name == "place-speakers" else "mentions"
        print_table(
            table_of(
                ["name", "detail", mentions, "documents", "example document", "example"],
                [
                    [i.name, i.detail, f"{i.mentions:,}", f"{i.documents:,}", i.example_doc, i.example]
                    for i in section.items
                ],
            )  # fmt: skip
        )
        typer.echo(f"settle in the curation file with {section.kind.fix}")


curate_app = typer.Typer(help="The curation file: an analyst's corrections to names, labels, places and speakers.",
                         no_args_is_help=True)  # fmt: skip
app.add_typer(curate_app, name="curate")


@curate_app.command("apply")
def curate_apply(
    curation: Annotated[
        Optional[Path],
        typer.Option(
            "--curation",
            help="The curation file [default: TEXTLAKE_CURATION, else <data dir>/curation.yaml].",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    data_dir: DataDirOption = None,
    wait_timeout: Annotated[
        Optional[float],
        typer.Option(
            help="Seconds to wait while a run holds the data dir or the warehouse [default: 0 and 5].",
            show_default=False,
            metavar="SECONDS",
        ),
    ] = None,
) -> None:
    """Apply the curation file to the rows in the warehouse, without running the language stage again: merge
    names, set labels, drop false names, pin places, map speakers; in one transaction, every value changed
    recorded in curation_log. Runs apply the same file to their new rows."""
    from textlake.lake.curation import CurationError, read_curation
    from textlake.run.lock import DataDirBusy, writer_lock
    from textlake.warehouse.connection import NoWarehouse, WarehouseBusy
    from textlake.warehouse.curation import apply_curation

    settings = _settings(data_dir=data_dir, curation=curation, lock_timeout_s=wait_timeout, load_wait_s=wait_timeout)
    path = settings.curation_path
    try:
        rules = read_curation(path, required=True)
    except CurationError as error:
        _fail(str(error), 2)
    try:
        with writer_lock(settings.data_dir, settings.lock_timeout_s):
            applied = apply_curation(settings.warehouse_path, rules, settings.load_wait_s, settings.duckdb_memory_limit)
    except (NoWarehouse, WarehouseBusy, DataDirBusy) as error:
        _fail(str(error))
    what = f"{path} ({rules.rules} rule{'s' if rules.rules != 1 else ''})"
    if not applied.total:
        typer.echo(f"nothing to change: {settings.warehouse_path} already follows {what}")
        return
    typer.echo(f"applied {what} to {settings.warehouse_path}:")
    for table in ("entities", "quotes", "places"):
        counts = {change: n for (t, change), n in applied.changes.items() if t == table}
        if counts:
            parts = [_changed(n, *_CHANGES[table, change]) for change, n in sorted(counts.items(), key=lambda c: -c[1])]
            typer.echo(f"  {table}: {', '.join(parts)}")
    typer.echo(f"{applied.total:,} changes recorded in curation_log as {applied.application_id}")


# (table, change) → what one and several such changes are called
_CHANGES = {
    ("entities", "updated"): ("name or label changed", "names or labels changed"),
    ("entities", "removed"): ("mention removed", "mentions removed"),
    ("quotes", "updated"): ("speaker value changed", "speaker values changed"),
    ("places", "added"): ("place name added", "place names added"),
    ("places", "updated"): ("place name linked to another place", "place names linked to another place"),
    ("places", "removed"): ("place name no mention uses removed", "place names no mention uses removed"),
}


def _changed(n: int, one: str, several: str) -> str:
    return f"{n:,} {one if n == 1 else several}"
