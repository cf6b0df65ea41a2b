"""Finding the article in a news page: the only module that imports trafilatura and lxml.

A news page is mostly chrome: menus, share buttons, "Other news", comments,
ads, scripts. trafilatura is built to find the main text of exactly such
pages (see benchmarks/import_extraction.py for how it compares with a
simple extractor of our own on our fixture pages); it hands the text back as
a small XML tree, which ``localize.importers.markdown`` writes as
Markdown. The metadata trafilatura reads (title, author, site name, URL) is
taken as it is, but the date is read here first from the page's own
publication metadata, because trafilatura keeps only the day of it while an
article's front matter wants the time and the offset.
"""

from __future__ import annotations

import json
import re
from typing import Any

import trafilatura
from lxml.html import HtmlElement

from localize.errors import SourceError
from localize.importers.dates import DatePolicy, FoundDate, parse_iso, settle
from localize.importers.detect import page_language
from localize.importers.markdown import body_to_markdown, collapse
from localize.importers.model import Imported, ImportedArticle

# Article text is sentences: a page with no line of at least this many words,
# adding up to this many characters, is an index or an error page.
_PROSE_MIN_WORDS = 6
_PROSE_MIN_CHARS = 200

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
)


def import_html(html: str, *, url: str | None, dates: DatePolicy) -> Imported:
    """The article in ``html``, fetched from ``url`` if known; SourceError when there is none."""
    tree = trafilatura.load_html(html)
    if tree is None:
        raise SourceError("no article found: the file is not HTML")
    declared_language = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    found_date = published_date(tree)
    # trafilatura prunes the tree it is given: read our metadata above first.
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_links=True,
        include_formatting=False,
    )
    body = getattr(document, "body", None)
    if document is None or body is None or not has_article_text(body):
        raise SourceError("no article found: the page has no article text, only links and short lines")
    title = collapse(document.title or "")
    if not title:
        raise SourceError("no article found: the page has no headline")
    markdown = body_to_markdown(body, drop_heading=title)
    settled = settle(found_date or _trafilatura_date(document.date), dates)
    article = ImportedArticle(
        title=title,
        body_markdown=markdown,
        date=settled.value,
        timezone=settled.timezone,
        author=_clean(document.author),
        site=_clean(document.sitename),
        url=url or _absolute_url(document.url),
        language=page_language(declared_language, collapse(" ".join(body.itertext()))),
    )
    return Imported(article=article, notes=settled.notes)


def has_article_text(body: HtmlElement) -> bool:
    """Whether the extracted ``body`` holds prose rather than a list of links and labels.

    Each block's text is taken whole, links included, then split at its line
    breaks: a page's leftovers come back as one block of short lines.
    """
    blocks = [body.text or "", *("".join(block.itertext()) for block in body.iter("p", "item", "quote", "cell", "head"))]
    lines = [line for block in blocks for line in block.splitlines()]
    prose = sum(len(line) for line in lines if len(line.split()) >= _PROSE_MIN_WORDS)
    return prose >= _PROSE_MIN_CHARS


def published_date(tree: HtmlElement) -> FoundDate | None:
    """The publication date the page states: Open Graph and other meta tags, JSON-LD, or ``<time>``."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _PUBLISHED_META:
            found = parse_iso(meta.get("content") or "")
            if found is not None:
                return found
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json":
            found = _json_ld_date(script.text or "")
            if found is not None:
                return found
    for element in tree.iter("time"):
        found = parse_iso(element.get("datetime") or "")
        if found is not None:
            return found
    return None


def _json_ld_date(text: str) -> FoundDate | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    for node in _json_nodes(data):
        value = node.get("datePublished")
        if isinstance(value, str):
            found = parse_iso(value)
            if found is not None:
                return found
    return None


def _json_nodes(data: Any) -> list[dict[str, Any]]:
    """Every object in a JSON-LD document, its ``@graph`` included, outermost first."""
    nodes: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            nodes.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return nodes


def _trafilatura_date(text: str | None) -> FoundDate | None:
    # trafilatura's dates are days ("2022-06-27"), found in the URL or the text when the
    # metadata has none.
    return parse_iso(text[:10]) if text and re.match(r"\d{4}-\d{2}-\d{2}", text) else None


def _absolute_url(url: str | None) -> str | None:
    return url if url and re.match(r"https?://", url) else None


def _clean(text: str | None) -> str | None:
    text = collapse(text or "")
    return text or None
