"""``MergedDocument.regions`` say where each segment stands in the merged text (render relies on it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from localize.splice import encode_translation, merge_document
from localize.model import Article
from localize.segment import segment_article
from tests.pseudo import pseudo_translate

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.md")) + sorted(
    (Path(__file__).parent / "fixtures" / "pages" / "site" / "source_articles").rglob("*.md")
)


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: path.name)
@pytest.mark.parametrize("share", [0, 2, 3])
def test_regions_locate_every_segment(path: Path, share: int):
    text = path.read_text(encoding="utf-8")
    document = segment_article(Article(slug=path.stem, path=path, text=text), front_matter_keys=("title",))
    # Translate every share-th segment (none when share is 0), so that regions shift both ways.
    translations = {
        segment.text: pseudo_translate(segment.text) + " +" for index, segment in enumerate(document.segments)
        if share and index % share == 0
    }
    merged = merge_document(document, translations)
    assert [region.segment for region in merged.regions] == list(document.segments)
    for region in merged.regions:
        placed = merged.text[region.start:region.end]
        if region.translation is None:
            assert placed == region.segment.text or placed == text[region.segment.start:region.segment.end]
        else:
            assert placed == encode_translation(region.segment, region.translation)
    assert [region.segment for region in merged.regions if region.translation is None] == list(merged.untranslated_segments)
