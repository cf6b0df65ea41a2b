"""Guessing an article's language from its text, for sources that do not declare it.

The guess only has to tell apart the languages this field meets most
(English and the other large Latin-script languages of Europe, Russian,
Ukrainian, Belarusian) and to say nothing when unsure: the result is checked
against the project's source language, and a wrong certainty would stop an
import that should go on. Letters that only one Cyrillic language uses tell
those apart; for Latin scripts, the share of each language's commonest
words does. A declared ``lang`` is trusted unless the text is in another
script altogether (a Russian-language site frame around an English article).
"""

from __future__ import annotations

import re
from collections import Counter

from localize.language import primary_subtag

_WORD = re.compile(r"[^\W\d_]+")
_MIN_LETTERS = 40
_MIN_SHARE = 0.12

_CYRILLIC_MARKERS = {
    "uk": "іїєґ",
    "ru": "ыэъё",
    "be": "ў",
}
_CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "mn", "tg"})

_COMMON_WORDS = {
    "en": "the of and to in is that for on with was as it by at from he she they are be has have this an said",
    "de": "der die und das ist nicht mit den von sich des auf für ein eine dem im auch es zu wird sie",
    "fr": "le la les et des est une dans pour que qui pas sur au du un il elle par avec ce sont",
    "es": "el la los las y que en por una del para con se no es al lo su como más fue",
    "it": "il di che la e per non una del della sono con si le gli da è al nel anche",
    "pt": "o a os as e que de do da em um uma para com não por se no na é foi",
    "pl": "i w się nie na że to jest z do o jak ale po od tak przez być dla",
}
_COMMON = {language: frozenset(words.split()) for language, words in _COMMON_WORDS.items()}


def detect_language(text: str) -> str | None:
    """The language of ``text`` as a two-letter code, or None when the text does not say clearly."""
    script = _script(text)
    if script == "cyrillic":
        return _cyrillic_language(text.lower())
    if script == "latin":
        return _latin_language(text.lower())
    return None


def page_language(declared: str | None, text: str) -> str | None:
    """The language of a page that declares ``declared`` (its ``lang``), checked against its text."""
    primary = _usable_subtag(declared) if declared else None
    script = _script(text)
    if primary is not None:
        declared_cyrillic = primary in _CYRILLIC_LANGUAGES
        if script is None or (script == "cyrillic") == declared_cyrillic:
            return primary
    return detect_language(text)


def _usable_subtag(code: str) -> str | None:
    """``en`` for ``en-GB``, ``en_GB`` or ``EN``; None for nothing usable."""
    primary = primary_subtag(code)
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _script(text: str) -> str | None:
    counts = Counter(_letter_script(char) for char in text if char.isalpha())
    counts.pop(None, None)
    total = sum(counts.values())
    if total < _MIN_LETTERS:
        return None
    script, count = counts.most_common(1)[0]
    return script if count >= total * 0.6 else None


def _letter_script(char: str) -> str | None:
    code = ord(char)
    if code < 0x250:
        return "latin"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    return None


def _cyrillic_language(text: str) -> str | None:
    scores = {language: sum(text.count(letter) for letter in letters) for language, letters in _CYRILLIC_MARKERS.items()}
    best = max(scores, key=lambda language: scores[language])
    ranked = sorted(scores.values(), reverse=True)
    return best if ranked[0] > 0 and ranked[0] >= 2 * ranked[1] else None


def _latin_language(text: str) -> str | None:
    words = _WORD.findall(text)[:3000]
    if not words:
        return None
    shares = {language: sum(word in common for word in words) / len(words) for language, common in _COMMON.items()}
    ranked = sorted(shares, key=lambda language: shares[language], reverse=True)
    best, second = ranked[0], ranked[1]
    if shares[best] >= _MIN_SHARE and shares[best] >= 1.5 * shares[second]:
        return best
    return None


# Chinese, Japanese, Thai, Lao, Khmer, Myanmar and Tibetan put no spaces between words: there
# a word is taken as this many characters (a Chinese word averages under two).
_CHARACTERS_PER_WORD = 2
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
# The end of a sentence in any script, before closing quotes or brackets.
_SENTENCE_END = re.compile("[.!?…。！？｡؟۔।॥።፧։][\"'”’»)\\]」』）]*$")


def word_count(text: str) -> int:
    """Words of ``text``: its space-separated words with a letter or digit, where a run of Chinese,
    Japanese or Thai characters counts one word per ``_CHARACTERS_PER_WORD`` characters."""
    count = 0
    for token in text.split():
        unspaced = len(_UNSPACED.findall(token))
        if unspaced:
            rest = _UNSPACED.sub("", token)
            count += -(-unspaced // _CHARACTERS_PER_WORD) + (1 if _LETTER_OR_DIGIT.search(rest) else 0)
        elif _LETTER_OR_DIGIT.search(token):
            count += 1
    return count


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends as a sentence does, in any script ("。", "؟", "।" included)."""
    return _SENTENCE_END.search(text.rstrip()) is not None
