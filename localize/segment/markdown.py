"""Segments of a CommonMark body (with GFM tables, strikethrough and footnotes).

markdown-it-py finds the blocks and their source lines; we then locate each
block's inline text on those lines ourselves, so that a segment is a region of
the original text and merging can replace it without touching anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from localize.model import MarkdownPlacement, Segment
from localize.segment.html import BlockLine, html_block_segments
from localize.segment.lines import LINE_ENDING, Line, split_lines

try:
    # What markdown-it-py trims from a block's content and a table cell: CommonMark's
    # whitespace, which includes no-break spaces but not U+001C..U+001F, ...
    from markdown_it.common.utils import MD_TRIM_CHARS as TRIM_CHARACTERS
except ImportError:  # pragma: no cover - markdown-it-py before 4.1
    # ... or, in the releases that have no such set, str.strip()'s whitespace.
    TRIM_CHARACTERS = None
TRIMMED = f"[{re.escape(TRIM_CHARACTERS)}]" if TRIM_CHARACTERS else r"\s"
# The opening of an ATX heading, up to where its content starts: a space or a tab
# must follow the #s, and then the heading's content is trimmed.
ATX_OPENING = re.compile(rf"#{{1,6}}[ \t]{TRIMMED}*$")
# What may stand on a line before a table row: block-quote markers, list markers and
# footnote labels, each after some indentation.
CONTAINER_MARKER = re.compile(r"[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)|\[\^[^\]\s]+\]:)")
# The start of a line that may open a block interrupting a paragraph.
BLOCK_START = re.compile(
    r"#{1,6}(?:[ \t]|$)"  # an ATX heading
    r"|`{3,}|~{3,}"  # a fence
    r"|>"  # a block quote
    r"|(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)"  # a list item
    r"|[-*_=][-*_= \t]*$"  # a thematic break or a setext underline
    r"|[-|:][-|: \t]*$"  # a table's delimiter row
    r"|<[A-Za-z/!?]"  # an HTML block
    r"|\[\^[^\]]*\]:"  # a footnote definition
)
FOOTNOTE_LABEL = re.compile(r"\[\^[^\]]*\]:")
# The label of a full or collapsed reference right after a link's or image's text: ``[bar]``, ``[]``.
REFERENCE_LABEL = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]")
# markdown-it takes any pipe right after a backslash as escaped (it does not count pairs).
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@cache
def parser() -> MarkdownIt:
    """The one CommonMark parser, as extract, merge and render all read articles."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)


def parse(text: str, env: dict | None = None) -> list[Token]:
    """The tokens of ``text``; ``env`` receives its link references and footnotes."""
    return parser().parse(text, env)


def markdown_segments(text: str, *, start: int = 0) -> Iterator[Segment]:
    """The segments of the Markdown in ``text[start:]``, with offsets into ``text``."""
    lines = split_lines(text, start)
    first_line_number = len(LINE_ENDING.findall(text, 0, start)) + 1
    # markdown-it normalizes line endings and NUL; both keep every line's length.
    body = LINE_ENDING.sub("\n", text[start:]).replace("\0", "\ufffd")
    normalized = [text[line.start:line.end].replace("\0", "\ufffd") for line in lines]
    env: dict = {}
    tokens = parse(body, env)
    locator = _Locator(text, lines, normalized, first_line_number, env)
    # markdown-it moves footnotes to the end of the token stream, wherever they were
    # defined; merge replaces regions in the order of the source.
    yield from sorted(locator.segments(tokens), key=lambda segment: segment.start)


class _Region(NamedTuple):
    """A stretch of one line: the line's index and ``text[start:end]``."""

    line: int
    start: int
    end: int


