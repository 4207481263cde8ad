"""A news page's HTML → one record: its main text (trafilatura), headline, date, authors and address.

Why these choices (measured with `textlake eval html`, docs/quality.md): trafilatura in its fast mode
without comments finds the article's text as well as its slower modes do; the tags it would delete anyway
(scripts, styles, navigation, ...) are taken out before it runs, which saves a quarter of its time on pages
that are mostly scripts. Its text is kept as paragraphs and sub-headings: lists on a news page are mostly
links, teasers and fact boxes, and the headings above the first paragraph repeat the headline. The page's
metadata is read from its structured data (html_metadata.py) before anything is removed.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import trafilatura
from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura.settings import Document

from textlake.ingest.records.fields import RecordReject, SourceRecord
from textlake.ingest.records.html_metadata import PageMetadata, clean_text, page_metadata
from textlake.ingest.records.published import Published, parse_published

# Tags trafilatura deletes with their content whatever the options (its tree cleaning); deleted here, before
# it walks the tree, their tail text kept. <form> is not among them: some sites wrap the whole page in one.
_NEVER_TEXT = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "video", "audio",
    "picture", "map", "nav", "aside", "footer", "menu", "button", "select", "input", "textarea", "dialog", "head",
)  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_SOFT_HYPHEN_AND_ZERO_WIDTH = re.compile("[\xad\u200b\u200c\u200d\u2060\ufeff]")
_PARSER = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


@dataclass(frozen=True)
class HtmlPage:
    text: str  # the main text, paragraphs and sub-headings separated by a blank line; "" when none was found
    metadata: PageMetadata
    published: Published  # the metadata's date read: UTC and its precision
    encoding: str


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """The page as text and the encoding used: a byte-order mark; else UTF-8 when the bytes are valid UTF-8
    (crawlers and archives often re-encode a page and leave its old declaration); else the charset the
    HTTP header declared (`declared`), else the page's <meta charset>; else windows-1252, which browsers read
    ISO-8859-1 as. Never raises: bytes the encoding cannot read become U+FFFD."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:4096])
    labels = (declared, meta[1].decode("ascii", "replace") if meta else None)
    for label in labels:
        known = _known_encoding(label)
        if known and known not in ("utf-8", "latin-1", "iso8859-1", "ascii"):
            return data.decode(known, errors="replace"), known
    return data.decode("cp1252", errors="replace"), "cp1252"


def _known_encoding(label: str | None) -> str | None:
    try:
        return codecs.lookup(label.strip()).name if label else None
    except LookupError:
        return None


def parse_html(text: str) -> HtmlElement | None:
    """The page's tree (lxml, as trafilatura reads it); None for a page with no elements at all."""
    try:
        return document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def extract_page(data: bytes, url: str | None = None, declared_charset: str | None = None) -> HtmlPage:
    """The page's main text and metadata; `url` is where it was fetched from (a WARC record's target URI),
    used when the page names no canonical URL. Reads nothing from the network."""
    text, encoding = decode_html(data, declared_charset)
    tree = parse_html(text)
    if tree is None:
        metadata = PageMetadata(None, None, (), url, None)
        return HtmlPage("", metadata, parse_published(None), encoding)
    metadata = page_metadata(tree, url)
    published = parse_published(metadata.published or _date_in_page(tree, metadata.url))
    return HtmlPage(main_text(tree, metadata), metadata, published, encoding)


def _date_in_page(tree: HtmlElement, url: str | None) -> str | None:
    """The publication day htmldate finds in the page's text, URL and markup, for a page whose structured
    data states none (a day at most: it reads "22.08.2024" and "/2024/08/22/" as well)."""
    return find_date(tree, url=url, original_date=True, extensive_search=True, outputformat="%Y-%m-%d")


def main_text(tree: HtmlElement, metadata: PageMetadata) -> str:
    """The article's text in `tree` (which this changes): paragraphs, sub-headings and quotations from
    trafilatura's extraction, without lists and tables, and without the headings above the first paragraph
    (the headline, its kicker, a dateline)."""
    _delete_keeping_tails(tree)
    document = trafilatura.bare_extraction(
        tree, url=metadata.url, fast=True, include_comments=False, include_tables=False, with_metadata=False
    )
    if not isinstance(document, Document) or document.body is None:
        return ""
    blocks: list[tuple[str, str]] = []
    for element in document.body:
        if element.tag in ("list", "table", "graphic"):
            continue
        text = clean_block(_block_text(element))
        if text:
            blocks.append((element.tag, text))
    while blocks and blocks[0][0] == "head":
        blocks.pop(0)
    return "\n\n".join(text for _, text in blocks)


def _block_text(element: etree._Element) -> str:
    """An extracted block's text; a line break in it (trafilatura's <lb/>) is a space, not nothing
    ("…Worten darin<br>zweite Zeile…" is "darin zweite")."""
    parts = [element.text or ""]
    for child in element:
        parts.append(" " if child.tag == "lb" else _block_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _delete_keeping_tails(tree: HtmlElement) -> None:
    for element in list(tree.iter(*_NEVER_TEXT)):
        if element.getparent() is not None:
            element.drop_tree()  # its tail text joins the element before it


def clean_block(text: str) -> str:
    """A paragraph as one line: soft hyphens and zero-width characters removed, whitespace collapsed."""
    return " ".join(_SOFT_HYPHEN_AND_ZERO_WIDTH.sub("", text).split())


def page_record(
    data: bytes,
    source_record: str,
    raw_sha256: str,
    target_url: str | None = None,
    declared_charset: str | None = None,
) -> SourceRecord | RecordReject:
    """One HTML page as a record: `empty` when no main text was found (a page of links, a paywall teaser).
    Its url is `target_url` where one is known (a WARC record's: where the crawler found the page), else the
    page's canonical URL or og:url."""
    page = extract_page(data, target_url, declared_charset)
    metadata = page.metadata
    if not page.text:
        title = f" (title: {metadata.title!r})" if metadata.title else ""
        return RecordReject(source_record, "empty", f"no main text found in the HTML page{title}", raw_sha256)
    return SourceRecord(
        source_record=source_record,
        text=page.text,
        title=metadata.title,
        published=page.published.at,
        published_precision=page.published.precision,
        url=target_url or metadata.url,
        outlet=None,  # the URL's host, as for a record without an outlet
        authors=metadata.authors,
        external_id=None,
        language_hint=clean_text(metadata.language),
        raw_sha256=raw_sha256,
        notes=(page.published.note,) if page.published.note else (),
    )
