"""What a merge keeps of every article's editions until its end: the facts its listings (index
pages, feeds, sitemap, manifests) and its report read, in columns rather than an object each.

A merge of 10,000 articles in two languages held five objects an article (the article, and an
edition and a state in each language) and two titles: 7.7 MiB, the most it held. The table keeps an
article's date, zone and listed front matter once, and of each language's edition its counts and
flags in arrays and its title and description packed (``localize.packed``), none when they are the
source's; an edition is made again (``edition``) when a listing asks for it.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path

from localize.article import order_time
from localize.files import MadeOnRead
from localize.language import Language
from localize.model import Article
from localize.packed import PackedTexts
from localize.publish import ArticleState, Edition, RefusedTranslation

AUTHOR_KEYS = ("author", "authors")
MODIFIED_KEYS = ("lastmod", "updated", "modified")
# What the index pages, feeds, sitemap and manifests read of an article's front matter.
LISTING_KEYS = (*AUTHOR_KEYS, *MODIFIED_KEYS)

# The path of every light article: the listings link to an article by its slug, never by its file (a
# path object was a third of what a merge of 10,000 articles kept of each to its end).
LIGHT_PATH = Path()


# One article's editions as the table keeps them (``edition_row``): its slug, date, zone, listed front
# matter and order time, then by language the edition's segments, translations, fuzzy ones, flags, title,
# description and refused translations. Plain values: what a merge's worker sends back of an article, a
# fourth of the pickle of its editions without their text, and read back in a fifth of the time.
EditionRow = tuple


def edition_row(editions: dict[str, Edition]) -> EditionRow:
    """The row of one article's editions (the source's first), for ``EditionTable.add_row``."""
    article = next(iter(editions.values())).article
    return (article.slug, article.date, article.zone, _listed(article.front_matter), order_time(article), {
        code: (entry.state.segments, entry.state.translated, entry.state.fuzzy,
               _PUBLISHED * entry.state.published | _OUTDATED * entry.state.outdated
               | _TITLE_TRANSLATED * entry.title_translated | _SOURCE_CHANGED * entry.source_changed,
               entry.title, entry.description, entry.refused)
        for code, entry in editions.items()
    })


def _listed(front_matter: dict) -> dict:
    return {key: front_matter[key] for key in LISTING_KEYS if key in front_matter} or _NOTHING_LISTED


# The front matter of the articles that have none of the keys listed (most): one dict for all.
_NOTHING_LISTED: dict = {}

# An edition's flags.
_PUBLISHED = 1
_OUTDATED = 2
_TITLE_TRANSLATED = 4
_SOURCE_CHANGED = 8
_SOURCE_TITLE = 16  # its title is the source's, which is kept alone
_SOURCE_DESCRIPTION = 32


class _States:
    """One language's article states: what the report keeps of a merge's table."""

    def __init__(self) -> None:
        self.counts = array("I")  # segments, translated, fuzzy: three an article
        self.flags = bytearray()

    def state(self, index: int, slug: str) -> ArticleState:
        at, flags = 3 * index, self.flags[index]
        return ArticleState(slug=slug, segments=self.counts[at], translated=self.counts[at + 1],
                            fuzzy=self.counts[at + 2], published=bool(flags & _PUBLISHED),
                            outdated=bool(flags & _OUTDATED))


class _Column:
    """One language's editions of every article."""

    def __init__(self) -> None:
        self.states = _States()
        self.titles = PackedTexts()  # "" where the title is the source's
        self.descriptions = PackedTexts()
        self.refused: dict[int, tuple[RefusedTranslation, ...]] = {}  # (few have any)


