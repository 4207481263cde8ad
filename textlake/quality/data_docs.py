"""Great Expectations Data Docs for a run, rendered by GX itself and made to work offline.

GX's page templates load Bootstrap, jQuery, Font Awesome and bootstrap-table from CDNs; the pages are
rewritten to use the copies in `textlake/quality/data_docs_assets/`, and whatever has no local copy (Vega
charts, a date picker, GX's hosted logo) is dropped, so the page never reaches the network.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

from textlake.quality.checks import CheckReport, CheckResult
from textlake.warehouse.report import WARNED_COLOUR

ASSETS = Path(__file__).resolve().parent / "data_docs_assets"

_LOCAL_COPIES = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "css/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "js/bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "js/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "js/popper.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "css/fontawesome.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "css/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "js/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": "css/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": "css/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": "js/bootstrap-table-filter-control.min.js",
}
_REMOTE_SCRIPT = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>', re.IGNORECASE)
_REMOTE_LINK = re.compile(r'<link[^>]*\shref="https?://[^"]*"[^>]*/?>', re.IGNORECASE)
_REMOTE_IMAGE = re.compile(r'<img[^>]*\ssrc="https?://[^"]*"[^>]*/?>', re.IGNORECASE)
_REMOTE_URL = re.compile(r"url\(\s*['\"]?https?://[^)]*\)", re.IGNORECASE)
_REMOTE_HREF = re.compile(r'\shref="https?://[^"]*"', re.IGNORECASE)


def make_offline(page: str, assets_prefix: str) -> str:
    """`page` with CDN resources pointing at local copies and every other remote reference removed."""
    for remote, local in _LOCAL_COPIES.items():
        page = page.replace(remote, f"{assets_prefix}/{local}")
    page = _REMOTE_SCRIPT.sub("", page)
    page = _REMOTE_LINK.sub("", page)
    page = _REMOTE_IMAGE.sub("", page)
    page = _REMOTE_URL.sub("none", page)
    return _REMOTE_HREF.sub("", page)


def build_data_docs(report: CheckReport, out_dir: Path, run_id: str) -> Path:
    """Write one GX validation page per suite and an index under `out_dir/<run_id>/`, and the index of all
    runs at `out_dir/index.html`; returns the run's index. Each page is GX's own, made to work offline from
    file:// and told what textlake knows: which failures are only warnings, the rows each failure was found
    in, and links that stay inside the data dir."""
    from great_expectations.render.renderer.page_renderer import ValidationResultsPageRenderer
    from great_expectations.render.view.view import DefaultJinjaPageView

    assets = out_dir / "assets"
    if not assets.is_dir():
        shutil.copytree(ASSETS, assets, ignore=shutil.ignore_patterns("*.md"))
    run_dir = out_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    renderer, view = ValidationResultsPageRenderer(), DefaultJinjaPageView()
    links = []
    for suite, result in report.raw.items():
        _plain_numbers(result)
        failures = [r for r in report.results if r.suite == suite and not r.success]
        page = make_offline(view.render(renderer.render(result)), "../assets")
        page = _as_textlake_sees_it(page, run_id, failures, _rows_checked(result))
        (run_dir / f"{suite}.html").write_text(page, encoding="utf-8")
        links.append((suite, len(result.results), failures))
    index = run_dir / "index.html"
    index.write_text(_index_page(run_id, links), encoding="utf-8")
    (run_dir / _TALLY).write_text(json.dumps(_tally(report)), encoding="utf-8")
    (out_dir / "index.html").write_text(_runs_page(out_dir), encoding="utf-8")
    return index


# Each run's folder keeps its checks' counts, from which the index of all runs is written anew.
_TALLY = "checks.json"


def _tally(report: CheckReport) -> dict[str, int]:
    warned = sum(1 for r in report.failed if not r.blocking)
    return {"passed": report.passed, "warned": warned, "failed": len(report.blocking)}


_STATUS_FAILED = re.compile(
    r'(Status:</span>\s*)<i class="fas fa-times(?:-circle)? text-danger" aria-hidden="true"></i>\s*Failed',
    re.IGNORECASE,
)
_FOOTER = re.compile(r"<footer>.*?</footer>", re.IGNORECASE | re.DOTALL)
_FAVICON = re.compile(r'<link rel="shortcut icon"[^>]*>', re.IGNORECASE)
# Subresource-integrity and CORS attributes make Chromium refuse local scripts under file://.
_SRI = re.compile(r'\s(?:integrity|crossorigin)="[^"]*"', re.IGNORECASE)


# GX links its pages into a site of its own four folders up (outside the data dir); the suite's link
# points at a page of that site that is never written.
_GX_SITE_LINK = re.compile(r'href="(?:\.\./)+index\.html"')
_GX_SUITE_LINK = re.compile(r'<a href="(?:\.\./)+expectations/[^"]*"\s*>([^<]*)</a>')
_SECTION = re.compile(r'(?=<div id="section-\d+" class="ge-section)')
_SECTION_COLUMN = re.compile(r"<h5[^>]*>\s*(.*?)\s*</h5>", re.DOTALL)
_GX_COUNTS = re.compile(r"(\d[\d,]*) unexpected values? found\. ≈?[\d.,]+% of [\d,]+ total rows\.")


def _as_textlake_sees_it(page: str, run_id: str, failures: list[CheckResult], rows_checked: dict[str, int]) -> str:
    """GX's page with what it gets wrong for textlake put right: a suite whose failures are all warnings is
    not 'Failed', and a warning is shown as one (a yellow triangle, not a red cross); a count of unexpected
    values is given out of the rows the expectation checked (GX gives the percentage of those and calls the
    whole table its base); each failure names the rows it was found in (GX's cross-table tables say only
    'True'); the links go to this run's index, not to a GX site that does not exist; no newsletter footer,
    no '__none__' where the run's name belongs, no scripts blocked under file://."""
    page = _SRI.sub("", page)
    page = _FAVICON.sub("", page)
    page = _FOOTER.sub("", page)
    page = page.replace("__none__", html.escape(run_id))
    page = _GX_SITE_LINK.sub('href="index.html"', page)
    page = page.replace("</head>", f"<style>.text-warning {{ color: {WARNED_COLOUR} !important; }}</style></head>", 1)
    page = _GX_SUITE_LINK.sub(r"\1", page)
    page = "".join(_section_as_textlake_sees_it(section, failures, rows_checked) for section in _SECTION.split(page))
    if failures and not any(f.blocking for f in failures):
        page = _STATUS_FAILED.sub(
            r'\1<i class="fas fa-exclamation-triangle text-warning" aria-hidden="true"></i> Passed with warnings',
            page,
            count=1,
        )
    blocks = "".join(
        f'<div class="alert alert-light border m-3"><b>{title}</b><ul class="mb-0">{items}</ul></div>'
        for title, css, chosen in (("Failed here", "text-danger", True), ("Warned here", "text-body", False))
        if (
            items := "".join(
                f'<li class="{css}">{html.escape(f.describe())}</li>' for f in failures if f.blocking == chosen
            )
        )
    )
    if blocks:
        block = f'<div class="container-fluid">{blocks}</div>'
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + block, page, count=1)
    return page


