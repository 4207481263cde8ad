"""What a news page says about itself: title, publication date, authors, address and language, read from its
structured data (JSON-LD, meta tags) before its visible headline.

Only general rules, no site-specific ones: the rules are measured on 76 pages of German, Austrian and Swiss
sites (`textlake eval html`, docs/quality.md) and must hold on sites that were not measured.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

from textlake.ingest.outlets import host_of_url

# schema.org types whose `headline` is the article's: NewsArticle, ReportageNewsArticle, BlogPosting, ...
_ARTICLE_TYPE = re.compile(r"(Article|Posting|Report)$", re.IGNORECASE)
# Meta tags that state the publication time, in the order they are trusted (after JSON-LD's datePublished).
_DATE_META = (
    "article:published_time",
    "article:published:time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dc.date",
    "dcterms.issued",
    "parsely-pub-date",
    "sailthru.date",
)
_SOFT_HYPHEN_AND_ZERO_WIDTH = re.compile("[\xad\u200b\u200c\u200d\u2060\ufeff]")
# What separates a headline from the site's name in <title> and og:title: "Headline - Golem.de", "… | taz.de".
_TITLE_SEPARATOR = re.compile(r"\s+(?:[-|–—·:]|::)\s+")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PageMetadata:
    title: str | None
    published: str | None  # as the page states it ("2024-04-26T20:44:00+0200"): parse_published reads it
    authors: tuple[str, ...]
    url: str | None  # the canonical URL, or og:url
    language: str | None  # <html lang>, a hint


def clean_text(value: object) -> str | None:
    """A value as one line of text: HTML entities undone (JSON-LD often carries "&ouml;"), soft hyphens and
    zero-width characters removed, whitespace collapsed; None for no text."""
    if not isinstance(value, str):
        return None
    text = _SOFT_HYPHEN_AND_ZERO_WIDTH.sub("", html.unescape(value))
    return " ".join(text.split()) or None


def page_metadata(tree: HtmlElement, url: str | None = None) -> PageMetadata:
    """The page's metadata. Read before the main text is extracted: that removes the scripts JSON-LD is in.

    - title: the headline of the page's JSON-LD article, else its first <h1> (when it shares words with
      og:title or <title>: a site's logo is an <h1> on some pages), else og:title, else <title>; a trailing
      site name is cut off ("… - Golem.de", "… | NDR.de - Nachrichten").
    - published: JSON-LD datePublished (an article's first), else a meta tag (article:published_time, date,
      dc.date, ...), else a <time> marked as the publication date.
    - authors: the JSON-LD article's authors, else <meta name="author">.
    - url: <link rel="canonical">, else og:url, else `url` (what the crawler asked for)."""
    objects = list(_json_ld_objects(tree))
    articles = [o for o in objects if any(_ARTICLE_TYPE.search(t) for t in _types(o))]
    meta = _meta_tags(tree)
    canonical = _first(tree.xpath('//link[@rel="canonical"]/@href'))
    page_url = _absolute_url(canonical) or _absolute_url(meta.get("og:url")) or url
    site_names = _site_names(meta, objects, page_url)
    return PageMetadata(
        title=_title(tree, articles, meta, site_names),
        published=_published(tree, articles, objects, meta),
        authors=_authors(articles, meta),
        url=page_url,
        language=clean_text(_first(tree.xpath("/html/@lang"))),
    )


def _json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, object]]:
    """Every JSON object of the page's JSON-LD scripts, breadth first: those of `@graph` lists and
    `mainEntity` too. A script that is no JSON is passed over."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            value = json.loads(script.text or "", strict=False)  # strict=False: raw line breaks in strings
        except ValueError:
            continue
        queue: list[object] = [value]
        while queue:
            item = queue.pop(0)
            if isinstance(item, list):
                queue.extend(item)
            elif isinstance(item, dict):
                yield item
                queue.extend(item[key] for key in ("@graph", "mainEntity") if isinstance(item.get(key), dict | list))


