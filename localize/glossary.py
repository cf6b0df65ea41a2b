"""The newsroom's glossary: terms that must be translated one way, and translations that must not be used.

A language's glossary lives in the content tree as ``glossary/LANG.csv``
(header ``term,translation,note,status``) or ``glossary/LANG.tbx`` (TBX,
ISO 30042: TBX-Basic or TBX-Core, v2 ``<termEntry>/<langSet>/<tig>`` or v3
``<conceptEntry>/<langSec>/<termSec>``); both are read when both are there.
A row's ``status`` is TBX's normative authorization: ``preferred`` (the
default), ``admitted``, or ``forbidden`` (a translation that must not be used:
Киев for Kyiv in Ukrainian).

Slavic languages inflect names (Київ, Києва, Києві), so a cell may list the
forms of a term separated by ``|``, and each form also matches words that
differ from it only in a short ending (``Зеленський`` finds ``Зеленського``).
English words match with a possessive or plural ending only (``Kyiv's``), so
that ``Rada`` never finds ``radar``. Words written in capitals (``NATO``,
``ЗСУ``) match in capitals only, so that ``US`` never finds "us". Where two
terms overlap in a text (``Kyiv`` in ``Kyiv Oblast``), the longer one counts.

The public face, for the checks, extract and machine translation:
``load_glossary(config, language) -> Glossary`` (in ``localize.termbase``, which reads
and writes the files) and ``Glossary.terms_in(text) -> list[Term]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from localize.errors import LocalizeError
from localize.language import primary_subtag
from localize.model import Catalog

GLOSSARY_FOLDER = "glossary"
PREFERRED = "preferred"
ADMITTED = "admitted"
FORBIDDEN = "forbidden"
STATUSES = (PREFERRED, ADMITTED, FORBIDDEN)
CSV_COLUMNS = ("term", "translation", "note", "status")
FORM_SEPARATOR = "|"


class GlossaryError(LocalizeError):
    """A glossary file that cannot be read."""


@dataclass(frozen=True)
class Term:
    """One row of a glossary: a source term and one translation of it, with its status.

    ``term`` and ``translation`` are the first forms of their cells; ``term_forms``
    and ``translation_forms`` every form the cell lists (the first included).
    """

    term: str
    translation: str
    status: str = PREFERRED
    note: str = ""
    term_forms: tuple[str, ...] = ()
    translation_forms: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)

    @property
    def approved(self) -> bool:
        return self.status != FORBIDDEN

    @property
    def term_cell(self) -> str:
        return FORM_SEPARATOR.join(self.term_forms or (self.term,))

    @property
    def translation_cell(self) -> str:
        return FORM_SEPARATOR.join(self.translation_forms or (self.translation,))


def make_term(term_cell: str, translation_cell: str, *, status: str = PREFERRED, note: str = "",
              line: int | None = None) -> Term:
    """A Term from two cells that may list forms (``Київ|Києва``); blank forms are dropped."""
    term_forms = _forms(term_cell)
    translation_forms = _forms(translation_cell)
    return Term(
        term=term_forms[0] if term_forms else "", translation=translation_forms[0] if translation_forms else "",
        status=status, note=note.strip(), term_forms=term_forms, translation_forms=translation_forms, line=line,
    )


def _forms(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(" ".join(form.split()) for form in cell.split(FORM_SEPARATOR) if form.strip()))


# -- matching ------------------------------------------------------------------------------

# Apostrophes of Ukrainian (м’ята, Кам'янське) and English (Kyiv’s) are one character to the
# matcher, as are ё and е (Russian copy writes either); the mapping keeps every offset.
_NORMALIZE = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "ё": "е", "Ё": "Е"})
# Letters a word's ending may start with, dropped (at most two) to find its stem.
_ENDINGS = frozenset("аеиоуыэюяєіїйьъaeiouyąęó")
_MAX_ENDING = 3
# What is not prose in a Markdown msgid: link targets, tags, code spans, footnote labels, bare URLs.
_NOT_PROSE = re.compile(r"\]\([^)]*\)|<[^>]*>|`[^`]*`|\[\^[^\]]*\]|https?://\S+")
_WORD = re.compile(r"\w+")
# Languages whose words take a short English ending only.
_LIGHT_MORPHOLOGY = frozenset({"en"})


def prose(text: str) -> str:
    """``text`` with its non-prose parts blanked, offsets kept: what terms are looked for in."""
    return _NOT_PROSE.sub(lambda match: " " * len(match.group(0)), text).translate(_NORMALIZE)


def _stem(word: str) -> str:
    stem = word
    for _ in range(2):
        if stem and stem[-1].lower() in _ENDINGS:
            stem = stem[:-1]
    return stem


def _is_acronym(word: str) -> bool:
    letters = [character for character in word if character.isalpha()]
    return len(letters) >= 2 and all(character.isupper() for character in letters)


def _word_pattern(word: str, *, light: bool, min_stem: int) -> str:
    if _is_acronym(word):
        return f"(?-i:{re.escape(word)})" + (r"(?:'s|s)?" if light else "")
    if light:
        return re.escape(word) + r"(?:'s|'|s|es)?"
    stem = _stem(word)
    if len(stem) >= min_stem and stem[-1].isalpha():
        return re.escape(stem) + rf"[^\W\d_]{{0,{_MAX_ENDING}}}"
    return re.escape(word)


def _form_pattern(form: str, *, light: bool) -> str:
    words = form.translate(_NORMALIZE).split()
    # A word of a longer name is pinned by its neighbours: its stem may be shorter (Верховної Ради).
    min_stem = 4 if len(words) == 1 else 3
    return r"\s+".join(_word_pattern(word, light=light, min_stem=min_stem) for word in words)


def _compile(forms: Iterable[str], *, light: bool) -> re.Pattern[str]:
    alternatives = sorted({_form_pattern(form, light=light) for form in forms}, key=lambda p: (-len(p), p))
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


_KEY_LENGTH = 5


def _literal_start(form: str, *, light: bool) -> str:
    """The text every match of ``form`` starts with: its first word, or that word's stem."""
    words = form.translate(_NORMALIZE).split()
    if not words:
        return ""
    word = words[0]
    if not (_is_acronym(word) or light):
        stem = _stem(word)
        if len(stem) >= (4 if len(words) == 1 else 3) and stem[-1].isalpha():
            word = stem
    first = _WORD.match(word)
    return first.group(0) if first else ""