def _section_as_textlake_sees_it(section: str, failures: list[CheckResult], rows_checked: dict[str, int]) -> str:
    """One column's section of a GX page: its counts out of the rows checked, and its failures drawn as
    warnings when every failure on the column is one."""
    heading = _SECTION_COLUMN.search(section)
    if heading is None:
        return section
    column = html.unescape(heading.group(1))
    if column in rows_checked:
        base = rows_checked[column]
        section = _GX_COUNTS.sub(
            lambda m: (
                f"{m.group(1)} unexpected of {base:,} {'row' if base == 1 else 'rows'} checked ({_percent(m.group(1), base)})."
            ),
            section,
        )
    on_column = [f for f in failures if f.column == column]
    if on_column and not any(f.blocking for f in on_column):
        section = section.replace('<i class="fas fa-times text-danger" ></i>', _WARNED_ICON)
        section = section.replace('<strong class="text-danger" >', '<strong class="text-warning" >')
    return section


_WARNED_ICON = '<i class="fas fa-exclamation-triangle text-warning" title="warned"></i>'


def _percent(count: str, base: int) -> str:
    share = int(count.replace(",", "")) / base * 100 if base else 0.0
    return f"{share:.4g}%"


def _rows_checked(validation: Any) -> dict[str, int]:
    """Per column, the rows its expectations looked at: the table's rows less those where the column is
    NULL (GX skips them; a cross-table fact is NULL on the rows of other kinds)."""
    checked = {}
    for result in validation.results:
        counts, column = result.result or {}, result.expectation_config.kwargs.get("column")
        if column and "element_count" in counts:
            checked[column] = counts["element_count"] - counts.get("missing_count", 0)
    return checked


