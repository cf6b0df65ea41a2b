"""Where gettext breaks a line: Unicode line breaking (UAX #14) as libunistring 1.0 applies it,
measured in terminal columns (East Asian wide characters count 2), as ``msgcat`` measures them."""

from __future__ import annotations

import bisect
import re
import functools
import unicodedata
from collections.abc import Sequence
from typing import Any

# ---------------------------------------------------------------------------
# Where to break (libunistring's u8_width_linebreaks).
# ---------------------------------------------------------------------------

# A break before a character is forbidden, possible, or forced.
NO_BREAK, MAY_BREAK, MUST_BREAK = 0, 1, 2


def line_breaks(text: str, opportunities: Sequence[int], width: int, start_column: int) -> list[int]:
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
        if opportunity != NO_BREAK and last_opportunity is not None and line_column + run_width > width:
            breaks.append(last_opportunity)
            line_column = 0
        if opportunity == MUST_BREAK:
            last_opportunity, line_column, run_width = None, 0, 0
            continue
        if opportunity == MAY_BREAK:
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


def break_opportunities(text: str) -> list[int]:
    """For each character of ``text``: may, must or must not a line break come before it?"""
    result = [NO_BREAK] * len(text)
    previous_class = _BK  # the character just before, including spaces and marks
    base_class = _BK  # the last character that was neither a space nor a combining mark
    after_spaces = False  # spaces came after base_class
    regional_indicators = 0  # how many regional indicators came in a row just before
    for index, char in enumerate(text):
        current = _line_break_class(char)
        if current in _BREAK_CLASSES:
            result[index] = MUST_BREAK
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
                result[index] = MAY_BREAK
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
        return NO_BREAK  # nothing to break from at the start of the text
    if base_class == _ZW:
        return MAY_BREAK
    if previous_class == _ZWJ:
        return NO_BREAK
    if base_class == _RI and current == _RI:
        # Flags are pairs of regional indicators: break between pairs only.
        return MAY_BREAK if after_spaces or regional_indicators % 2 == 0 else NO_BREAK
    if previous_class == _HL_BA:
        return NO_BREAK
    decision = _PAIR_TABLE[base_class][current]
    if decision == "D" or (decision == "I" and after_spaces):
        return MAY_BREAK
    return NO_BREAK


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

