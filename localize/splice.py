"""Splicing: a translated article is its source with each translated segment's region replaced.

Everything outside the segments is copied, so an article whose catalog is
empty, or translates every segment to itself, comes back byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from localize.model import Document, HtmlPlacement, MarkdownPlacement, Segment, TomlPlacement, YamlPlacement
from localize.segment.frontmatter import encode_toml, encode_yaml
from localize.segment.html import encode_html
from localize.segment.markdown import encode_markdown


@dataclass(frozen=True)
class MergedRegion:
    """Where a segment ended up in the merged text: ``text[start:end]``.

    ``translation`` is the msgstr that took its place (it may equal the
    source), or ``None`` when the segment kept its source text untranslated.
    Rendering uses it to mark fallback paragraphs and to know what markup a
    translator brought in.
    """

    segment: Segment
    start: int
    end: int
    translation: str | None


@dataclass(frozen=True)
class MergedDocument:
    """A merged article and how much of it was translated."""

    text: str
    segments: int
    translated: int
    untranslated_segments: tuple[Segment, ...]
    regions: tuple[MergedRegion, ...] = ()


def merge_document(document: Document, translations: Mapping[str, str]) -> MergedDocument:
    """Replace every segment that has a translation; keep the source elsewhere.

    ``translations`` maps a segment's text (a catalog's msgid) to its translation; only
    the segments' spans are replaced, so every byte between them is the source's.

    >>> from localize.segment.markdown import markdown_segments
    >>> text = "# Kyiv\\n\\nSirens in *Kyiv*.\\n\\nTrams run again.\\n"
    >>> merged = merge_document(Document(text, tuple(markdown_segments(text))),
    ...                         {"Sirens in *Kyiv*.": "Сирены в *Киеве*."})
    >>> print(merged.text, end="")
    # Kyiv
    <BLANKLINE>
    Сирены в *Киеве*.
    <BLANKLINE>
    Trams run again.
    >>> merged.translated, merged.segments
    (1, 3)
    >>> merge_document(Document(text, tuple(markdown_segments(text))), {}).text == text
    True
    """
    pieces: list[str] = []
    position = 0
    length = 0  # of the pieces so far
    translated = 0
    untranslated = []
    regions = []
    for segment in document.segments:
        translation = translations.get(segment.text)
        start = length + segment.start - position
        if not translation:
            untranslated.append(segment)
            regions.append(MergedRegion(segment, start, start + segment.end - segment.start, None))
            continue
        translated += 1
        if translation == segment.text:
            regions.append(MergedRegion(segment, start, start + segment.end - segment.start, translation))
            continue
        encoded = encode_translation(segment, translation)
        pieces.append(document.text[position:segment.start])
        pieces.append(encoded)
        length += segment.start - position + len(encoded)
        position = segment.end
        regions.append(MergedRegion(segment, start, start + len(encoded), translation))
    pieces.append(document.text[position:])
    return MergedDocument(
        text="".join(pieces),
        segments=len(document.segments),
        translated=translated,
        untranslated_segments=tuple(untranslated),
        regions=tuple(regions),
    )


def encode_translation(segment: Segment, translation: str) -> str:
    """The source text for ``translation`` in the segment's place and format."""
    placement = segment.placement
    if isinstance(placement, MarkdownPlacement):
        return encode_markdown(placement, translation)
    if isinstance(placement, HtmlPlacement):
        return encode_html(placement, translation)
    if isinstance(placement, YamlPlacement):
        return encode_yaml(placement, translation)
    if isinstance(placement, TomlPlacement):
        return encode_toml(placement, translation)
    raise TypeError(f"unknown placement {placement!r}")
