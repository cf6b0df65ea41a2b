"""Lines of a source text with their offsets, split the way CommonMark splits them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

# CommonMark ends lines at LF, CR LF or a lone CR, and nowhere else: str.splitlines()
# would also split at form feeds, U+2028 and others that are ordinary characters here.
LINE_ENDING = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Line:
    """One line: ``start`` and ``end`` offsets of its content, then its ending (``""`` for the last)."""

    start: int
    end: int
    ending: str


def split_lines(text: str, start: int = 0) -> list[Line]:
    """The lines of ``text[start:]`` with offsets into ``text``; a final line ending starts an empty last line."""
    lines = []
    position = start
    for match in LINE_ENDING.finditer(text, start):
        lines.append(Line(position, match.start(), match.group()))
        position = match.end()
    lines.append(Line(position, len(text), ""))
    return lines


def line_starts(text: str) -> list[int]:
    """Where each line of ``text`` starts (as ``split_lines`` has them): ``bisect_right(starts,
    offset)`` is the 1-based number of the line that holds ``offset``, as ``line_number`` says,
    without a ``Line`` a line (a page's body looked up hundreds of regions in thousands of lines)."""
    if "\r" in text:
        return [0, *(match.end() for match in LINE_ENDING.finditer(text))]
    # Lines ended by LF alone (most texts): each starts one past the end of the one before.
    starts = list(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))
    starts.pop()  # (one past the end of the text)
    return starts


def line_number(lines: list[Line], offset: int) -> int:
    """1-based number of the line in ``lines`` that holds ``offset``."""
    low, high = 0, len(lines) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if lines[middle].start <= offset:
            low = middle
        else:
            high = middle - 1
    return low + 1
