"""Writing extracted article content as CommonMark (with GFM tables).

The extractor gives the article as a small XML vocabulary (``head``, ``p``,
``list``/``item``, ``quote``, ``table``/``row``/``cell``, ``ref``, ``graphic``,
``hi``, ``lb``, ``code``). This module turns it into Markdown that a
CommonMark parser reads back to exactly the same text: every character that
Markdown would take as syntax is escaped, so an article's "*" or "[1]" or a
paragraph starting with "1." survives. Paragraphs stay on one line: they are
translated as units, and reflowing them would only churn the catalogs.

It reads elements through the ElementTree API alone, so it does not care
which library built them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Protocol

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START_SPECIAL = re.compile(r"^([#=+-])|^(\d{1,9})([.)])")
_WHITESPACE = re.compile(r"\s+")


class Element(Protocol):
    """The part of the ElementTree element API that this module reads."""

    tag: Any
    text: str | None
    tail: str | None

    def get(self, key: str, default: str | None = None) -> str | None: ...

    def __iter__(self) -> Iterator[Element]: ...


def escape_text(text: str) -> str:
    """Escape ``text`` so that CommonMark reads it back as this very text, at any position in a line."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _ENTITY_LIKE.sub(r"\\&", text)


def escape_line_start(line: str) -> str:
    """Escape what would open a block at the start of a line: headings, lists, quotes, setext rules."""
    match = _LINE_START_SPECIAL.match(line)
    if match is None:
        return line
    if match.group(1):
        return "\\" + line
    return f"{match.group(2)}\\{line[match.end(2):]}"


def paragraph(text: str) -> str:
    """Plain text as one Markdown paragraph: whitespace collapsed, syntax escaped."""
    return escape_line_start(escape_text(collapse(text)))


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space, as a browser shows HTML text."""
    return _WHITESPACE.sub(" ", text).strip()


def body_to_markdown(body: Element, *, drop_heading: str | None = None) -> str:
    """The Markdown of an extracted body; blocks separated by one blank line, no trailing newline.

    ``drop_heading`` is the article's title: a first heading repeating it is
    left out, since the title lives in the front matter.
    """
    blocks = list(_blocks(body))
    if drop_heading is not None and blocks and blocks[0].startswith("#"):
        if collapse(blocks[0].lstrip("#")) == escape_text(collapse(drop_heading)):
            blocks = blocks[1:]
    return "\n\n".join(blocks)


def _blocks(container: Element) -> Iterator[str]:
    """The Markdown blocks of ``container``'s children, with loose text as paragraphs."""
    loose = [_text(container.text)]
    for child in container:
        if _is_block(child):
            yield from _nonempty(_finish_lines("".join(loose)))
            loose = [_text(child.tail)]
            yield from _nonempty(_block(child))
        else:
            loose.append(_inline(child) + _text(child.tail))
    yield from _nonempty(_finish_lines("".join(loose)))


def _nonempty(block: str) -> list[str]:
    return [block] if block.strip() else []


_BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code", "div"}


def _is_block(element: Element) -> bool:
    tag = _tag(element)
    if tag == "code":
        return "\n" in "".join(_texts(element))
    return tag in _BLOCK_TAGS


def _block(element: Element) -> str:
    tag = _tag(element)
    if tag == "head":
        return _heading(element)
    if tag == "list":
        return _list(element)
    if tag == "quote":
        return _quote(element)
    if tag == "table":
        return _table(element)
    if tag == "code":
        return _code_block(element)
    if tag == "div":
        return "\n\n".join(_blocks(element))
    return _finish_lines(_inline_content(element))


def _heading(element: Element) -> str:
    rend = element.get("rend") or "h2"
    level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
    text = collapse(_inline_content(element).replace("\\\n", " "))
    return f"{'#' * level} {text}" if text else ""