def _index_page(run_id: str, links: list[tuple[str, int, list[CheckResult]]]) -> str:
    rows = "\n".join(
        f'<tr><td><a href="{html.escape(suite)}.html">{html.escape(suite)}</a></td><td>{total}</td>'
        f'<td class="{_css(failures, warnings=True)}">{sum(not f.blocking for f in failures)}</td>'
        f'<td class="{_css(failures, warnings=False)}">{sum(f.blocking for f in failures)}</td>'
        f"<td>{'<br>'.join(html.escape(f.describe()) for f in failures)}</td></tr>"
        for suite, total, failures in links
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>textlake checks: run {html.escape(run_id)}</title>
<link rel="stylesheet" href="../assets/css/bootstrap.min.css">
<style>.text-warning {{ color: {WARNED_COLOUR} !important; }}</style></head>
<body class="container py-4">
<h1 class="h3">textlake checks, run <code>{html.escape(run_id)}</code></h1>
<p>Great Expectations validation results, one page per suite. <a href="../index.html">All runs</a></p>
<table class="table table-sm table-striped w-auto"><thead><tr><th>suite</th><th>expectations</th><th>warned</th><th>failed</th><th>what warned or failed, where</th></tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""


def _plain_numbers(validation: Any) -> None:
    """GX's renderers reject numpy scalars as observed values (a mean of a pandas column is one)."""
    for result in validation.results:
        observed = (result.result or {}).get("observed_value")
        if observed is not None and hasattr(observed, "item"):
            result.result["observed_value"] = observed.item()


def _runs_page(out_dir: Path) -> str:
    """The index of every run's checks under `out_dir`, newest first (run ids begin with their UTC time)."""
    rows = []
    for run_dir in sorted((d for d in out_dir.iterdir() if (d / "index.html").is_file()), reverse=True):
        try:
            tally = json.loads((run_dir / _TALLY).read_text(encoding="utf-8"))
            counts = [str(tally["passed"]), str(tally["warned"]), str(tally["failed"])]
            css = ["", "text-warning" if tally["warned"] else "", "text-danger" if tally["failed"] else ""]
        except (OSError, ValueError, KeyError):  # a run written before the counts were kept
            counts, css = ["", "", ""], ["", "", ""]
        name = html.escape(run_dir.name)
        cells = "".join(f'<td class="{c}">{n}</td>' for n, c in zip(counts, css, strict=True))
        rows.append(f'<tr><td><a href="{name}/index.html"><code>{name}</code></a></td>{cells}</tr>')
    body = "\n".join(rows)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>textlake checks: all runs</title>
<link rel="stylesheet" href="assets/css/bootstrap.min.css">
<style>.text-warning {{ color: {WARNED_COLOUR} !important; }}</style></head>
<body class="container py-4">
<h1 class="h3">textlake checks, all runs</h1>
<p>Each run's Great Expectations results, newest first. A warning is recorded and the run publishes; a
failed error-level check publishes nothing.</p>
<table class="table table-sm table-striped w-auto"><thead><tr><th>run</th><th>passed</th><th>warned</th><th>failed</th></tr></thead>
<tbody>
{body}
</tbody></table>
</body></html>
"""


def _css(failures: list[CheckResult], warnings: bool) -> str:
    chosen = [f for f in failures if f.blocking != warnings]
    if not chosen:
        return "text-success"
    return "text-warning" if warnings else "text-danger"
