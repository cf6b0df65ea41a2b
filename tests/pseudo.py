"""Pseudo-translation for tests: letters change, Markdown markup does not (``localize.pseudo.map_prose``)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from localize.pseudo import map_prose
from localize.segment.markdown import parser


def pseudo_translate(text: str) -> str:
    """Swap the case of every letter outside markup (reference labels match case-insensitively).

    The package's pseudo-locales (``localize.pseudo``) add brackets and words; this one
    keeps every length, so that a test can compare documents line for line.
    """
    return map_prose(text, _swap)


def pseudo_translate_words(text: str) -> str:
    """Change every word outside markup into another (``foo`` into ``xoof``), as a translation does:
    unlike a change of case, it no longer matches a reference label it was."""
    return map_prose(text, _other_words)


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
