"""The merge property on every example of the CommonMark spec, and on GFM's tables and strikethrough.

For any CommonMark document: (1) merging an empty catalog, or one that
translates every segment to itself, gives back the source byte for byte;
(2) with a pseudo-translation, the merged document renders to the same HTML
element structure as the source; (3) segments are disjoint regions in order,
and segmenting the merged document again finds each translation where its
source was. Every paragraph, heading and table cell with a letter to translate
is a segment: leaving a block untranslated is a last resort, which no example
needs. Each example is checked as written, with CRLF line endings, and inside
a block quote and a list item. The examples are in tests/fixtures/commonmark
(see its README).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from localize.splice import merge_document
from localize.model import Document
from localize.segment.markdown import markdown_segments, parser
from tests.pseudo import html_structure, pseudo_translate, pseudo_translate_words

FIXTURES = Path(__file__).parent / "fixtures" / "commonmark"

# Spec examples where a pseudo-translation cannot help changing the structure, each
# with its reason. Only the pseudo-translation's own limits belong here, never a
# segmenter bug. None is needed: the pseudo-translation keeps code spans, link
# destinations and labels, HTML tags, autolinks and entities as they are, and
# every swapped letter keeps its length and its meaning to the parser.
PSEUDO_LIMITS: set[int] = set()


@dataclass(frozen=True)
class Example:
    markdown: str
    pseudo_limit: bool  # listed in PSEUDO_LIMITS


def _examples(name: str, prefix: str) -> Iterator[pytest.param]:
    for example in json.loads((FIXTURES / name).read_text(encoding="utf-8")):
        section = example["section"].removesuffix(" (extension)").replace(" ", "-")
        limited = prefix == "example" and example["number"] in PSEUDO_LIMITS
        yield pytest.param(Example(example["markdown"], limited), id=f"{prefix}-{example['number']}-{section}")


EXAMPLES = [*_examples("spec-examples.json", "example"), *_examples("gfm-examples.json", "gfm")]


def variants(markdown: str) -> dict[str, str]:
    """The example as written, with CRLF line endings, in a block quote and in a list item."""
    lines = markdown.split("\n")
    return {
        "as written": markdown,
        "with CRLF": markdown.replace("\n", "\r\n"),
        "in a block quote": "\n".join(("> " + line).rstrip(" ") for line in lines[:-1]) + "\n",
        "in a list item": "\n".join(
            ["- " + lines[0]] + [("  " + line) if line else "" for line in lines[1:-1]]
        ) + "\n",
    }


def segment(text: str) -> Document:
    return Document(text=text, segments=tuple(markdown_segments(text)))


@pytest.mark.parametrize("example", EXAMPLES)
def test_empty_and_identity_catalogs_give_back_the_source(example: Example):
    for name, text in variants(example.markdown).items():
        document = segment(text)
        assert merge_document(document, {}).text == text, name
        identity = merge_document(document, {item.text: item.text for item in document.segments})
        assert identity.text == text, name
        assert identity.translated == identity.segments, name


@pytest.mark.parametrize("example", EXAMPLES)
def test_segments_are_ordered_regions_found_again_after_merging(example: Example):
    for name, text in variants(example.markdown).items():
        document = segment(text)
        previous_end = 0
        for item in document.segments:
            assert previous_end <= item.start <= item.end <= len(text), name
            previous_end = item.end
        if example.pseudo_limit:
            continue  # the structure changes, so the segments may too
        translations = {item.text: pseudo_translate(item.text) for item in document.segments}
        merged = merge_document(document, translations)
        again = segment(merged.text)
        assert [item.text for item in again.segments] == [translations[item.text] for item in document.segments], name
        assert [(item.start, item.end) for item in again.segments] == [
            (region.start, region.end) for region in merged.regions
        ], name


@pytest.mark.parametrize("example", EXAMPLES)
def test_pseudo_translation_keeps_the_structure(example: Example):
    if example.pseudo_limit:
        pytest.xfail("a letter-case change alters this example's meaning")
    for name, text in variants(example.markdown).items():
        document = segment(text)
        translations = {item.text: pseudo_translate(item.text) for item in document.segments}
        merged = merge_document(document, translations).text
        assert html_structure(merged) == html_structure(text), name


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_translated_alt_text_keeps_its_image(example: Example):
    """The alt text of ``![foo][]`` and ``![foo]`` is also the label of the image's definition,
    and a translator sees only the alt text: translated, the image stays (``![translated][foo]``)."""
    for name, text in variants(example.markdown).items():
        document = segment(text)
        translations = {
            item.text: pseudo_translate_words(item.text)
            for item in document.segments if item.kind == "type: image alt text"
        }
        merged = merge_document(document, translations)
        assert html_structure(merged.text) == html_structure(text), name
        again = segment(merged.text)
        assert [item.text for item in again.segments] == [
            translations.get(item.text, item.text) for item in document.segments
        ], name


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_block_with_text_is_a_segment(example: Example):
    """Every Markdown block with text is one segment (the text of raw HTML blocks is offered
    too, by ``localize.segment.html``: tests/test_html_segments.py)."""
    for name, text in variants(example.markdown).items():
        markdown = [item for item in segment(text).segments if not item.kind.startswith("type: html")]
        assert len(markdown) == len(blocks_with_text(text)), name


def blocks_with_text(text: str) -> list[str]:
    """The inline content of each paragraph, heading and table cell with a letter outside markup."""
    tokens = parser().parse(text)
    found = []
    for opener, inline in zip(tokens, tokens[1:]):
        if inline.type != "inline" or opener.type not in ("paragraph_open", "heading_open", "th_open", "td_open"):
            continue
        children = inline.children or []
        if any(child.type in ("text", "image") and any(c.isalpha() for c in child.content) for child in children):
            found.append(inline.content)
    return found
