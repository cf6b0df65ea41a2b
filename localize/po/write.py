"""Write PO catalogs byte for byte the way GNU gettext's ``msgcat`` writes them.

Every PO or POT file this project writes must be a fixed point of ``msgcat``
(``msgcat FILE`` gives back FILE unchanged) and must pass ``msgfmt --check``.
Then msgmerge, translators' editors and our own writes never fight over line
breaks, and a diff shows only real changes.

polib's own writer does not meet that rule: it wraps with ``textwrap`` at 78
characters, so it breaks lines elsewhere than gettext (gettext keeps a space
at the end of a line, polib may start the next line with it), counts
characters instead of terminal columns, never breaks between CJK characters,
and writes flags and references exactly as given. This module reproduces
what gettext 0.21's ``write-po.c`` does with libunistring 1.0 as its line
breaker:

* a string stays on its keyword's line if it fits there and has no ``\\n``
  before its end; otherwise the keyword gets ``""`` and the string follows,
  a new line after each ``\\n``, each piece wrapped to the page width;
* wrapping follows Unicode line breaking (UAX #14) as libunistring applies
  it, measured in terminal columns (East Asian wide characters count 2),
  never inside an escape sequence nor just before a final ``\\n``, and for
  format strings never inside a directive (with gettext's own quirks);
* comments come in the order ``#``, ``#.``, ``#:``, ``#,``, ``#|``;
  ``#:`` references are wrapped at the page width; flags are normalized;
* obsolete entries come last, as ``#~`` lines.

Catalogs are read through polib's attributes only (duck typing); this module
does not import polib. Where lines break is ``localize.po.linebreak``'s; which
format directives stay whole, ``localize.po.directives``'.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from localize.po import DEFAULT_WIDTH
from localize.po.directives import protected_offsets
from localize.po.linebreak import (
    NO_BREAK,
    break_opportunities,
    columns,
    is_simple,
    line_breaks,
    simple_break_positions,
    simple_line_breaks,
)

__all__ = ["DEFAULT_WIDTH", "format_po", "same_entries", "writes"]

# What msgcat uses for ``--width=0`` and for strings it must not wrap.
_UNLIMITED_WIDTH = 2**31 - 1
# msgcat raises any smaller positive ``--width`` to this.
_MINIMUM_WIDTH = 20


def format_po(catalog: Any, *, width: int = DEFAULT_WIDTH, wrap: bool = True) -> str:
    """Return ``catalog`` as PO text, exactly as ``msgcat --width=WIDTH`` writes it.

    ``catalog`` is a ``polib.POFile`` or anything with the same attributes.
    ``width`` is the page width; ``width <= 0`` turns off all wrapping, like
    ``msgcat --width=0``. ``wrap=False`` is ``msgcat --no-wrap``: strings are
    not wrapped but ``#:`` reference lines still are. Entries flagged
    ``no-wrap`` never have their strings wrapped.

    Where msgcat normalizes, this function does too, so that its output is a
    fixed point of msgcat: unknown flags are dropped and known ones put in
    gettext's order, ``fuzzy`` is dropped from an entry whose (first) msgstr
    is empty, obsolete entries with an empty msgstr are left out, a leading
    ``./`` is stripped from references and a repeated reference is written
    once. The header's fields are written in ``catalog.metadata``'s order.
    """
    layout = _Layout(page_width=_page_width(width), wrap_strings=wrap)
    blocks = [_format_message(_header_message(catalog), layout)]
    blocks += [_entry_block(entry, layout) for entry in _entries_in_order(catalog)]
    return "\n".join(block for block in blocks if block is not None)


def writes(catalog: Any, text: str, *, width: int = DEFAULT_WIDTH, wrap: bool = True,
           after_header: bool = False) -> bool:
    """Whether ``format_po(catalog, width=width, wrap=wrap) == text``; with ``after_header``,
    whether the two agree after their first blank line (the entries, without the header).

    The text is compared block by block as it is formatted: a catalog that another
    layout wrote differs from its first long string on, and costs no more than that.
    """
    layout = _Layout(page_width=_page_width(width), wrap_strings=wrap)
    if after_header:
        position = text.find("\n\n")
        if position < 0:
            return not any(_entry_block(entry, layout) is not None for entry in _entries_in_order(catalog))
        position, separator = position + 2, ""
    else:
        header = _format_message(_header_message(catalog), layout)
        assert header is not None  # the header has a msgstr: never dropped
        if not text.startswith(header):
            return False
        position, separator = len(header), "\n"
    for entry in _entries_in_order(catalog):
        block = _entry_block(entry, layout)
        if block is None:
            continue
        if not text.startswith(separator + block, position):
            return False
        position += len(separator) + len(block)
        separator = "\n"
    return position == len(text)


def write_alike(first: Any, second: Any, *, width: int = DEFAULT_WIDTH, wrap: bool = True) -> bool:
    """Whether ``format_po`` writes the two catalogs alike at this layout: ``writes(first,
    format_po(second))`` without formatting ``second`` whole, its blocks compared with ``first``'s
    as they are made. No block holds a blank line (it separates them), so the texts are equal
    exactly when their blocks are."""
    layout = _Layout(page_width=_page_width(width), wrap_strings=wrap)
    if _format_message(_header_message(first), layout) != _format_message(_header_message(second), layout):
        return False
    blocks = ((block for entry in _entries_in_order(catalog) if (block := _entry_block(entry, layout)) is not None)
              for catalog in (first, second))
    return all(one == other for one, other in itertools.zip_longest(*blocks))


def forget_formatted() -> None:
    """Let go of the messages and strings formatted so far: they are kept for what one article's
    catalogs share (its msgids in the template and in every catalog, a catalog compared with its file
    at several widths), and a worker that kept them for every article it had done as well grew by
    12 MiB over its first thousand, the peak of an archive's extract."""
    _cached_block.cache_clear()
    _cached_message.cache_clear()
    _wrap_string.cache_clear()


