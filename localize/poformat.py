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
does not import polib.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DEFAULT_WIDTH", "format_po"]

# msgcat's default page width.
DEFAULT_WIDTH = 79
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
    messages = [_header_message(catalog)]
    messages += [_message_from_entry(entry) for entry in catalog if not entry.obsolete]
    messages += [_message_from_entry(entry) for entry in catalog if entry.obsolete]
    blocks = [_format_message(message, layout) for message in messages]
    return "\n".join(block for block in blocks if block is not None)


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
        descriptions = []
        for language in _FORMAT_LANGUAGES:
            state = self.formats.get(language)
            if state in ("yes", "possible"):
                descriptions.append(f"{language}-format")
            elif state == "no":
                descriptions.append(f"no-{language}-format")
        return descriptions

    def directive_language(self) -> str | None:
        """The language whose format directives gettext keeps unbroken: the first that may apply."""
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
        protected = _protected_offsets(value, language, translated=keyword.startswith("msgstr"))
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
        if _text_width(escaped) <= text_width - (start_column if first_line and not more_follows else 0):
            # It fits where it will stand: no line breaks to look for.
            opportunities: list[int] = []
            breaks: list[int] = []
        else:
            opportunities = _break_opportunities(escaped)
            for index in unbreakable:
                opportunities[index] = _NO_BREAK
            breaks = _line_breaks(escaped, opportunities, text_width, start_column)
        if first_line and escaped and (more_follows or start_column > text_width or breaks):
            # The string does not fit on the keyword's line: give it its own lines.
            lines.append(f'{prefix}{keyword} ""')
            first_line = False
            breaks = _line_breaks(escaped, opportunities, text_width, 0) if opportunities else []
        head = f"{prefix}{keyword} " if first_line else prefix
        first_line = False
        bounds = [0, *breaks, len(escaped)]
        for index, (start, end) in enumerate(zip(bounds, bounds[1:])):
            lines.append(f'{head if index == 0 else prefix}"{escaped[start:end]}"')
    return tuple(lines)


