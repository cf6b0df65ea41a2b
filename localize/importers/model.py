"""The values an import produces: the article found in a page or a text, and the report of writing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path


@dataclass(frozen=True)
class ImportedArticle:
    """An article as found in its source, before it is written as ``SLUG.md``.

    ``date`` is an aware datetime when the time and its zone or offset are
    known, a plain date when only the day is. ``timezone`` is the IANA zone
    the date is expressed in, when the editor gave one. ``body_markdown`` is
    the body without the headline, blocks separated by one blank line.
    """

    title: str
    body_markdown: str
    date: datetime | date | None = None
    timezone: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Imported:
    """An importer's result: the article and what the editor should know about how it was read."""

    article: ImportedArticle
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    """What ``localize import`` did: the file written, the article in it, and notes for the editor."""

    path: Path
    article: ImportedArticle
    notes: tuple[str, ...] = ()
