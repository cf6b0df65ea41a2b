"""Article slugs: the date and a few words of the title, in lower-case ASCII.

The slug names the article's file, its catalogs and its published pages in
every language, so it must survive any file system and URL unchanged.
Cyrillic titles are transliterated with the national romanizations that
Ukrainian and Russian newsrooms use in their own URLs ("Київ" is "kyiv",
"Щёлково" is "shchelkovo"); other Latin letters lose their accents.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from localize.errors import LocalizeError

MAX_WORDS = 6
MAX_LENGTH = 60
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_RUSSIAN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g u".split(),
    strict=True,
))
_UKRAINIAN = dict(_RUSSIAN, **dict(zip(
    "гиіїйєюяьъ",
    "h y i i i ie iu ia - -".split(),
    strict=True,
)))
# Ukrainian writes these differently at the start of a word: "Ялта" is "yalta", "Київ" is "kyiv".
_UKRAINIAN_WORD_START = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_LATIN_EXTRA = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_ENGLISH_FILLER = frozenset(
    "a an the and or of to in on at for with by from into as is are was were be been it its this that".split()
)


def transliterate(text: str, *, language: str | None = None) -> str:
    """``text`` in lower-case ASCII letters, digits and whatever else ASCII it had."""
    table = _UKRAINIAN if language == "uk" else _RUSSIAN
    out: list[str] = []
    previous = ""
    for char in text.lower():
        if language == "uk" and char in _UKRAINIAN_WORD_START and not previous.isalpha():
            out.append(_UKRAINIAN_WORD_START[char])
        elif char in table:
            out.append(table[char].replace("-", ""))
        elif char in _LATIN_EXTRA:
            out.append(_LATIN_EXTRA[char])
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in decomposed if c.isascii() and not unicodedata.combining(c)))
        previous = char
    return "".join(out)


def make_slug(title: str, *, day: date | datetime | None, language: str | None) -> str:
    """``2022-06-27-missiles-hitting-kyiv-russia-wants-bring`` for a title and a date."""
    words = re.findall(r"[a-z0-9]+", transliterate(title.replace("'", "").replace("’", ""), language=language))
    if language in (None, "en"):
        words = [word for word in words if word not in _ENGLISH_FILLER] or words
    kept: list[str] = []
    for word in words[:MAX_WORDS]:
        if kept and len("-".join([*kept, word])) > MAX_LENGTH:
            break
        kept.append(word[:MAX_LENGTH])
    prefix = [day.date().isoformat() if isinstance(day, datetime) else day.isoformat()] if day else []
    return "-".join(prefix + kept) or "article"


def check_slug(slug: str) -> str:
    """``slug`` if it is lower-case ASCII words joined by hyphens, else a LocalizeError."""
    if not SLUG_PATTERN.fullmatch(slug):
        raise LocalizeError(
            f"invalid slug {slug!r}: use lower-case letters, digits and hyphens, such as 2022-06-27-kyiv-missiles"
        )
    return slug