def _text_width(text: str) -> int:
    """Columns ``text`` takes on a line."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(_advance, text))


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


# ---------------------------------------------------------------------------
# Where to break (libunistring's u8_width_linebreaks).
# ---------------------------------------------------------------------------

# A break before a character is forbidden, possible, or forced.
_NO_BREAK, _MAY_BREAK, _MUST_BREAK = 0, 1, 2


def _line_breaks(text: str, opportunities: Sequence[int], width: int, start_column: int) -> list[int]:
    """Offsets in ``text`` before which a line must break so that lines fit in ``width`` columns.

    ``opportunities`` says for each character whether a break may or must
    come before it. Text runs between break opportunities are never split; a
    run that does not fit the rest of the line moves to the next line, so a
    line may still be too long when a single run is.
    """
    breaks: list[int] = []
    last_opportunity: int | None = None
    line_column = start_column  # where the current run starts
    run_width = 0
    for index, char in enumerate(text):
        opportunity = opportunities[index]
        if opportunity != _NO_BREAK and last_opportunity is not None and line_column + run_width > width:
            breaks.append(last_opportunity)
            line_column = 0
        if opportunity == _MUST_BREAK:
            last_opportunity, line_column, run_width = None, 0, 0
            continue
        if opportunity == _MAY_BREAK:
            last_opportunity = index
            line_column += run_width
            run_width = 0
        run_width += _advance(char)
    if last_opportunity is not None and line_column + run_width > width:
        breaks.append(last_opportunity)
    return breaks


# ---------------------------------------------------------------------------
# Break opportunities (UAX #14 as libunistring 1.0 implements it).
# ---------------------------------------------------------------------------

# UAX #14 line breaking classes, numbered as libunistring numbers them. The
# first 33 index the pair table below. AL alphabetic, B2 break on both sides
# (em dash), BA break after, BB break before, CL close punctuation, CP close
# parenthesis (2: East Asian), CM combining mark, EB/EM emoji base/modifier,
# EX exclamation, GL glue (no-break space), H2/H3 Hangul syllables,
# HL Hebrew letter, HY hyphen, ID ideographic (2: unassigned pictographic),
# IN inseparable (ellipsis), IS infix separator (. , : ;), JL/JV/JT Hangul
# jamo, NS non-starter (small kana), NU numeric, OP open punctuation (2:
# East Asian), PO postfix (%), PR prefix ($ \), QU quotation, RI regional
# indicator, SY slash, WJ word joiner, ZWJ zero width joiner; BK, CR, LF
# mandatory breaks, SP space, ZW zero width space. Classes libunistring
# resolves at once are stored resolved: ambiguous, complex-context (Thai)
# and unknown characters are AL, contingent breaks ID.
(_WJ, _GL, _B2, _BA, _BB, _HY, _CL, _CP1, _CP2, _EX, _IN, _NS, _OP1, _OP2, _QU, _IS,
 _NU, _PO, _PR, _SY, _AL, _H2, _H3, _ID1, _ID2, _JL, _JV, _JT, _HL, _RI, _ZWJ, _EB,
 _EM, _BK, _CR, _LF, _CM, _ZW, _SP) = range(39)
_CLASS_NAMES = (
    "WJ GL B2 BA BB HY CL CP1 CP2 EX IN NS OP1 OP2 QU IS NU PO PR SY AL H2 H3 ID1 ID2 "
    "JL JV JT HL RI ZWJ EB EM BK CR LF CM ZW SP"
).split()
_CLASS_BY_NAME = {name: number for number, name in enumerate(_CLASS_NAMES)}
# A Hebrew letter followed by a hyphen: no break after it (UAX #14 rule LB21a).
_HL_BA = len(_CLASS_NAMES)

# libunistring's pair table: whether to break between a character of the
# row's class and one of the column's class (columns in _CLASS_NAMES order):
# D breaks, I breaks only when spaces come between, P never breaks.
_PAIR_TABLE_ROWS = """
WJ  PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
GL  PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
B2  PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
BA  PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
BB  PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
HY  PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD
CL  PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD
CP1 PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD
CP2 PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD
EX  PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
IN  PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
NS  PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
OP1 PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
OP2 PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
QU  PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII
IS  PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD
NU  PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
PO  PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD
PR  PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII
SY  PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD
AL  PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
H2  PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD
H3  PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD
ID1 PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
ID2 PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI
JL  PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD
JV  PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD
JT  PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD
HL  PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
RI  PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
ZWJ PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII
EB  PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI
EM  PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
"""
_PAIR_TABLE = {
    _CLASS_BY_NAME[row_name]: row
    for row_name, row in (line.split() for line in _PAIR_TABLE_ROWS.strip().splitlines())
}
_BREAK_CLASSES = (_BK, _CR, _LF)


def _break_opportunities(text: str) -> list[int]:
    """For each character of ``text``: may, must or must not a line break come before it?"""
    result = [_NO_BREAK] * len(text)
    previous_class = _BK  # the character just before, including spaces and marks
    base_class = _BK  # the last character that was neither a space nor a combining mark
    after_spaces = False  # spaces came after base_class
    regional_indicators = 0  # how many regional indicators came in a row just before
    for index, char in enumerate(text):
        current = _line_break_class(char)
        if current in _BREAK_CLASSES:
            result[index] = _MUST_BREAK
            previous_class, base_class, after_spaces = current, _BK, False
            regional_indicators = 0
            continue
        if current == _SP:
            after_spaces = True
        elif current == _ZW:
            base_class, after_spaces = _ZW, False
        elif current in (_CM, _ZWJ):
            if base_class == _BK:
                # A mark at the start of a line stands for a letter.
                base_class, after_spaces = _AL, False
            elif base_class == _ZW or after_spaces:
                result[index] = _MAY_BREAK
                base_class, after_spaces = _AL, False
            # Otherwise the mark belongs to the character before it.
        else:
            result[index] = _pair_opportunity(base_class, previous_class, current, after_spaces, regional_indicators)
            base_class, after_spaces = current, False
        hebrew_hyphen = previous_class == _HL and current in (_HY, _BA)
        previous_class = _HL_BA if hebrew_hyphen else current
        regional_indicators = regional_indicators + 1 if current == _RI else 0
    return result


def _pair_opportunity(
    base_class: int, previous_class: int, current: int, after_spaces: bool, regional_indicators: int
) -> int:
    """May a line break between a character of ``base_class`` and one of class ``current``?"""
    if base_class == _BK:
        return _NO_BREAK  # nothing to break from at the start of the text
    if base_class == _ZW:
        return _MAY_BREAK
    if previous_class == _ZWJ:
        return _NO_BREAK
    if base_class == _RI and current == _RI:
        # Flags are pairs of regional indicators: break between pairs only.
        return _MAY_BREAK if after_spaces or regional_indicators % 2 == 0 else _NO_BREAK
    if previous_class == _HL_BA:
        return _NO_BREAK
    decision = _PAIR_TABLE[base_class][current]
    if decision == "D" or (decision == "I" and after_spaces):
        return _MAY_BREAK
    return _NO_BREAK


# ---------------------------------------------------------------------------
# Character properties: line breaking class and column width.
# ---------------------------------------------------------------------------

# Unassigned code points that Unicode reserves as wide, which Python's
# unicodedata reports wrongly (it says "F" for every unassigned code point).
_RESERVED_WIDE_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFD), (0x30000, 0x3FFFD))


def _is_wide(char: str) -> bool:
    """Whether ``char`` is East Asian Wide or Fullwidth."""
    if unicodedata.category(char) == "Cn":
        code = ord(char)
        return any(low <= code <= high for low, high in _RESERVED_WIDE_RANGES)
    return unicodedata.east_asian_width(char) in ("W", "F")


def _parse_ranges(data: str, value_of: Any) -> tuple[list[int], list[int], list[Any]]:
    """Read ``START[-END]:VALUE`` items (hexadecimal code points) into sorted lookup lists."""
    starts, ends, values = [], [], []
    for item in data.split():
        span, value = item.split(":")
        low, _, high = span.partition("-")
        starts.append(int(low, 16))
        ends.append(int(high or low, 16))
        values.append(value_of(value))
    return starts, ends, values


def _lookup(table: tuple[list[int], list[int], list[Any]], code: int) -> Any | None:
    """The value of the range in ``table`` that holds ``code``, if any."""
    starts, ends, values = table
    position = bisect.bisect_right(starts, code) - 1
    if position >= 0 and code <= ends[position]:
        return values[position]
    return None


# Column widths where libunistring's uc_width differs from the rule in
# _column_width (a few marks that take space, reserved code points in wide
# blocks). Derived from libunistring 1.0, Unicode 14.
_WIDTH_EXCEPTIONS = _parse_ranges(
    """
    0CBF:1 0CC6:1 2E9A:2 2EF4-2EFF:2 2FD6-2FEF:2 2FFC-2FFF:2 3040:2
    3097-3098:2 3100-3104:2 3130:2 318F:2 31E4-31EF:2 321F:2 A48D-A48F:2
    A4C7-A4CF:2 D7B0-D7C6:0 D7CB-D7FB:0 FE1A-FE1F:2 FE53:2 FE67:2
    FE6C-FE6F:2 FF00:2 11A07-11A08:1 11C3F:1 1F203-1F20F:2 1F23C-1F23F:2
    1F249-1F24F:2 1F252-1F25F:2 1F266-1F2FF:2 2FFFE-2FFFF:2 3FFFE-3FFFF:2
    """,
    int,
)


@functools.lru_cache(maxsize=4096)
def _column_width(char: str) -> int:
    """Terminal columns ``char`` takes, like libunistring's uc_width; -1 for control characters."""
    code = ord(char)
    exception = _lookup(_WIDTH_EXCEPTIONS, code)
    if exception is not None:
        return exception
    category = unicodedata.category(char)
    if code == 0:
        return 0
    if category == "Cc":
        return -1
    if category in ("Mn", "Me", "Cf") or 0x1160 <= code <= 0x11FF or code == 0x200B:
        return 0
    return 2 if _is_wide(char) else 1


