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
``load_glossary(config, language) -> Glossary`` and ``Glossary.terms_in(text) -> list[Term]``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat

from localize.errors import LocalizeError
from localize.files import write_if_changed, write_text_atomic
from localize.language import bcp47, primary_subtag, project_language
from localize.model import Catalog

if TYPE_CHECKING:
    from localize.config import Config

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


# -- reading -------------------------------------------------------------------------------

def glossary_paths(config: Config, language: str) -> tuple[Path, ...]:
    """The language's glossary files that exist: ``glossary/LANG.csv``, then ``glossary/LANG.tbx``."""
    folder = config.project_dir / GLOSSARY_FOLDER
    return tuple(path for suffix in (".csv", ".tbx") if (path := folder / f"{language}{suffix}").is_file())


def glossary_files(config: Config) -> tuple[Path, ...]:
    """Every glossary file of the content tree, sorted: what decides the comments extract writes."""
    folder = config.project_dir / GLOSSARY_FOLDER
    if not folder.is_dir():
        return ()
    return tuple(sorted(path for path in folder.iterdir() if path.suffix in (".csv", ".tbx") and path.is_file()))


def load_glossary(config: Config, language: str) -> Glossary:
    """The glossary of ``language`` (empty when the content tree has none); a GlossaryError
    names the file and line of the first problem."""
    terms: list[Term] = []
    paths = glossary_paths(config, language)
    for path in paths:
        shown = config.relative(path)
        if path.suffix == ".csv":
            terms.extend(read_csv(path, shown=shown))
        else:
            found = read_tbx(path, shown=shown, source_language=config.source_language)
            terms.extend(
                term for code, rows in found.items() if project_language((language,), code) == language for term in rows
            )
    return Glossary(language=language, source_language=config.source_language, terms=tuple(terms),
                    paths=tuple(config.relative(path) for path in paths))


def read_csv(path: Path, *, shown: Path | None = None) -> list[Term]:
    """The rows of a glossary CSV file (UTF-8, with or without a BOM; any line ending)."""
    shown = shown or path
    try:
        data = path.read_bytes()
    except OSError as error:
        raise GlossaryError(f"cannot read: {error.strerror}", path=shown) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GlossaryError("not UTF-8: save the glossary as UTF-8", path=shown, line=line) from None
    return parse_csv(text, shown=shown)


def parse_csv(text: str, *, shown: Path) -> list[Term]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    terms: list[Term] = []
    seen: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
    try:
        header = next(reader, None)
        if header is None:
            return []
        columns = [name.strip().lower() for name in header]
        missing = [name for name in ("term", "translation") if name not in columns]
        if missing:
            raise GlossaryError(
                f"the header must name the columns {','.join(CSV_COLUMNS)} (missing: {', '.join(missing)})",
                path=shown, line=1,
            )
        unknown = [name for name in columns if name not in CSV_COLUMNS]
        if unknown or len(set(columns)) != len(columns):
            raise GlossaryError(f"unknown or repeated column(s) in the header: {', '.join(unknown or columns)}; "
                                f"expected {','.join(CSV_COLUMNS)}", path=shown, line=1)
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                raise GlossaryError(f"{len(row)} field(s), the header has {len(columns)}", path=shown, line=line)
            cells = dict(zip(columns, row))
            status = cells.get("status", "").strip().lower() or PREFERRED
            if status not in STATUSES:
                raise GlossaryError(f"unknown status {cells['status'].strip()!r}: use {', '.join(STATUSES)}",
                                    path=shown, line=line)
            term = make_term(cells["term"], cells["translation"], status=status, note=cells.get("note", ""), line=line)
            if not term.term_forms:
                raise GlossaryError("the term is empty", path=shown, line=line)
            if not term.translation_forms:
                raise GlossaryError(f"no translation for {term.term!r}", path=shown, line=line)
            key = (term.term_forms, term.translation_forms)
            if key in seen:
                raise GlossaryError(f"{term.term} → {term.translation} is already at line {seen[key]}",
                                    path=shown, line=line)
            seen[key] = line
            terms.append(term)
    except csv.Error as error:
        raise GlossaryError(f"not valid CSV: {error}", path=shown, line=reader.line_num or None) from None
    return terms


