"""News pages rendered from plain articles, as a news site serves them (navigation, teasers, footer, JSON-LD),
and web archives (WARC) of them, for tests that read HTML."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# An article's paragraphs, for pages made in tests.
PARAGRAPHS = [
    "Die Bundesregierung hat am Dienstag in Berlin den Haushalt für das kommende Jahr beschlossen.",
    'Finanzminister Christian Lindner sagte: "Wir halten die Schuldenbremse ein." Die Opposition '
    "kritisierte den Entwurf scharf.",
    "Der Bundestag soll im Herbst über den Entwurf abstimmen.",
]


def news_page(
    title: str,
    paragraphs: list[str],
    published: str | None = None,
    authors: tuple[str, ...] = (),
    url: str | None = None,
    site: str = "Beispiel-Zeitung",
) -> str:
    """An article page: the headline in JSON-LD (with the site's name after it, as some sites write it), in
    og:title and <title>, and as the page's <h1>; the text as paragraphs between a menu, a teaser list and
    a footer that are no part of it."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": f"{title} - {site}"}
    if published:
        ld["datePublished"] = published
    if authors:
        ld["author"] = [{"@type": "Person", "name": name} for name in authors]
    canonical = f'<link rel="canonical" href="{html.escape(url)}">' if url else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{html.escape(title)} | {site}</title>
<meta property="og:title" content="{html.escape(title)}"><meta property="og:site_name" content="{site}">{canonical}
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<script>window.dataLayer = [];</script><style>body {{ font-family: serif; }}</style></head>
<body><header><nav><ul><li><a href="/">Startseite</a></li><li><a href="/politik">Politik</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article><h1>{html.escape(title)}</h1>
{body}
</article>
<aside><h2>Mehr zum Thema</h2><ul><li><a href="/a">Weitere Nachrichten aus der Region</a></li>
<li><a href="/b">Das Wetter am Wochenende</a></li></ul></aside></main>
<footer><p>© {site} · Impressum · Datenschutz</p></footer></body></html>
"""


def write_warc(path: Path, pages: list[tuple[str, bytes]], extra: bool = True) -> list[str]:
    """A gzipped WARC (`path` ending .warc.gz) or plain one: per page a request and a 200 text/html response
    (its target URI the page's URL); with `extra`, also a warcinfo record, an image and a redirect, as a
    crawl holds them. Returns the pages' WARC-Record-IDs in order."""
    ids = []
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        if extra:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "textlake tests"}))
        for url, data in pages:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request)
            )
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(data), http_headers=headers)
            writer.write_record(record)
            ids.append(record.rec_headers.get_header("WARC-Record-ID"))
        if extra:
            image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            png = io.BytesIO(b"\x89PNG\r\n\x1a\n")
            writer.write_record(
                writer.create_warc_record("https://example.org/a.png", "response", payload=png, http_headers=image)
            )
            moved = StatusAndHeaders(
                "301 Moved Permanently", [("Location", "/b"), ("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    "https://example.org/a", "response", payload=io.BytesIO(b"<a href=/b>moved</a>"), http_headers=moved
                )
            )
    return ids
