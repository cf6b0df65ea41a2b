"""``localize pseudo``: publish every article in the pseudo-locales, through the merge and the page templates.

The pseudo catalogs are made in memory from the articles at each run and
never written: nothing appears in ``locales/`` for translators to see, and
nothing can go stale. The pages go to ``build/en-XA/`` and ``build/ar-XB/``
like any language's. They link to the source pages and to each other; the
pages of real languages are not rewritten and do not link to them, so a
published site never shows a made-up language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from localize.article import read_articles
from localize.checks import is_article_message
from localize.config import Config
from localize.errors import ConfigError
from localize.files import UNCHANGED, FileChange, write_if_changed
from localize.language import parse_language
from localize.lock import hold_lock, lock_path
from localize.model import Catalog, Document
from localize.pseudo import PSEUDO_LOCALES, pseudo_catalog, pseudo_language
from localize.pages import build_site
from localize.publish import SOURCE, MergePolicy, edition
from localize.render import Site, ui_translations
from localize.segment import segment_article
from localize.template import build_template
from localize.ui import build_ui_template
from localize.ui import template_dirs as ui_template_dirs


@dataclass(frozen=True)
class PseudoReport:
    """The pages written for each pseudo-locale."""

    output_dir: Path
    locales: tuple[tuple[str, int], ...]  # code, articles published
    files: tuple[FileChange, ...]

    @property
    def changed(self) -> tuple[FileChange, ...]:
        return tuple(change for change in self.files if change.status != UNCHANGED)


def publish_pseudo(
    config: Config,
    *,
    locales: tuple[str, ...] = (),
    output_dir: Path | None = None,
    on_wait: Callable[[Path], None] | None = None,
) -> PseudoReport:
    """Write ``OUT/CODE/SLUG.{md,html,txt}``, the index and the manifest of each pseudo-locale (all by default)."""
    unknown = [code for code in locales if code not in PSEUDO_LOCALES]
    if unknown:
        raise ConfigError(f"not a pseudo-locale: {', '.join(unknown)} (there are {', '.join(PSEUDO_LOCALES)})")
    chosen = [PSEUDO_LOCALES[code] for code in dict.fromkeys(locales or PSEUDO_LOCALES)]
    out = output_dir if output_dir is not None else config.output_dir
    source = parse_language(config.source_language)
    with hold_lock(lock_path(config.project_dir), on_wait=on_wait):
        # Pseudo pages are a preview of layouts: an article merge would leave out is left out here too.
        readable, _ = read_articles(config)
        articles = [article for article in readable if article.zone_problem is None]
        documents = [(article, segment_article(article, front_matter_keys=config.front_matter_keys)) for article in articles]
        policy = MergePolicy()
        editions = {source.code: [
            edition(article, document, None, language=source, source=True, min_translated=100.0,
                    fallback=SOURCE, policy=policy)
            for article, document in documents
        ]}
        languages = {source.code: source}
        ui_template = build_ui_template(config, creation_date="")
        ui = {}
        for locale in chosen:
            language = pseudo_language(locale, source)
            languages[locale.code] = language
            editions[locale.code] = [
                edition(
                    article, document,
                    pseudo_catalog(_template(config, article.path, document), locale, language=language,
                                   markdown=is_article_message),
                    language=language, source=False, min_translated=0.0, fallback=SOURCE, policy=policy,
                )
                for article, document in documents
            ]
            # Plural rules come from the catalog's header: the source language's.
            ui[locale.code] = ui_translations(
                pseudo_catalog(ui_template, locale, language=language, markdown=lambda message: False),
                language=config.source_language,
            )
        site = build_site(
            editions,
            languages=languages,
            source=source,
            site_for=lambda code: Site(template_dirs=ui_template_dirs(config), translations=ui[code]),
            fallbacks={},
            thresholds={locale.code: 0.0 for locale in chosen},
            only=frozenset(locale.code for locale in chosen),
        )
        changes = []
        for relative, text in sorted(site.files.items()):
            target = out / relative
            changes.append(write_if_changed(target, text, shown=config.relative(target)))
    counts = tuple(
        (locale.code, sum(1 for state in site.states[locale.code] if state.published)) for locale in chosen
    )
    return PseudoReport(output_dir=out, locales=counts, files=tuple(changes))


def _template(config: Config, path: Path, document: Document) -> Catalog:
    """The article's template as extract makes it: its messages carry the kinds of block they stand in."""
    return build_template(
        document, source_path=config.relative(path).as_posix(), project_name=config.project_name,
        creation_date="", location=config.location,
    )
