"""Segments of the raw HTML blocks of a Markdown article: figures, fact boxes, details, embeds.

CommonMark passes an HTML block through as written: its text is HTML, not
Markdown (entities stay as written, ``*`` is an asterisk). As po4a's xhtml
module and Translate Toolkit's html2po do, the text between block-level tags
is one segment, the inline tags in it (``<em>``, ``<a>``, ``<abbr>``) kept as
written; the ``alt`` and ``title`` of a tag outside such text are segments of
their own. Nothing inside ``<pre>``, ``<script>``, ``<style>``, ``<textarea>``,
``<code>`` or a comment is split or offered.

Tags are read with CommonMark's grammar of raw HTML (the one that decides
what markdown-it passes through), not ``html.parser``: a segment is a region
of the source, and html.parser lowercases names, unescapes attribute values
and reports positions only as line and column.

A translation is written on one line: a blank line would end the HTML block,
and the rest of it would be read as Markdown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from localize.model import HtmlPlacement, Segment

_SPACE = r"[ \t\r\n\f]"
_NAME = r"[A-Za-z][A-Za-z0-9-]*"
_VALUE = r"""[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*\""""
_ATTRIBUTE_SYNTAX = rf"{_SPACE}+[A-Za-z_:][A-Za-z0-9_.:-]*(?:{_SPACE}*={_SPACE}*(?:{_VALUE}))?"
MARKUP = re.compile(
    rf"(?P<open><(?P<open_name>{_NAME})(?:{_ATTRIBUTE_SYNTAX})*{_SPACE}*/?>)"
    rf"|(?P<close></(?P<close_name>{_NAME}){_SPACE}*>)"
    r"|(?P<other><!-->|<!--->|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<![A-Za-z][^>]*>)"
)
# Where a browser starts reading a tag, a comment or a declaration (HTML's tokenizer).
TAG_START = re.compile(r"<[A-Za-z/!?]")
ATTRIBUTE = re.compile(
    rf"(?P<name>[A-Za-z_:][A-Za-z0-9_.:-]*)(?:{_SPACE}*={_SPACE}*"
    r"""(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^"'=<>`\x00-\x20]+)))?"""
)
ENTITY = re.compile(r"&(?:#[xX]?[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
LINE_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t\r\n]*")

# Attributes whose values are prose a reader sees (as a tooltip or in place of an image).
TRANSLATABLE_ATTRIBUTES = ("alt", "title")
# Tags that stay inside a segment; every other tag ends one (a custom element too).
INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img",
    "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
    "tt", "u", "var", "wbr",
})
# Elements whose content is code, a program or a fallback: never split or offered.
OPAQUE = frozenset({
    "pre", "script", "style", "textarea", "code", "svg", "math", "iframe", "object", "template", "noscript",
    "select", "video", "audio", "canvas",
})
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
})
# HTML blocks of CommonMark's kinds 1 to 5 (<pre>, <script>, <style>, <textarea>, comments,
# processing instructions, declarations, CDATA) end at a marker a translation could bring in.
LITERAL_BLOCK = re.compile(r"<(?:(?:pre|script|style|textarea)(?:[ \t>]|$)|[!?])", re.IGNORECASE)


class BlockLine(NamedTuple):
    """One line of an HTML block: ``text`` stands at offset ``start`` of the article, on line ``number``."""

    start: int
    text: str
    number: int


class _Piece(NamedTuple):
    # "text", "open", "close", "other" (comment, declaration...), "opaque" (an inline <code>...</code>), "stray"
    kind: str
    start: int
    end: int
    name: str = ""


def html_block_segments(lines: list[BlockLine]) -> Iterator[Segment]:
    """The segments of one HTML block, given its lines without the containers' markers."""
    if not lines or LITERAL_BLOCK.match(lines[0].text.lstrip(" \t")):
        return
    yield from _BlockReader(lines).segments()


