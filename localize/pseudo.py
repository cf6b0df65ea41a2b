"""Pseudo-translations: the articles in made-up languages, to test pages before real translations exist.

Two pseudo-locales, named as Chromium and Android name theirs:

- ``en-XA`` (pseudo-accents): every letter accented, the text bracketed and
  about 30% longer (``[Ŧĥé ŵéàţĥéŕ one two]``), so that clipped, concatenated
  or hard-coded strings and layouts without room for longer languages show.
- ``ar-XB`` (pseudo-bidi): the text mirrored for a right-to-left page. Each
  run of letters is written backwards and set between right-to-left marks
  (U+200F), so that on a ``dir="rtl"`` page the words line up from the right
  and read right to left as Arabic or Hebrew would. No U+202E override is
  used: overrides leak into copied text and what follows them, and are
  flagged as "Trojan Source" by code and review tools.

Markup is never changed: code spans, link destinations and reference
labels, footnote references, autolinks and HTML tags, entities, escapes and
placeholders (``{name}``, ``%(name)s``, ``%s``, ``%1$d``) keep every
character, so the checks of ``localize.checks`` find nothing to report.
Everything here works on values.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from localize.language import Language
from localize.model import Catalog, Message

# A link destination's parentheses nest: the spec asks parsers for at least three levels.
# markdown-it lets a backslash escape a line ending there too.
_BALANCED = r"[^()\\]|\\[\s\S]"
for _level in range(3):
    _BALANCED = rf"[^()\\]|\\[\s\S]|\((?:{_BALANCED})*\)"

_DESTINATION = rf"\([ \t\n]*(?:<(?:[^<>\\\n]|\\.)*>)?(?:{_BALANCED})*\)"

# Pieces of a text whose characters a pseudo-translation must keep: code spans, link
# destinations (in pointy brackets they may hold parentheses) and reference labels,
# footnote references, autolinks and HTML tags, entities, escapes, and placeholders. A
# label may be the text of an inline link too: [^1](/url), [a][b](/url). The text of a
# shortcut or collapsed reference link ([label], [label][]) is its label.
PROTECTED = re.compile(
    r"(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)"  # a code span closes with a run as long as its opening
    rf"|\]{_DESTINATION}"
    rf"|\]\[[^\]]*\](?:{_DESTINATION})?"
    rf"|\[\^[^\]]*\](?:{_DESTINATION})?"
    r"|\[[^\[\]]*\](?!\(|\[[^\]])"
    r"|<[A-Za-z/!?][^<>]*>"
    r"|&#?[A-Za-z0-9]+;"
    r"|\\."
    # printf and Python %-directives: %s, %5.2f, %1$d, %(name)s (over-matching "50% d" only keeps a letter)
    r"|%(?:\([^)]*\)|\d+\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcsprnm%]"
    r"|\{[^{}\s]*\}"  # str.format and ICU-style placeholders: {}, {0}, {name}
)


def map_prose(text: str, change: Callable[[str], str]) -> str:
    """``text`` with ``change`` applied to every stretch outside markup and placeholders."""
    pieces = []
    position = 0
    for match in PROTECTED.finditer(text):
        pieces.append(change(text[position:match.start()]))
        pieces.append(match.group())
        position = match.end()
    pieces.append(change(text[position:]))
    return "".join(pieces)


def _prose_length(text: str) -> int:
    return len(re.sub(r"\s+", " ", PROTECTED.sub("", text)).strip())


# -- en-XA ---------------------------------------------------------------------------------------

_ACCENTED = dict(zip(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŦÛṼŴẊÝŽ",
))
# Words that make a text longer, as Chromium's and Android's pseudo-locales add them:
# they wrap where a translation would, unlike a run of one character.
_PADDING = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
EXPANSION = 0.3


def accented(text: str, *, markdown: bool = False) -> str:
    """``text`` accented, about 30% longer and bracketed: ``[Ŧĥé ŵéàţĥéŕ one two]``.

    In Markdown the brackets are escaped (``\\[``), so that they can never
    make a link, a footnote reference or a link reference definition.
    """
    if not text.strip():
        return text
    body = map_prose(text, lambda prose: prose.translate(str.maketrans(_ACCENTED)))
    wanted = math.ceil(_prose_length(text) * EXPANSION)
    padding: list[str] = []
    while wanted > 0:
        word = _PADDING[len(padding) % len(_PADDING)]
        padding.append(word)
        wanted -= len(word) + 1
    opening, closing = (r"\[", r"\]") if markdown else ("[", "]")
    stripped = body.rstrip()
    trailing = body[len(stripped):]
    leading = stripped[: len(stripped) - len(stripped.lstrip())]
    return f"{leading}{opening}{stripped.lstrip()}{' ' if padding else ''}{' '.join(padding)}{closing}{trailing}"


# -- ar-XB ---------------------------------------------------------------------------------------

RLM = "\u200f"


def mirrored(text: str, *, markdown: bool = False) -> str:
    """``text`` for a right-to-left page: each run of letters backwards, between right-to-left marks.

    Digits keep their order (numbers read left to right in Arabic and Hebrew
    too); a combining accent stays on its letter.
    """
    return map_prose(text, _mirror_prose)


# Letters right after a "%" keep their order, so that mirroring never makes a directive ("%ÀA" into "%AÀ").
_AFTER_PERCENT = re.compile(r"%[-+ #0'\d.*]*$")


def _mirror_prose(text: str) -> str:
    pieces: list[str] = []
    run: list[str] = []  # letters with their combining marks, in order

    def close() -> None:
        if run:
            letters = run if _AFTER_PERCENT.search("".join(pieces[-16:])) else reversed(run)
            pieces.append(RLM + "".join(letters) + RLM)
            run.clear()

    for character in text:
        if unicodedata.combining(character) and run:
            run[-1] += character
        elif character.isalpha():
            run.append(character)
        else:
            close()
            pieces.append(character)
    close()
    return "".join(pieces)


# -- the pseudo-locales ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PseudoLocale:
    """A made-up language: its code (the ``build/`` folder and the pages' ``lang``), its name in
    the language links, its direction, and its text transform."""

    code: str
    name: str
    direction: str
    transform: Callable[..., str]


PSEUDO_LOCALES: dict[str, PseudoLocale] = {
    "en-XA": PseudoLocale("en-XA", "[Ƥšéûðö-Åççéñţš]", "ltr", accented),
    "ar-XB": PseudoLocale("ar-XB", mirrored("Pseudo-Bidi"), "rtl", mirrored),
}
# Dates, numbers and plural rules on pseudo pages are CLDR's for English, as on
# Chromium's and Android's pseudo-locales, whatever the source language.
CLDR_LOCALE = "en"


def cldr_code(code: str) -> str:
    """The locale whose CLDR data a page in ``code`` uses: a pseudo-locale's borrowed one, else itself."""
    return CLDR_LOCALE if code in PSEUDO_LOCALES else code


def pseudo_language(locale: PseudoLocale, source: Language) -> Language:
    """The pseudo-locale as a language of the site: the source language's plural rules, its own direction."""
    return Language(
        code=locale.code, plural_forms=source.plural_forms, nplurals=source.nplurals,
        described=(locale.name, locale.direction),
    )


def pseudo_catalog(template: Catalog, locale: PseudoLocale, *, language: Language, markdown: Callable[[Message], bool]) -> Catalog:
    """A catalog translating every message of ``template`` into ``locale``, none of them fuzzy.

    ``markdown`` tells the messages whose text is inline Markdown (an article's
    paragraphs, not its front matter or the site's strings).
    """
    messages = []
    for message in template.active:
        transform = lambda text, message=message: locale.transform(text, markdown=markdown(message))
        if message.msgid_plural:
            forms = {index: transform(message.msgid if index == 0 else message.msgid_plural)
                     for index in range(language.nplurals)}
            messages.append(replace(message, msgstr_plural=forms, flags=_unfuzzy(message.flags)))
        else:
            messages.append(replace(message, msgstr=transform(message.msgid), flags=_unfuzzy(message.flags)))
    metadata = {**template.metadata, "Language": locale.code, "Plural-Forms": language.plural_forms}
    return Catalog(messages=tuple(messages), metadata=metadata, header=template.header)


def _unfuzzy(flags: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(flag for flag in flags if flag != "fuzzy")
