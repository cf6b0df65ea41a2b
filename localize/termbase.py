"""Glossary files: ``glossary/LANG.csv`` and TBX (ISO 30042), read into ``localize.glossary`` values and written back.

TBX comes from outside (CAT tools, termbases): it is parsed with expat, with
entity declarations refused and no DTD or external entity ever loaded.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat

from localize.glossary import (
    ADMITTED,
    CSV_COLUMNS,
    FORBIDDEN,
    FORM_SEPARATOR,
    GLOSSARY_FOLDER,
    PREFERRED,
    STATUSES,
    Glossary,
    GlossaryError,
    Term,
    make_term,
)
from localize.language import bcp47, primary_subtag, project_language

if TYPE_CHECKING:
    from localize.config import Config

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
        if not path.resolve().is_relative_to(config.project_dir.resolve()):
            # As for articles: the tree takes contributions, which must not make it read the machine's files.
            raise GlossaryError("a symbolic link to a file outside the content tree: not read", path=shown, line=1)
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
            lines.append("          <tig>")
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
