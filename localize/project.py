"""Runs the steps over a content tree and returns reports; prints nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
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
from localize.errors import SourceError
from localize.files import write_text_atomic
from localize.fetch import FetchPolicy, Session, fetch, new_session
from localize.importers import (
    DatePolicy,
    Imported,
    ImportReport,
    check_slug,
    file_kind,
    import_content,
    make_slug,
    media_kind,
    render_article,
)
from localize.importers.detect import primary_subtag
from localize.language import Language, parse_language
from localize.model import Article, Catalog
from localize.publish import ArticleState, MergePolicy, build_site, edition
from localize.render import Site
from localize.segment import segment_article
from localize.template import build_template
from localize.ui import load_ui_translations, ui_catalogs
from localize.ui import template_dirs as ui_template_dirs
from localize.update import CatalogHeader, update_catalog
from localize.article import article_paths, slug_for
from localize.catalog import TEMPLATES_FOLDER, catalog_slugs, header_line
from localize.checks import CatalogContext, check_catalog, finding
from localize.errors import CatalogError, LocalizeError
from localize.model import ERROR, WARNING, Counts, Finding
from localize.statistics import count_messages

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REMOVED = "removed"


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
    """What a merge published in one language, and what it held back."""

    language: str
    articles: tuple[ArticleState, ...]
    min_translated: float
    files: tuple[FileChange, ...] = field(default=())
    source: bool = False

    @property
    def segments(self) -> int:
        return sum(article.segments for article in self.articles)

    @property
    def translated(self) -> int:
        return sum(article.translated for article in self.articles)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.segments if self.segments else 100.0

    @property
    def published(self) -> tuple[ArticleState, ...]:
        return tuple(article for article in self.articles if article.published)

    @property
    def withheld(self) -> tuple[ArticleState, ...]:
        return tuple(article for article in self.articles if not article.published)


@dataclass(frozen=True)
class MergeReport:
    output_dir: Path
    languages: tuple[LanguageSummary, ...]

    @property
    def changed(self) -> tuple[FileChange, ...]:
        return tuple(change for summary in self.languages for change in summary.files if change.status != UNCHANGED)


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
    changes.extend(_write(config, path, catalog, check=check) for path, catalog in ui_catalogs(config, targets))
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

def merge(
    config: Config,
    *,
    languages: tuple[str, ...] = (),
    output_dir: Path | None = None,
    policy: MergePolicy = MergePolicy(),
) -> MergeReport:
    """Publish every article in every language: ``OUT/LANG/SLUG.{md,html,txt}``, indexes, manifests.

    The source language's pages are written too, as the originals that
    translations link to. An article below its language's ``min_translated``
    is not published there, and its earlier pages are removed.
    """
    out = output_dir if output_dir is not None else config.output_dir
    source = parse_language(config.source_language)
    targets = [parse_language(code) for code in (languages or config.languages)]
    targets = [language for language in targets if language.code != source.code]
    documents = [
        (article, segment_article(article, front_matter_keys=config.front_matter_keys))
        for article in read_articles(config)
    ]
    editions = {}
    for language in [source, *targets]:
        settings = config.settings_for(language.code)
        editions[language.code] = [
            edition(
                article, document,
                None if language is source else _read_if_present(config, catalog_path(config, language.code, article.slug)),
                language=language, source=language is source, policy=policy,
                min_translated=settings.min_translated, fallback=settings.fallback,
            )
            for article, document in documents
        ]
    site = build_site(
        editions,
        languages={language.code: language for language in [source, *targets]},
        source=source,
        site_for=lambda code: Site(
            template_dirs=ui_template_dirs(config),
            translations=load_ui_translations(config, code, use_fuzzy=policy.use_fuzzy),
        ),
        fallbacks={language.code: config.settings_for(language.code).fallback for language in targets},
        thresholds={language.code: config.settings_for(language.code).min_translated for language in targets},
    )
    changes: dict[str, list[FileChange]] = {code: [] for code in editions}
    for relative, text in site.files.items():
        target = out / relative
        existed = target.exists()
        written = write_text_atomic(target, text)
        status = UNCHANGED if not written else (UPDATED if existed else CREATED)
        changes[relative.split("/", 1)[0]].append(FileChange(config.relative(target), status))
    for relative in site.withdrawn:
        target = out / relative
        if target.is_file():
            target.unlink()
            changes[relative.split("/", 1)[0]].append(FileChange(config.relative(target), REMOVED))
    summaries = tuple(
        LanguageSummary(
            language=code,
            articles=site.states[code],
            min_translated=100.0 if code == source.code else config.settings_for(code).min_translated,
            files=tuple(changes[code]),
            source=code == source.code,
        )
        for code in editions
    )
    return MergeReport(output_dir=out, languages=summaries)


# -- import --------------------------------------------------------------------------------

def import_article(
    config: Config,
    source: str,
    *,
    dates: DatePolicy,
    slug: str | None = None,
    force: bool = False,
    language: str | None = None,
    fetch_policy: FetchPolicy = FetchPolicy(),
    session: Session | None = None,
) -> ImportReport:
    """Write ``SOURCE_DIR/SLUG.md`` from a URL, an HTML file or a plain-text file.

    ``language`` overrides the guessed language; either must be the
    project's source language. An existing article is replaced only with
    ``force``. Nothing is written when anything fails.
    """
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", source) and "://" in source:
        page = fetch(source, session=session or new_session(), policy=fetch_policy)
        kind = media_kind(page.media_type, page.content)
        if kind is None:
            raise SourceError(f"{page.url}: the server sent {page.media_type}, not an HTML page or text")
        where, shown = page.url, None
        content, charset, url = page.content, page.charset, page.url
    else:
        path = Path(source)
        if not path.is_file():
            raise SourceError(f"no such file: {source} (a URL starts with http:// or https://)")
        where, shown = source, path
        content, charset, url = path.read_bytes(), None, None
        kind = file_kind(path, content)
    try:
        imported: Imported = import_content(content, kind=kind, charset=charset, url=url, dates=dates)
    except SourceError as error:
        if shown is not None:
            raise SourceError(error.message, path=shown) from None
        raise SourceError(f"{where}: {error.message}") from None

    article, notes = imported.article, list(imported.notes)
    found = language or article.language
    if found is None:
        notes.append(f"could not tell the article's language; it is taken to be {config.source_language}")
    elif primary_subtag(found) != primary_subtag(config.source_language):
        hint = "" if language else f"; if it is, pass --language {config.source_language}"
        raise SourceError(
            f"{where}: the article is in {found}, not in the project's source language {config.source_language}{hint}"
        )
    article = replace(article, language=config.source_language if found else None)

    name = check_slug(slug) if slug else make_slug(article.title, day=article.date, language=article.language)
    target = config.source_dir / f"{name}.md"
    if target.exists() and not force:
        raise SourceError(f"{config.relative(target)} already exists: pass --force to replace it, or --slug to name another")
    write_text_atomic(target, render_article(article))
    return ImportReport(path=target, article=article, notes=tuple(notes))


# -- check ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogCheck:
    """One PO or POT file checked: its counts (``None`` when it does not parse) and findings."""

    path: Path
    language: str | None
    template: bool
    counts: Counts | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class CheckReport:
    """``catalogs`` in the order checked; ``findings`` holds those about no file checked
    (a missing catalog, a source article that cannot be read)."""

    catalogs: tuple[CatalogCheck, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def all_findings(self) -> tuple[Finding, ...]:
        return tuple(f for catalog in self.catalogs for f in catalog.findings) + self.findings

    @property
    def errors(self) -> int:
        return sum(1 for f in self.all_findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.all_findings if f.severity == WARNING)

    def failed(self, *, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def check(config: Config, *, languages: tuple[str, ...] = (), paths: tuple[Path, ...] = ()) -> CheckReport:
    """Check every catalog of the content tree, or only the PO/POT files (and folders) in ``paths``.

    Files in ``paths`` need no content tree; those inside the locales folder are also
    checked against their source articles. ``languages`` keeps only those languages'
    catalogs (templates are always checked).
    """
    wanted = tuple(parse_language(code).code for code in languages)
    if paths:
        files = [(path, path) for path in _catalog_files_in(paths)]
        inside = [path for path, _ in files if _is_inside(path, config.locales_dir)]
        tree = bool(inside) and config.source_dir.is_dir()
        tree_languages = tuple(sorted({
            language for path in inside if (language := _place_of(config, path)[0]) in config.languages
        }))
    else:
        files = [(path, config.relative(path)) for path in _tree_catalog_files(config, wanted or config.languages)]
        tree, tree_languages = True, wanted or config.languages

    checked = []
    for path, shown in files:
        result = _check_file(config, path, shown)
        if wanted and not result.template and result.language not in wanted:
            continue
        checked.append((path.resolve(), result))

    extra: list[Finding] = []
    if tree:
        by_path = {path: index for index, (path, _) in enumerate(checked)}
        added: dict[int, list[Finding]] = {}
        for found in _tree_findings(config, tree_languages):
            index = by_path.get((config.project_dir / found.path).resolve())
            if index is not None:
                added.setdefault(index, []).append(found)
            elif not paths:
                extra.append(found)
        for index, findings in added.items():
            path, result = checked[index]
            checked[index] = (path, replace(result, findings=result.findings + tuple(findings)))
    return CheckReport(catalogs=tuple(result for _, result in checked), findings=tuple(extra))


def _catalog_files_in(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".po", ".pot") and p.is_file()))
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def _tree_catalog_files(config: Config, languages: tuple[str, ...]) -> list[Path]:
    """The templates (``*.pot``), then each language's catalogs (``*.po``: articles and ui.po)."""
    folders = [(config.locales_dir / TEMPLATES_FOLDER, "*.pot")]
    folders += [(config.locales_dir / code / "LC_MESSAGES", "*.po") for code in languages]
    return [
        path for folder, pattern in folders if folder.is_dir()
        for path in sorted(folder.rglob(pattern)) if path.is_file()
    ]