class EditionTable:
    """Every article's light edition in every language of ``languages`` (the source first), an
    article a row, in the order they were added."""

    def __init__(self, languages: dict[str, Language]) -> None:
        self.languages = languages
        self.source = next(iter(languages))
        self.slugs: list[str] = []
        self._dates: list[date | datetime | None] = []
        self._zones: list[tzinfo | None] = []
        self._front_matter: list[dict] = []
        self._when = array("d")  # order_time
        self._columns = {code: _Column() for code in languages}
        # One object for each time zone of the articles (by type and repr, not by equality: two fixed
        # offsets are equal whatever their names), not the copy each result of a worker brought.
        self._shared_zones: dict[tuple[type, str], tzinfo] = {}
        self._order: array | None = None

    @classmethod
    def of(cls, editions: dict[str, list[Edition]], languages: dict[str, Language]) -> EditionTable:
        """The table of ``editions``: each language's (the source first) edition of the same articles."""
        table = cls({code: languages[code] for code in editions})
        by_slug = {code: {entry.article.slug: entry for entry in entries} for code, entries in editions.items()}
        for slug in by_slug[table.source]:
            table.add({code: by_slug[code][slug] for code in editions})
        return table

    def add(self, editions: dict[str, Edition], *, slug: str | None = None) -> None:
        """One article's edition in every language of the table (its text is not kept)."""
        self.add_row(edition_row(editions), slug=slug)

    def add_row(self, row: EditionRow, *, slug: str | None = None) -> None:
        """One article's editions (``edition_row``). ``slug``: the caller's string equal to the
        article's slug, kept rather than the copy a row brings."""
        row_slug, when, zone, front_matter, order, editions = row
        index = len(self.slugs)
        self.slugs.append(slug if slug == row_slug else row_slug)
        if isinstance(when, datetime) and when.tzinfo is not None:
            when = when.replace(tzinfo=self._zone(when.tzinfo))
        self._dates.append(when)
        self._zones.append(self._zone(zone))
        self._front_matter.append(front_matter or _NOTHING_LISTED)
        self._when.append(order)
        self._order = None
        _, _, _, _, source_title, source_description, _ = editions[self.source]
        for code, column in self._columns.items():
            segments, translated, fuzzy, flags, title, description, refused = editions[code]
            column.states.counts.extend((segments, translated, fuzzy))
            if code != self.source and title == source_title:
                flags |= _SOURCE_TITLE
            if code != self.source and description == source_description:
                flags |= _SOURCE_DESCRIPTION
            column.states.flags.append(flags)
            column.titles.append("" if flags & _SOURCE_TITLE else title)
            column.descriptions.append("" if flags & _SOURCE_DESCRIPTION else description)
            if refused:
                column.refused[index] = refused

    def _zone(self, zone: tzinfo | None) -> tzinfo | None:
        return None if zone is None else self._shared_zones.setdefault((type(zone), repr(zone)), zone)

    def __len__(self) -> int:
        return len(self.slugs)

    def article(self, index: int) -> Article:
        """The ``index``-th article as the table holds it: without its text or its path (``LIGHT_PATH``),
        and of its front matter only the keys the listings read."""
        return Article(slug=self.slugs[index], path=LIGHT_PATH, text="", front_matter=self._front_matter[index],
                       date=self._dates[index], zone=self._zones[index])

    def edition(self, code: str, index: int) -> Edition:
        """The ``index``-th article's light edition in ``code``."""
        column = self._columns[code]
        flags = column.states.flags[index]
        return Edition(
            article=self.article(index), language=self.languages[code],
            state=column.states.state(index, self.slugs[index]),
            text="", regions=(), title=self.title(code, index), title_translated=bool(flags & _TITLE_TRANSLATED),
            refused=column.refused.get(index, ()), description=self.description(code, index),
            source_changed=bool(flags & _SOURCE_CHANGED),
        )

    def title(self, code: str, index: int) -> str:
        flags = self._columns[code].states.flags[index]
        return self._columns[self.source if flags & _SOURCE_TITLE else code].titles[index]

    def description(self, code: str, index: int) -> str:
        flags = self._columns[code].states.flags[index]
        return self._columns[self.source if flags & _SOURCE_DESCRIPTION else code].descriptions[index]

    def published(self, code: str, index: int) -> bool:
        return bool(self._columns[code].states.flags[index] & _PUBLISHED)

    def published_count(self, code: str) -> int:
        return sum(flags & _PUBLISHED for flags in self._columns[code].states.flags)

    def withheld(self, code: str) -> Iterator[int]:
        """The articles not published in ``code``."""
        return (index for index, flags in enumerate(self._columns[code].states.flags) if not flags & _PUBLISHED)

    def newest_first(self, code: str) -> Sequence[int]:
        """The articles published in ``code``, newest first (``article.order_time``, then slug)."""
        if self._order is None:
            when, slugs = self._when, self.slugs
            self._order = array("I", sorted(range(len(slugs)), key=lambda index: (when[index], slugs[index])))
        flags = self._columns[code].states.flags
        return array("I", (index for index in self._order if flags[index] & _PUBLISHED))

    def by_slug(self) -> Sequence[int]:
        """Every article, by slug."""
        return sorted(range(len(self.slugs)), key=self.slugs.__getitem__)

    def refused(self, code: str) -> Iterator[tuple[int, RefusedTranslation]]:
        """The translations not published in ``code``, article by article, in their editions' order."""
        column = self._columns[code]
        return ((index, refusal) for index in sorted(column.refused) for refusal in column.refused[index])

    def states(self, code: str) -> Sequence[ArticleState]:
        """Every article's state in ``code``, made as they are read: what the report keeps, without
        the table's titles and dates."""
        states, slugs = self._columns[code].states, self.slugs
        return MadeOnRead(lambda: map(states.state, range(len(slugs)), slugs), count=lambda: len(slugs))
