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


def build_data_docs(validations: dict[str, Any], out_dir: Path, run_id: str) -> Path:
    """Write one GX validation page per suite and an index under `out_dir/<run_id>/`; returns the index."""
    from great_expectations.render.renderer.page_renderer import ValidationResultsPageRenderer
    from great_expectations.render.view.view import DefaultJinjaPageView

    assets = out_dir / "assets"
    if not assets.is_dir():
        shutil.copytree(ASSETS, assets, ignore=shutil.ignore_patterns("*.md"))
    run_dir = out_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    renderer, view = ValidationResultsPageRenderer(), DefaultJinjaPageView()
    links = []
    for suite, result in validations.items():
        _plain_numbers(result)
        page = make_offline(view.render(renderer.render(result)), "../assets")  # type: ignore[no-untyped-call]
        (run_dir / f"{suite}.html").write_text(page, encoding="utf-8")
        failed = sum(1 for r in result.results if not r.success)
        links.append((suite, len(result.results), failed))
    index = run_dir / "index.html"
    index.write_text(_index_page(run_id, links), encoding="utf-8")
    return index


def _index_page(run_id: str, links: list[tuple[str, int, int]]) -> str:
    rows = "\n".join(
        f'<tr><td><a href="{html.escape(suite)}.html">{html.escape(suite)}</a></td><td>{total}</td>'
        f'<td class="{"text-danger" if failed else "text-success"}">{failed}</td></tr>'
        for suite, total, failed in links
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>textlake checks: run {html.escape(run_id)}</title>
<link rel="stylesheet" href="../assets/css/bootstrap.min.css"></head>
<body class="container py-4">
<h1 class="h3">textlake checks, run <code>{html.escape(run_id)}</code></h1>
<p>Great Expectations validation results, one page per suite.</p>
<table class="table table-sm table-striped w-auto"><thead><tr><th>suite</th><th>expectations</th><th>failed</th></tr></thead>
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