def _keys(forms: Iterable[str], *, light: bool) -> set[str]:
    """The first letters (up to five) of each form's matches: a text without a word that starts
    so cannot match."""
    return {_literal_start(form, light=light)[:_KEY_LENGTH].casefold() for form in forms}


class _Matcher:
    """Finds any of many groups of forms in a text, looking only at groups that could be there."""

    def __init__(self, groups: list[tuple[str, ...]], *, light: bool) -> None:
        self.patterns = [_compile(forms, light=light) for forms in groups]
        self.by_key: dict[str, list[int]] = {}
        self.always: list[int] = []  # forms that start with no letter: looked for in every text
        for index, forms in enumerate(groups):
            for key in _keys(forms, light=light):
                if key:
                    self.by_key.setdefault(key, []).append(index)
                else:
                    self.always.append(index)
        self.lengths = sorted({len(key) for key in self.by_key})

    def spans(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, group) of every match in ``text`` (already ``prose``)."""
        candidates = set(self.always)
        for word in {word[:_KEY_LENGTH].casefold() for word in _WORD.findall(text)}:
            for length in self.lengths:
                found = self.by_key.get(word[:length])
                if found:
                    candidates.update(found)
        return [
            (match.start(), match.end(), index)
            for index in sorted(candidates) for match in self.patterns[index].finditer(text)
        ]


def _longest_first(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The spans that no longer overlapping span covers, in text order."""
    kept: list[tuple[int, int, int]] = []
    for start, end, index in sorted(spans, key=lambda span: (span[0] - span[1], span[0], span[2])):
        if all(end <= other_start or start >= other_end for other_start, other_end, _ in kept):
            kept.append((start, end, index))
    return sorted(kept)


@dataclass(frozen=True)
class ForbiddenUse:
    """A forbidden translation found in a text: the glossary row and the words as written."""

    term: Term
    found: str


