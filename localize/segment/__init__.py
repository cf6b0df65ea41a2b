"""Splitting a source article into segments, one module per source format.

The same traversal serves extract (the segments' texts become msgids) and
merge (their regions are replaced by translations).
"""

from __future__ import annotations

from localize.model import Article, Document, Segment

__all__ = ["segment_article"]


def segment_article(article: Article, *, front_matter_keys: tuple[str, ...]) -> Document:
    """Every translatable segment of ``article``, in document order."""
    # The parsers (markdown-it, tomlkit, PyYAML) are loaded only when an article is segmented: importing
    # any module of this package loads this one.
    from localize.segment.frontmatter import front_matter_segments, split_front_matter
    from localize.segment.markdown import markdown_segments

    block = split_front_matter(article.text, path=article.path)
    segments: list[Segment] = []
    if block is not None:
        segments.extend(front_matter_segments(article.text, block, keys=front_matter_keys, path=article.path))
        body_start = block.end
    else:
        body_start = 1 if article.text.startswith("\ufeff") else 0
    segments.extend(markdown_segments(article.text, start=body_start))
    return Document(text=article.text, segments=tuple(segments))