def _types(item: dict[str, object]) -> list[str]:
    kind = item.get("@type")
    return [t for t in (kind if isinstance(kind, list) else [kind]) if isinstance(t, str)]


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """<meta> content by property, name or itemprop, lower case; the first of a name wins."""
    tags: dict[str, str] = {}
    for meta in tree.xpath("//meta[@content]"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        if key:
            tags.setdefault(key.strip().lower(), meta.get("content"))
    return tags


def _first(values: list[str]) -> str | None:
    return next((value.strip() for value in values if isinstance(value, str) and value.strip()), None)


def _absolute_url(value: str | None) -> str | None:
    return value.strip() if value and host_of_url(value) else None


def _site_names(meta: dict[str, str], objects: list[dict[str, object]], url: str | None) -> set[str]:
    """The site's names, compacted (lower case, letters and digits only), to recognise them after a title."""
    names = [meta.get("og:site_name"), meta.get("application-name")]
    for item in objects:
        publisher = item.get("publisher")
        if isinstance(publisher, dict):
            names.append(clean_text(publisher.get("name")))
    host = host_of_url(url)
    if host:
        names += [host, host.rsplit(".", 1)[0].rsplit(".", 1)[-1]]  # "golem.de" and "golem"
    return {compact for name in names if name and len(compact := _compact(name)) >= 3}


def _compact(text: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", text.lower())


def _without_site_name(title: str, site_names: set[str]) -> str:
    """The title without a trailing site name: cut at the rightmost separator followed by the site's name
    ("Einschlag in Elmshorn | NDR.de - Nachrichten - Schleswig-Holstein" → "Einschlag in Elmshorn"); a part
    that only begins with it stays ("Streit um den Rundfunkbeitrag – Spiegel-Chef äußert sich")."""
    for separator in reversed(list(_TITLE_SEPARATOR.finditer(title))):
        rest = title[separator.end() :]
        if len(rest) <= 60 and _names_site(_TITLE_SEPARATOR.split(rest, 1)[0], site_names):
            return title[: separator.start()].strip()
    return title


def _names_site(part: str, site_names: set[str]) -> bool:
    """Whether `part` is one of the site's names, give or take an article or a domain ending ("DER SPIEGEL",
    "Golem.de", "NDR.de" for spiegel.de, golem.de, ndr.de)."""
    compact = _compact(part)
    return any(
        compact == name or (len(compact) - len(name) <= 3 and (compact.endswith(name) or compact.startswith(name)))
        for name in site_names
    )


def _title(
    tree: HtmlElement, articles: list[dict[str, object]], meta: dict[str, str], site_names: set[str]
) -> str | None:
    headline = next((h for o in articles if (h := clean_text(o.get("headline")))), None)
    og_title, page_title = clean_text(meta.get("og:title")), clean_text(tree.findtext(".//title"))
    h1 = next((h for element in tree.iter("h1") if (h := clean_text(element.text_content()))), None)
    if h1 and (og_title or page_title) and not _shares_words(h1, f"{og_title or ''} {page_title or ''}"):
        h1 = None
    for title in (headline, h1, og_title, page_title):
        if title:
            return _without_site_name(title, site_names) or title
    return None


def _shares_words(text: str, other: str) -> bool:
    """Whether at least half of `text`'s words occur in `other` (case ignored)."""
    words = _WORD.findall(text.lower())
    others = set(_WORD.findall(other.lower()))
    return bool(words) and sum(word in others for word in words) * 2 >= len(words)


def _published(
    tree: HtmlElement, articles: list[dict[str, object]], objects: list[dict[str, object]], meta: dict[str, str]
) -> str | None:
    for item in articles + objects:
        if isinstance(date := item.get("datePublished"), str) and date.strip():
            return date.strip()
    for key in _DATE_META:
        if meta.get(key, "").strip():
            return meta[key].strip()
    return _first(tree.xpath('//time[@itemprop="datePublished" or @pubdate]/@datetime'))


def _authors(articles: list[dict[str, object]], meta: dict[str, str]) -> tuple[str, ...]:
    """Names as the page gives them, each once: JSON-LD `author` (a Person or Organization, a list of them,
    or a name), else the author meta tag."""
    names: list[str] = []
    for item in articles[:1]:
        authors = item.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            name = clean_text(author.get("name") if isinstance(author, dict) else author)
            if name and name not in names:
                names.append(name)
    if not names and (name := clean_text(meta.get("author"))):
        names.append(name)
    return tuple(names)