def same_entries(first: Any, second: Any) -> bool:
    """Whether ``format_po`` writes the two catalogs alike at any width: their entries, as msgcat
    keeps them, are equal. Nothing is formatted, so that a catalog that did not change costs
    next to nothing to recognize."""
    if len(first) != len(second):
        return False
    # One message at a time: catalogs that differ usually do from their header on.
    if _header_message(first) != _header_message(second):
        return False
    return all(
        one == other or _message_of(one) == _message_of(other)
        for one, other in zip(map(_entry_key, _entries_in_order(first)), map(_entry_key, _entries_in_order(second)))
    )


def _entries_in_order(catalog: Any) -> Iterator[Any]:
    """The entries ``format_po`` writes after the header, in its order: obsolete ones last."""
    yield from (entry for entry in catalog if not entry.obsolete)
    yield from (entry for entry in catalog if entry.obsolete)


def _entry_key(entry: Any) -> tuple:
    """What ``_message_from_entry`` reads of an entry, as a value: equal keys, equal messages.

    An entry whose fields cannot be hashed (polib keeps references as lists of pairs)
    is its own key, and nothing is cached for it.
    """
    plural = entry.msgid_plural
    key = (
        entry.msgid, entry.msgstr, entry.msgctxt, plural,
        tuple(sorted(entry.msgstr_plural.items(), key=lambda item: int(item[0]))) if plural and entry.msgstr_plural else (),
        entry.tcomment, entry.comment, tuple(entry.occurrences or ()), tuple(entry.flags or ()),
        entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural, bool(entry.obsolete),
    )
    try:
        hash(key)
    except TypeError:
        return (_UNHASHABLE, entry)
    return key


_UNHASHABLE = object()