@functools.lru_cache(maxsize=4096)
def _advance(char: str) -> int:
    """Columns ``char`` moves the cursor; libunistring ignores control characters."""
    return max(_column_width(char), 0)


# Line breaking class by general category, for characters that are not East
# Asian wide (default AL) and for those that are (default ID1).
_NARROW_CLASS_BY_CATEGORY = {
    "Cc": _CM, "Cf": _CM, "Mn": _CM, "Mc": _CM, "Me": _CM, "Nd": _NU,
    "Ps": _OP1, "Pe": _CL, "Pi": _QU, "Pf": _QU, "Pd": _BA, "Zs": _BA,
    "Zl": _BK, "Zp": _BK, "Sc": _PR,
}
_WIDE_CLASS_BY_CATEGORY = {
    "Mn": _CM, "Mc": _CM, "Ps": _OP2, "Pe": _CL, "Zs": _BA, "Lm": _NS, "Sc": _PR,
}
# Scripts written without spaces (Thai, Lao, Myanmar, Khmer, Tai scripts,
# Ahom): libunistring does not segment them, so their marks count as letters.
_COMPLEX_CONTEXT_RANGES = (
    (0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x1950, 0x19DF),
    (0x1A20, 0x1AAF), (0xA9E0, 0xA9FF), (0xAA60, 0xAADF), (0x11700, 0x1174F),
)
# Every character whose class the rules in _line_break_class get wrong, with
# its class in libunistring 1.0 (Unicode 14, as Python 3.11's unicodedata).
_CLASS_EXCEPTIONS = _parse_ranges(
    """
    0009:BA 000A:LF 000B-000C:BK 000D:CR 0020:SP 0021:EX 0022:QU 0025:PO
    0027:QU 0029:CP1 002B:PR 002C:IS 002D:HY 002E:IS 002F:SY 003A-003B:IS
    003F:EX 005C:PR 005D:CP1 007C:BA 0085:BK 00A0:GL 00A1:OP1 00A2:PO
    00AD:BA 00B0:PO 00B1:PR 00B4:BB 00BF:OP1 02C8:BB 02CC:BB 02DF:BB 034F:GL
    035C-0362:GL 037E:IS 0589:IS 05C6:EX 0600-0605:AL 0609-060B:PO
    060C-060D:IS 061B:EX 061D-061F:EX 066A:PO 066B-066C:NU 06D4:EX 06DD:AL
    070F:AL 07F8:IS 07F9:EX 0890-0891:AL 08E2:AL 0964-0965:BA 09F2-09F3:PO
    09F9:PO 0C77:BB 0C84:BB 0D79:PO 0E5A-0E5B:BA 0F01-0F04:BB 0F06-0F07:BB
    0F08:GL 0F09-0F0A:BB 0F0B:BA 0F0C:GL 0F0D-0F11:EX 0F12:GL 0F14:EX
    0F34:BA 0F7F:BA 0F85:BA 0FBE-0FBF:BA 0FD0-0FD1:BB 0FD2:BA 0FD3:BB
    0FD9-0FDA:GL 104A-104B:BA 1361:BA 16EB-16ED:BA 1735-1736:BA 17D4-17D5:BA
    17D6:NS 17D8:BA 17DA:BA 1802-1803:EX 1804-1805:BA 1806:BB 1808-1809:EX
    180E:GL 1944-1945:EX 1A7F:CM 1B5A-1B5B:BA 1B5D-1B60:BA 1B7D-1B7E:BA
    1C3B-1C3F:BA 1C7E-1C7F:BA 1FFD:BB 2007:GL 200B:ZW 200D:ZWJ 2011:GL
    2014:B2 2015:AL 2024-2026:IN 2027:BA 202F:GL 2030-2037:PO 203C-203D:NS
    2044:IS 2047-2049:NS 2056:BA 2058-205B:BA 205D-205E:BA 2060:WJ
    2061-2064:AL 20A7:PO 20B6:PO 20BB:PO 20BE:PO 20C0:PO 20C1-20CF:PR
    2103:PO 2109:PO 2116:PR 2212-2213:PR 22EF:IN 23E9-23EC:AL 23F1-23F2:ID1
    25FD-25FE:AL 2600-2603:ID1 2618:ID1 261A-261C:ID1 261D:EB 261E-261F:ID1
    2639-263B:ID1 2648-2653:AL 2668:ID1 2693:AL 26A1:AL 26AA-26AB:AL
    26BF-26C3:ID1 26C6-26C8:ID1 26CD:ID1 26CE:AL 26CF-26D1:ID1 26D3:ID1
    26D8-26D9:ID1 26DC:ID1 26DF-26E1:ID1 26F1:ID1 26F4:ID1 26F7-26F8:ID1
    26F9:EB 26FE-2704:ID1 2705:AL 2708-2709:ID1 270A-270D:EB 2728:AL 274C:AL
    274E:AL 2753-2755:AL 2757:AL 275B-2760:QU 2762-2763:EX 2764:ID1
    2795-2797:AL 27B0:AL 27BF:AL 2B1B-2B1C:AL 2B50:AL 2B55:AL 2CF9:EX
    2CFA-2CFC:BA 2CFE:EX 2CFF:BA 2D70:BA 2E00-2E01:QU 2E06-2E08:QU 2E0B:QU
    2E0E-2E15:BA 2E18:OP1 2E19:BA 2E1A:AL 2E2A-2E2D:BA 2E2E:EX 2E30-2E31:BA
    2E33-2E34:BA 2E3A-2E3B:B2 2E3C-2E3E:BA 2E41:BA 2E43-2E4A:BA 2E4C:BA
    2E4E-2E4F:BA 2E53-2E54:EX 3001-3002:CL 301C:NS 3031-3034:ID1 3035:CM
    303C:NS 303F:ID1 3041:NS 3043:NS 3045:NS 3047:NS 3049:NS 3063:NS 3083:NS
    3085:NS 3087:NS 308E:NS 3095-3096:NS 309B-309C:NS 30A0-30A1:NS 30A3:NS
    30A5:NS 30A7:NS 30A9:NS 30C3:NS 30E3:NS 30E5:NS 30E7:NS 30EE:NS
    30F5-30F6:NS 30FB:NS 31F0-31FF:NS A4FE-A4FF:BA A60D:BA A60E:EX A60F:BA
    A6F3-A6F7:BA A838:PO A874-A875:BB A876-A877:EX A8CE-A8CF:BA A8FC:BB
    A92E-A92F:BA A9C7-A9C9:BA AA5D-AA5F:BA AAF0-AAF1:BA ABEB:BA FDFC:PO
    FE10:IS FE11-FE12:CL FE13-FE14:IS FE15-FE16:EX FE19:IN FE50:CL FE52:CL
    FE54-FE55:NS FE56-FE57:EX FE6A:PO FEFF:WJ FF01:EX FF05:PO FF0C:CL
    FF0E:CL FF1A-FF1B:NS FF1F:EX FF61:CL FF62:OP2 FF64:CL FF65:NS FF66:ID1
    FF67-FF70:NS FF71-FF9D:ID1 FF9E-FF9F:NS FFA0-FFBE:ID1 FFC2-FFC7:ID1
    FFCA-FFCF:ID1 FFD2-FFD7:ID1 FFDA-FFDC:ID1 FFE0:PO FFFC:ID1
    10100-10102:BA 1039F:BA 103D0:BA 10857:BA 1091F:BA 10A50-10A57:BA
    10AF0-10AF5:BA 10AF6:IN 10B39-10B3F:BA 11047-11048:BA 110BD:AL
    110BE-110C1:BA 110CD:AL 11140-11143:BA 11175:BB 111C5-111C6:BA 111C8:BA
    111DB:BB 111DD-111DF:BA 11238-11239:BA 1123B-1123C:BA 112A9:BA
    1144B-1144E:BA 1145A-1145B:BA 115C1:BB 115C2-115C3:BA 115C4-115C5:EX
    115C9-115D7:BA 11641-11642:BA 11660-1166C:BB 1173C-1173E:BA
    11944-11946:BA 119E2:BB 11A3F:BB 11A41-11A44:BA 11A45:BB 11A9A-11A9C:BA
    11A9E-11AA0:BB 11AA1-11AA2:BA 11C41-11C45:BA 11C70:BB 11C71:EX
    11FDD-11FE0:PO 11FFF:BA 12470-12474:BA 13258-1325A:OP1 1325B-1325D:CL
    13282:CL 13286:OP1 13287:CL 13288:OP1 13289:CL 13379:OP1 1337A-1337B:CL
    13430-13436:GL 13437:OP1 13438:CL 145CE:OP1 145CF:CL 16A6E-16A6F:BA
    16AF5:BA 16B37-16B39:BA 16B44:BA 16E97-16E98:BA 16FE2:NS 16FE4:GL
    18B00-18CD5:AL 1AFF0-1AFF3:AL 1AFF5-1AFFB:AL 1AFFD-1AFFE:AL
    1B150-1B152:NS 1B164-1B167:NS 1BC9F:BA 1DA87-1DA8A:BA 1E95E-1E95F:OP1
    1ECAC:PO 1ECB0:PO 1F000-1F003:ID1 1F005-1F02B:ID1 1F030-1F093:ID1
    1F0A0-1F0AE:ID1 1F0B1-1F0BF:ID1 1F0C1-1F0CE:ID1 1F0D1-1F0F5:ID1
    1F10D-1F10F:ID1 1F16D-1F16F:ID1 1F18E:AL 1F191-1F19A:AL 1F1AD:ID1
    1F1E6-1F1FF:RI 1F321-1F32C:ID1 1F336:ID1 1F37D:ID1 1F385:EB
    1F394-1F39B:ID1 1F39E-1F39F:ID1 1F3B5-1F3B6:AL 1F3BC:AL 1F3C2-1F3C4:EB
    1F3C7:EB 1F3CA-1F3CC:EB 1F3CD-1F3CE:ID1 1F3D4-1F3DF:ID1 1F3F1-1F3F3:ID1
    1F3F5-1F3F7:ID1 1F3FB-1F3FF:EM 1F43F:ID1 1F441:ID1 1F442-1F443:EB
    1F446-1F450:EB 1F466-1F478:EB 1F47C:EB 1F481-1F483:EB 1F485-1F487:EB
    1F48F:EB 1F491:EB 1F4A0:AL 1F4A2:AL 1F4A4:AL 1F4AA:EB 1F4AF:AL
    1F4B1-1F4B2:AL 1F4FD-1F4FE:ID1 1F500-1F506:AL 1F517-1F524:AL
    1F532-1F53D:AL 1F54A:ID1 1F54F:ID1 1F568-1F573:ID1 1F574-1F575:EB
    1F576-1F579:ID1 1F57A:EB 1F57B-1F58F:ID1 1F590:EB 1F591-1F594:ID1
    1F595-1F596:EB 1F597-1F5A3:ID1 1F5A5-1F5D3:ID1 1F5DC-1F5F3:ID1 1F5FA:ID1
    1F645-1F647:EB 1F64B-1F64F:EB 1F676-1F678:QU 1F679-1F67B:NS 1F6A3:EB
    1F6B4-1F6B6:EB 1F6C0:EB 1F6C6-1F6CB:ID1 1F6CC:EB 1F6CD-1F6CF:ID1
    1F6D3-1F6D4:ID1 1F6E0-1F6EA:ID1 1F6F0-1F6F3:ID1 1F7D5-1F7D8:ID1
    1F8B0-1F8B1:ID1 1F90C:EB 1F90F:EB 1F918-1F91F:EB 1F926:EB 1F930-1F939:EB
    1F93B:ID1 1F93C-1F93E:EB 1F946:ID1 1F977:EB 1F9B5-1F9B6:EB
    1F9B8-1F9B9:EB 1F9BB:EB 1F9CD-1F9CF:EB 1F9D1-1F9DD:EB 1FA60-1FA6D:ID1
    1FAC3-1FAC5:EB 1FAF0-1FAF6:EB
    """,
    _CLASS_BY_NAME.__getitem__,
)


