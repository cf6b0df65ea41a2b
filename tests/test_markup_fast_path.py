"""markup() answers a text whose only markup characters are brackets without parsing it:
it must answer as markdown-it does, on every such text."""

from __future__ import annotations

import random

from localize.markup import _NO_MARKUP, _without_markup, markup, parsed_markup

PIECES = [*"[]()^:!\\ ab\n\r\t\x0c\x00&*_`<>~#-1.|=+'\"", "[ru] ", "http://x.y ", "&ast;", "&#93;", "\\[", "[^1]",
          "^[n]", "    ", "> ", "* ", "1. ", "[x]: y", "![a]", "\u2028", "\u00a0", "Київ "]


def test_texts_with_brackets_alone_have_the_markup_markdown_it_finds() -> None:
    generator = random.Random(12)
    shortcuts = 0
    for _ in range(100_000):
        text = "".join(generator.choice(PIECES) for _ in range(generator.randint(0, 16)))
        if _without_markup(text):
            shortcuts += 1
            assert parsed_markup(text) == _NO_MARKUP, repr(text)
    assert shortcuts > 5_000  # the comparison above was made often enough to mean something


def test_the_translations_of_a_newsroom_take_the_shortcut() -> None:
    assert _without_markup("[ru] The houses residents talks region ministry hospital budget hospital.")
    assert markup("[ru] Ракеты [sic] упали.") is _NO_MARKUP
    for text in ("See [the report](https://example.org).", "A [ref][1].", "Note[^1].", "*[ru]*", "[a]\n[b]"):
        assert not _without_markup(text), text