def _is_inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


_LANGUAGE_FILE_NAME = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


def _place_of(config: Config, path: Path) -> tuple[str | None, bool]:
    """The language a file's place says (``LANG/LC_MESSAGES/...`` or ``po/LANG.po``), and
    whether it is a template."""
    if path.suffix == ".pot":
        return None, True
    parts = path.resolve().parts
    if "LC_MESSAGES" in parts[:-1]:
        index = len(parts) - 1 - parts[::-1].index("LC_MESSAGES")
        return (parts[index - 1] if index > 0 else None), False
    if _LANGUAGE_FILE_NAME.match(path.stem):
        try:
            return parse_language(path.stem).code, False
        except LocalizeError:
            pass
    return None, False


def _check_file(config: Config, path: Path, shown: Path) -> CatalogCheck:
    folder_language, template = _place_of(config, path)
    try:
        catalog = read_catalog(path, shown=shown)
    except CatalogError as error:
        return CatalogCheck(
            path=shown, language=folder_language, template=template, counts=None,
            findings=(finding("E001", error.message, shown, error.line),),
        )
    language = folder_language or (None if template else catalog.metadata.get("Language", "").strip() or None)
    settings = config.settings_for(language) if language else None
    context = CatalogContext(
        path=shown,
        folder_language=folder_language,
        header_line=header_line(path),
        min_translated=None if template else (settings.min_translated if settings else config.min_translated),
        source_language=config.source_language,
        template=template,
        quotes=config.quotes,
    )
    return CatalogCheck(
        path=shown, language=language, template=template, counts=count_messages(catalog),
        findings=tuple(check_catalog(catalog, context)),
    )