class _BlockReader:
    def __init__(self, lines: list[BlockLine]) -> None:
        self.lines = lines
        self.content = "\n".join(line.text for line in lines)
        self.line_starts = []
        position = 0
        for line in lines:
            self.line_starts.append(position)
            position += len(line.text) + 1
        # A block whose first line is one tag alone (CommonMark's kind 7) stays one only while
        # that line does: a segment never starts on it.
        first = lines[0].text.strip(" \t")
        self.first_line_fixed = MARKUP.fullmatch(first) is not None

    def segments(self) -> Iterator[Segment]:
        pieces = _pieces(self.content)
        stack: list[str] = []  # the open block-level elements, for the kind
        run: list[_Piece] = []
        index = 0
        while index < len(pieces):
            piece = pieces[index]
            if piece.kind == "text" or (piece.kind in ("open", "close") and piece.name in INLINE):
                if piece.kind == "open" and piece.name in OPAQUE:
                    end = _closing(pieces, index)
                    run.append(_Piece("opaque", piece.start, pieces[end].end if end is not None else len(self.content)))
                    index = end if end is not None else len(pieces)
                else:
                    run.append(piece)
            else:
                yield from self._run(run, stack)
                run = []
                if piece.kind == "open":
                    yield from self._attributes(piece, stack)
                    if piece.name in OPAQUE:
                        end = _closing(pieces, index)
                        index = end if end is not None else len(pieces)
                    elif piece.name not in VOID and not self.content.endswith("/>", 0, piece.end):
                        stack.append(piece.name)
                elif piece.kind == "close" and piece.name in stack:
                    del stack[len(stack) - 1 - stack[::-1].index(piece.name):]
            index += 1
        yield from self._run(run, stack)

    def _run(self, run: list[_Piece], stack: list[str]) -> Iterator[Segment]:
        """One segment for text between block-level tags, or the attributes of the tags in it."""
        pieces = list(run)
        if self.first_line_fixed:
            dropped = []
            while pieces and pieces[0].end <= len(self.lines[0].text) and pieces[0].kind != "opaque":
                dropped.append(pieces.pop(0))
            # The closing tags of the ones left out stay out too: `<a href="x">` / Text / `</a>`.
            opened = [piece.name for piece in dropped if piece.kind == "open" and piece.name not in VOID]
            while opened and pieces and pieces[-1].kind in ("close", "text"):
                last = pieces[-1]
                if last.kind == "text" and not self.content[last.start:last.end].strip():
                    pieces.pop()
                elif last.kind == "close" and last.name == opened[-1]:
                    pieces.pop()
                    opened.pop()
                else:
                    break
        if not any(piece.kind == "text" and _has_letters(self.content[piece.start:piece.end]) for piece in pieces):
            for piece in run:
                if piece.kind == "open":
                    yield from self._attributes(piece, stack)
            return
        start = next(self._trimmed_start(piece) for piece in pieces if self._trimmed_start(piece) is not None)
        end = next(self._trimmed_end(piece) for piece in reversed(pieces) if self._trimmed_end(piece) is not None)
        kind = f"type: html {stack[-1]}" if stack else "type: html"
        yield self._segment(start, end, kind, HtmlPlacement())

    def _trimmed_start(self, piece: _Piece) -> int | None:
        text = self.content[piece.start:piece.end]
        stripped = len(text) - len(text.lstrip())
        return None if stripped == len(text) else piece.start + stripped

    def _trimmed_end(self, piece: _Piece) -> int | None:
        text = self.content[piece.start:piece.end]
        stripped = len(text.rstrip())
        return None if stripped == 0 else piece.start + stripped

    def _attributes(self, piece: _Piece, stack: list[str]) -> Iterator[Segment]:
        """The ``alt`` and ``title`` of a tag, each a segment (the value inside its quotes)."""
        tag = self.content[piece.start:piece.end]
        position = 1 + len(piece.name)
        while (match := ATTRIBUTE.search(tag, position)) is not None:
            position = match.end()
            if match.group("name").lower() not in TRANSLATABLE_ATTRIBUTES:
                continue
            for group, quote in (("double", '"'), ("single", "'"), ("bare", "")):
                value = match.group(group)
                if value is not None and _has_letters(value):
                    kind = f"type: html attribute {match.group('name').lower()}"
                    start = piece.start + match.start(group)
                    yield self._segment(start, start + len(value), kind, HtmlPlacement(attribute_quote=quote))

    def _segment(self, start: int, end: int, kind: str, placement: HtmlPlacement) -> Segment:
        line = self._line_of(start)
        return Segment(
            text=LINE_BREAK.sub(" ", self.content[start:end]),
            kind=kind,
            line=self.lines[line].number,
            start=self._source(start),
            end=self._source(end),
            placement=placement,
        )

    def _line_of(self, offset: int) -> int:
        line = 0
        while line + 1 < len(self.line_starts) and self.line_starts[line + 1] <= offset:
            line += 1
        return line

    def _source(self, offset: int) -> int:
        line = self._line_of(offset)
        return self.lines[line].start + offset - self.line_starts[line]