class _KeyedEntry:
    """An entry rebuilt from its ``_entry_key``, for ``_message_from_entry``."""

    __slots__ = ("msgid", "msgstr", "msgctxt", "msgid_plural", "msgstr_plural", "tcomment", "comment",
                 "occurrences", "flags", "previous_msgctxt", "previous_msgid", "previous_msgid_plural", "obsolete")

    def __init__(self, key: tuple) -> None:
        (self.msgid, self.msgstr, self.msgctxt, self.msgid_plural, plural, self.tcomment, self.comment,
         self.occurrences, self.flags, self.previous_msgctxt, self.previous_msgid, self.previous_msgid_plural,
         self.obsolete) = key
        self.msgstr_plural = dict(plural)


def _message_of(key: tuple) -> _Message:
    """The message of an entry's key; cached, as a msgid is in a template and in every catalog."""
    if key[0] is _UNHASHABLE:
        return _message_from_entry(key[1])
    return _cached_message(key)


@functools.lru_cache(maxsize=4096)
def _cached_message(key: tuple) -> _Message:
    return _message_from_entry(_KeyedEntry(key))


def _entry_block(entry: Any, layout: _Layout) -> str | None:
    """The text of one entry: formatted once per run for its content and layout (extract checks a
    catalog against its file at several widths, and a template's msgids recur in every catalog)."""
    key = _entry_key(entry)
    if key[0] is _UNHASHABLE:
        return _format_message(_message_from_entry(entry), layout)
    return _cached_block(key, layout)


@functools.lru_cache(maxsize=4096)
def _cached_block(key: tuple, layout: _Layout) -> str | None:
    return _format_message(_cached_message(key), layout)


def _page_width(width: int) -> int:
    """Interpret ``width`` the way msgcat interprets ``--width``."""
    if width <= 0:
        return _UNLIMITED_WIDTH
    return max(width, _MINIMUM_WIDTH)


@dataclass(frozen=True)
class _Layout:
    """The page settings that apply to a whole catalog."""

    page_width: int
    wrap_strings: bool


# ---------------------------------------------------------------------------
# Messages: a catalog entry reduced to what msgcat keeps of it.
# ---------------------------------------------------------------------------

# The format-string languages gettext 0.21 knows, in the order it writes
# their flags (``format_language`` in gettext's format.c).
_FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp",
    "javascript", "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk",
    "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde", "kde-kuit",
    "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal",
    "gfc-internal", "ycp",
)
# How a ``LANG-format`` flag can be qualified; gettext tests ``no-`` first.
_FORMAT_QUALIFIERS = (("no-", "no"), ("possible-", "possible"), ("impossible-", "impossible"))
# Characters that separate the tokens of a ``#,`` line.
_FLAG_SEPARATORS = re.compile(r"[\n \t\r\f\v,]+")
_RANGE_BOUNDS = re.compile(r"([0-9]+)\.\.([0-9]+)")


