"""Runs the steps over a content tree and returns reports; prints nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from localize.article import read_articles
from localize.catalog import (
    catalog_path,
    format_catalog,
    header_timestamp,
    read_catalog,
    template_path,
    template_slugs,
    with_metadata,
)
from localize.config import Config, add_languages
from localize.files import write_text_atomic
from localize.language import Language, parse_language
from localize.merge import merge_document
from localize.model import Article, Catalog
from localize.segment import segment_article
from localize.template import build_template
from localize.update import CatalogHeader, update_catalog

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class FileChange:
    """What a step did (or, when only checking, would do) to one file."""

    path: Path
    status: str  # CREATED, UPDATED or UNCHANGED


@dataclass(frozen=True)
class ExtractReport:
    articles: int
    files: tuple[FileChange, ...]
    orphans: tuple[str, ...] = ()

    @property
    def changed(self) -> tuple[FileChange, ...]:
        return tuple(change for change in self.files if change.status != UNCHANGED)


@dataclass(frozen=True)
class LanguageSummary:
    """How much of one language a merge could publish."""

    language: str
    articles: int
    segments: int
    translated: int
    files: tuple[FileChange, ...] = field(default=())

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.segments if self.segments else 100.0


@dataclass(frozen=True)
class MergeReport:
    output_dir: Path
    languages: tuple[LanguageSummary, ...]


# -- extract -------------------------------------------------------------------------------

def extract(config: Config, *, check: bool = False, languages: tuple[str, ...] | None = None) -> ExtractReport:
    """Bring every template and catalog up to date with the source articles.

    With ``check``, nothing is written: the report says what would change.
    """
    articles = read_articles(config)
    targets = [parse_language(code) for code in (languages if languages is not None else config.languages)]
    changes: list[FileChange] = []
    for article in articles:
        changes.extend(_extract_article(config, article, targets, check=check))
    known = {article.slug for article in articles}
    orphans = tuple(slug for slug in template_slugs(config) if slug not in known) if config.locales_dir.is_dir() else ()
    return ExtractReport(articles=len(articles), files=tuple(changes), orphans=orphans)


def _extract_article(config: Config, article: Article, targets: list[Language], *, check: bool) -> list[FileChange]:
    document = segment_article(article, front_matter_keys=config.front_matter_keys)
    source_path = article.path.as_posix()
    pot_path = template_path(config, article.slug)
    existing_template = _read_if_present(config, pot_path)
    previous_date = existing_template.metadata.get("POT-Creation-Date") if existing_template else None

    def template_dated(date: str) -> Catalog:
        return build_template(
            document, source_path=source_path, project_name=config.project_name,
            creation_date=date, location=config.location,
        )

    # The creation date changes only when something else in the template does.
    template = template_dated(previous_date or header_timestamp())
    change = _write(config, pot_path, template, check=check)
    if change.status == UPDATED and previous_date:
        template = template_dated(header_timestamp())
        change = _write(config, pot_path, template, check=check)
    changes = [change]

    for language in targets:
        po_path = catalog_path(config, language.code, article.slug)
        existing = _read_if_present(config, po_path)
        header = CatalogHeader(
            project_name=config.project_name, language=language,
            creation_date=template.metadata["POT-Creation-Date"], source_path=source_path,
        )
        changes.append(_write(config, po_path, update_catalog(template, existing, header=header), check=check))
    return changes


def _read_if_present(config: Config, path: Path) -> Catalog | None:
    return read_catalog(path, shown=config.relative(path)) if path.is_file() else None


def _write(config: Config, path: Path, catalog: Catalog, *, check: bool) -> FileChange:
    text = format_catalog(catalog)
    shown = config.relative(path)
    if not path.exists():
        status = CREATED
    elif path.read_bytes() == text.encode("utf-8"):
        return FileChange(shown, UNCHANGED)
    else:
        status = UPDATED
    if not check:
        write_text_atomic(path, text)
    return FileChange(shown, status)


# -- init ----------------------------------------------------------------------------------

def init_languages(config: Config, codes: tuple[str, ...]) -> tuple[tuple[str, ...], ExtractReport]:
    """Add languages to the configuration and create their catalogs for every article."""
    languages = tuple(parse_language(code).code for code in codes)
    added = add_languages(config, languages)
    return added, extract(config, languages=languages)


# -- merge ---------------------------------------------------------------------------------

def merge(config: Config, *, languages: tuple[str, ...] = (), output_dir: Path | None = None) -> MergeReport:
    """Write ``OUT/LANG/SLUG.md`` for every article and language from its catalog."""
    out = output_dir if output_dir is not None else config.output_dir
    targets = [parse_language(code) for code in (languages or config.languages)]
    articles = read_articles(config)
    documents = [(article, segment_article(article, front_matter_keys=config.front_matter_keys)) for article in articles]
    summaries = []
    for language in targets:
        segments = translated = 0
        files = []
        for article, document in documents:
            po_path = catalog_path(config, language.code, article.slug)
            catalog = _read_if_present(config, po_path)
            translations = catalog.translations() if catalog is not None else {}
            merged = merge_document(document, translations)
            segments += merged.segments
            translated += merged.translated
            target = out / language.code / f"{article.slug}.md"
            existed = target.exists()
            written = write_text_atomic(target, merged.text)
            files.append(FileChange(config.relative(target), UNCHANGED if not written else (UPDATED if existed else CREATED)))
        summaries.append(LanguageSummary(language.code, len(documents), segments, translated, tuple(files)))
    return MergeReport(output_dir=out, languages=tuple(summaries))
