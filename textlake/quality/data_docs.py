"""Great Expectations Data Docs for a run, rendered by GX itself and made to work offline.

GX's page templates load Bootstrap, jQuery, Font Awesome and bootstrap-table from CDNs; the pages are
rewritten to use the copies in `textlake/quality/data_docs_assets/`, and whatever has no local copy (Vega
charts, a date picker, GX's hosted logo) is dropped, so the page never reaches the network.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

from textlake.quality.checks import CheckReport, CheckResult

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
    """Write one GX validation page per suite and an index under `out_dir/<run_id>/`; returns the index.
    Each page is GX's own, made to work offline from file:// and told what textlake knows: which failures
    are only warnings, and the rows each failure was found in."""
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
        page = _as_textlake_sees_it(page, run_id, failures)
        (run_dir / f"{suite}.html").write_text(page, encoding="utf-8")
        links.append((suite, len(result.results), failures))
    index = run_dir / "index.html"
    index.write_text(_index_page(run_id, links), encoding="utf-8")
    return index


_STATUS_FAILED = re.compile(
    r'(Status:</span>\s*)<i class="fas fa-times(?:-circle)? text-danger" aria-hidden="true"></i>\s*Failed',
    re.IGNORECASE,
)
_FOOTER = re.compile(r"<footer>.*?</footer>", re.IGNORECASE | re.DOTALL)
_FAVICON = re.compile(r'<link rel="shortcut icon"[^>]*>', re.IGNORECASE)
# Subresource-integrity and CORS attributes make Chromium refuse local scripts under file://.
_SRI = re.compile(r'\s(?:integrity|crossorigin)="[^"]*"', re.IGNORECASE)


def _as_textlake_sees_it(page: str, run_id: str, failures: list[CheckResult]) -> str:
    """GX's page with what it gets wrong for textlake put right: a suite whose failures are all warnings is
    not 'Failed'; each failure names the rows it was found in (GX's cross-table tables say only 'True');
    no newsletter footer, no '__none__' where the run's name belongs, no scripts blocked under file://."""
    page = _SRI.sub("", page)
    page = _FAVICON.sub("", page)
    page = _FOOTER.sub("", page)
    page = page.replace("__none__", html.escape(run_id))
    if failures and not any(f.blocking for f in failures):
        page = _STATUS_FAILED.sub(
            r'\1<i class="fas fa-exclamation-triangle text-warning" aria-hidden="true"></i> Passed with warnings',
            page,
            count=1,
        )
    if failures:
        items = "".join(
            f'<li class="{"text-danger" if f.blocking else "text-body"}">{html.escape(f.describe())}</li>'
            for f in failures
        )
        block = f'<div class="container-fluid"><div class="alert alert-light border m-3"><b>Failed here</b><ul class="mb-0">{items}</ul></div></div>'
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + block, page, count=1)
    return page


def _index_page(run_id: str, links: list[tuple[str, int, list[CheckResult]]]) -> str:
    rows = "\n".join(
        f'<tr><td><a href="{html.escape(suite)}.html">{html.escape(suite)}</a></td><td>{total}</td>'
        f'<td class="{_css(failures)}">{len(failures)}</td>'
        f"<td>{'<br>'.join(html.escape(f.describe()) for f in failures)}</td></tr>"
        for suite, total, failures in links
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>textlake checks: run {html.escape(run_id)}</title>
<link rel="stylesheet" href="../assets/css/bootstrap.min.css"></head>
<body class="container py-4">
<h1 class="h3">textlake checks, run <code>{html.escape(run_id)}</code></h1>
<p>Great Expectations validation results, one page per suite.</p>
<table class="table table-sm table-striped w-auto"><thead><tr><th>suite</th><th>expectations</th><th>failed</th><th>what failed, where</th></tr></thead>
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


def _css(failures: list[CheckResult]) -> str:
    if any(f.blocking for f in failures):
        return "text-danger"
    return "text-warning" if failures else "text-success"