class _Locator:
    """Walks the token stream and turns each inline token into a located Segment."""

    def __init__(
        self, text: str, lines: list[Line], normalized: list[str], first_line_number: int, env: dict
    ) -> None:
        self.text = text
        self.lines = lines
        self.normalized = normalized
        self.first_line_number = first_line_number
        self.env = env  # the document's link references and footnotes, to parse a msgid as its block

    def segments(self, tokens: list[Token]) -> Iterator[Segment]:
        containers: list[Token] = []
        for index, token in enumerate(tokens):
            if token.nesting == 1 and token.type in ("blockquote_open", "list_item_open", "footnote_open"):
                containers.append(token)
            elif token.nesting == -1 and token.type in ("blockquote_close", "list_item_close", "footnote_close"):
                # A footnote defined inside its own definition leaves closes without opens.
                if containers:
                    containers.pop()
            elif token.type == "tr_open" and token.map is not None:
                cells = []
                position = index + 1
                while tokens[position].type != "tr_close":
                    if tokens[position].type == "inline":
                        cells.append((tokens[position - 1], tokens[position]))
                    position += 1
                yield from self._table_row(token, cells)
            elif token.type == "inline" and token.map is not None and index > 0:
                opener = tokens[index - 1]
                yield from self._segments_of(token, opener, containers)
            elif token.type == "html_block" and token.map is not None:
                yield from self._html_block(token)

    def _segments_of(self, inline: Token, opener: Token, containers: list[Token]) -> Iterator[Segment]:
        if opener.type == "heading_open":
            kind = f"type: heading {opener.tag[1:]}"
            if opener.markup.startswith("#"):
                segment = self._atx_heading(inline, kind)
                if segment is not None:
                    yield segment
                return
            found = self._lines_segment(inline, kind, underline=opener.markup)
        elif opener.type == "paragraph_open":
            found = self._paragraph(inline, containers)
        else:
            return
        if found is not None:
            yield found

    # -- HTML blocks ------------------------------------------------------------------

    def _html_block(self, token: Token) -> Iterator[Segment]:
        """The segments of a raw HTML block (``localize.segment.html``), located line by line.

        Each line of the block's content is a suffix of its source line, after
        the containers' markers; markdown-it may turn a tab of the indentation
        into spaces, which HTML does not see.
        """
        content_lines = token.content.split("\n")
        if content_lines and content_lines[-1] == "":
            content_lines.pop()
        block_lines = []
        for number, content in enumerate(content_lines):
            line_index = token.map[0] + number
            if line_index >= len(self.lines):
                return
            core = content.lstrip(" \t")
            if not self.normalized[line_index].endswith(core):
                return  # not where we expect it: leave the block as it is rather than guess
            line = self.lines[line_index]
            start = line.end - len(core)
            block_lines.append(BlockLine(start, self.text[start:line.end], self.first_line_number + line_index))
        yield from html_block_segments(block_lines)

    # -- paragraphs and setext headings ------------------------------------------------

    def _paragraph(self, inline: Token, containers: list[Token]) -> Segment | None:
        kind = "type: paragraph"
        if containers:
            kind = {
                "blockquote_open": "type: block quote",
                "list_item_open": "type: list item",
                "footnote_open": "type: footnote",
            }[containers[-1].type]
        image = _sole_image(inline)
        if image is not None:
            return self._image_alt(inline, image)
        return self._lines_segment(inline, kind)

    def _lines_segment(self, inline: Token, kind: str, *, underline: str = "") -> Segment | None:
        """A block whose inline content is a suffix of each of its lines (paragraphs, setext headings).

        ``underline`` is a setext heading's: under a line with a pipe, ``---`` is a
        table's delimiter row, so a heading's lines joined there would make a table.
        """
        if not _has_text(inline):
            return None
        regions = self._line_regions(inline)
        if regions is None:
            return None
        if regions[0].line != inline.map[0]:
            # The content's first line continues a paragraph: joined with the next ones,
            # '1.' followed by text would become a list item that interrupts it.
            return self._segment_over(regions, kind, keep_breaks=True)
        segment = self._segment_over(regions, kind)
        if len(regions) > 1 and (
            (underline == "-" and "|" in segment.text) or not self._same_markup(inline, segment.text)
        ):
            segment = self._segment_over(regions, kind, keep_breaks=True)
        return segment

    def _line_regions(self, inline: Token) -> list[_Region] | None:
        """Where each line of the block's content stands in the text, or None if not found.

        markdown-it trims the content as a whole: lines of no-break spaces at its
        start are gone from it, so its first line may be a later line of the block.
        """
        content_lines = inline.content.split("\n")
        first, end = inline.map
        for line_index in range(first, max(first + 1, end - len(content_lines) + 1)):
            regions = self._suffix_regions(line_index, content_lines)
            if regions is not None:
                return regions
            if not _only_whitespace(self.normalized[line_index]):
                break
        return None  # not where we expect it: leave the block untranslated rather than guess

    def _suffix_regions(self, first: int, content_lines: list[str]) -> list[_Region] | None:
        """The regions of ``content_lines`` as suffixes of the lines from ``first`` on."""
        regions = []
        for number, content in enumerate(content_lines):
            line_index = first + number
            if line_index >= len(self.lines):
                return None
            source = self.normalized[line_index]
            core = content.lstrip(" \t")
            if number == len(content_lines) - 1:
                # markdown-it trims the whole content, not each line.
                end = len(source.rstrip(TRIM_CHARACTERS))
                core = core.rstrip(TRIM_CHARACTERS)
            else:
                end = len(source)
            begin = end - len(core)
            if begin < 0 or source[begin:end] != core:
                return None
            start = self.lines[line_index].start
            regions.append(_Region(line_index, start + begin, start + end))
        return regions

    def _segment_over(self, regions: list[_Region], kind: str, *, keep_breaks: bool = False) -> Segment:
        """The segment whose text is the regions' text, lines joined the way a msgid joins them.

        A msgid keeps a line break where it is a hard one; soft ones become spaces,
        unless ``keep_breaks``.
        """
        pieces = []
        for number, region in enumerate(regions):
            piece = self.text[region.start:region.end]
            if number == len(regions) - 1:
                pieces.append(piece)
            elif _ends_with_hard_break(piece):
                pieces.append(piece + "\n")
            else:
                pieces.append(piece.rstrip(" \t") + ("\n" if keep_breaks else " "))
        first = regions[0]
        continuation = _continuation_from_first_line(self._prefix(first))
        if len(regions) > 1 and ("\t" in continuation or not _lazy(self._prefix(regions[1]), continuation)):
            # The second line's own prefix is one markdown-it took for a line of the block.
            # Where the first line's has tabs, markdown-it counts their columns its own way
            # in nested containers: better the second line's, even lazy, than a guess.
            continuation = self._prefix(regions[1])
        return Segment(
            text="".join(pieces),
            kind=kind,
            line=self.first_line_number + first.line,
            start=first.start,
            end=regions[-1].end,
            placement=MarkdownPlacement(
                continuation_prefix=continuation, line_ending=self.lines[first.line].ending or "\n"
            ),
        )

    def _prefix(self, region: _Region) -> str:
        """What stands on the region's line before it: container markers and indentation."""
        return self.normalized[region.line][:region.start - self.lines[region.line].start]

    def _same_markup(self, inline: Token, joined: str) -> bool:
        """Whether the block's lines joined by spaces hold the markup the block holds.

        A line ending and a space mean the same almost everywhere, but a link
        destination in pointy brackets may hold spaces and no line ending:
        ``[a](<b`` then ``c>)`` is no link, ``[a](<b c>)`` is one. Where joining
        makes such a difference the msgid keeps its line breaks.
        """
        if "<" not in joined:
            return True  # no such destination: spare every wrapped paragraph a second parse
        again: list[Token] = []
        # Only the inline rules, with the link references (footnote references hold no
        # whitespace, and parsing them would count them again in the document's footnotes).
        parser().inline.parse(joined, parser(), {"references": self.env.get("references", {})}, again)
        return _markup(again) == _markup(inline.children or [])

    # -- ATX headings ----------------------------------------------------------------

    def _atx_heading(self, inline: Token, kind: str) -> Segment | None:
        if not _has_text(inline):
            return None
        line_index = inline.map[0]
        source = self.normalized[line_index]
        # The content starts right after the opening run of #s and its spaces.
        begin = source.find(inline.content)
        while begin >= 0 and not ATX_OPENING.search(source, 0, begin):
            begin = source.find(inline.content, begin + 1)
        if begin < 0:
            return None
        return self._single_line_segment(line_index, begin, begin + len(inline.content), kind)

    def _single_line_segment(
        self, line_index: int, begin: int, end: int, kind: str, *, table_cell: bool = False
    ) -> Segment:
        line = self.lines[line_index]
        return Segment(
            text=self.text[line.start + begin:line.start + end],
            kind=kind,
            line=self.first_line_number + line_index,
            start=line.start + begin,
            end=line.start + end,
            placement=MarkdownPlacement(
                continuation_prefix=None, line_ending=line.ending or "\n", table_cell=table_cell
            ),
        )

    # -- images that stand alone -------------------------------------------------------

    def _image_alt(self, inline: Token, image: Token) -> Segment | None:
        """A paragraph that is only an image (a news photo): its alt text is the segment.

        The alt text may run over several lines, like any other inline text.
        """
        if not any(character.isalpha() for character in image.content):
            return None
        regions = self._line_regions(inline)
        if regions is None:
            return None
        # Before the image there can only be the brackets of a link around it.
        label = inline.content.index("![") + 2
        start = _source_offset(inline.content, regions, label)
        end = _source_offset(inline.content, regions, label + len(image.content))
        alt = [
            _Region(region.line, max(region.start, start), min(region.end, end))
            for region in regions
            if region.start <= end and region.end >= start
        ]
        while alt and alt[0].start == alt[0].end:
            alt.pop(0)
        while alt and alt[-1].start == alt[-1].end:
            alt.pop()
        if not alt:
            return None
        segment = self._segment_over(alt, "type: image alt text")
        reference = self._reference(inline.content, label + len(image.content) + 1, image.content)
        if reference is None:
            return segment
        # The region runs to the end of the reference, which a translation writes out in full.
        reference_label, reference_end = reference
        return replace(
            segment,
            end=_source_offset(inline.content, regions, reference_end),
            placement=replace(segment.placement, reference_label=reference_label),
        )

    def _reference(self, content: str, after: int, alt: str) -> tuple[str, int] | None:
        """The label of an image that is a reference, and where the reference ends in ``content``;
        ``None`` for an inline image (``after`` is where its alt text's ``]`` ends).

        In ``![foo][]`` and ``![foo]`` the alt text is the label too: a translated alt
        text would name no definition, and the page would show the text, not the image.
        """
        if content.startswith("(", after):
            return None
        explicit = REFERENCE_LABEL.match(content, after)
        if explicit is not None and explicit.group(1):
            label, end = explicit.group(1), explicit.end()  # ![foo][bar]
        elif explicit is not None:
            label, end = alt, explicit.end()  # ![foo][]
        else:
            label, end = alt, after  # ![foo]
        if normalizeReference(label) not in self.env.get("references", {}):
            return None  # not read as we read it: leave the image as it is
        return label, end

    # -- tables -----------------------------------------------------------------------

    def _table_row(self, row: Token, cells: list[tuple[Token, Token]]) -> Iterator[Segment]:
        """The cells of one table row, located by splitting the row the way markdown-it does.

        The row starts after whatever containers hold it, which the token stream does
        not say for a line that opens several (``- > | a |``): of the places where it
        may start, the latest where every cell is found is where markdown-it saw it.
        """
        line_index = row.map[0]
        source = self.normalized[line_index]
        for offset in _row_starts(source):
            located = list(zip(cells, _table_cells(source, offset)))
            if all(_holds(source, begin, end, inline) for (_, inline), (begin, end) in located):
                break
        else:
            return  # we split differently from markdown-it: leave the row as it is
        for (opener, inline), (begin, end) in located:
            if not inline.content or not _has_text(inline):
                continue
            kind = "type: table header cell" if opener.type == "th_open" else "type: table cell"
            yield self._single_line_segment(line_index, begin, end, kind, table_cell=True)