@functools.lru_cache(maxsize=4096)
def _line_break_class(char: str) -> int:
    """The UAX #14 class libunistring gives ``char``, already resolved."""
    code = ord(char)
    exception = _lookup(_CLASS_EXCEPTIONS, code)
    if exception is not None:
        return exception
    if 0xAC00 <= code <= 0xD7A3:
        # Hangul syllables: LV syllables (no final consonant) come every 28.
        return _H2 if (code - 0xAC00) % 28 == 0 else _H3
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return _JL
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return _JV
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return _JT
    category = unicodedata.category(char)
    if category == "Lo" and (0x0590 <= code <= 0x05FF or 0xFB1D <= code <= 0xFB4F):
        return _HL
    if category in ("Mn", "Mc") and any(low <= code <= high for low, high in _COMPLEX_CONTEXT_RANGES):
        return _AL
    if category == "Cn" and (0x1F000 <= code <= 0x1FAFF or 0x1FC00 <= code <= 0x1FFFD):
        return _ID2  # reserved for pictographs
    if _is_wide(char):
        return _WIDE_CLASS_BY_CATEGORY.get(category, _ID1)
    return _NARROW_CLASS_BY_CATEGORY.get(category, _AL)


# ---------------------------------------------------------------------------
# Format directives gettext keeps on one line.
# ---------------------------------------------------------------------------