def format_csv(terms: Iterable[Term]) -> str:
    """A glossary CSV file: the header, then the rows sorted by term, status and translation."""
    order = {status: rank for rank, status in enumerate(STATUSES)}
    rows = sorted(
        terms,
        key=lambda term: (term.term.casefold(), term.term_cell, order[term.status], term.translation.casefold(),
                          term.translation_cell, term.note),
    )
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for term in rows:
        writer.writerow((term.term_cell, term.translation_cell, term.note, term.status))
    return output.getvalue()


# -- TBX -------------------------------------------------------------------------------------

XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
# administrativeStatus (TBX-Basic, TBX v3) and normativeAuthorization (older TBX) values.
_TBX_STATUSES = {
    "preferredterm": PREFERRED, "standardizedterm": PREFERRED, "legalterm": PREFERRED, "regulatedterm": PREFERRED,
    "admittedterm": ADMITTED,
    "deprecatedterm": FORBIDDEN, "supersededterm": FORBIDDEN, "notrecommended": FORBIDDEN,
}
_STATUS_VALUES = {PREFERRED: "preferredTerm-admn-sts", ADMITTED: "admittedTerm-admn-sts", FORBIDDEN: "deprecatedTerm-admn-sts"}
_STATUS_CATEGORIES = ("administrativeStatus", "normativeAuthorization")


@dataclass
class _Node:
    """An XML element as the TBX reader needs it: local name, attributes, children, text, line."""

    tag: str
    attributes: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def find(self, *tags: str) -> Iterator[_Node]:
        return (child for child in self.children if child.tag in tags)

    def content(self) -> str:
        return " ".join("".join(self.text + [child.content() for child in self.children]).split())