def _tree_findings(config: Config, languages: tuple[str, ...]) -> list[Finding]:
    """E102 out of date, E103 orphans, E104 unreadable sources: what needs the source articles."""
    findings: list[Finding] = []
    sources = {slug_for(config, path) for path in article_paths(config)}
    stale, problems = _stale_files(config, languages)
    findings.extend(problems)
    for path, status in stale.items():
        shown = config.relative(path)
        if status == CREATED:
            findings.append(finding("E102", "missing: run localize extract to create it", shown))
        else:
            findings.append(finding("E102", "out of date with the source: run localize extract to update it", shown))
    for slug in template_slugs(config) if config.locales_dir.is_dir() else ():
        if slug not in sources:
            findings.append(finding("E103", f"template of {slug}, which has no source article (orphan)",
                                    config.relative(template_path(config, slug))))
    for code in languages:
        for slug in catalog_slugs(config, code):
            if slug not in sources:
                findings.append(finding("E103", f"catalog of {slug}, which has no source article (orphan)",
                                        config.relative(catalog_path(config, code, slug))))
    return findings


def _stale_files(config: Config, languages: tuple[str, ...]) -> tuple[dict[Path, str], list[Finding]]:
    """The files extract would write (absolute path to CREATED or UPDATED), language by
    language so that one unreadable catalog hides only its own language's."""
    stale: dict[Path, str] = {}
    problems: list[Finding] = []
    for batch in [(code,) for code in languages] or [()]:
        try:
            report = extract(config, check=True, languages=batch)
        except CatalogError:
            continue  # the unreadable file is an E001 of its own
        except SourceError as error:
            where = error.path or config.source_dir
            problems.append(finding("E104", f"{error.message} (catalogs not compared with their sources)",
                                    where, error.line))
            break
        for change in report.changed:
            stale[(config.project_dir / change.path).resolve()] = change.status
    return stale, problems