@dataclass
class _Flags:
    """What gettext understands of a ``#,`` line; it forgets everything else."""

    fuzzy: bool = False
    # Language -> "yes", "no", "possible" or "impossible".
    formats: dict[str, str] = field(default_factory=dict)
    range: tuple[int, int] | None = None
    # None when neither ``wrap`` nor ``no-wrap`` was given.
    wrap: bool | None = None

    @classmethod
    def parse(cls, flags: Iterable[str]) -> _Flags:
        """Read flags the way gettext reads a ``#,`` line: by tokens, later ones win."""
        result = cls()
        if not flags:
            return result
        tokens = [token for token in _FLAG_SEPARATORS.split(", ".join(flags)) if token]
        position = 0
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token == "fuzzy":
                result.fuzzy = True
            elif token == "wrap":
                result.wrap = True
            elif token == "no-wrap":
                result.wrap = False
            elif token == "range:":
                # The bounds are the next token; a malformed one is ignored.
                if position < len(tokens):
                    result._read_range(tokens[position])
                    position += 1
            elif token.endswith("-format"):
                result._read_format(token[: -len("-format")])
        return result

    def _read_range(self, token: str) -> None:
        """Take ``MIN..MAX`` as the range unless MIN > MAX."""
        bounds = _RANGE_BOUNDS.match(token)
        if bounds is not None:
            low, high = int(bounds.group(1)), int(bounds.group(2))
            if low <= high:
                self.range = (low, high)

    def _read_format(self, description: str) -> None:
        """Record ``[no-|possible-|impossible-]LANGUAGE``; an unknown language is ignored."""
        state = "yes"
        for prefix, qualified_state in _FORMAT_QUALIFIERS:
            if description.startswith(prefix):
                description, state = description[len(prefix):], qualified_state
                break
        if description in _FORMAT_LANGUAGES:
            self.formats[description] = state

    def format_descriptions(self) -> list[str]:
        """The format flags msgcat writes, in its order; ``possible-`` loses its prefix."""
        descriptions: list[str] = []
        if not self.formats:
            return descriptions
        for language in _FORMAT_LANGUAGES:
            state = self.formats.get(language)
            if state in ("yes", "possible"):
                descriptions.append(f"{language}-format")
            elif state == "no":
                descriptions.append(f"no-{language}-format")
        return descriptions

    def directive_language(self) -> str | None:
        """The language whose format directives gettext keeps unbroken: the first that may apply."""
        if not self.formats:
            return None
        for language in _FORMAT_LANGUAGES:
            if self.formats.get(language) in ("yes", "possible"):
                return language
        return None


@dataclass
class _Message:
    """One entry as msgcat sees it, whatever object it came from."""

    msgid: str
    msgstrs: list[str]
    msgctxt: str | None = None
    msgid_plural: str | None = None
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: _Flags = field(default_factory=_Flags)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False


def _header_message(catalog: Any) -> _Message:
    """The header entry: msgid "" with the metadata fields as its msgstr."""
    metadata: Mapping[str, str] = catalog.metadata
    fuzzy = catalog.metadata_is_fuzzy
    # polib keeps the header's whole flag list here after reading a file.
    flags = list(fuzzy) if isinstance(fuzzy, (list, tuple, set)) else ["fuzzy"] if fuzzy else []
    return _Message(
        msgid="",
        msgstrs=["".join(f"{key}: {value}\n" for key, value in metadata.items())],
        translator_comments=_comment_lines(catalog.header),
        flags=_Flags.parse(flags),
    )


def _message_from_entry(entry: Any) -> _Message:
    """Read a polib entry into a message."""
    if entry.msgid_plural:
        plural_forms = entry.msgstr_plural or {}
        msgstrs = [plural_forms[index] or "" for index in sorted(plural_forms, key=int)]
        # gettext requires msgstr[N] after msgid_plural; a template has two empty forms.
        msgstrs = msgstrs or ["", ""]
    else:
        msgstrs = [entry.msgstr or ""]
    return _Message(
        msgid=entry.msgid or "",
        msgstrs=msgstrs,
        msgctxt=entry.msgctxt,
        msgid_plural=entry.msgid_plural or None,
        translator_comments=_comment_lines(entry.tcomment),
        extracted_comments=_comment_lines(entry.comment),
        references=_reference_tokens(entry.occurrences),
        flags=_Flags.parse(entry.flags),
        previous_msgctxt=entry.previous_msgctxt,
        previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural,
        obsolete=bool(entry.obsolete),
    )


def _comment_lines(text: str | None) -> list[str]:
    """Split a polib comment into its lines; no text means no comment at all."""
    return text.split("\n") if text else []


def _reference_tokens(occurrences: Iterable[Sequence[Any]] | None) -> list[str]:
    """Turn (file, line) pairs into ``#:`` tokens as msgcat would write them on a second pass."""
    tokens: list[str] = []
    for file_name, line in occurrences or ():
        path = str(file_name)
        while path.startswith("./"):
            path = path[2:]
        line_text = "" if line is None else str(line).strip()
        if line_text.isascii() and line_text.isdigit():
            # gettext stores the line as a number, so "007" comes back as "7".
            line_text = str(int(line_text))
        token = f"{path}:{line_text}" if line_text else path
        # msgcat drops a reference it already has for the message.
        if token and token not in tokens:
            tokens.append(token)
    return tokens