def _row_starts(source: str) -> list[int]:
    """Where a table row may start on its line, latest first: after each container marker."""
    starts = []
    position = 0
    while True:
        starts.append(len(source) - len(source[position:].lstrip(" \t")))
        marker = CONTAINER_MARKER.match(source, position)
        if marker is None:
            return starts[::-1]
        position = marker.end()


def _only_whitespace(source: str) -> bool:
    """Whether a line holds nothing but container markers and what trimming removes."""
    position = 0
    while (marker := CONTAINER_MARKER.match(source, position)) is not None:
        position = marker.end()
    return not source[position:].strip(TRIM_CHARACTERS)


def _holds(source: str, begin: int, end: int, cell: Token) -> bool:
    """Whether ``source[begin:end]`` is the cell's text (markdown-it drops the backslash of ``\\|``)."""
    return not cell.content or source[begin:end].replace("\\|", "|") == cell.content


def _table_cells(source: str, offset: int) -> list[tuple[int, int]]:
    """(start, end) of each cell's trimmed text, like markdown-it's escapedSplit."""
    row_end = max(offset, len(source.rstrip(TRIM_CHARACTERS)))
    row_start = row_end - len(source[offset:row_end].lstrip(TRIM_CHARACTERS))
    boundaries = [row_start - 1]
    escaped = False
    for position in range(row_start, row_end):
        character = source[position]
        if character == "|" and not escaped:
            boundaries.append(position)
        escaped = character == "\\"
    boundaries.append(row_end)
    cells = []
    for left, right in zip(boundaries, boundaries[1:]):
        cell = source[left + 1:right]
        begin = right - len(cell.lstrip(TRIM_CHARACTERS))
        end = begin + len(cell.strip(TRIM_CHARACTERS))
        cells.append((begin, end, right - left - 1))
    # A leading or trailing pipe leaves an empty first or last column, which markdown-it drops.
    if cells and cells[0][2] == 0:
        cells.pop(0)
    if cells and cells[-1][2] == 0:
        cells.pop()
    return [(begin, end) for begin, end, _width in cells]


