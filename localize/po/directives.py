"""Format directives (``%s``, ``%(name)d``, ``{0}``) as gettext's format-string parsers see them.

gettext never breaks a line inside a well-formed directive of an entry's format
language; ``protected_offsets`` says where, for the C, Objective-C, Python and
Python brace syntaxes. ``python_format``, ``brace_format`` and ``c_format`` read the
arguments a string's directives take, for ``localize.checks`` to compare the msgid's with
the msgstr's as ``msgfmt --check`` does.
"""

from __future__ import annotations

import functools
import re
import string
from collections import Counter
from dataclasses import dataclass
from collections.abc import Mapping

# ---------------------------------------------------------------------------
# Format directives gettext keeps on one line.
# ---------------------------------------------------------------------------

# Marks a format-string parser leaves, as gettext's FMTDIR_* bits.
_DIRECTIVE_START, _DIRECTIVE_END, _DIRECTIVE_ERROR = 1, 2, 4


def protected_offsets(value: str, language: str | None, *, translated: bool) -> frozenset[int]:
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


# -- the arguments a format string takes (what msgfmt --check compares) ------------------------

# python-format: %(name)s, %s, %5.2f; %% is a percent sign.
_PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])"
)
# The conversions msgfmt takes for one another: %d and %x both take an integer, %s and %r anything.
_PYTHON_KINDS = {**dict.fromkeys("diouxX", "integer"), **dict.fromkeys("eEfFgG", "float"), "c": "character",
                 **dict.fromkeys("sra", "any")}


def brace_placeholders(text: str) -> Counter | None:
    """Field names of ``str.format`` placeholders (``{name}``, ``{0}``, ``{}``); None if malformed."""
    fields: Counter = Counter()
    try:
        for _, name, _, _ in string.Formatter().parse(text):
            if name is not None:
                fields["{" + re.split(r"[.\[!:]", name, maxsplit=1)[0] + "}"] += 1
    except ValueError:
        return None
    return fields


# c-format: %s, %5.2f, %lu, and positional %2$s.
_C_FORMAT = re.compile(
    r"%(?:(?P<position>\d+)\$)?[-+ #0']*(?:\*(?:\d+\$)?|\d+)?(?:\.(?:\*(?:\d+\$)?|\d+))?"
    r"(?P<size>hh|h|ll|l|L|q|j|z|Z|t)?(?P<type>[diouxXeEfFgGaAcspnm%])"
)
# What msgfmt tells apart: %d and %i are one, %u %o %x are unsigned, every floating conversion one.
_C_KINDS = {**dict.fromkeys("di", "d"), **dict.fromkeys("uoxX", "u"), **dict.fromkeys("eEfFgGaA", "f")}


@dataclass(frozen=True)
class Arguments:
    """The placeholders of a format string: by argument (a name, or a number counted from 1),
    the kind msgfmt compares and the directive as the text writes it."""

    kinds: dict[str | int, str]
    written: dict[str | int, str]
    in_order: bool  # unnumbered directives, which take their arguments in order
    malformed: str | None = None  # why msgfmt rejects the string as a format string


def _c_arguments(text: str) -> dict[int, tuple[str, str]]:
    found: dict[int, tuple[str, str]] = {}
    index = 0
    for match in _C_FORMAT.finditer(text):
        kind = match.group("type")
        if kind in "%m":
            continue
        index += 1
        number = int(match.group("position")) if match.group("position") else index
        found.setdefault(number, ((match.group("size") or "") + _C_KINDS.get(kind, kind), match.group(0)))
    return found


def c_format(text: str) -> Arguments:
    arguments = _c_arguments(text)
    # printf must know every argument's type up to the last one it takes.
    skipped = [number for number in range(1, max(arguments, default=0)) if number not in arguments]
    return Arguments(
        {key: kind for key, (kind, _) in arguments.items()}, {key: written for key, (_, written) in arguments.items()},
        in_order=not re.search(r"%\d+\$", text),
        malformed=f"it takes argument {max(arguments)} but none for argument {skipped[0]}" if skipped else None,
    )


def python_format(text: str) -> Arguments:
    kinds: dict[str | int, str] = {}
    written: dict[str | int, str] = {}
    index = 0
    for match in _PYTHON_FORMAT.finditer(text):
        if match.group("type") == "%":
            continue
        if match.group("name") is not None:
            key: str | int = match.group("name")
        else:
            index += 1
            key = index
        kinds.setdefault(key, _PYTHON_KINDS[match.group("type")])
        written.setdefault(key, match.group(0))
    return Arguments(kinds, written, in_order=True)


def brace_format(text: str) -> Arguments:
    fields = brace_placeholders(text)
    if fields is None:
        return Arguments({}, {}, in_order=False, malformed="an unmatched { or }")
    return Arguments(dict.fromkeys(fields, ""), {field: field for field in fields}, in_order=False)