# ---------------------------------------------------------------------------
# Writing one message.
# ---------------------------------------------------------------------------


def _format_message(message: _Message, layout: _Layout) -> str | None:
    """The lines of one message, as ``message_print`` / ``message_print_obsolete`` write them."""
    if message.obsolete and not message.msgstrs[0]:
        # msgcat silently drops obsolete entries that have no translation.
        return None
    lines = _comment_block("#", message.translator_comments)
    lines += _comment_block("#.", message.extracted_comments)
    lines += _reference_block(message.references, layout.page_width)
    lines += _flag_block(message)
    lines += _string_block(message, layout)
    return "".join(f"{line}\n" for line in lines)


def _comment_block(marker: str, comment_lines: Sequence[str]) -> list[str]:
    """Comment lines; an empty line is the bare marker, without a trailing space."""
    return [f"{marker} {line}" if line else marker for line in comment_lines]


def _reference_block(references: Sequence[str], page_width: int) -> list[str]:
    """``#:`` lines filled with references up to the page width, counted in bytes as gettext does."""
    if not references:
        return []
    lines = []
    line, column = "#:", 2
    for reference in references:
        length = len(reference.encode("utf-8")) + 1
        if column > 2 and column + length > page_width:
            lines.append(line)
            line, column = "#:", 2
        line += f" {reference}"
        column += length
    lines.append(line)
    return lines


def _flag_block(message: _Message) -> list[str]:
    """The ``#,`` line, or nothing when no flag survives."""
    flags = message.flags
    descriptions = []
    # msgcat forgets "fuzzy" on an untranslated message.
    if flags.fuzzy and message.msgstrs[0]:
        descriptions.append("fuzzy")
    descriptions += flags.format_descriptions()
    # Ranges are written for live messages only.
    if flags.range is not None and not message.obsolete:
        descriptions.append(f"range: {flags.range[0]}..{flags.range[1]}")
    if flags.wrap is False:
        descriptions.append("no-wrap")
    return [f"#, {', '.join(descriptions)}"] if descriptions else []


def _string_block(message: _Message, layout: _Layout) -> list[str]:
    """The previous strings (``#|``) and then the message's own strings."""
    wraps = layout.wrap_strings and message.flags.wrap is not False
    page_width = layout.page_width if wraps else _UNLIMITED_WIDTH
    language = message.flags.directive_language()
    previous_prefix = "#~| " if message.obsolete else "#| "
    prefix = "#~ " if message.obsolete else ""
    fields: list[tuple[str, str, str]] = []
    for keyword, value in (
        ("msgctxt", message.previous_msgctxt),
        ("msgid", message.previous_msgid),
        ("msgid_plural", message.previous_msgid_plural),
    ):
        if value is not None:
            fields.append((previous_prefix, keyword, value))
    if message.msgctxt is not None:
        fields.append((prefix, "msgctxt", message.msgctxt))
    fields.append((prefix, "msgid", message.msgid))
    if message.msgid_plural is not None:
        fields.append((prefix, "msgid_plural", message.msgid_plural))
        fields += [(prefix, f"msgstr[{index}]", text) for index, text in enumerate(message.msgstrs)]
    else:
        fields.append((prefix, "msgstr", message.msgstrs[0]))
    lines: list[str] = []
    for line_prefix, keyword, value in fields:
        protected = protected_offsets(value, language, translated=keyword.startswith("msgstr"))
        lines += _wrap_string(line_prefix, keyword, value, page_width, protected)
    return lines


# ---------------------------------------------------------------------------
# Wrapping one string (gettext's ``wrap`` in write-po.c).
# ---------------------------------------------------------------------------

