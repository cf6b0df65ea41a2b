"""Each language's Atom feed (RFC 4287) of its newest articles: ``build/LANG/feed.atom``.

Atom rather than RSS 2.0: its dates, identifiers and languages are defined
(RFC 3339, IRIs, ``xml:lang``), which RSS leaves to convention. Every entry
links the page by its absolute URL, so a feed exists only with ``base_url``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.atom"
MEDIA_TYPE = "application/atom+xml"
# A feed must say when it changed; one without entries has no date of its own.
EPOCH = "1970-01-01T00:00:00Z"


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    updated: str  # RFC 3339
    published: str = ""
    summary: str = ""
    author: str = ""
    title_lang: str = ""  # set when the title is not in the feed's language


def atom_feed(*, url: str, page_url: str, title: str, lang: str, author: str, entries: list[FeedEntry]) -> str:
    """The feed at ``url`` of the index at ``page_url``: its entries newest first, as given."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    _add(feed, "id", url)
    _add(feed, "title", title)
    _add(feed, "updated", max((entry.updated for entry in entries), default=EPOCH))
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": url, "type": MEDIA_TYPE})
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": page_url, "type": "text/html"})
    _add(ElementTree.SubElement(feed, f"{{{ATOM}}}author"), "name", author)
    for entry in entries:
        element = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _add(element, "id", entry.url)
        title_element = _add(element, "title", entry.title)
        if entry.title_lang:
            title_element.set("{http://www.w3.org/XML/1998/namespace}lang", entry.title_lang)
        _add(element, "updated", entry.updated)
        if entry.published:
            _add(element, "published", entry.published)
        ElementTree.SubElement(element, f"{{{ATOM}}}link", {"rel": "alternate", "href": entry.url, "type": "text/html"})
        if entry.author:
            _add(ElementTree.SubElement(element, f"{{{ATOM}}}author"), "name", entry.author)
        if entry.summary:
            _add(element, "summary", entry.summary)
    ElementTree.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(feed, encoding="unicode") + "\n"


def _add(parent: ElementTree.Element, name: str, text: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = _xml_text(text)
    return element


def _xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters other than tab and line ends)."""
    return "".join(char for char in text if char in "\t\n\r" or (char >= " " and char not in "\ufffe\uffff"))