def _source_offset(content: str, regions: list[_Region], offset: int) -> int:
    """Where ``content[offset]`` of a block stands in the text, given its lines' regions.

    The lines of a block's content are its regions' text, some after indentation
    that the regions leave out.
    """
    for number, line in enumerate(content.split("\n")):
        if offset <= len(line):
            indentation = len(line) - len(line.lstrip(" \t"))
            return regions[number].start + max(0, offset - indentation)
        offset -= len(line) + 1
    return regions[-1].end


def _ends_with_hard_break(piece: str) -> bool:
    """Whether a line (not the last of its block) ends in a CommonMark hard line break."""
    if piece.endswith("  "):
        return True
    backslashes = len(piece) - len(piece.rstrip("\\"))
    return backslashes % 2 == 1


def _continuation_from_first_line(prefix: str) -> str:
    """The prefix for lines a translation adds.

    The first line's prefix holds block-quote markers, list markers and
    footnote labels; the lines after keep the ``>`` markers and indent past
    the rest. A line counts its indentation from after a ``>`` and the space
    that may follow it: where the first line has none (``>1. a``), one is added.
    """
    # A footnote's label may hold a '>', which marks no block quote.
    prefix = FOOTNOTE_LABEL.sub(lambda label: " " * len(label.group()), prefix)
    characters = []
    for index, character in enumerate(prefix):
        if character == ">":
            characters.append(">" if prefix[index + 1:index + 2] in (" ", "\t") else "> ")
        else:
            characters.append(character if character in " \t" else " ")
    return "".join(characters)