# Marks a format-string parser leaves, as gettext's FMTDIR_* bits.
_DIRECTIVE_START, _DIRECTIVE_END, _DIRECTIVE_ERROR = 1, 2, 4


def _protected_offsets(value: str, language: str | None, *, translated: bool) -> frozenset[int]:
    """Offsets in ``value`` before which gettext forbids a break because a directive continues there.

    gettext parses the string as a format string of the entry's first format
    language and forbids breaks inside each well-formed directive. Only the
    C, Objective-C, Python and Python brace syntaxes are parsed here; for
    other languages gettext may keep a few more directives unbroken.
    ``translated`` tells whether the string is a msgstr, where C allows more.
    """
    parser = _DIRECTIVE_PARSERS.get(language or "")
    if parser is None or not value:
        return frozenset()
    # gettext parses and marks bytes, not characters; the python-brace quirk
    # makes that visible. Decoding UTF-8 as Latin-1 gives one character per
    # byte, and a byte above 127 never looks like directive syntax.
    encoded = value.encode("utf-8")
    marks: dict[int, int] = {}
    parser(encoded.decode("latin-1"), marks, translated)
    protected_bytes = _offsets_inside_directives(marks, len(encoded))
    protected: set[int] = set()
    byte_offset = 0
    for index, char in enumerate(value):
        # A break can only come before a character's first byte.
        if byte_offset in protected_bytes:
            protected.add(index)
        byte_offset += len(char.encode("utf-8"))
    return frozenset(protected)


