"""The values that flow between the steps: plain frozen dataclasses, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from operator import attrgetter
from pathlib import Path

from localize.errors import LocalizeError


@dataclass(frozen=True)
class MarkdownPlacement:
    """How a translation is written back into Markdown.

    ``continuation_prefix`` starts every line after the first (the container
    markers a list item or block quote needs: ``"> "``, ``"   "``); ``None``
    means the place holds one line only (a heading, a table cell), so line
    breaks in the translation become spaces. ``line_ending`` is the source's
    own (``"\\n"`` or ``"\\r\\n"``). In a ``table_cell`` pipes must be escaped.
    ``reference_label`` is set for an image's alt text when the image is a
    reference (``![foo][]``, ``![foo]``, ``![foo][bar]``): the label of its
    definition, which a translation names explicitly (``![translation][foo]``),
    since the alt text of the first two is also their label.
    """

    continuation_prefix: str | None
    line_ending: str = "\n"
    table_cell: bool = False
    reference_label: str | None = None


@dataclass(frozen=True)
class YamlPlacement:
    """A YAML scalar: its style (``""`` plain, ``"'"``, ``'"'``, ``"|"``, ``">"``), and for
    block scalars the header as written (``"|-"``) and the indentation of its lines."""

    style: str
    block_header: str = ""
    indent: str = ""
    line_ending: str = "\n"


@dataclass(frozen=True)
class TomlPlacement:
    """A TOML string: literal (``'...'``) or basic, single- or multi-line."""

    literal: bool
    multiline: bool


@dataclass(frozen=True)
class HtmlPlacement:
    """Text in a raw HTML block, or with ``attribute_quote`` set the value of an ``alt`` or
    ``title`` attribute between those quotes (``""`` for an unquoted value); a translation is
    written on one line, since a blank line would end the HTML block."""

    attribute_quote: str | None = None


Placement = MarkdownPlacement | YamlPlacement | TomlPlacement | HtmlPlacement


@dataclass(frozen=True)
class Segment:
    """One translatable piece of an article.

    ``text`` is the msgid: inline Markdown as written, soft line breaks joined
    by single spaces. ``start``/``end`` are character offsets of the region of
    the source text that a translation replaces; ``line`` is the 1-based line
    where it starts. ``kind`` names the block for the translator
    (``"type: paragraph"``, ``"front matter: title"``).
    """

    text: str
    kind: str
    line: int
    start: int
    end: int
    placement: Placement


@dataclass(frozen=True)
class Document:
    """A source article split into segments; everything between them is kept as is."""

    text: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)  # one an article in every result of a merge's workers (light_article)
class Article:
    """A source article as read from disk.

    ``date`` and ``zone`` are its front matter's ``date`` and ``timezone``,
    read once (``localize.dateline``). ``date_problem`` says why the date
    could not be read: the page is then published without a dateline (merge
    warns, check fails). ``zone_problem`` says why the time zone could not:
    merge then leaves the article out, as one it cannot read, since a time
    shown in a zone the author did not mean would mislead (its earlier pages
    stay).
    """

    slug: str
    path: Path
    text: str
    front_matter: dict = field(default_factory=dict, compare=False)
    date: date | datetime | None = None
    zone: tzinfo | None = None
    date_problem: LocalizeError | None = field(default=None, compare=False)
    zone_problem: LocalizeError | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Message:
    """One catalog entry.

    The field names are polib's, so that the PO writer serves both.
    ``comment`` holds the extracted comments (``#.``), ``tcomment`` the
    translator's (``# ``), ``occurrences`` the references (``#:``).
    """

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    comment: str = ""
    tcomment: str = ""
    occurrences: tuple[tuple[str, str], ...] = ()
    flags: tuple[str, ...] = ()
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    linenum: int = 0
    # The ``domain "NAME"`` directive the entry comes after, if any: msgfmt writes each domain
    # to its own .mo file, so one msgid may be defined once in each.
    domain: str | None = None

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def text_pairs(self) -> list[tuple[str, str]]:
        """(source, translation) pairs: msgid and msgstr, or each filled plural form with its msgid."""
        if not self.msgid_plural:
            return [(self.msgid, self.msgstr)]
        return [
            (self.msgid if index == 0 else self.msgid_plural, text)
            for index, text in sorted(self.msgstr_plural.items())
            if text
        ]

    def translated(self) -> bool:
        """Translated as gettext counts it: not fuzzy, not obsolete, every form filled."""
        if self.obsolete or self.fuzzy:
            return False
        if self.msgid_plural:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return bool(self.msgstr)


@dataclass(frozen=True)
class Catalog:
    """A PO or POT file: a header and messages, obsolete ones included."""

    messages: tuple[Message, ...]
    metadata: dict[str, str] = field(default_factory=dict)
    header: str = ""
    metadata_is_fuzzy: bool = False
    # The msgstr of every header entry (``msgid ""``) of the file read, one per domain: none at all
    # is a file msgfmt --check rejects, and an empty one msgfmt counts as an untranslated message.
    # None for a catalog made in code, which is written with its header.
    header_msgstrs: tuple[str, ...] | None = field(default=None, compare=False)

    def __iter__(self):
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    @property
    def active(self) -> tuple[Message, ...]:
        return tuple(message for message in self.messages if not message.obsolete)

    def translations(self, *, use_fuzzy: bool = False) -> dict[str, str]:
        """msgid to msgstr for the messages a merge may use."""
        return {
            message.msgid: message.msgstr
            for message in self.active
            if message.msgstr and not message.msgid_plural and (use_fuzzy or not message.fuzzy)
        }


ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem a check found: a stable code (``E201``), ``ERROR`` or ``WARNING``,
    the file as shown to the user and the 1-based line of the entry (``None`` for the whole file).
    ``downgraded``: an error that the project's ``[check] warn`` reports as a warning."""

    code: str
    severity: str
    message: str
    path: Path
    line: int | None = None
    downgraded: bool = False


@dataclass(frozen=True)
class Counts:
    """Messages of a catalog as ``msgfmt --statistics`` counts them, and the words of their msgids.

    ``obsolete`` messages are counted apart and belong to no other count.
    """

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0
    machine: int = 0  # of the fuzzy ones: machine translations nobody has confirmed (localize pretranslate)

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def percent(self) -> float:
        """Translated messages in percent; a catalog with nothing to translate is complete."""
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def words_percent(self) -> float:
        return 100.0 * self.translated_words / self.words if self.words else 100.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, name) + getattr(other, name) for name in _COUNT_FIELDS))

    @staticmethod
    def total_of(counts: Iterable[Counts]) -> Counts:
        """The sum of ``counts``, field by field: an archive's ten thousand added without a Counts
        made for each addition."""
        return Counts(*map(sum, zip(*map(_count_fields, counts))))  # (none: zip gives nothing, all zero)


_COUNT_FIELDS = (
    "translated", "fuzzy", "untranslated", "obsolete", "translated_words", "fuzzy_words", "untranslated_words",
    "machine",
)
_count_fields = attrgetter(*_COUNT_FIELDS)