def _lazy(prefix: str, continuation: str) -> bool:
    """Whether a line with ``prefix`` is a lazy one: short of the ``continuation`` a block's lines need.

    A lazy line may leave out block-quote markers, or the indentation of a list
    item or footnote (which, after a tab, only markdown-it counts right).
    """
    if prefix.count(">") < continuation.count(">"):
        return True
    if "\t" in prefix or "\t" in continuation:
        return False
    return len(prefix.rpartition(">")[2]) < len(continuation.rpartition(">")[2])


def _markup(children: list[Token]) -> list[tuple]:
    """The inline markup of a block, without its text."""
    return [
        (child.type, child.tag, child.nesting, child.attrs.get("href"), child.attrs.get("src"))
        for child in children
        if child.type not in ("text", "text_special", "softbreak", "footnote_ref")
    ]


def _has_text(inline: Token) -> bool:
    """Whether there is anything to translate: a letter outside code, URLs and HTML tags."""
    for child in inline.children or ():
        if child.type == "text" and any(character.isalpha() for character in child.content):
            return True
        if child.type == "image" and any(character.isalpha() for character in child.content):
            return True
    return False


def _sole_image(inline: Token) -> Token | None:
    """The image when the paragraph holds nothing else (possibly inside a link)."""
    children = [
        child for child in inline.children or ()
        if not (child.type == "text" and not child.content.strip())
    ]
    if len(children) == 3 and children[0].type == "link_open" and children[2].type == "link_close":
        children = [children[1]]
    if len(children) == 1 and children[0].type == "image":
        return children[0]
    return None


def encode_markdown(placement: MarkdownPlacement, translation: str) -> str:
    """The text that takes a segment's place: line breaks get the container prefix back."""
    if placement.table_cell:
        translation = UNESCAPED_PIPE.sub(r"\\|", translation)
    if placement.reference_label is not None:
        # Line breaks in a label match any whitespace: one line is enough.
        translation += "][" + re.sub(r"[ \t\r\n]+", " ", placement.reference_label) + "]"
    if placement.continuation_prefix is None:
        return " ".join(line.strip() for line in translation.split("\n"))
    first, *rest = translation.split("\n")
    prefix = placement.continuation_prefix
    return placement.line_ending.join([first, *(_continuation_line(prefix, line) for line in rest)])


def _continuation_line(prefix: str, line: str) -> str:
    """A line of a translation after its first, inside the block's containers.

    A line that starts like a block (``- ``, ``1. ``, ``#``, ``>``, a fence,
    ``<div>``, ``[^1]:``, a setext underline) could interrupt the paragraph, as
    a hard line break followed by ``+ b`` would: four columns more of
    indentation make it the paragraph's continuation, which it was in the source.
    """
    text = line.lstrip(" \t")
    if BLOCK_START.match(text):
        return prefix + "    " + text
    return prefix + line
