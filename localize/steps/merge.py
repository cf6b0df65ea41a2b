"""``localize merge``: publish every article in every language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from localize.article import read_articles
from localize.catalog import catalog_path, read_catalog_if_present
from localize.checks import finding
from localize.config import Config, check_output_dir
from localize.errors import ConfigError, LocalizeError, SourceError
from localize.files import UNCHANGED, FileChange
from localize.language import parse_language
from localize.lock import hold_lock, lock_path
from localize.model import Finding
from localize.output import kept_outputs, write_site
from localize.publish import ArticleState, MergePolicy, build_site, edition
from localize.render import Site
from localize.segment import segment_article
from localize.ui import load_ui_translations
from localize.ui import template_dirs as ui_template_dirs


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
    """``refused``: translations not published for the markup they change (E201-E206 at
    their catalog line); their segments show the source text. ``problems``: the articles
    that could not be read, whose pages were left as they were; ``warnings``: what was
    published anyway, such as a page without the dateline its date could not give."""

    output_dir: Path
    languages: tuple[LanguageSummary, ...]
    refused: tuple[Finding, ...] = ()
    problems: tuple[LocalizeError, ...] = ()
    warnings: tuple[LocalizeError, ...] = ()

    @property
    def changed(self) -> tuple[FileChange, ...]:
        return tuple(change for summary in self.languages for change in summary.files if change.status != UNCHANGED)


def merge(
    config: Config,
    *,
    languages: tuple[str, ...] = (),
    output_dir: Path | None = None,
    policy: MergePolicy = MergePolicy(),
    on_wait: Callable[[Path], None] | None = None,
) -> MergeReport:
    """Publish every article in every language: ``OUT/LANG/SLUG.{md,html,txt}``, indexes, manifests.

    The source language's pages are written too, as the originals that
    translations link to. An article below its language's ``min_translated``
    is not published there, and its earlier pages are removed. An article that
    cannot be read is reported (``problems``) and left out: its earlier pages stay
    as they were, and every other article is published. The tree is locked
    meanwhile, as extract locks it.
    """
    out = check_output_dir(config, output_dir) if output_dir is not None else config.output_dir
    with hold_lock(lock_path(config.project_dir), on_wait=on_wait):
        return _merge(config, languages=languages, out=out, policy=policy)


def _merge(config: Config, *, languages: tuple[str, ...], out: Path, policy: MergePolicy) -> MergeReport:
    source = parse_language(config.source_language)
    # Every configured language is merged, so that the pages written link to all of them (hreflang);
    # only those of the languages asked for (and the source) are written.
    selected = {parse_language(code).code for code in languages or config.languages}
    targets = [parse_language(code) for code in config.languages]
    targets = [language for language in targets if language.code != source.code]
    unknown = selected - {language.code for language in targets} - {source.code}
    if unknown:
        raise ConfigError(f"not a language of this project: {', '.join(sorted(unknown))}")
    written_languages = frozenset({source.code} | selected)
    articles, problems = read_articles(config)
    documents = []
    for article in articles:
        try:
            if article.zone_problem is not None:
                raise article.zone_problem
            documents.append((article, segment_article(article, front_matter_keys=config.front_matter_keys)))
        except SourceError as error:
            problems.append(error)
    warnings = tuple(article.date_problem for article, _ in documents if article.date_problem is not None)
    editions = {}
    for language in [source, *targets]:
        settings = config.settings_for(language.code)
        editions[language.code] = [
            edition(
                article, document,
                None if language is source else read_catalog_if_present(config, catalog_path(config, language.code, article.slug)),
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
        only=written_languages,
        settings=config.site,
        site_name=config.project_name or "",
    )
    changes: dict[str, list[FileChange]] = {code: [] for code in editions if code in written_languages}
    _refuse_links_out(out, {relative.rsplit("/", 1)[0]
                            for relative in (*site.files, *site.withdrawn, *site.images) if "/" in relative})
    language_of = {folder: code for code, folder in site.folders.items()}
    for change in write_site(out, site, root=config.project_dir,
                             keep=kept_outputs(config, site, problems, written=written_languages)):
        code = language_of.get(change.relative.split("/", 1)[0], source.code)
        changes[code].append(FileChange(config.relative(out / change.relative), change.status))
    summaries = tuple(
        LanguageSummary(
            language=code,
            articles=site.states[code],
            min_translated=100.0 if code == source.code else config.settings_for(code).min_translated,
            files=tuple(changes[code]),
            source=code == source.code,
        )
        for code in editions if code in written_languages
    )
    refused = tuple(
        finding(code, f"{message}: not published, the source text stands", config.relative(
            catalog_path(config, language, entry.article.slug)), refusal.line or None)
        for language in editions if language in written_languages
        for entry in editions[language] if entry.state.published
        for refusal in entry.refused
        for code, message in refusal.problems
    )
    return MergeReport(output_dir=out, languages=summaries, refused=refused, problems=tuple(problems),
                       warnings=warnings)


def _refuse_links_out(out: Path, folders: set[str]) -> None:
    """Before anything is written: no folder under ``out`` may be a link that leads out of it
    (a ``build/ru`` committed as a link to a folder elsewhere on the machine)."""
    root = out.resolve()
    for folder in sorted(folders):
        if not (out / folder).resolve().is_relative_to(root):
            raise ConfigError(f"{folder} is a link out of the output folder: remove it", path=out / folder)