def columns(text: str) -> int:
    """Columns ``text`` takes on a line."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(_advance, text))


# ---------------------------------------------------------------------------
# A fast path: text that breaks only around spaces and a few ASCII marks.
# ---------------------------------------------------------------------------
#
# Most strings of a newsroom's catalogs are printable ASCII, or letters of the
# Latin, Greek and Cyrillic alphabets: characters one column wide, with none of
# the classes whose rules look further than the pair of characters around a
# break (marks, joiners, regional indicators, Hebrew letters, mandatory breaks).
# For such text UAX #14 comes down to the pair table: a break may come before a
# character when the table says "D" for it and the character before, or after
# spaces when it says anything but "P". Regular expressions find those places
# without a Python step per character; the table and the classes are the ones
# ``break_opportunities`` uses, so both paths agree by construction (and
# tests/test_poformat.py compares them).


def _simple_characters() -> dict[str, int]:
    """Every character the fast path handles, with its class."""
    found = {}
    for code in [*range(0x20, 0x7F), *range(0xA0, 0x530)]:
        char = chr(code)
        line_class = _line_break_class(char)
        ascii_ok = code < 0x7F and line_class not in (_CM, _ZWJ, _RI, _HL, _ZW, *_BREAK_CLASSES)
        if ascii_ok or (unicodedata.category(char)[0] == "L" and line_class == _AL and _column_width(char) == 1):
            found[char] = line_class
    return found


_SIMPLE_CLASS = _simple_characters()


def _character_set(chars) -> str:
    return "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"


_SIMPLE_TEXT = re.compile(_character_set(_SIMPLE_CLASS) + "*")
_BY_CLASS: dict[int, list[str]] = {}
for _char, _class in _SIMPLE_CLASS.items():
    _BY_CLASS.setdefault(_class, []).append(_char)
# Breaks between two characters with no space between them: LEFT(?=RIGHT) for every left
# class and the right characters the table says "D" for; the break comes at the match's end.
# (Consuming the left character, not looking behind for it, lets the regular expression engine
# skip at once to the characters that can start a match.)
_DIRECT_BREAK = re.compile("|".join(
    f"{_character_set(left_chars)}(?={_character_set(right)})"
    for left_class, left_chars in sorted(_BY_CLASS.items()) if left_class != _SP
    for right in [[char for right_class, chars in _BY_CLASS.items() if right_class != _SP
                   and _PAIR_TABLE[left_class][right_class] == "D" for char in chars]]
    if right
))
# Two characters between which some left class and right class break directly (a quick test
# that most prose fails, so that _DIRECT_BREAK need not look at every character).
_DIRECT_PAIRS = [(left, right) for left in _BY_CLASS for right in _BY_CLASS
                 if _SP not in (left, right) and _PAIR_TABLE[left][right] == "D"]
_MAY_BREAK_DIRECTLY = re.compile(
    _character_set({char for left, _ in _DIRECT_PAIRS for char in _BY_CLASS[left]})
    + "(?=" + _character_set({char for _, right in _DIRECT_PAIRS for char in _BY_CLASS[right]}) + ")"
)
# A run of spaces between two other characters: the break, if any, comes after it.
_AFTER_SPACES = re.compile(r"([^ ]) +(?=[^ ])")
_SPACE_RUN = re.compile(r"(?<=[^ ]) +(?=[^ ])")
# Where the table may forbid the break after a run of spaces: after a character whose class
# forbids it before a letter ("( x"), or before a character some other class forbids it before
# (" )", " ."). Prose seldom has either, and then every run of spaces is a break.
_HEAVY_CLASSES = [left for left in _BY_CLASS if left != _SP and _PAIR_TABLE[left][_AL] == "P"]
_FORBIDDING_SPACES = re.compile("|".join([
    *(f"{_character_set(_BY_CLASS[left])} " for left in _HEAVY_CLASSES),
    " " + _character_set([
        char for right, chars in _BY_CLASS.items() if right != _SP
        if any(_PAIR_TABLE[left][right] == "P" for left in _BY_CLASS if left != _SP and left not in _HEAVY_CLASSES)
        for char in chars
    ]),
]))


def is_simple(text: str) -> bool:
    """Whether the fast path handles ``text``: then every character takes one column."""
    return _SIMPLE_TEXT.fullmatch(text) is not None


def simple_break_positions(text: str) -> list[int] | None:
    """The offsets before which a line may break, as ``break_opportunities`` finds them;
    ``None`` when ``text`` has a character the fast path does not handle."""
    if _SIMPLE_TEXT.fullmatch(text) is None:
        return None
    positions = ([match.end() for match in _DIRECT_BREAK.finditer(text)]
                 if _MAY_BREAK_DIRECTLY.search(text) is not None else [])
    if _FORBIDDING_SPACES.search(text) is None:
        positions += [match.end() for match in _SPACE_RUN.finditer(text)]
    else:
        classes = _SIMPLE_CLASS
        positions += [
            match.end() for match in _AFTER_SPACES.finditer(text)
            if _PAIR_TABLE[classes[match.group(1)]][classes[text[match.end()]]] != "P"
        ]
    positions.sort()
    return positions


def simple_line_breaks(positions: Sequence[int], length: int, width: int, start_column: int) -> list[int]:
    """``line_breaks`` for text of ``length`` one-column characters that may break before ``positions``."""
    breaks: list[int] = []
    last: int | None = None
    line_column = start_column
    previous = 0
    for position in positions:
        run = position - previous
        if last is not None and line_column + run > width:
            breaks.append(last)
            line_column = 0
        last = position
        line_column += run
        previous = position
    if last is not None and line_column + length - previous > width:
        breaks.append(last)
    return breaks
