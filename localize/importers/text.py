"""Reading an article pasted as plain text, in the shape copied from a news site.

The shape: an optional dateline ("27 June, 11:43 AM"), the headline, the
paragraphs separated by blank lines, and whatever the copy dragged along
from the page's end: short site strings such as "Другие новости" or
"Все новости" that are links, not article text. A paragraph wrapped over
several lines is joined back into one.
"""

from __future__ import annotations

import re

from localize.errors import SourceError
from localize.importers.dates import DatePolicy, parse_dateline, settle
from localize.importers.detect import detect_language, ends_sentence, word_count
from localize.importers.markdown import paragraph
from localize.importers.model import Imported, ImportedArticle

# A site string is a line of a few words that does not end a sentence.
_SITE_STRING_MAX_WORDS = 5
_SITE_STRING_MAX_CHARS = 40
_SENTENCE_END = re.compile(r"[.!?…:;\"»”)]$")
_HEADLINE_MAX_CHARS = 300
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")


def import_text(text: str, *, url: str | None, dates: DatePolicy) -> Imported:
    """The article in ``text``, served at ``url`` if known; a SourceError, without a place, when there is none."""
    blocks = split_blocks(text)
    while blocks and is_site_string(blocks[-1]):
        blocks.pop()
    found_date = parse_dateline(blocks[0]) if blocks else None
    if found_date is not None:
        blocks = blocks[1:]
    if len(blocks) < 2:
        raise SourceError("no article found: expected a headline and at least one paragraph")
    title, paragraphs = blocks[0], blocks[1:]
    if len(title) > _HEADLINE_MAX_CHARS:
        raise SourceError(
            f"no article found: the first block is {len(title)} characters long, too long for a headline"
        )
    settled = settle(found_date, dates)
    article = ImportedArticle(
        title=title,
        body_markdown="\n\n".join(paragraph(text) for text in paragraphs),
        date=settled.value,
        timezone=settled.timezone,
        url=url,
        language=detect_language("\n".join(paragraphs)),
    )
    return Imported(article=article, notes=settled.notes)


def split_blocks(text: str) -> list[str]:
    """The text's blocks, each a run of lines between blank lines, its lines joined by spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    blocks = (" ".join(line.strip() for line in block.split("\n")) for block in _BLANK_LINES.split(text))
    return [re.sub(r"\s+", " ", block).strip() for block in blocks if block.strip()]


def is_site_string(block: str) -> bool:
    """Whether ``block`` looks like a link the copy brought along ("Все новости", "更多新闻") rather
    than text; words are counted in characters in scripts without spaces, and "。" ends a sentence."""
    return (
        word_count(block) <= _SITE_STRING_MAX_WORDS
        and len(block) <= _SITE_STRING_MAX_CHARS
        and not _SENTENCE_END.search(block)
        and not ends_sentence(block)
    )