def _list(element: Element) -> str:
    ordered = (element.get("rend") or "ul").lower() == "ol"
    lines: list[str] = []
    number = 1
    for item in element:
        if _tag(item) != "item":
            continue
        marker = f"{number}. " if ordered else "- "
        number += 1
        pad = " " * len(marker)
        inline_parts = [_text(item.text)]
        nested: list[str] = []
        for child in item:
            if _tag(child) == "list":
                nested.append(_list(child))
                inline_parts.append(_text(child.tail))
            elif _is_block(child):
                inline_parts.append(" " + _inline_content(child) + " ")
                inline_parts.append(_text(child.tail))
            else:
                inline_parts.append(_inline(child) + _text(child.tail))
        text = _finish_lines("".join(inline_parts))
        item_lines = text.split("\n") if text else [""]
        lines.append(marker + item_lines[0])
        lines.extend(pad + line for line in item_lines[1:])
        for sub in nested:
            lines.extend(pad + line if line else "" for line in sub.split("\n"))
    return "\n".join(lines)


def _quote(element: Element) -> str:
    inner = "\n\n".join(_blocks(element))
    return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))


def _table(element: Element) -> str:
    rows = [
        [_cell(cell) for cell in row if _tag(cell) == "cell"]
        for row in element
        if _tag(row) == "row"
    ]
    rows = [row for row in rows if any(row)]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    # GFM needs a header row. Pages often mark theirs with <td> rather than
    # <th>, so the first row is the header either way.
    lines = [_table_row(rows[0]), "|" + "|".join(" --- " for _ in range(width)) + "|"]
    lines.extend(_table_row(row) for row in rows[1:])
    return "\n".join(lines)


def _table_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cell(cell: Element) -> str:
    # A GFM cell is one line of inline content: blocks inside it are joined by spaces.
    text = _inline_content(cell).replace("\\\n", " ")
    return collapse(text)


def _code_block(element: Element) -> str:
    code = "".join(_texts(element)).strip("\n")
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{code}\n{fence}"


def _inline_content(element: Element) -> str:
    """An element's content as inline Markdown: its text, its children and their tails."""
    parts = [_text(element.text)]
    for child in element:
        if _is_block(child) and _tag(child) != "div":
            parts.append(" " + _inline_content(child) + " ")
            parts.append(_text(child.tail))
        else:
            parts.append(_inline(child) + _text(child.tail))
    return "".join(parts)


def _inline(element: Element) -> str:
    tag = _tag(element)
    if tag == "lb":
        return "\\\n"
    if tag == "graphic":
        # trafilatura gives an <img> without src the text that follows it as its own text.
        return _image(element) + _text(element.text)
    content = _inline_content(element)
    if tag == "ref":
        target = element.get("target")
        if not target or not content.strip():
            return content
        return f"[{content.strip()}]({_destination(target)})"
    if tag == "code" or (tag == "hi" and element.get("rend") == "#t"):
        return _code_span("".join(_texts(element)))
    # Bold and italics are left out: their delimiters would need CommonMark's
    # flanking rules checked against the neighbouring characters, and the
    # translators gain nothing from them.
    return content


def _image(element: Element) -> str:
    source = element.get("src") or element.get("data-src")
    if not source:
        return ""
    alt = escape_text(collapse(element.get("alt") or ""))
    title = collapse(element.get("title") or "")
    title_part = f' "{_escape_title(title)}"' if title else ""
    return f"![{alt}]({_destination(source)}{title_part})"


def _destination(url: str) -> str:
    """A link destination that CommonMark reads back as ``url``."""
    url = url.strip()
    if re.search(r"[\s()<>\\]", url):
        return "<" + re.sub(r"([<>\\])", r"\\\1", url).replace("\n", "%0A") + ">"
    return url


def _escape_title(title: str) -> str:
    return re.sub(r'(["\\])', r"\\\1", title)


def _code_span(code: str) -> str:
    code = collapse(code)
    if not code:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {code} " if code.startswith("`") or code.endswith("`") else code
    return f"{fence}{padded}{fence}"


def _text(text: str | None) -> str:
    """Element text as inline Markdown. Raw newlines become spaces first, so that the only
    line breaks in inline Markdown are the hard breaks of ``lb`` elements."""
    return escape_text(_WHITESPACE.sub(" ", text or ""))


def _finish_lines(text: str) -> str:
    """Collapse whitespace inside each line (hard breaks kept) and escape each line's start."""
    lines = [collapse(line) for line in text.split("\\\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\\\n".join(escape_line_start(line) for line in lines)


def _texts(element: Element) -> Iterator[str]:
    yield element.text or ""
    for child in element:
        yield from _texts(child)
        yield child.tail or ""


def _tag(element: Element) -> str:
    tag = element.tag
    return tag if isinstance(tag, str) else ""