# -- status --------------------------------------------------------------------------------

MISSING = "missing"
ORPHAN = "orphan"


@dataclass(frozen=True)
class ArticleStatus:
    """One article in one language. ``problem`` is ``MISSING`` (no catalog yet: counted from
    its template), ``ORPHAN`` (no source article) or why the catalog cannot be read."""

    slug: str
    language: str
    path: Path
    counts: Counts
    outdated: bool  # extract pending, fuzzy messages, or published while incomplete
    published: bool  # at least min_translated percent of its messages translated
    problem: str | None = None


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    name: str
    min_translated: float
    articles: tuple[ArticleStatus, ...]

    @property
    def counts(self) -> Counts:
        return sum((article.counts for article in self.articles), Counts())

    @property
    def published(self) -> int:
        return sum(1 for article in self.articles if article.published)

    @property
    def outdated(self) -> int:
        return sum(1 for article in self.articles if article.outdated)


@dataclass(frozen=True)
class StatusReport:
    languages: tuple[LanguageStatus, ...]


def status(config: Config, *, languages: tuple[str, ...] = ()) -> StatusReport:
    """Translated, fuzzy and untranslated messages and words per language and article."""
    targets = [parse_language(code) for code in (languages or config.languages)]
    sources = {slug_for(config, path) for path in article_paths(config)}
    stale, _ = _stale_files(config, tuple(language.code for language in targets))
    result = []
    for language in targets:
        minimum = config.settings_for(language.code).min_translated
        articles = []
        for slug in sorted(sources | set(catalog_slugs(config, language.code))):
            articles.append(_article_status(config, language.code, slug, sources, stale, minimum))
        result.append(LanguageStatus(language.code, language.english_name, minimum, tuple(articles)))
    return StatusReport(languages=tuple(result))


def _article_status(
    config: Config, code: str, slug: str, sources: set[str], stale: dict[Path, str], minimum: float
) -> ArticleStatus:
    path, template = catalog_path(config, code, slug), template_path(config, slug)
    problem = None if slug in sources else ORPHAN
    counts = Counts()
    try:
        if path.is_file():
            counts = count_messages(read_catalog(path, shown=config.relative(path)))
        else:
            problem = problem or MISSING
            if template.is_file():
                counts = count_messages(read_catalog(template, shown=config.relative(template)))
    except CatalogError as error:
        problem = str(error)
    published = problem is None and counts.percent >= minimum
    # Out of date as a reader of the page would see it: its source changed since (extract pending, fuzzy
    # translations), or it is published with parts still in the source language.
    outdated = (
        problem is not None or any(p.resolve() in stale for p in (path, template))
        or counts.fuzzy > 0 or (published and counts.untranslated > 0)
    )
    return ArticleStatus(slug, code, config.relative(path), counts, outdated, published, problem)
