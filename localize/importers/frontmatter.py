"""The text of ``source_articles/SLUG.md``: YAML front matter, then the Markdown body.

A small writer of our own rather than a YAML library's dumper: the file is
read by people and diffed in review, so the keys keep the project's agreed
order, free text is always double-quoted, and the same article always gives
the same bytes. The result loads with any YAML 1.1 or 1.2 reader.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from localize.importers.model import ImportedArticle

# Plain (unquoted) scalars are kept to values no YAML reader can take for
# anything but a string: a site name of words, a language code, a URL.
_PLAIN_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9._/+-]*(?: [A-Za-z0-9._/+-]+)*")
_PLAIN_URL = re.compile(r"https?://[^\s\"'#,\[\]{}]+")
_YAML_KEYWORDS = frozenset("y n yes no on off true false null".split())
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def render_article(article: ImportedArticle) -> str:
    """The whole file: front matter with only the known keys, a blank line, the body, one final newline."""
    lines = ["---", f"title: {quoted(article.title)}"]
    if article.date is not None:
        lines.append(f"date: {format_date(article.date)}")
    if article.timezone:
        lines.append(f"timezone: {plain_or_quoted(article.timezone)}")
    if article.author:
        lines.append(f"author: {quoted(article.author)}")
    if article.site:
        lines.append(f"source: {plain_or_quoted(article.site)}")
    if article.url:
        lines.append(f"source_url: {plain_or_quoted(article.url)}")
    if article.language:
        lines.append(f"language: {plain_or_quoted(article.language)}")
    lines.append("---")
    body = article.body_markdown.strip("\n")
    return "\n".join(lines) + "\n\n" + (body + "\n" if body else "")


def format_date(value: datetime | date) -> str:
    """ISO 8601: ``2022-06-27T11:43:00+03:00``, or ``2022-06-27`` when only the day is known."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar."""
    escaped = "".join(_escape(char) for char in text)
    return f'"{escaped}"'


def plain_or_quoted(text: str) -> str:
    """``text`` unquoted when no YAML reader could misread it, else double-quoted."""
    plain = _PLAIN_WORDS.fullmatch(text) or _PLAIN_URL.fullmatch(text)
    if plain and text.lower() not in _YAML_KEYWORDS and not text.endswith(":"):
        return text
    return quoted(text)


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    # C0 and C1 controls, DEL, and the Unicode line and paragraph separators
    # that YAML would read as line breaks.
    if code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF):
        return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"
    return char
