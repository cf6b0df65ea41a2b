"""``sitemap.xml`` with every page and its language versions, and ``robots.txt`` pointing at it.

The alternates follow what Google documents for localized versions: every
``<url>`` lists each version of its page, itself included, as an
``xhtml:link rel="alternate" hreflang``, plus ``x-default`` (the source
language's version).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"


@dataclass(frozen=True)
class SitemapPage:
    """One page: its URL, when it last changed (RFC 3339 or empty), and its versions as (hreflang, URL)."""

    url: str
    lastmod: str
    alternates: tuple[tuple[str, str], ...]
    default_url: str = ""


def sitemap(pages: list[SitemapPage]) -> str:
    ElementTree.register_namespace("", SITEMAP)
    ElementTree.register_namespace("xhtml", XHTML)
    root = ElementTree.Element(f"{{{SITEMAP}}}urlset")
    for page in sorted(pages, key=lambda page: page.url):
        url = ElementTree.SubElement(root, f"{{{SITEMAP}}}url")
        ElementTree.SubElement(url, f"{{{SITEMAP}}}loc").text = page.url
        if page.lastmod:
            ElementTree.SubElement(url, f"{{{SITEMAP}}}lastmod").text = page.lastmod
        if len(page.alternates) > 1:
            versions = [*page.alternates, *((("x-default", page.default_url),) if page.default_url else ())]
            for lang, href in versions:
                ElementTree.SubElement(url, f"{{{XHTML}}}link", {"rel": "alternate", "hreflang": lang, "href": href})
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def robots(sitemap_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"