def _offsets_inside_directives(marks: Mapping[int, int], length: int) -> frozenset[int]:
    """Turn parser marks into protected offsets, as write-po.c's wrap() does."""
    protected: set[int] = set()
    position = 0
    while position < length:
        if marks.get(position, 0) & _DIRECTIVE_START:
            end = position
            while end < length and not marks.get(end, 0) & (_DIRECTIVE_END | _DIRECTIVE_ERROR):
                end += 1
            # A directive that ends in an error is not protected.
            if end < length and marks.get(end, 0) & (_DIRECTIVE_END | _DIRECTIVE_ERROR) == _DIRECTIVE_END:
                protected.update(
                    offset for offset in range(position, end + 1) if not marks.get(offset, 0) & _DIRECTIVE_START
                )
            position = end
        position += 1
    return frozenset(protected)


def _mark(marks: dict[int, int], offset: int, flag: int) -> None:
    """Set ``flag`` at ``offset``, as gettext's FDI_SET does."""
    marks[offset] = marks.get(offset, 0) | flag


def _char_at(value: str, offset: int) -> str:
    """The character at ``offset``, or NUL past the end (C strings end with one)."""
    return value[offset] if offset < len(value) else "\0"


def _is_ascii_digit(char: str) -> bool:
    """Whether ``char`` is 0-9 (gettext's parsers know no other digits)."""
    return "0" <= char <= "9"


_PYTHON_CONVERSIONS = frozenset("%csridiuoxXeEfgG")