def _parse_xml(data: bytes, *, shown: Path) -> _Node:
    """Parse with expat, refusing every entity declaration (a billion laughs) and never loading
    an external entity or DTD: a glossary is data, and a DOCTYPE naming the TBX DTD is fine."""
    parser = expat.ParserCreate(namespace_separator="}")
    stack: list[_Node] = []
    root: list[_Node] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        node = _Node(_local(name), {_attribute(key): value for key, value in attributes.items()},
                     parser.CurrentLineNumber)
        (stack[-1].children if stack else root).append(node)
        stack.append(node)

    def end(name: str) -> None:
        stack.pop()

    def data_(text: str) -> None:
        if stack:
            stack[-1].text.append(text)

    def refuse(*arguments: object) -> None:
        raise GlossaryError("entity declarations are not allowed in a glossary", path=shown,
                            line=parser.CurrentLineNumber)

    def no_external(*arguments: object) -> int:
        raise GlossaryError("external entities are not allowed in a glossary", path=shown,
                            line=parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data_
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = no_external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise GlossaryError(f"invalid XML: {expat.errors.messages[error.code]}", path=shown,
                            line=error.lineno) from None
    if not root:
        raise GlossaryError("invalid XML: no root element", path=shown)
    return root[0]


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attribute(name: str) -> str:
    return "xml:" + _local(name) if name.startswith(XML_NAMESPACE + "}") else _local(name)


def read_tbx(path: Path, *, shown: Path | None = None, source_language: str = "en") -> dict[str, list[Term]]:
    """The rows of a TBX file by target language (as the file spells it), translating from
    ``source_language``. A concept without a term in the source language gives no row."""
    shown = shown or path
    try:
        data = path.read_bytes()
    except OSError as error:
        raise GlossaryError(f"cannot read: {error.strerror}", path=shown) from None
    root = _parse_xml(data, shown=shown)
    if root.tag not in ("martif", "tbx"):
        raise GlossaryError(f"not a TBX file: the root element is <{root.tag}>", path=shown, line=root.line)
    default_language = root.attributes.get("xml:lang", "")
    found: dict[str, list[Term]] = {}
    for entry in _descendants(root, "termEntry", "conceptEntry"):
        entry_note = " ".join(node.content() for node in entry.children if _is_note(node))
        sections: list[tuple[str, list[tuple[str, str, str, bool, int]]]] = []
        for section in entry.find("langSet", "langSec"):
            language = section.attributes.get("xml:lang") or section.attributes.get("lang") or default_language
            if not language:
                raise GlossaryError("a language section without xml:lang", path=shown, line=section.line)
            sections.append((language, _section_terms(section, shown)))
        source = [
            form for language, terms in sections if primary_subtag(language) == primary_subtag(source_language)
            for form, status, _, _, _ in sorted(terms, key=lambda found: found[1] == FORBIDDEN)
        ]
        if not source:
            continue
        term_cell = FORM_SEPARATOR.join(dict.fromkeys(source))
        for language, terms in sections:
            if primary_subtag(language) == primary_subtag(source_language):
                continue
            rows = found.setdefault(language, [])
            for forms, status, note, line in _fold_variants(terms):
                rows.append(make_term(term_cell, FORM_SEPARATOR.join(forms), status=status,
                                      note=note or entry_note, line=line))
    return found


def _descendants(node: _Node, *tags: str) -> Iterator[_Node]:
    for child in node.children:
        if child.tag in tags:
            yield child
        else:
            yield from _descendants(child, *tags)


def _is_note(node: _Node) -> bool:
    return node.tag == "note" or (node.tag == "descrip" and node.attributes.get("type") == "definition")


def _section_terms(section: _Node, shown: Path) -> list[tuple[str, str, str, bool, int]]:
    """(term, status, note, is a variant, line) for each term of a language section, in order:
    ``<tig>``, ``<ntig>/<termGrp>`` (TBX v2) or ``<termSec>`` (v3)."""
    found = []
    for holder in section.find("tig", "ntig", "termSec"):
        parts = [holder] + list(holder.find("termGrp"))
        term = next((node.content() for part in parts for node in part.find("term")), "")
        if not term:
            continue
        status, variant, notes = PREFERRED, False, []
        for part in parts:
            for node in part.children:
                category = node.attributes.get("type", "") if node.tag in ("termNote", "descrip") else node.tag
                value = node.content()
                if category in _STATUS_CATEGORIES:
                    key = value.split("-", 1)[0].lower()
                    if key not in _TBX_STATUSES:
                        raise GlossaryError(f"unknown {category} {value!r}", path=shown, line=node.line)
                    status = _TBX_STATUSES[key]
                elif category == "termType" and value == "variant":
                    variant = True
                elif node.tag == "note" and value:
                    notes.append(value)
        found.append((term, status, " ".join(notes), variant, holder.line))
    return found


def _fold_variants(terms: list[tuple[str, str, str, bool, int]]) -> list[tuple[list[str], str, str, int]]:
    """Rows of forms: a variant of the same status joins the term before it (the inflected forms
    ``export`` writes after each term)."""
    rows: list[tuple[list[str], str, str, int]] = []
    for term, status, note, variant, line in terms:
        if variant and rows and rows[-1][1] == status:
            rows[-1][0].append(term)
        else:
            rows.append(([term], status, note, line))
    return rows


def format_tbx(glossaries: Iterable[Glossary], *, source_language: str) -> str:
    """A TBX-Basic (v2) document: one ``<termEntry>`` per source term, with the source terms and
    each language's translations; a cell's further forms follow its term as ``variant`` terms."""
    concepts: dict[tuple[str, ...], dict[str, list[Term]]] = {}
    for glossary in glossaries:
        for term in glossary.terms:
            concepts.setdefault(term.term_forms, {}).setdefault(glossary.language, []).append(term)
    order = {status: rank for rank, status in enumerate(STATUSES)}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">',
        f'<martif type="TBX-Basic" xml:lang="{_escape(bcp47(source_language))}">',
        "  <martifHeader>",
        "    <fileDesc><sourceDesc><p>localize glossary</p></sourceDesc></fileDesc>",
        '    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>',
        "  </martifHeader>",
        "  <text>",
        "    <body>",
    ]
    for number, term_forms in enumerate(sorted(concepts, key=lambda forms: (forms[0].casefold(), forms)), 1):
        lines.append(f'      <termEntry id="c{number}">')
        lines += _language_set(source_language, [(term_forms, None, "")])
        for language in sorted(concepts[term_forms]):
            rows = sorted(concepts[term_forms][language],
                          key=lambda term: (order[term.status], term.translation.casefold(), term.translation_cell))
            lines += _language_set(language, [(term.translation_forms, term.status, term.note) for term in rows])
        lines.append("      </termEntry>")
    lines += ["    </body>", "  </text>", "</martif>", ""]
    return "\n".join(lines)


