"""``localize glossary export`` and ``import``: the glossary to and from CAT tools and termbases as TBX."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from localize.config import Config
from localize.files import write_if_changed, write_text_atomic
from localize.glossary import GLOSSARY_FOLDER, Term
from localize.language import project_language
from localize.termbase import format_csv, format_tbx, load_glossary, read_csv, read_tbx

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