def _mark_python_directives(value: str, marks: dict[int, int], translated: bool) -> None:
    """Mark ``%`` directives the way gettext 0.21's python-format parser does; stop at the first error."""
    named_count = unnamed_count = 0
    position = 0
    while position < len(value):
        if value[position] != "%":
            position += 1
            continue
        _mark(marks, position, _DIRECTIVE_START)
        position += 1
        named = False
        if _char_at(value, position) == "(":
            position = _skip_python_mapping_key(value, position + 1)
            if position >= len(value):
                _mark(marks, len(value) - 1, _DIRECTIVE_ERROR)
                return
            named = True
            position += 1
        while _char_at(value, position) in "-+ #0":
            position += 1
        for part in ("width", "precision"):
            if part == "precision":
                if _char_at(value, position) != ".":
                    break
                position += 1
            if _char_at(value, position) == "*":
                position += 1
                if named_count > 0:
                    _mark(marks, position - 1, _DIRECTIVE_ERROR)
                    return
                unnamed_count += 1
            else:
                while _is_ascii_digit(_char_at(value, position)):
                    position += 1
        if _char_at(value, position) in ("h", "l", "L"):
            position += 1
        conversion = _char_at(value, position)
        if conversion not in _PYTHON_CONVERSIONS:
            _mark(marks, position - 1 if conversion == "\0" else position, _DIRECTIVE_ERROR)
            return
        if named:
            if unnamed_count > 0:
                _mark(marks, position, _DIRECTIVE_ERROR)
                return
            named_count += 1
        elif conversion != "%":
            if named_count > 0:
                _mark(marks, position, _DIRECTIVE_ERROR)
                return
            unnamed_count += 1
        _mark(marks, position, _DIRECTIVE_END)
        position += 1


def _skip_python_mapping_key(value: str, position: int) -> int:
    """The offset of the ``)`` that closes a ``%(key)`` (nested parentheses allowed), or the end."""
    depth = 0
    while position < len(value):
        char = value[position]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return position
            depth -= 1
        position += 1
    return position


def _mark_python_brace_directives(value: str, marks: dict[int, int], translated: bool) -> None:
    """Mark ``{...}`` directives the way gettext 0.21's python-brace-format parser does.

    That parser records each mark relative to the directive's own ``{``
    instead of the string's start, so its marks land near the start of the
    string; gettext then protects the wrong stretch, and so do we.
    """
    position = 0
    while position < len(value):
        if value[position] == "{":
            position = _parse_brace_directive(value, position, True, marks)
            if position < 0:
                return
        else:
            position += 1


_BRACE_ALIGNMENTS = ("<", ">", "=", "^")
_BRACE_TYPES = frozenset("bcdoxXneEfFgG%")


def _parse_brace_directive(value: str, start: int, top_level: bool, marks: dict[int, int]) -> int:
    """Parse the directive whose ``{`` is at ``start``; return the offset after it, or -1 on error."""

    def fail(position: int) -> int:
        _mark(marks, position - start, _DIRECTIVE_ERROR)
        return -1

    position = start + 1
    if _char_at(value, position) == "{":
        return position + 1  # "{{" is an escaped brace
    name_start = position
    position = _skip_brace_name(value, position, allow_number=True)
    if position == name_start:
        return fail(position)
    while True:
        char = _char_at(value, position)
        if char == ".":
            position += 1
            after = _skip_brace_name(value, position, allow_number=False)
            if after == position:
                return fail(position)
            position = after
        elif char == "[":
            position += 1
            after = _skip_brace_name(value, position, allow_number=True)
            if after == position:
                return fail(position)
            position = after + 1
            if _char_at(value, after) != "]":
                return fail(position)
        else:
            break
    if char == ":":
        if not top_level:
            return fail(position)
        position += 1
        if _char_at(value, position) == "{":
            position = _parse_brace_directive(value, position, False, marks)
            if position < 0:
                return -1
        else:
            position = _skip_standard_format_spec(value, position)
        if _char_at(value, position) != "}":
            return fail(position)
        char = "}"
    if char != "}":
        return fail(position)
    if top_level:
        _mark(marks, name_start - 1 - start, _DIRECTIVE_START)
        _mark(marks, position - start, _DIRECTIVE_END)
    return position + 1


def _skip_brace_name(value: str, position: int, *, allow_number: bool) -> int:
    """Skip an identifier (or, if allowed, a number) of a brace directive's field."""
    char = _char_at(value, position)
    if char.isascii() and (char.isalpha() or char == "_"):
        while True:
            position += 1
            char = _char_at(value, position)
            if not (char.isascii() and (char.isalnum() or char == "_")):
                return position
    if allow_number and _is_ascii_digit(char):
        while _is_ascii_digit(_char_at(value, position)):
            position += 1
    return position


def _skip_standard_format_spec(value: str, position: int) -> int:
    """Skip ``[[fill]align][sign][#][0][width][.precision][type]``."""
    if _char_at(value, position + 1) in _BRACE_ALIGNMENTS:
        position += 2
    elif _char_at(value, position) in _BRACE_ALIGNMENTS:
        position += 1
    for optional in (("+", "-", " "), ("#",), ("0",)):
        if _char_at(value, position) in optional:
            position += 1
    while _is_ascii_digit(_char_at(value, position)):
        position += 1
    if _char_at(value, position) == ".":
        position += 1
        while _is_ascii_digit(_char_at(value, position)):
            position += 1
    if _char_at(value, position) in _BRACE_TYPES:
        position += 1
    return position


