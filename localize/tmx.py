"""TMX 1.4b: translation memories as CAT tools (OmegaT, Trados, Okapi, memoQ) exchange them.

Writing gives one ``<tu>`` per distinct pair of texts, sorted, so that
exporting the same memory twice gives the same bytes. Segments are plain
text: a msgid's inline Markdown is text to a CAT tool as it is to a
translator in Poedit.

Reading accepts what those tools write: any source language named by the
header's ``srclang`` (or ``*all*``), any number of targets per unit, inline
codes (``<bpt>``, ``<ept>``, ``<ph>``, ``<it>``, ``<hi>``) taken as the text
they stand for, UTF-8 or UTF-16. The file is parsed as it streams, so a large
memory is not held as a tree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from localize.errors import LocalizeError
from localize.language import bcp47, same_language

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_INLINE_CODES = {"bpt", "ept", "ph", "it", "hi", "ut"}
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class TmxError(LocalizeError):
    """A TMX file that cannot be read."""


@dataclass(frozen=True)
class TranslationUnit:
    """A source text and its translation, with language codes as TMX writes them (``pt-BR``)."""

    source_language: str
    source: str
    target_language: str
    target: str
    origin: str = ""


@dataclass(frozen=True)
class Memory:
    """What a TMX file holds."""

    source_language: str
    units: tuple[TranslationUnit, ...]
    skipped: int = 0  # units without a source segment or any target


def format_tmx(
    units: Iterable[TranslationUnit], *, source_language: str, tool_version: str
) -> tuple[str, int]:
    """The TMX document and how many units could not be written (characters XML cannot hold)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
        '<tmx version="1.4">',
        f'  <header creationtool="localize" creationtoolversion="{_escape(tool_version)}" datatype="plaintext"'
        f' segtype="paragraph" adminlang="en" srclang="{_escape(bcp47(source_language))}" o-tmf="PO"/>',
        "  <body>",
    ]
    dropped = 0
    for unit in units:
        if _NOT_XML.search(unit.source) or _NOT_XML.search(unit.target):
            dropped += 1
            continue
        lines.append("    <tu>")
        if unit.origin:
            lines.append(f'      <prop type="x-localize-origin">{_escape(unit.origin)}</prop>')
        lines.append(f'      <tuv xml:lang="{_escape(bcp47(unit.source_language))}"><seg>{_escape(unit.source)}</seg></tuv>')
        lines.append(f'      <tuv xml:lang="{_escape(bcp47(unit.target_language))}"><seg>{_escape(unit.target)}</seg></tuv>')
        lines.append("    </tu>")
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines), dropped


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def read_tmx(path: Path, *, shown: Path | None = None, default_source: str = "en") -> Memory:
    """Every (source, target) pair of a TMX file; ``default_source`` when the header names no usable language."""
    shown = shown or path
    source_language = default_source
    header_seen = False
    units: list[TranslationUnit] = []
    skipped = 0
    try:
        _refuse_entity_declarations(path, shown)
        events = ElementTree.iterparse(str(path), events=("start", "end"))
        root = container = None
        for event, element in events:
            tag = _local(element.tag)
            if event == "start":
                if root is None:
                    root = element
                    if tag != "tmx":
                        raise TmxError(f"not a TMX file: the root element is <{tag}>", path=shown)
                elif tag == "body":
                    container = element
                elif tag == "header" and not header_seen:
                    header_seen = True
                    declared = element.get("srclang", "")
                    if declared and declared != "*all*":
                        source_language = declared
                continue
            if tag != "tu":
                continue
            found = _unit(element, source_language)
            if found:
                units.extend(found)
            else:
                skipped += 1
            # Drop what was read so far: a memory of a million units is never held as a tree.
            element.clear()
            (container if container is not None else root).clear()
    except ElementTree.ParseError as error:
        line = error.position[0] if error.position else None
        raise TmxError(f"invalid XML: {str(error).split(':')[0]}", path=shown, line=line) from None
    except OSError as error:
        raise TmxError(f"cannot read: {error.strerror}", path=shown) from None
    return Memory(source_language=source_language, units=tuple(units), skipped=skipped)


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ROOT_START = re.compile(rb"<(?![?!])")


def _refuse_entity_declarations(path: Path, shown: Path) -> None:
    """TMX files come from outside: entities declared in the prolog (a billion laughs, or an
    external entity) are refused before parsing, as the XLIFF and TBX readers refuse them."""
    with path.open("rb") as stream:
        prolog = stream.read(1 << 20)
    root = _ROOT_START.search(prolog)
    declared = _ENTITY_DECLARATION.search(prolog, 0, root.start() if root else len(prolog))
    if declared:
        line = prolog.count(b"\n", 0, declared.start()) + 1
        raise TmxError("entity declarations are not allowed in a TMX file", path=shown, line=line)


def _unit(element: ElementTree.Element, source_language: str) -> list[TranslationUnit]:
    """The pairs of one ``<tu>``: its source segment with each other segment."""
    unit_source = element.get("srclang") or source_language
    segments: list[tuple[str, str]] = []
    for variant in element:
        if _local(variant.tag) != "tuv":
            continue
        language = variant.get(XML_LANG) or variant.get("lang") or ""
        seg = next((child for child in variant if _local(child.tag) == "seg"), None)
        if language and seg is not None:
            segments.append((language, _segment_text(seg)))
    source = next(
        (text for language, text in segments if same_language(language, unit_source)), None
    )
    if source is None or not source.strip():
        return []
    return [
        TranslationUnit(unit_source, source, language, text)
        for language, text in segments
        if not same_language(language, unit_source) and text.strip()
    ]


def _segment_text(seg: ElementTree.Element) -> str:
    """The text of a segment; inline codes stand for the native text they hold, ``<sub>`` flows are not part of it."""
    parts = [seg.text or ""]
    for child in seg:
        if _local(child.tag) in _INLINE_CODES:
            parts.append(_segment_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
