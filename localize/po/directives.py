"""Format directives (``%s``, ``%(name)d``, ``{0}``) as gettext's format-string parsers see them.

gettext never breaks a line inside a well-formed directive of an entry's format
language; ``protected_offsets`` says where, for the C, Objective-C, Python and
Python brace syntaxes.
"""

from __future__ import annotations

import functools
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
