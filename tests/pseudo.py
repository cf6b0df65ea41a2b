"""Pseudo-translation for tests: letters change, Markdown markup does not."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from localize.segment.markdown import parser

# A link destination's parentheses nest: the spec asks parsers for at least three levels.
# markdown-it lets a backslash escape a line ending there too.
_BALANCED = r"[^()\\]|\\[\s\S]"
for _level in range(3):
    _BALANCED = rf"[^()\\]|\\[\s\S]|\((?:{_BALANCED})*\)"

_DESTINATION = rf"\([ \t\n]*(?:<(?:[^<>\\\n]|\\.)*>)?(?:{_BALANCED})*\)"

# Pieces of inline Markdown whose letters must not change: code spans, link
# destinations (in pointy brackets they may hold parentheses) and reference
# labels, footnote references, autolinks and HTML tags, entities, escapes. A
# label may be the text of an inline link too: [^1](/url), [a][b](/url).
PROTECTED = re.compile(
    r"(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)"  # a code span closes with a run as long as its opening
    rf"|\]{_DESTINATION}"
    rf"|\]\[[^\]]*\](?:{_DESTINATION})?"
    rf"|\[\^[^\]]*\](?:{_DESTINATION})?"
    r"|<[A-Za-z/!?][^<>]*>"
    r"|&#?[A-Za-z0-9]+;"
    r"|\\."
)


def pseudo_translate(text: str) -> str:
    """Swap the case of every letter outside markup (reference labels match case-insensitively)."""
    pieces = []
    position = 0
    for match in PROTECTED.finditer(text):
        pieces.append(_swap(text[position:match.start()]))
        pieces.append(match.group())
        position = match.end()
    pieces.append(_swap(text[position:]))
    return "".join(pieces)


def pseudo_translate_words(text: str) -> str:
    """Change every word outside markup into another (``foo`` into ``xoof``), as a translation does:
    unlike a change of case, it no longer matches a reference label it was."""
    pieces = []
    position = 0
    for match in PROTECTED.finditer(text):
        pieces.append(_other_words(text[position:match.start()]))
        pieces.append(match.group())
        position = match.end()
    pieces.append(_other_words(text[position:]))
    return "".join(pieces)


def _other_words(text: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda word: "x" + word.group()[::-1], text)


def _swap(text: str) -> str:
    return "".join(
        character.swapcase() if len(character.swapcase()) == 1 else character for character in text
    )


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        # An attribute without a value (``<div hidden>``) has None for its value.
        kept = tuple(sorted(
            (name, value or "") for name, value in attrs if name in ("href", "src", "style", "start", "class", "id")
        ))
        self.shape.append(("start", tag, kept))

    def handle_endtag(self, tag):
        self.shape.append(("end", tag))


def html_structure(markdown: str) -> list[tuple]:
    """The element structure of ``markdown`` rendered to HTML, without its text."""
    structure = _Structure()
    structure.feed(parser().render(markdown))
    return structure.shape