# The C escapes gettext writes; any other character is written as it is.
_ESCAPES = {
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
    "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"',
}
_ESCAPABLE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
# A string is written in pieces that each end after a newline.
_PIECE = re.compile(r"[^\n]*\n|[^\n]+")


@functools.lru_cache(maxsize=8192)
def _wrap_string(
    prefix: str, keyword: str, value: str, page_width: int, protected: frozenset[int]
) -> tuple[str, ...]:
    """The lines for ``KEYWORD "VALUE"``, every line starting with ``prefix``.

    Columns are counted from after the opening quote of a continuation line;
    one column is kept free for the closing quote. Cached: a msgid is written
    in the template, in every language's catalog and again as a ``#|`` line.
    """
    text_width = page_width - 1 - (len(prefix) + 1)
    pieces = [(match.start(), match.group()) for match in _PIECE.finditer(value)] or [(0, "")]
    lines: list[str] = []
    first_line = True
    for offset, piece in pieces:
        escaped, unbreakable = _escape_piece(piece, offset, protected)
        start_column = len(keyword) + 1 if first_line else 0
        more_follows = offset + len(piece) < len(value)
        simple = is_simple(escaped)
        width = len(escaped) if simple else columns(escaped)
        if width <= text_width - (start_column if first_line and not more_follows else 0):
            # It fits where it will stand: no line breaks to look for.
            find_breaks = None
            breaks: list[int] = []
        else:
            find_breaks = _break_finder(escaped, simple, unbreakable, text_width)
            breaks = find_breaks(start_column)
        if first_line and escaped and (more_follows or start_column > text_width or breaks):
            # The string does not fit on the keyword's line: give it its own lines.
            lines.append(f'{prefix}{keyword} ""')
            first_line = False
            breaks = find_breaks(0) if find_breaks is not None else []
        head = f"{prefix}{keyword} " if first_line else prefix
        first_line = False
        bounds = [0, *breaks, len(escaped)]
        for index, (start, end) in enumerate(zip(bounds, bounds[1:])):
            lines.append(f'{head if index == 0 else prefix}"{escaped[start:end]}"')
    return tuple(lines)


def _break_finder(
    escaped: str, simple: bool, unbreakable: set[int], text_width: int
) -> Callable[[int], list[int]]:
    """Where ``escaped`` breaks, given the column it starts at: through the fast path when
    it is ``simple`` (see ``linebreak.simple_break_positions``)."""
    positions = simple_break_positions(escaped) if simple else None
    if positions is not None:
        positions = [position for position in positions if position not in unbreakable]
        return lambda start_column: simple_line_breaks(positions, len(escaped), text_width, start_column)
    opportunities = break_opportunities(escaped)
    for index in unbreakable:
        opportunities[index] = NO_BREAK
    return lambda start_column: line_breaks(escaped, opportunities, text_width, start_column)


def _escape_piece(piece: str, offset: int, protected: frozenset[int]) -> tuple[str, set[int]]:
    """Escape ``piece``; also return the offsets in the result before which no break may come.

    ``offset`` is where the piece starts in its string; ``protected`` holds
    the string offsets inside format directives.
    """
    escape_offsets = [match.start() for match in _ESCAPABLE.finditer(piece)]
    escaped = _ESCAPABLE.sub(lambda match: _ESCAPES[match.group()], piece)
    # Never break inside an escape sequence: its second character follows
    # the escapes before it, each of which added one character.
    unbreakable = {position + count + 1 for count, position in enumerate(escape_offsets)}
    for string_offset in protected:
        position = string_offset - offset
        if 0 <= position < len(piece):
            unbreakable.add(position + bisect.bisect_left(escape_offsets, position))
    if piece.endswith("\n"):
        # Never break just before the "\n" that ends a piece.
        unbreakable.add(len(escaped) - 2)
    return escaped, unbreakable