# Letters of C size modifiers (hh, h, l, ll, L, q, j, z, Z, t).
_C_SIZE_LETTERS = frozenset("hlLqjzZt")
# gettext 0.21 accepts any size with any conversion.
_C_CONVERSIONS = frozenset("%mcCsSiduoxXeEfFgGaApn")
# Widths of the integer types named by <inttypes.h> macros such as PRId64.
_C_MACRO_SIZES = ("MAX", "PTR", "LEAST8", "LEAST16", "LEAST32", "LEAST64",
                  "FAST8", "FAST16", "FAST32", "FAST64", "8", "16", "32", "64")


class _DirectiveError(Exception):
    """A format string is malformed at ``offset``; gettext stops parsing there."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def _mark_c_directives(value: str, marks: dict[int, int], translated: bool, *, objective_c: bool = False) -> None:
    """Mark ``%`` directives the way gettext 0.21's c-format parser does; stop at the first error."""
    argument_styles: set[str] = set()  # "numbered" and/or "unnumbered"
    position = 0
    try:
        while position < len(value):
            if value[position] != "%":
                position += 1
                continue
            _mark(marks, position, _DIRECTIVE_START)
            position = _parse_c_directive(value, position + 1, translated, objective_c, argument_styles)
            _mark(marks, position, _DIRECTIVE_END)
            position += 1
    except _DirectiveError as error:
        _mark(marks, error.offset, _DIRECTIVE_ERROR)


def _parse_c_directive(
    value: str, position: int, translated: bool, objective_c: bool, argument_styles: set[str]
) -> int:
    """Parse a C directive after its ``%``; return the offset of its last character."""

    def use_argument(style: str, error_offset: int) -> None:
        # One string must not mix %1$d-style and %d-style arguments.
        if argument_styles - {style}:
            raise _DirectiveError(error_offset)
        argument_styles.add(style)

    position, numbered = _skip_c_argument_number(value, position)
    while _char_at(value, position) in " +-#0'" or (translated and _char_at(value, position) == "I"):
        position += 1
    for part in ("width", "precision"):
        if part == "precision":
            if _char_at(value, position) != ".":
                break
            position += 1
        if _char_at(value, position) == "*":
            position, star_numbered = _skip_c_argument_number(value, position + 1)
            use_argument("numbered" if star_numbered else "unnumbered", position - 1)
        else:
            while _is_ascii_digit(_char_at(value, position)):
                position += 1
    if _char_at(value, position) == "<":
        position = _skip_c_inttypes_macro(value, position + 1)
        takes_argument = True
    else:
        # gettext 0.21 reads any run of size letters ("%lh", "%tz", ...).
        while _char_at(value, position) in _C_SIZE_LETTERS:
            position += 1
        conversion = _char_at(value, position)
        if conversion == "@" and objective_c:
            use_argument("numbered" if numbered else "unnumbered", position)
            return position
        if conversion not in _C_CONVERSIONS:
            raise _DirectiveError(position - 1 if conversion == "\0" else position)
        takes_argument = conversion not in "%m"
    if takes_argument:
        use_argument("numbered" if numbered else "unnumbered", position)
    return position


def _skip_c_argument_number(value: str, position: int) -> tuple[int, bool]:
    """Skip an ``N$`` argument number if one is there; N must not be 0."""
    end = position
    while _is_ascii_digit(_char_at(value, end)):
        end += 1
    if end > position and _char_at(value, end) == "$":
        if int(value[position:end]) == 0:
            raise _DirectiveError(end)
        return end + 1, True
    return position, False


def _skip_c_inttypes_macro(value: str, position: int) -> int:
    """Skip ``PRIdN>`` and the like after a ``<``; return the offset of the ``>``."""

    def fail_at(offset: int) -> _DirectiveError:
        return _DirectiveError(offset - 1 if _char_at(value, offset) == "\0" else offset)

    for expected in "PRI":
        if _char_at(value, position) != expected:
            raise fail_at(position)
        position += 1
    if _char_at(value, position) not in "diouxX":
        raise fail_at(position)
    position += 1
    size = next((size for size in _C_MACRO_SIZES if value.startswith(size, position)), None)
    if size is None:
        raise fail_at(position)
    position += len(size)
    if _char_at(value, position) != ">":
        raise fail_at(position)
    return position


_DIRECTIVE_PARSERS = {
    "c": _mark_c_directives,
    "objc": functools.partial(_mark_c_directives, objective_c=True),
    "python": _mark_python_directives,
    "python-brace": _mark_python_brace_directives,
}