def _language_set(language: str, rows: list[tuple[tuple[str, ...], str | None, str]]) -> list[str]:
    lines = [f'        <langSet xml:lang="{_escape(bcp47(language))}">']
    for forms, status, note in rows:
        for index, form in enumerate(forms):
            lines.append(f"          <tig>")
            lines.append(f"            <term>{_escape(form)}</term>")
            if index:
                lines.append('            <termNote type="termType">variant</termNote>')
            if status is not None:
                lines.append(f'            <termNote type="administrativeStatus">{_STATUS_VALUES[status]}</termNote>')
            if note and not index:
                lines.append(f"            <note>{_escape(note)}</note>")
            lines.append("          </tig>")
    lines.append("        </langSet>")
    return lines


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(text: str) -> str:
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# -- the commands ----------------------------------------------------------------------------

@dataclass(frozen=True)
class GlossaryExport:
    terms: tuple[tuple[str, int], ...]  # language, rows
    written: bool


@dataclass(frozen=True)
class ImportedGlossary:
    path: Path
    status: str  # "created", "updated" or "unchanged"
    rows: int
    added: int
    changed: int


@dataclass(frozen=True)
class GlossaryImport:
    glossaries: tuple[ImportedGlossary, ...]
    ignored_languages: tuple[str, ...] = ()


def export_glossary(config: Config, path: Path, *, languages: tuple[str, ...] = ()) -> GlossaryExport:
    """Write the glossaries of ``languages`` (every configured one by default) to ``path`` as TBX-Basic."""
    glossaries = [load_glossary(config, code) for code in (languages or config.languages)]
    written = write_text_atomic(path, format_tbx(glossaries, source_language=config.source_language))
    return GlossaryExport(terms=tuple((glossary.language, len(glossary.terms)) for glossary in glossaries),
                          written=written)


def import_glossary(config: Config, path: Path) -> GlossaryImport:
    """Add the terms of a TBX file to ``glossary/LANG.csv`` of each configured language it has.

    Rows already there stay; a row of the file with the same term and translation replaces
    the CSV's (its status or note changed). The CSV is written sorted, so that an import of
    what ``export`` wrote changes no byte.
    """
    shown = config.relative(path.absolute())
    found = read_tbx(path, shown=shown, source_language=config.source_language)
    by_language: dict[str, list[Term]] = {}
    ignored = []
    for code, terms in sorted(found.items()):
        language = project_language(config.languages, code)
        if language is None:
            ignored.append(code)
        else:
            by_language.setdefault(language, []).extend(terms)
    # Read every CSV before writing any: one that cannot be read stops the import with nothing changed.
    folder = config.project_dir / GLOSSARY_FOLDER
    existing = {
        language: read_csv(folder / f"{language}.csv", shown=config.relative(folder / f"{language}.csv"))
        if (folder / f"{language}.csv").is_file() else None
        for language in by_language
    }
    results = []
    for language in sorted(by_language):
        target = folder / f"{language}.csv"
        rows = {(term.term_forms, term.translation_forms): term for term in existing[language] or ()}
        added = changed = 0
        for term in by_language[language]:
            key = (term.term_forms, term.translation_forms)
            if key not in rows:
                added += 1
            elif rows[key] != term:
                changed += 1
            rows[key] = term
        status = write_if_changed(target, format_csv(rows.values())).status
        results.append(ImportedGlossary(config.relative(target), status, len(rows), added, changed))
    return GlossaryImport(glossaries=tuple(results), ignored_languages=tuple(ignored))
