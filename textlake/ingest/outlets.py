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
    """The outlet as the source names it ('Der Spiegel'), whitespace trimmed, or its host where the source
    names it by a URL ('https://www.zeit.de/' → 'zeit.de'); where it names none (absent, empty or only
    whitespace), the host of the document's URL ('spiegel.de'); else None. Never a URL: the `documents`
    suite holds outlets to that."""
    named = outlet.strip() if outlet else None
    if named and "://" in named:
        named = host_of_url(named)
    return named or host_of_url(url)
