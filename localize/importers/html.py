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
from datetime import date, datetime, time
from typing import Any

import trafilatura
from lxml.html import HtmlElement

from localize.errors import SourceError
from localize.importers.dates import DatePolicy, FoundDate, parse_iso, settle
from localize.importers.detect import ends_sentence, page_language, word_count
from localize.importers.markdown import body_to_markdown, collapse
from localize.importers.model import Imported, ImportedArticle

# Article text is sentences: a line of at least this many words is prose, and a page with
# no prose line that ends like a sentence, nor this many characters of prose lines, is an
# index or an error page. A short post of one sentence is still an article.
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
    breaks: a page's leftovers come back as one block of short lines. Words are
    counted in characters where a script puts no spaces between them.
    """
    blocks = [body.text or "", *("".join(block.itertext()) for block in body.iter("p", "item", "quote", "cell", "head"))]
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    prose = [line for line in lines if word_count(line) >= _PROSE_MIN_WORDS]
    return sum(len(line) for line in prose) >= _PROSE_MIN_CHARS or any(ends_sentence(line) for line in prose)


def published_date(tree: HtmlElement) -> FoundDate | None:
    """The publication date the page states: Open Graph and other meta tags, JSON-LD, or ``<time>``.

    A date the page marks as published wins over a generic one (``<meta name="date">``, a
    bare ``<time>``); a modification date is never taken. Of the published dates, one in the
    page's own zone wins over the same moment in UTC, and one with a time over its day alone.
    """
    candidates = sorted(_date_candidates(tree), key=lambda candidate: candidate[0])
    if not candidates:
        return None
    best = candidates[0][1]
    others = [found for _, found in candidates[1:]]
    if best.time is None:
        return next((found for found in others if found.time is not None and _same_day(found, best)), best)
    if _is_utc(best):
        moment = _moment(best)
        return next((found for found in others if not _is_utc(found) and found.time is not None
                     and found.time.tzinfo is not None and _moment(found) == moment), best)
    return best


# How much a source of a date says it is the publication date: lower is surer.
_PUBLISHED, _GENERIC = 0, 1
_GENERIC_META = frozenset({"date", "dc.date", "dcterms.date"})
_MODIFIED_MARKS = re.compile(r"updated|modified|edited", re.IGNORECASE)
_PUBLISHED_MARKS = re.compile(r"publish|posted|pubdate|created", re.IGNORECASE)


def _date_candidates(tree: HtmlElement) -> list[tuple[int, FoundDate]]:
    """Every date the page gives as its publication date, with how sure each is, in page order."""
    found: list[tuple[int, FoundDate]] = []

    def add(rank: int, text: str | None) -> None:
        stated = parse_iso(text or "")
        if stated is not None:
            found.append((rank, stated))

    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _PUBLISHED_META and key not in _GENERIC_META:
            add(_PUBLISHED, meta.get("content"))
        elif key in _GENERIC_META:
            add(_GENERIC, meta.get("content"))
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json":
            for value in _json_ld_dates(script.text or ""):
                add(_PUBLISHED, value)
    for element in tree.iter():
        if element.tag == "meta" or not isinstance(element.tag, str):
            continue
        itemprop = (element.get("itemprop") or "").lower()
        marks = " ".join(filter(None, (itemprop, element.get("class"), element.get("id"))))
        value = element.get("datetime") or (element.get("content") if itemprop else None)
        if not value:
            continue
        # WordPress marks an unedited post's one <time> "published updated".
        if itemprop == "datepublished" or element.get("pubdate") is not None or _PUBLISHED_MARKS.search(marks):
            add(_PUBLISHED, value)
        elif element.tag == "time" and not _MODIFIED_MARKS.search(marks):
            add(_GENERIC, value)
    return found


def _json_ld_dates(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    return [node["datePublished"] for node in _json_nodes(data) if isinstance(node.get("datePublished"), str)]


def _same_day(one: FoundDate, other: FoundDate) -> bool:
    return (one.year, one.month, one.day) == (other.year, other.month, other.day)


def _is_utc(found: FoundDate) -> bool:
    offset = found.time.utcoffset() if found.time is not None else None
    return offset is not None and not offset


def _moment(found: FoundDate) -> datetime:
    """The instant of a date with an aware time."""
    return datetime.combine(date(found.year or 1, found.month, found.day), found.time or time())


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