def _pieces(text: str, *, stop_at_stray: bool = True) -> list[_Piece]:
    """Text, tags and comments of ``text`` in order.

    A ``<`` that a browser takes for the start of a tag but that starts no
    complete one here (``<div id="x"`` and no ``>``) is a "stray" piece: where
    the browser's tag ends is not known, so by default it and all that follows
    are one piece, never offered. Otherwise it is text.
    """
    pieces = []
    position = 0
    text_start = 0
    while (found := TAG_START.search(text, position)) is not None:
        match = MARKUP.match(text, found.start())
        if match is None:
            if stop_at_stray:
                if text_start < found.start():
                    pieces.append(_Piece("text", text_start, found.start()))
                pieces.append(_Piece("stray", found.start(), len(text)))
                return pieces
            position = found.start() + 1
            continue
        if text_start < match.start():
            pieces.append(_Piece("text", text_start, match.start()))
        if match.group("open"):
            pieces.append(_Piece("open", match.start(), match.end(), match.group("open_name").lower()))
        elif match.group("close"):
            pieces.append(_Piece("close", match.start(), match.end(), match.group("close_name").lower()))
        else:
            pieces.append(_Piece("other", match.start(), match.end()))
        position = text_start = match.end()
    if text_start < len(text):
        pieces.append(_Piece("text", text_start, len(text)))
    return pieces


def _closing(pieces: list[_Piece], index: int) -> int | None:
    """The index of the tag that closes the element opened at ``index``."""
    name = pieces[index].name
    for position in range(index + 1, len(pieces)):
        if pieces[position].kind == "close" and pieces[position].name == name:
            return position
    return None


def _has_letters(text: str) -> bool:
    return any(character.isalpha() for character in ENTITY.sub("", text))


def encode_html(placement: HtmlPlacement, translation: str) -> str:
    """The text that takes the place of an HTML segment: one line; in an attribute, escaped for its quotes."""
    text = LINE_BREAK.sub(" ", translation)
    quote = placement.attribute_quote
    if quote is None:
        # A line left blank would end the HTML block.
        return text if text.strip(" \t") else "&#32;"
    if quote == '"':
        return text.replace('"', "&quot;")
    if quote == "'":
        return text.replace("'", "&#39;")
    # An unquoted value ends at a space, a quote, =, <, > or a backtick: those become references.
    return re.sub(r"[\x00-\x20\"'=<>`]", lambda character: f"&#{ord(character.group())};", text) or "&#32;"


# -- what a translation may change -----------------------------------------------------------------

def tag_signature(raw: str) -> str:
    """A tag as written, with the values of ``alt`` and ``title`` left out: what a translator must keep.

    A comment, a declaration or anything else is its own signature.
    """
    match = MARKUP.fullmatch(raw)
    if match is None or not match.group("open"):
        return raw
    name = match.group("open_name")
    pieces = [f"<{name}"]
    position = 1 + len(name)
    body_end = len(raw) - (2 if raw.endswith("/>") else 1)
    while (attribute := ATTRIBUTE.search(raw, position, body_end)) is not None:
        pieces.append(raw[position:attribute.start()])
        if attribute.group("name").lower() in TRANSLATABLE_ATTRIBUTES:
            has_value = any(attribute.group(group) is not None for group in ("double", "single", "bare"))
            pieces.append(attribute.group("name") + "=…" if has_value else attribute.group(0))
        else:
            pieces.append(attribute.group(0))
        position = attribute.end()
    pieces.append(raw[position:])
    return "".join(pieces)


def html_markup(text: str) -> tuple[Counter, Counter]:
    """The tags (by signature), comments and stray tag openings of HTML ``text``; and its ``<code>``.

    A ``<`` that a browser would take for the start of a tag but that is no
    complete tag here (``<img src=x onerror=alert(1)//``) counts as markup
    too: a browser would read it up to the next ``>`` of the page.
    """
    tags: Counter = Counter()
    code: Counter = Counter()
    pieces = _pieces(text, stop_at_stray=False)
    for index, piece in enumerate(pieces):
        raw = text[piece.start:piece.end]
        if piece.kind == "text":
            for stray in TAG_START.finditer(raw):
                tags[raw[stray.start():stray.start() + 12].split()[0] + "…"] += 1
        elif piece.kind in ("open", "close"):
            tags[tag_signature(raw)] += 1
            if piece.kind == "open" and piece.name == "code":
                end = _closing(pieces, index)
                if end is not None:
                    code[text[piece.end:pieces[end].start]] += 1
        else:
            tags[raw] += 1
    return tags, code
