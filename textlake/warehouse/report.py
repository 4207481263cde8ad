"""`textlake report`: one self-contained HTML file (plots as inline SVG, styles inline, no network)."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from textlake.warehouse.connection import connect_read_only, warehouse_sql

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LABEL_NAMES = {"PER": "people", "LOC": "places", "ORG": "organisations", "MISC": "other names"}
# The one colour of a warning, in the report and in Data Docs alike (Bootstrap's yellow is hard to read on white).
WARNED_COLOUR = "#b36b00"

_CSS = (
    """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1100px;
       color: #222; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
figure { margin: 0; } img { width: 100%; height: auto; }
table { border-collapse: collapse; font-size: .9rem; } td, th { padding: .25rem .6rem; border-bottom: 1px solid #eee; text-align: left; }
.wide { overflow-x: auto; max-width: 100%; } .wide td { overflow-wrap: break-word; }
.muted { color: #777; } .failed { color: #b00; } .passed { color: #070; }
"""
    + f".warned {{ color: {WARNED_COLOUR}; }}\n"
)


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    return f'<img alt="" src="data:image/svg+xml;base64,{encoded}">'


def _empty(message: str) -> str:
    return f'<p class="muted">{html.escape(message)}</p>'


def _rows(con: duckdb.DuckDBPyConnection, query: str, **parameters: object) -> list[tuple[Any, ...]]:
    """The rows of `warehouse/report/<query>.sql`."""
    return con.execute(warehouse_sql(f"report/{query}.sql"), parameters or None).fetchall()


def build_report(warehouse: Path, out: Path, wait_s: float) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "path", "figure.dpi": 100, "font.size": 9})
    with connect_read_only(warehouse, wait_s) as con:
        outlets = _outlets(con, plt)  # a section only where sources name their outlets
        sections = [
            ("Documents and sentences per month", _per_month(con, plt)),
            *([("Outlets", outlets)] if outlets else []),
            ("Top entities per label", _top_entities(con, plt)),
            ("The ten most mentioned people over time", _people_trend(con, plt)),
            ("Who appears with whom (shared sentences)", _cooccurrence(con, plt)),
            ("Who said what", _who_said_what(con)),
            ("Places mentioned", _place_map(con, plt)),
            ("Rejected files by reason", _rejects(con)),
            ("Latest checks", _checks(con)),
        ]
        ((documents, sentences, entities, earlier),) = _rows(con, "totals")
    body = "\n".join(f"<h2>{html.escape(title)}</h2>\n{content}" for title, content in sections)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>textlake report</title><style>{_CSS}</style></head>
<body>
<h1>textlake report</h1>
<p>{documents:,} documents, {sentences:,} sentences, {entities:,} entity mentions in <code>{html.escape(str(warehouse))}</code>,
as of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.{_earlier_versions(earlier)}</p>
{body}
</body></html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def _earlier_versions(earlier: int) -> str:
    if not earlier:
        return ""
    versions = "version" if earlier == 1 else "versions"
    return (
        f" Every count is of current documents; {earlier:,} earlier {versions} of changed texts are kept beside them."
    )


def _per_month(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    rows = _rows(con, "documents_per_month")
    undated = _rows(con, "documents_without_plausible_date")[0][0]
    if not rows:
        return _empty("No dated documents yet.")
    months = [r[0] for r in rows]
    figure, left = plt.subplots(figsize=(10, 3))
    left.bar(months, [r[1] for r in rows], width=20, color="#4c78a8", label="documents")
    left.set_ylabel("documents")
    right = left.twinx()
    right.plot(months, [r[2] for r in rows], color="#f58518", marker="o", label="sentences")
    right.set_ylabel("sentences")
    figure.legend(loc="upper left")
    note = f'<p class="muted">{undated:,} documents without a plausible date are not shown.</p>' if undated else ""
    return _svg(figure) + note


def _top_entities(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    figures = []
    for label, name in LABEL_NAMES.items():
        rows = _rows(con, "top_names_of_label", label=label)
        if not rows:
            figures.append(f"<figure>{_empty(f'No {name} found.')}</figure>")
            continue
        figure, axis = plt.subplots(figsize=(5, 3), layout="constrained")
        axis.barh([_short(r[0]) for r in reversed(rows)], [r[1] for r in reversed(rows)], color="#54a24b")
        axis.set_title(f"{name} ({label})")
        axis.set_xlabel("mentions")
        figures.append(f"<figure>{_svg(figure)}</figure>")
    return f'<div class="grid">{"".join(figures)}</div>'


def _people_trend(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    periods, people = mentions_by_period(_rows(con, "top_people_per_month"))
    if not periods:
        return _empty("No dated mentions of people yet.")
    note = (
        '<p class="muted">The people of the chart above, in its order; mentions in documents without a '
        "date have no place on the time axis and are not counted here.</p>"
    )
    return _period_grid(plt, periods, people, "mentions", "Purples") + note


def _period_grid(plt: Any, periods: list[dt.date], counts: dict[str, list[int]], what: str, colours: str) -> str:
    """One row per name, one column per period, each cell shaded by its count. A grid, not lines: lines of
    names with few counts lie on top of each other and hide them."""
    figure, axis = plt.subplots(figsize=(10, 0.9 + 0.32 * len(counts)), layout="constrained")
    image = axis.imshow([counts[name] for name in counts], aspect="auto", cmap=colours, interpolation="nearest")
    axis.set_yticks(range(len(counts)), [_short(name) for name in counts])
    by_year = periods[0].month == 1 and len(periods) > 1 and periods[1].year != periods[0].year
    labels = [f"{p:%Y}" if by_year else f"{p:%Y-%m}" for p in periods]
    step = max(1, len(periods) // 16)
    axis.set_xticks(range(0, len(periods), step), labels[::step], rotation=45, ha="right")
    figure.colorbar(image, label=f"{what} per {'year' if by_year else 'month'}", shrink=0.9)
    return _svg(figure)


def _outlets(con: duckdb.DuckDBPyConnection, plt: Any) -> str | None:
    """The outlets that carried most documents, a wire story counted for each outlet that carried it; their
    documents over time; and whom they quote. None when no source names an outlet (text files only)."""
    ((outlets, documents, copies, without),) = _rows(con, "outlet_totals")
    if not outlets:
        return None
    said = f"{outlets:,} {'outlet' if outlets == 1 else 'outlets'} carried {documents:,} documents"
    if copies:
        said += (
            f", {copies:,} of them copies of a text read first elsewhere (a wire story, or the same article "
            "at another address): each outlet that carried a text counts it"
        )
    if without:
        said += f"; {without:,} {'document names' if without == 1 else 'documents name'} no outlet (text files)"
        said += " and are not shown" if without > 1 else " and is not shown"
    rows = _rows(con, "outlets")
    shown = rows[:15]
    head = (
        "<tr><th>outlet</th><th>documents</th><th>copies</th><th>first day</th><th>last day</th>"
        "<th>quotations</th><th>quoted most</th></tr>"
    )
    lines = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if value is None else str(value))}</td>" for value in row) + "</tr>"
        for row in shown
    )
    parts = [f"<p>{said}.</p>", f'<div class="wide"><table>{head}{lines}</table></div>']
    if len(rows) > len(shown):
        parts.append(
            f'<p class="muted">… and {len(rows) - len(shown):,} more outlets: '
            "<code>SELECT * FROM documents_by_outlet</code>.</p>"
        )
    periods, per_outlet = mentions_by_period(_rows(con, "outlets_per_month"))
    if len(periods) > 1:
        parts.append(_period_grid(plt, periods, per_outlet, "documents", "Blues"))
        parts.append(
            '<p class="muted">The outlets of the table above, in its order; undated documents are not counted.</p>'
        )
    parts.append(_speakers_by_outlet(con))
    return "\n".join(parts)


def _speakers_by_outlet(con: duckdb.DuckDBPyConnection) -> str:
    """The speakers quoted by most outlets against the outlets that quote them most: which outlets quote whom
    (a row per speaker, in the order of the most outlets; a cell per outlet, its quotations)."""
    rows = _rows(con, "speakers_by_outlet")
    if not rows:
        return _empty("No quotation attributed to a named speaker in a document with an outlet yet.")
    table = _cross_table(rows, list(dict.fromkeys(speaker for speaker, _, _ in rows)))
    return f'<p>The speakers quoted by most outlets, and their quotations in each:</p><div class="wide">{table}</div>'


def _cross_table(rows: list[tuple[Any, ...]], row_names: list[str]) -> str:
    """(row name, column name, count) rows as an HTML table: a row per row name in the order given, a
    column per column name in alphabetical order, empty cells where no count is."""
    columns = sorted({column for _, column, _ in rows})
    counts = {(row, column): n for row, column, n in rows}
    header = "".join(f"<th>{html.escape(_short(column, 18))}</th>" for column in columns)
    body = "".join(
        f"<tr><th>{html.escape(_short(row))}</th>"
        + "".join(f"<td>{counts.get((row, column), '')}</td>" for column in columns)
        + "</tr>"
        for row in row_names
    )
    return f"<table><tr><th></th>{header}</tr>{body}</table>"


def mentions_by_period(rows: list[tuple[Any, ...]]) -> tuple[list[dt.date], dict[str, list[int]]]:
    """(canonical, month, mentions) rows → every period from the first to the last, none skipped, and each
    person's mentions in each (0 where none), the people in the order of the rows. A row whose month is
    NULL names a person with no dated mention: a row of zeros. Over more than three years, periods are
    years. (An outlet's documents per month are counted over periods the same way.)"""
    months = [r[1] for r in rows if r[1] is not None]
    if not months:
        return [], {}
    first, last = min(months), max(months)
    by_year = (last - first).days > 3 * 365
    periods: list[dt.date] = []
    period = first.replace(month=1, day=1) if by_year else first.replace(day=1)
    while period <= last:
        periods.append(period)
        step_months = 12 if by_year else 1
        month = period.month - 1 + step_months
        period = period.replace(year=period.year + month // 12, month=month % 12 + 1)
    index = {p: i for i, p in enumerate(periods)}
    people: dict[str, list[int]] = {}
    for name, month, mentions in rows:
        counts = people.setdefault(name, [0] * len(periods))
        if month is not None:
            counts[index[month.replace(month=1, day=1) if by_year else month.replace(day=1)]] += mentions
    return periods, people


def _cooccurrence(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    top = [r[0] for r in _rows(con, "top_names")]
    if len(top) < 2:
        return _empty("Too few entities for pairs.")
    pairs = _rows(con, "name_pairs")
    index = {name: i for i, name in enumerate(top)}
    matrix = [[0] * len(top) for _ in top]
    for a, b, count in pairs:
        if a in index and b in index:
            matrix[index[a]][index[b]] = matrix[index[b]][index[a]] = count
    figure, axis = plt.subplots(figsize=(7, 6), layout="constrained")  # constrained: the colour bar's label fits
    image = axis.imshow(matrix, cmap="Blues")
    axis.set_xticks(range(len(top)), [_short(t) for t in top], rotation=60, ha="right")
    axis.set_yticks(range(len(top)), [_short(t) for t in top])
    figure.colorbar(image, label="sentences naming both")
    return _svg(figure)


def _place_map(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    """Mentions as points on longitude and latitude, sized by mentions; no map tiles (nothing is fetched)."""
    places = _rows(con, "place_mentions")
    if not places:
        return _empty("No place linked to GeoNames yet.")
    figure, axis = plt.subplots(figsize=(9, 4.8), layout="constrained")
    most = max(mentions for *_, mentions in places)
    axis.scatter(
        [p[3] for p in places], [p[2] for p in places], s=[20 + 600 * p[4] / most for p in places],
        c=["tab:blue" if p[1] == "country" else "tab:orange" for p in places], alpha=0.5, edgecolors="none",
    )  # fmt: skip
    for name, _, latitude, longitude, _ in places[:10]:  # the ten most mentioned are named
        axis.annotate(_short(name, 20), (longitude, latitude), fontsize=7, ha="center", va="bottom")
    # the extent of the places mentioned, with a margin: a world view would crowd one region into a dot
    longitudes, latitudes = [p[3] for p in places], [p[2] for p in places]
    margin_x = max(5.0, (max(longitudes) - min(longitudes)) * 0.08)
    margin_y = max(3.0, (max(latitudes) - min(latitudes)) * 0.12)
    axis.set_xlim(max(-180, min(longitudes) - margin_x), min(180, max(longitudes) + margin_x))
    axis.set_ylim(max(-90, min(latitudes) - margin_y), min(90, max(latitudes) + margin_y))
    axis.set_xlabel("longitude (°E)")
    axis.set_ylabel("latitude (°N)")
    axis.grid(color="#ddd", linewidth=0.5)
    axis.set_title("Places by mentions (blue: countries at their population centre; orange: cities)", fontsize=9)
    return _svg(figure)


def _who_said_what(con: duckdb.DuckDBPyConnection) -> str:
    """Top speakers, whom they name in their quotations, and one quotation each."""
    speakers = _rows(con, "top_speakers")
    if not speakers:
        return _empty("No quotation attributed to a named speaker yet.")
    head = "<tr><th>speaker</th><th>label</th><th>quotations</th><th>direct</th><th>indirect</th><th>other</th><th>documents</th></tr>"
    lines = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(value))}</td>" for value in row) + "</tr>" for row in speakers
    )
    parts = [f"<table>{head}{lines}</table>"]
    topics = _rows(con, "speaker_topics")
    if topics:
        table = _cross_table(topics, sorted({speaker for speaker, _, _ in topics}))
        parts.append(f"<p>Quotations naming each entity, by speaker:</p>{table}")
    examples = "".join(
        f"<li><b>{html.escape(speaker)}</b> ({html.escape(kind)}, {published or 'undated'}): {html.escape(_short(text, 300))}</li>"
        for speaker, kind, text, published in _rows(con, "example_quotes")
    )
    parts.append(f"<ul>{examples}</ul>")
    return "\n".join(parts)


def _rejects(con: duckdb.DuckDBPyConnection) -> str:
    rows = _rows(con, "rejects_by_reason")
    if not rows:
        return _empty("No file was rejected.")
    lines = "".join(f"<tr><td>{html.escape(reason)}</td><td>{count:,}</td></tr>" for reason, count in rows)
    return f"<table><tr><th>reason</th><th>files</th></tr>{lines}</table>"


def _short(name: str, limit: int = 28) -> str:
    """A label short enough that one long name does not shrink its whole chart."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _outcome(ok: bool, severity: str) -> str:
    """passed, warned (a warning-level expectation did not hold) or failed (an error-level one)."""
    return "passed" if ok else "failed" if severity == "error" else "warned"


def _checks(con: duckdb.DuckDBPyConnection) -> str:
    rows = _rows(con, "latest_checks")
    if not rows:
        return _empty("No checks recorded yet.")
    passed = sum(1 for r in rows if r[4])
    lines = "".join(
        f'<tr><td class="{_outcome(ok, sev)}">{_outcome(ok, sev)}</td><td>{"" if n is None else n}</td>'
        f"<td>{html.escape(s)}</td><td>{html.escape(c or '')}</td><td>{html.escape(e.removeprefix('expect_'))}</td></tr>"
        for s, c, e, sev, ok, n in rows
        if not ok
    )
    table = (  # in a box that scrolls sideways on a narrow screen rather than cutting the table off
        f'<div class="wide"><table><tr><th>result</th><th>unexpected</th><th>suite</th><th>column</th><th>expectation</th></tr>{lines}</table></div>'
        if lines
        else ""
    )
    warned = sum(1 for r in rows if not r[4] and r[3] != "error")
    counts = f"{passed} passed, {warned} warned, {len(rows) - passed - warned} failed"
    return f"<p>{len(rows)} expectations in the latest run: {counts}.</p>{table}"
