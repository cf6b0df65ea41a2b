"""The style checks: warnings about a translation's typography, numbers and length (W1xx, W2xx).

Each is a plain function of a message and the catalog it stands in
(``localize.checks`` lists them in ``MESSAGE_CHECKS`` and runs them); none
looks at markup or placeholders, which are errors and live in ``checks``.
They leave out GNOME's and KDE's translator credits, whose msgstr is a list of
names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from localize.language import primary_subtag
from localize.model import Message
from localize.statistics import TRANSLATED, message_state

if TYPE_CHECKING:
    from localize.checks import Problem
    from localize.checks import _Subject as Subject

# Double quotation marks a language's typography uses, by primary language subtag
# (single quotes are left alone: they double as apostrophes). [tool.localize.quotes]
# overrides an entry; a language not listed is not checked. Japanese set horizontally
# takes “ ” as well as 「 」 (GNOME's Japanese team writes “%s”).
QUOTES: dict[str, str] = {
    "en": "“”\"", "ru": "«»„“", "uk": "«»„“", "be": "«»„“", "bg": "„“«»", "sr": "„“”»«", "mk": "„“",
    "de": "„“»«", "pl": "„”«»", "cs": "„“»«", "sk": "„“»«", "sl": "„“»«", "hr": "„”»«", "hu": "„”»«",
    "ro": "„”«»", "lt": "„“", "lv": "«»„“", "et": "„“", "ka": "„“", "fr": "«»“”", "es": "«»“”",
    "it": "«»“”", "pt": "«»“”", "ca": "«»“”", "nl": "“”„", "sv": "””»", "fi": "””»", "da": "»«„“",
    "nb": "«»“”", "no": "«»“”", "tr": "“”«»", "el": "«»“”", "hy": "«»", "kk": "«»„“", "ky": "«»„“",
    "az": "“”«»", "ja": "「」『』“”", "zh": "“”「」『』", "ko": "“”「」", "ar": "«»“”", "he": "\"„”“״",
}
_QUOTE_MARKS = "\"“”„‟«»‹›「」『』"


# Entries whose translation is a list of names, not a translation of the msgid:
# GNOME's "translator-credits", KDE's "Your names" and "Your emails".
_CREDITS_MSGIDS = frozenset({"translator-credits", "translator_credits", "TRANSLATOR-CREDITS"})
_CREDITS_CONTEXTS = frozenset({"NAME OF TRANSLATORS", "EMAIL OF TRANSLATORS"})


def is_prose_translation(message: Message) -> bool:
    """A translated message whose text the W1xx and W2xx checks compare with its msgid's."""
    return (
        message_state(message) == TRANSLATED
        and message.msgid not in _CREDITS_MSGIDS
        and message.msgctxt not in _CREDITS_CONTEXTS
    )


def check_untranslated(message: Message, subject: Subject) -> Iterator[Problem]:
    """W101: a long text copied unchanged is most likely not translated."""
    if not is_prose_translation(message) or message.msgid_plural:
        return
    language = subject.language
    if language is None or primary_subtag(language.code) == primary_subtag(subject.context.source_language):
        return
    if message.msgstr == message.msgid and sum(1 for word in message.msgid.split() if re.search(r"[^\W\d_]", word)) >= 5:
        yield "W101", "the translation is the msgid unchanged: left untranslated?"


_NUMBER = re.compile(r"\d+(?:[.,:\u00a0\u202f\u2009' ]\d+)*")
_NOT_PROSE = re.compile(r"\]\([^)]*\)|<[^>]*>|`[^`]*`|\[\^[^\]]*\]")


# An ISO date of the msgid may be written the language's way, the month by its name
# ("2006-04-08" as "8 квітня 2006 року"): its year and day must stay, not its month.
_ISO_DATE = re.compile(r"\b(\d{4})-\d{2}-(\d{2})\b")


def _numbers(text: str) -> tuple[list[str], set[str]]:
    """The numbers of ``text`` (link targets, tags and code left out), and every form they may
    take in a translation: the whole digits (``1,000`` as ``1000``) and each group, leading
    zeros aside (``08`` as ``8``)."""
    tokens = _NUMBER.findall(_NOT_PROSE.sub(" ", text))
    forms = set()
    for token in tokens:
        groups = re.findall(r"\d+", token)
        forms.update(_value(group) for group in groups)
        forms.add(_value("".join(groups)))
    return tokens, forms


def _value(digits: str) -> str:
    return digits.lstrip("0") or "0"


def check_numbers(message: Message, subject: Subject) -> Iterator[Problem]:
    """W102: every number of the msgid appears in the translation (its separators may change)."""
    if not is_prose_translation(message):
        return
    for source, translation in message.text_pairs():
        tokens, _ = _numbers(_ISO_DATE.sub(r"\1 \2", source))
        _, available = _numbers(translation)
        missing = [
            token for token in dict.fromkeys(tokens)
            if _value("".join(re.findall(r"\d+", token))) not in available
            and not all(_value(group) in available for group in re.findall(r"\d+", token))
        ]
        if missing:
            yield "W102", "number(s) of the msgid missing from the translation: " + ", ".join(missing)
            return


