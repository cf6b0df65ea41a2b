"""Counting a catalog's messages exactly as ``msgfmt --statistics`` does, and their words.

GNU msgfmt (``msgfmt_frob_new_message``) decides on the *first* form of the
msgstr, whatever the flags say:

- an entry whose ``msgstr`` (``msgstr[0]`` for a plural entry) is empty is
  *untranslated*, even when it is marked fuzzy;
- otherwise a fuzzy entry is *fuzzy*;
- otherwise it is *translated*, even when a later plural form is empty (the
  check ``E304`` reports that form).

The header entry (``msgid ""``) is not counted, unless its msgstr is empty:
msgfmt then counts it as one untranslated message (one per domain of a file
with ``domain`` directives). Obsolete (``#~``) entries are counted apart. Words are the msgid's (the source words, as Translate
Toolkit's pocount counts them): runs of non-space characters that hold a
letter or a digit, so that a dash standing alone is no word. A plural entry
counts the words of its singular msgid.
"""

from __future__ import annotations

import math
import re

from localize.model import Catalog, Counts, Message
from localize.pretranslate.provenance import is_unreviewed_machine_translation

TRANSLATED = "translated"
FUZZY = "fuzzy"
UNTRANSLATED = "untranslated"
OBSOLETE = "obsolete"

_WORD = re.compile(r"[^\W_]")


def message_state(message: Message) -> str:
    """``TRANSLATED``, ``FUZZY``, ``UNTRANSLATED`` or ``OBSOLETE``, as msgfmt decides."""
    if message.obsolete:
        return OBSOLETE
    if not first_form(message):
        return UNTRANSLATED
    return FUZZY if message.fuzzy else TRANSLATED


def first_form(message: Message) -> str:
    """The msgstr, or the first plural form of a plural entry."""
    if message.msgid_plural or message.msgstr_plural:
        return message.msgstr_plural.get(0, message.msgstr)
    return message.msgstr


def word_count(text: str) -> int:
    return sum(1 for word in text.split() if _WORD.search(word))


def count_messages(catalog: Catalog) -> Counts:
    """The counts of ``catalog``: message numbers agree with ``msgfmt --statistics``."""
    numbers = {TRANSLATED: 0, FUZZY: 0, UNTRANSLATED: 0, OBSOLETE: 0}
    words = {TRANSLATED: 0, FUZZY: 0, UNTRANSLATED: 0, OBSOLETE: 0}
    machine = 0
    for message in catalog.messages:
        state = message_state(message)
        numbers[state] += 1
        machine += state == FUZZY and is_unreviewed_machine_translation(message)
        words[state] += word_count(message.msgid)
    numbers[UNTRANSLATED] += sum(1 for text in catalog.header_msgstrs or () if not text)
    return Counts(
        translated=numbers[TRANSLATED],
        fuzzy=numbers[FUZZY],
        untranslated=numbers[UNTRANSLATED],
        obsolete=numbers[OBSOLETE],
        translated_words=words[TRANSLATED],
        fuzzy_words=words[FUZZY],
        untranslated_words=words[UNTRANSLATED],
        machine=machine,
    )


def format_percent(percent: float) -> str:
    """The one way a percentage is shown: rounded down, so that 100% means complete and an
    unpublished 79.9% is never shown as the 80% it misses."""
    return f"{math.floor(percent)}%"
