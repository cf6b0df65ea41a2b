"""Bringing an article in from a web page, an HTML file or a plain-text file.

Each source format has its module (``html``, ``text``); they share the
Markdown writer, the date rules, the language guess and the slug. This
module picks the importer for some bytes and what is known about them.
"""

from __future__ import annotations

import re
from pathlib import Path

from localize.errors import SourceError
from localize.importers.dates import DatePolicy
from localize.importers.encoding import decode
from localize.importers.frontmatter import render_article
from localize.importers.model import Imported, ImportedArticle, ImportReport
from localize.importers.slug import check_slug, make_slug
from localize.importers.text import import_text

HTML = "html"
TEXT = "text"

_HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p)\b", re.IGNORECASE | re.DOTALL)

__all__ = [
    "HTML",
    "TEXT",
    "DatePolicy",
    "Imported",
    "ImportedArticle",
    "ImportReport",
    "check_slug",
    "file_kind",
    "import_content",
    "make_slug",
    "media_kind",
    "render_article",
]


def media_kind(media_type: str, content: bytes) -> str | None:
    """HTML or TEXT for what a server sent, or None for anything else (a PDF, an image, JSON)."""
    if media_type in _HTML_MEDIA_TYPES:
        return HTML
    if media_type == "text/plain":
        return TEXT
    if not media_type:
        return HTML if _looks_like_html(content) else TEXT
    return None


def file_kind(path: Path, content: bytes) -> str:
    """HTML or TEXT for a file: by its suffix, else by how it starts."""
    if path.suffix.lower() in _HTML_SUFFIXES:
        return HTML
    return HTML if _looks_like_html(content) else TEXT


def import_content(content: bytes, *, kind: str, charset: str | None, url: str | None, dates: DatePolicy) -> Imported:
    """The article in ``content``; a SourceError, without a place, when there is none."""
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("no article found: this is a binary file, not HTML or text")
    text = decode(content, declared=charset, html=kind == HTML)
    if kind == HTML:
        # Loaded here, not at the top: trafilatura takes a third of a second
        # to import, which every other command would pay.
        from localize.importers.html import import_html

        return import_html(text, url=url, dates=dates)
    return import_text(text, url=url, dates=dates)


def _looks_like_html(content: bytes) -> bool:
    start = content[:2048].lstrip(b"\xef\xbb\xbf")
    return _HTML_START.match(start) is not None
