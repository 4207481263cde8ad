"""Outlets: the news outlet a document came from, as the source named it or as its URL's host."""

from __future__ import annotations

from urllib.parse import urlsplit


def host_of_url(url: str | None) -> str | None:
    """The host of an http(s) URL, lower case, without port, user or a leading 'www.'
    ('https://www.Spiegel.de:443/politik/x.html' → 'spiegel.de'); None for anything else (no URL, another
    scheme, no host). Other subdomains are kept: 'blogs.taz.de' is not 'taz.de'."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname  # lower case, without user and port
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    host = host.rstrip(".")
    return host.removeprefix("www.") if host.count(".") > 1 else host or None


def outlet_of(outlet: str | None, url: str | None) -> str | None:
    """The outlet as the source names it ('Der Spiegel'), whitespace trimmed; where it names none (absent,
    empty or only whitespace), the host of the document's URL ('spiegel.de'); else None."""
    named = outlet.strip() if outlet else None
    return named or host_of_url(url)