def check_whitespace(message: Message, subject: Subject) -> Iterator[Problem]:
    """W201 leading/trailing whitespace, W203 doubled spaces."""
    if not is_prose_translation(message):
        return
    for source, translation in message.text_pairs():
        if not translation.strip():
            # A translation of blanks only stands for "nothing" where an empty
            # msgstr would mean untranslated (an ordinal suffix in Arabic).
            continue
        lead = (_leading(source), _leading(translation))
        trail = (_trailing(source), _trailing(translation))
        if lead[0] != lead[1] or trail[0] != trail[1]:
            where = " and ".join(
                name for name, (one, other) in (("leading", lead), ("trailing", trail)) if one != other
            )
            yield "W201", f"{where} whitespace differs from the msgid's"
            break
    for source, translation in message.text_pairs():
        if "  " in translation.strip() and "  " not in source.strip():
            yield "W203", "doubled spaces in the translation"
            break


def _leading(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _trailing(text: str) -> str:
    return text[len(text.rstrip()):]


_CLOSERS = "\"'»«“”„’‘›‹)]}」』*_"
_TERMINAL = {
    ".": ".", "…": ".", "。": ".", "｡": ".", "।": ".", "۔": ".", "։": ".",
    "?": "?", "？": "?", "؟": "?", "!": "!", "！": "!", ":": ":", "：": ":", ";": ";", "；": ";",
}
# Scripts whose sentences need no final mark.
_NO_FINAL_PUNCTUATION = {"th", "lo", "km", "my", "bo"}


_TRAILING_FOOTNOTES = re.compile(r"(?:\[\^[^\]\s]+\])+$")


def _final_punctuation(text: str, language: str | None) -> frozenset[str]:
    tail = []
    for character in reversed(_TRAILING_FOOTNOTES.sub("", text.rstrip())):
        if character in _CLOSERS or character in _TERMINAL:
            tail.append(character)
        else:
            break
    marks = {_TERMINAL[character] for character in tail if character in _TERMINAL}
    if language == "el" and ";" in marks:  # the Greek question mark
        marks = (marks - {";"}) | {"?"}
    return frozenset(marks)


# A text that ends with an abbreviation ("6 a.m.", "U.S.A.", "и т. д.", "etc."): its
# final dot is the abbreviation's, not a full stop the translation must keep.
_ABBREVIATION_END = re.compile(
    r"(?:(?<![^\W\d_])[^\W\d_]{1,3}\.\s?){2,}$|(?<![^\W\d_])(?:etc|usw|ecc|ktp|inc|ltd|vs|al|cf)\.$",
    re.IGNORECASE,
)


def _without_abbreviation_dot(text: str, marks: frozenset[str]) -> frozenset[str]:
    """``marks`` less the full stop when it is the dot of an abbreviation ending ``text``."""
    tail = _TRAILING_FOOTNOTES.sub("", text.rstrip()).rstrip(_CLOSERS)
    return marks - {"."} if _ABBREVIATION_END.search(tail) else marks


def check_final_punctuation(message: Message, subject: Subject) -> Iterator[Problem]:
    """W202: a sentence that ends with a full stop (question, colon...) ends so in translation."""
    if not is_prose_translation(message):
        return
    language = primary_subtag(subject.language.code) if subject.language else None
    if language in _NO_FINAL_PUNCTUATION:
        return
    for source, translation in message.text_pairs():
        source_marks = _final_punctuation(source, None)
        translation_marks = _final_punctuation(translation, language)
        if source_marks != translation_marks and _without_abbreviation_dot(
            source, source_marks
        ) != _without_abbreviation_dot(translation, translation_marks):
            shown = lambda marks: " ".join(sorted(marks)) or "none"  # noqa: E731
            yield "W202", (
                f"final punctuation differs: {shown(source_marks)} in the msgid, "
                f"{shown(translation_marks)} in the translation"
            )
            return


def quotes_for(language: str, overrides: Mapping[str, str]) -> str | None:
    """The quotation marks usual in ``language``, or None when unknown (then not checked)."""
    for key in (language, primary_subtag(language)):
        if key in overrides:
            return overrides[key]
    return QUOTES.get(primary_subtag(language))


def check_quotes(message: Message, subject: Subject) -> Iterator[Problem]:
    """W204: quotation marks of another typography (“English” quotes in a Russian text)."""
    if not is_prose_translation(message) or subject.language is None:
        return
    allowed = quotes_for(subject.language.code, subject.context.quotes)
    if allowed is None:
        return
    unusual = set()
    for _, translation in message.text_pairs():
        prose = _NOT_PROSE.sub(" ", translation)
        unusual.update(mark for mark in prose if mark in _QUOTE_MARKS and mark not in allowed)
    if unusual:
        yield "W204", (
            f"quotation marks {' '.join(sorted(unusual))} are unusual in {subject.language.code}: "
            f"use {' '.join(allowed) or 'none'}"
        )


def check_length(message: Message, subject: Subject) -> Iterator[Problem]:
    """W205: a translation far longer or shorter than the msgid is often cut or doubled."""
    if not is_prose_translation(message):
        return
    compact = subject.language is not None and primary_subtag(subject.language.code) in ("zh", "ja", "ko")
    low, high = (0.15 if compact else 0.33), 3.0
    for source, translation in message.text_pairs():
        if len(source) < 20:
            continue
        ratio = len(translation) / len(source)
        if not low <= ratio <= high:
            yield "W205", f"the translation is {ratio:.1f} times as long as the msgid"
            return