@dataclass(frozen=True)
class Glossary:
    """One language's glossary. ``path`` is the file as shown to the user (None when there is none)."""

    language: str
    source_language: str = "en"
    terms: tuple[Term, ...] = ()
    paths: tuple[Path, ...] = ()
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Index(self))

    def __bool__(self) -> bool:
        return bool(self.terms)

    def terms_in(self, text: str) -> list[Term]:
        """The rows whose source term occurs in ``text`` (a msgid), in the order the terms first
        occur there; a term's rows preferred first, then admitted, then forbidden."""
        return [term for group in self._groups_in(text) for term in self._index.rows[group]]

    def _groups_in(self, text: str) -> list[int]:
        spans = _longest_first(self._index.source.spans(prose(text)))
        return list(dict.fromkeys(index for _, _, index in spans))

    def missing_translations(self, source: str, translation: str) -> list[list[Term]]:
        """For each term of ``source`` with approved translations, those rows when none of
        their forms is in ``translation``."""
        text = prose(translation)
        missing = []
        for group in self._groups_in(source):
            approved = [term for term in self._index.rows[group] if term.approved]
            if approved and not self._index.approved_pattern(group).search(text):
                missing.append(approved)
        return missing

    def forbidden_in(self, translation: str, *, source: str = "") -> list[ForbiddenUse]:
        """Forbidden translations used in ``translation``. Words the ``source`` has too are left
        alone (a name or a title kept as written), and so are an approved form's words."""
        text = prose(translation)
        source_words = {word.casefold() for word in _WORD.findall(prose(source))}
        found = []
        for start, end, index in _longest_first(self._index.forbidden.spans(text)):
            words = text[start:end]
            term = self._index.forbidden_terms[index]
            if {word.casefold() for word in _WORD.findall(words)} <= source_words:
                continue
            if any(" ".join(words.split()).casefold() == form.translate(_NORMALIZE).casefold()
                   for form in self._index.approved_forms):
                continue
            found.append(ForbiddenUse(term, translation[start:end]))
        return found

    def approved_for(self, term: Term) -> list[Term]:
        """The approved rows of ``term``'s source term: what to write instead of a forbidden one."""
        return [row for row in self.terms if row.term_forms == term.term_forms and row.approved]

    def comment_for(self, text: str) -> str | None:
        """The extracted comment that shows translators the glossary's terms of ``text``:
        ``Glossary: Kyiv → Київ (preferred), Киев ✗``; None when it has none."""
        parts = []
        for group in self._groups_in(text):
            rows = self._index.rows[group]
            shown = [_shown(term) for term in rows]
            parts.append(f"{rows[0].term} → {', '.join(shown)}")
        return COMMENT_PREFIX + "; ".join(parts) if parts else None


COMMENT_PREFIX = "Glossary: "


def annotate_catalog(catalog: Catalog, glossary: Glossary | None) -> Catalog:
    """``catalog`` with each active entry's glossary terms as its last extracted comment line.

    Any ``Glossary:`` line the entries had is replaced, so annotating twice changes nothing.
    """
    if not glossary:
        return catalog
    messages = []
    for message in catalog.messages:
        if message.obsolete:
            messages.append(message)
            continue
        lines = [line for line in message.comment.split("\n") if not line.startswith(COMMENT_PREFIX)] \
            if message.comment else []
        shown = glossary.comment_for("\n".join(filter(None, (message.msgid, message.msgid_plural))))
        if shown:
            lines.append(shown)
        comment = "\n".join(lines)
        messages.append(message if comment == message.comment else replace(message, comment=comment))
    return replace(catalog, messages=tuple(messages))


def _shown(term: Term) -> str:
    if term.status == FORBIDDEN:
        return f"{term.translation} ✗" + (f" ({term.note})" if term.note else "")
    return f"{term.translation} ({term.status}{': ' + term.note if term.note else ''})"


class _Index:
    """The compiled matchers of a glossary, built once."""

    def __init__(self, glossary: Glossary) -> None:
        source_light = primary_subtag(glossary.source_language) in _LIGHT_MORPHOLOGY
        self.target_light = primary_subtag(glossary.language) in _LIGHT_MORPHOLOGY
        groups: dict[tuple[str, ...], list[Term]] = {}
        for term in glossary.terms:
            groups.setdefault(term.term_forms, []).append(term)
        order = {status: rank for rank, status in enumerate(STATUSES)}
        self.rows = [sorted(rows, key=lambda term: order[term.status]) for rows in groups.values()]
        self.source = _Matcher(list(groups), light=source_light)
        self.forbidden_terms = [term for term in glossary.terms if term.status == FORBIDDEN]
        self.forbidden = _Matcher([term.translation_forms for term in self.forbidden_terms], light=self.target_light)
        self.approved_forms = {form for term in glossary.terms if term.approved for form in term.translation_forms}
        self._approved: dict[int, re.Pattern[str]] = {}

    def approved_pattern(self, group: int) -> re.Pattern[str]:
        if group not in self._approved:
            forms = [form for term in self.rows[group] if term.approved for form in term.translation_forms]
            self._approved[group] = _compile(forms, light=self.target_light)
        return self._approved[group]
