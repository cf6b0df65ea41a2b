"""``localize merge``: publish every article in every language."""

from __future__ import annotations

import math
import os
import struct
import time
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path

from localize.article import Sources, find_articles, order_time, read_article
from localize.cache import file_key, key_under, paused_collection, racy
from localize.catalog import catalog_path, catalogs_dir, read_if_present
from localize.codes import finding
from localize.config import Config, check_output_dir
from localize.errors import CatalogError, ConfigError, LocalizeError, SourceError
from localize.files import STATUS_CODES, STATUSES, UNCHANGED, FileChange, MadeOnRead
from localize.language import Language, parse_language
from localize.lock import hold_lock, lock_path
from localize.model import Article, Catalog, Finding
from localize.output import OutputChange, kept_outputs, write_pages, write_site
from localize.pool import context as pool_context
from localize.pool import job_count, run_each
from localize.edition_table import EditionRow, EditionTable, edition_row
from localize.pages import (
    OTHER_NEWS,
    SiteFiles,
    SiteLayout,
    article_pages,
    feed_title_of,
    listing_files,
    newest_links,
    sitemap_files,
    withdrawn_pages,
)
from localize.publish import ArticleState, Edition, MergePolicy, SOURCE, edition
from localize.render import PageLink, Site
from localize.parsed import CATALOG, DOCUMENT, ORDER, ParsedFiles, ParsedRow, decode_order, order_digest, order_row
from localize.site import PAGE_FORMATS
from localize.ui import load_ui_translations
from localize.ui import template_dirs as ui_template_dirs


@dataclass(frozen=True)
class LanguageSummary:
    """What a merge published in one language, and what it held back."""

    language: str
    articles: Sequence[ArticleState]
    min_translated: float
    # Every file written (or removed) in the language, unchanged ones included: made as it is read
    # (``files.MadeOnRead``), as a cold merge of a large archive changes tens of thousands.
    files: Sequence[FileChange] = field(default=())
    source: bool = False
    # How many of ``files`` were created, updated, left unchanged, removed: by status, without making them.
    counts: Mapping[str, int] = field(default_factory=dict)

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
    that could not be read (or one of their catalogs), whose pages were left as they were;
    ``warnings``: what was published anyway, such as a page without the dateline its date
    could not give."""

    output_dir: Path
    languages: tuple[LanguageSummary, ...]
    refused: tuple[Finding, ...] = ()
    problems: tuple[LocalizeError, ...] = ()
    warnings: tuple[LocalizeError, ...] = ()

    @property
    def changed(self) -> Sequence[FileChange]:
        """The files created, updated or removed, language by language (made as they are read)."""
        return MadeOnRead(lambda: (change for summary in self.languages for change in summary.files
                                   if change.status != UNCHANGED))


# The article pages, in the order ``article_pages`` makes them; how each page changed, as a byte.
_PAGE_SUFFIXES = (".md", ".html", ".txt")


class _ArticlePaths(Mapping):
    """Every article's path by slug, ``PREFIX + SLUG + SUFFIX`` (``article.find_articles``), made when
    asked for from the slugs, which are sorted: a dict of an archive's paths was megabytes that every
    worker of a merge inherited too."""

    def __init__(self, prefix: str, suffix: str, slugs: list[str]) -> None:
        self.prefix = prefix
        self.suffix = suffix
        self._slugs = slugs if all(a < b for a, b in zip(slugs, slugs[1:])) else sorted(set(slugs))

    def __contains__(self, slug: object) -> bool:
        at = bisect_left(self._slugs, slug) if isinstance(slug, str) else len(self._slugs)
        return at < len(self._slugs) and self._slugs[at] == slug

    def __getitem__(self, slug: str) -> str:
        if slug not in self:
            raise KeyError(slug)
        return self.prefix + slug + self.suffix

    def __iter__(self) -> Iterator[str]:
        return iter(self._slugs)

    def __len__(self) -> int:
        return len(self._slugs)

    def index_of_key(self, folder_key: str, key: str) -> int | None:
        """The place among the slugs of the article whose cache key (``cache.file_key``) is ``key``,
        its folder's key being ``folder_key``; ``None`` for any other file."""
        prefix = _key_prefix(folder_key)
        if not (key.startswith(prefix) and key.endswith(self.suffix)) or len(key) <= len(prefix) + len(self.suffix):
            return None
        slug = key[len(prefix):len(key) - len(self.suffix)]
        at = bisect_left(self._slugs, slug)
        return at if at < len(self._slugs) and self._slugs[at] == slug else None

    def keys_under(self, folder_key: str, suffix: str) -> Container[str]:
        """The cache keys (``cache.file_key``) of ``SLUG + suffix`` under the folder whose key is
        ``folder_key``, for every article, as a container that asks the slugs."""
        return _KeysOf(_key_prefix(folder_key), suffix, self)


def _key_prefix(folder_key: str) -> str:
    """What the cache keys of the files under the folder whose key is ``folder_key`` begin with."""
    return "" if folder_key == "." else folder_key.rstrip("/") + "/"


class _KeysOf(Container):
    """The cache keys ``PREFIX + SLUG + SUFFIX`` of the slugs ``slugs`` holds, without a set of them."""

    def __init__(self, prefix: str, suffix: str, slugs: Container[str]) -> None:
        self.prefix, self.suffix, self.slugs = prefix, suffix, slugs

    def __contains__(self, key: object) -> bool:
        prefix, suffix = self.prefix, self.suffix
        return (isinstance(key, str) and len(key) > len(prefix) + len(suffix) and key.startswith(prefix)
                and key.endswith(suffix) and key[len(prefix):len(key) - len(suffix)] in self.slugs)


class _AnyOf(Container):
    """Held by any of ``containers``."""

    def __init__(self, containers: list[Container[str]]) -> None:
        self.containers = containers

    def __contains__(self, item: object) -> bool:
        return any(item in container for container in self.containers)


class _WrittenPages:
    """The article pages a merge wrote in one language and how each changed, a byte per page: what
    the report and the record of written files need, without an object per page."""

    def __init__(self, folder: str, slugs: list[str]) -> None:
        self.folder = folder
        self.slugs = slugs
        self.statuses = bytearray(len(slugs) * len(_PAGE_SUFFIXES))

    def add(self, index: int, change: OutputChange) -> None:
        """The change to a page of the ``index``-th article."""
        prefix = f"{self.folder}/{self.slugs[index]}"
        suffix = change.relative[len(prefix):]
        if not change.relative.startswith(prefix) or suffix not in _PAGE_SUFFIXES:
            raise AssertionError(f"not a page of {prefix}: {change.relative}")
        self.statuses[index * len(_PAGE_SUFFIXES) + _PAGE_SUFFIXES.index(suffix)] = STATUS_CODES[change.status]

    def counts(self) -> Counter[str]:
        """How many pages were created, updated, left unchanged."""
        return Counter({STATUSES[code]: self.statuses.count(code) for code in set(self.statuses) if code})

    def relatives(self) -> Iterator[str]:
        """The paths of the pages written, relative to the output folder."""
        return (relative for relative, _ in self._written())

    def __iter__(self) -> Iterator[OutputChange]:
        return (OutputChange(relative, STATUSES[code]) for relative, code in self._written())

    def _written(self) -> Iterator[tuple[str, int]]:
        kinds = len(_PAGE_SUFFIXES)
        for position, code in enumerate(self.statuses):
            if code:
                index, kind = divmod(position, kinds)
                yield f"{self.folder}/{self.slugs[index]}{_PAGE_SUFFIXES[kind]}", code


def merge(
    config: Config,
    *,
    languages: tuple[str, ...] = (),
    output_dir: Path | None = None,
    policy: MergePolicy = MergePolicy(),
    on_wait: Callable[[Path], None] | None = None,
    jobs: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    formats: Collection[str] | None = None,
    use_cache: bool = True,
) -> MergeReport:
    """Publish every article in every language: ``OUT/LANG/SLUG.{md,html,txt}``, indexes, manifests.

    ``formats``: the article pages to write, of ``md``, ``html`` and ``txt``
    (``None``: the ``formats`` setting, by default all three). Without ``html``
    nothing is rendered as HTML and no HTML site file (index, 404 page, feed,
    sitemap) is written; the manifests and the images the pages show are.
    Pages an earlier merge wrote in a format not chosen now are removed.

    The source language's pages are written too, as the originals that
    translations link to. An article below its language's ``min_translated``
    is not published there, and its earlier pages are removed. An article that
    cannot be read, or one of whose catalogs cannot be, is reported (``problems``)
    and left out: its earlier pages stay as they were, and every other article is
    published. The tree is locked meanwhile, as extract locks it.

    Articles are merged on ``jobs`` processes (``None``: every core), each
    article's pages written as they are made; the output is the same whatever
    ``jobs`` is. ``on_progress(done, total)`` is called after each article.
    Sources and catalogs that extract, check or an earlier merge parsed as they
    are now are not parsed again (``localize.parsed``), unless ``use_cache`` is false.
    """
    chosen = frozenset(config.site.formats if formats is None else formats)
    unknown = sorted(chosen - set(PAGE_FORMATS))
    if unknown or not chosen:
        raise ConfigError(f"not a page format: {', '.join(unknown)} (the formats are {', '.join(PAGE_FORMATS)})"
                          if unknown else f"no page format chosen (the formats are {', '.join(PAGE_FORMATS)})")
    out = check_output_dir(config, output_dir) if output_dir is not None else config.output_dir
    with hold_lock(lock_path(config.project_dir), on_wait=on_wait):
        return _merge(config, languages=languages, out=out, policy=policy, jobs=jobs, on_progress=on_progress,
                      formats=chosen, use_cache=use_cache)


@dataclass(frozen=True)
class _Run:
    """What every article's merge needs, handed to each worker once."""

    config: Config
    policy: MergePolicy
    languages: dict[str, Language]  # the source first, then every target language
    written: frozenset[str]  # the languages whose pages are written
    paths: Mapping[str, str]  # every article's path, by slug: for the links between articles (``_ArticlePaths``)
    formats: frozenset[str] = frozenset(PAGE_FORMATS)  # the article pages written
    out: Path | None = None
    layout: SiteLayout | None = None
    use_cache: bool = True  # whether parses kept in the tree's cache are read (``localize.parsed``)
    # The languages whose output folder did not exist when the merge began: their pages are not looked for.
    new_folders: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Merged:
    """One article merged: its editions as the table keeps them (``edition_row``), the changes to
    the files its pages were written to, the images they show; or why it could not be read."""

    slug: str
    row: EditionRow | None = None
    # (language, change). Pages are written by the worker that made them, so that only these small
    # results travel and the merging process holds no page (writing them there raised the peak).
    changes: tuple[tuple[str, OutputChange], ...] = ()
    images: dict[str, Path] = field(default_factory=dict)
    read_problem: LocalizeError | None = None  # the file cannot be read
    problem: LocalizeError | None = None  # it was read, but cannot be merged (time zone, Markdown)
    warning: LocalizeError | None = None


class _Articles:
    """A worker's view of the tree: each article merged into every language, and the
    language's site (templates, strings) made once."""

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.sites: dict[str, Site] = {}
        self.feed_titles: dict[str, str] = {}
        self.states: dict[str, dict[str, bool] | None] = {}
        self.parsed = ParsedFiles(run.config.project_dir, enabled=run.use_cache)
        self.kept: list[ParsedRow] = []  # parses made for the article being merged

    def editions(self, slug: str) -> tuple[Article, dict[str, Edition]]:
        """The article and its edition in every language (SourceError when it cannot be merged)."""
        config, run = self.run.config, self.run
        path = Path(run.paths[slug])
        article = read_article(config, path)
        if article.zone_problem is not None:
            raise _Unmergeable(article.zone_problem)
        try:
            document = self.parsed.document(article, front_matter_keys=config.front_matter_keys,
                                            name=file_key(config, path), kept=self.kept)
        except SourceError as error:
            raise _Unmergeable(error) from None
        source = next(iter(run.languages.values()))
        editions = {}
        for code, language in run.languages.items():
            settings = config.settings_for(code)
            try:
                catalog = None if language is source else _read_catalog(config, catalog_path(config, code, slug),
                                                                         self.parsed, self.kept)
            except CatalogError as error:
                # Like an article that cannot be read: reported, its pages left as they were, the others published.
                raise _Unmergeable(error) from None
            editions[code] = edition(
                article, document, catalog,
                language=language, source=language is source, policy=run.policy,
                min_translated=settings.min_translated, fallback=settings.fallback,
            )
        return article, editions

    def link_state(self, slug: str) -> dict[str, bool] | None:
        """In which languages an article that a page links to is published; ``None`` when there
        is no such article (or it cannot be merged)."""
        if slug not in self.states:
            state = None
            if slug in self.run.paths:
                try:
                    _, editions = self.editions(slug)
                    state = {code: entry.state.published for code, entry in editions.items()}
                except (SourceError, _Unmergeable):
                    state = None
            self.states[slug] = state
        return self.states[slug]

    def site(self, code: str) -> Site:
        if code not in self.sites:
            config = self.run.config
            self.sites[code] = Site(
                template_dirs=ui_template_dirs(config),
                translations=load_ui_translations(config, code, use_fuzzy=self.run.policy.use_fuzzy),
            )
            assert self.run.layout is not None
            self.feed_titles[code] = feed_title_of(self.sites[code], self.run.layout.settings)
        return self.sites[code]

    def merge(self, slug: str, *, write: bool) -> _Merged:
        try:
            article, editions = self.editions(slug)
        except SourceError as error:
            return _Merged(slug, read_problem=error)
        except _Unmergeable as error:
            return _Merged(slug, problem=error.error)
        finally:
            self.parsed.keep(self.kept)
        changes: list[tuple[str, OutputChange]] = []
        images: dict[str, Path] = {}
        run = self.run
        if write:
            assert run.layout is not None and run.out is not None
            for code in run.languages:
                if code not in run.written or not editions[code].state.published:
                    continue
                # The Markdown alone needs no templates: none are loaded.
                site = self.site(code) if _rendered(run.formats) else None
                files, shown = article_pages(editions, code, layout=run.layout, site=site,
                                             link_state=self.link_state, feed_title=self.feed_titles.get(code, ""),
                                             formats=run.formats)
                changes.extend((code, change) for change in write_pages(run.out, files, new=code in run.new_folders))
                images.update(shown)
        return _Merged(
            slug, row=edition_row(editions),
            changes=tuple(changes), images=images, warning=article.date_problem,
        )


def _read_catalog(config: Config, path: Path, parsed: ParsedFiles, kept: list[ParsedRow]) -> Catalog | None:
    """The catalog at ``path`` (None if there is none), its parse from the cache when it holds one."""
    found = read_if_present(config, path, parse=parsed.catalog_parser(file_key(config, path), kept))
    return found.catalog if found is not None else None


class _Unmergeable(Exception):
    """An article that was read but cannot be merged: its error is a problem of the merge."""

    def __init__(self, error: LocalizeError) -> None:
        super().__init__(str(error))
        self.error = error


def _order_time_of(slug: str) -> float:
    """The article's ``order_time``; NaN when it cannot be read or merged."""
    run: _Run = pool_context()
    try:
        article = read_article(run.config, Path(run.paths[slug]))
    except SourceError:
        return math.nan
    if article.zone_problem is not None:
        return math.nan
    return order_time(article)


def _facts_of(slug: str) -> _Merged:
    articles = _Articles(pool_context())
    try:
        return articles.merge(slug, write=False)
    finally:
        articles.parsed.close()


_worker: _Articles | None = None


def _publish(slug: str) -> _Merged:
    """Merge one article and write its pages (in a worker, or in this process)."""
    global _worker
    run: _Run = pool_context()
    if _worker is None or _worker.run is not run:
        _worker = _Articles(run)
    return _worker.merge(slug, write=True)


def _close_worker() -> None:
    """Close what merging in this process opened: no process forked later may share it."""
    global _worker
    if _worker is not None:
        _worker.parsed.close()
        _worker = None


def _rendered(formats: Collection[str]) -> bool:
    """Whether the pages of ``formats`` are rendered from templates (HTML, text), rather than
    being the merged Markdown alone."""
    return "html" in formats or "txt" in formats


def _merge(
    config: Config, *, languages: tuple[str, ...], out: Path, policy: MergePolicy, jobs: int | None,
    on_progress: Callable[[int, int], None] | None, formats: frozenset[str], use_cache: bool,
) -> MergeReport:
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
    seen_ns = time.time_ns()  # (before the walk: see _order_times)
    found = find_articles(config)
    slugs = list(found.files)
    run = _Run(
        config=config, policy=policy, languages={language.code: language for language in [source, *targets]},
        written=written_languages, paths=_ArticlePaths(found.files.prefix, found.files.suffix, slugs), formats=formats,
        use_cache=use_cache,
    )
    settings = config.site
    # "Other news" is shown on the rendered pages alone: the Markdown needs no article's date.
    layout = SiteLayout(languages=run.languages, source=source, settings=settings, site_name=config.project_name or "",
                        newest=_newest(run, slugs, found, seen_ns=seen_ns, jobs=jobs) if _rendered(formats) else {})
    # Of the walk, only its problems are kept: the files' states (megabytes for an archive) are not needed again.
    found_problems = found.problems
    del found
    folders = layout.folders
    # Before anything is written: no folder the pages go to may lead out of the output folder.
    _refuse_links_out(out, {folders[code] for code in written_languages} | {
        f"{folders[code]}/{slug.rsplit('/', 1)[0]}" for code in written_languages for slug in slugs if "/" in slug
    })

    # A folder no other language shares, absent before anything is written to it, holds none of the pages.
    shared = {folder for folder in folders.values() if list(folders.values()).count(folder) > 1}
    new_folders = frozenset(code for code in written_languages
                            if folders[code] not in shared and not os.path.lexists(out / folders[code]))
    run = replace(run, out=out, layout=layout, new_folders=new_folders)
    table = EditionTable(run.languages)
    article_pages_written = {code: _WrittenPages(folders[code], slugs) for code in run.languages}
    images: dict[str, Path] = {}
    read_problems: list[LocalizeError] = list(found_problems)
    problems: list[LocalizeError] = []
    held_back: set[str] = set()  # the articles not merged, whose earlier pages stay
    warnings: list[LocalizeError] = []
    for done, merged in enumerate(run_each(_publish, slugs, context=run, jobs=jobs), start=1):
        if merged.read_problem is not None:
            read_problems.append(merged.read_problem)
            held_back.add(merged.slug)
        elif merged.problem is not None:
            problems.append(merged.problem)
            held_back.add(merged.slug)
        else:
            assert merged.row is not None
            table.add_row(merged.row, slug=slugs[done - 1])
            for code, change in merged.changes:
                article_pages_written[code].add(done - 1, change)
            images.update(merged.images)
            if merged.warning is not None:
                warnings.append(merged.warning)
        if on_progress is not None:
            on_progress(done, len(slugs))
    # No cyclic collection from here on: what the merge holds of every article, the listings' links and the
    # record of written files are many small values in no cycle, which the collector walked again and again
    # (the parse cache's clean-up alone took 0.2 s of it at 10,000 articles).
    with paused_collection():
        problems = read_problems + problems
        _close_worker()
        if use_cache:
            # The parses of files no longer in the tree go.
            paths = run.paths
            assert isinstance(paths, _ArticlePaths)
            with ParsedFiles(config.project_dir) as parsed:
                articles = paths.keys_under(file_key(config, Path(paths.prefix)), paths.suffix)
                parsed.forget_all_but(DOCUMENT, articles)
                parsed.forget_all_but(ORDER, articles)
                parsed.forget_all_but(CATALOG, _AnyOf([paths.keys_under(file_key(config, catalogs_dir(config, code)), ".po")
                                                       for code in run.languages if code != source.code]))

        # Before anything more is written: no folder an image goes to may lead out of the output folder.
        _refuse_links_out(out, {relative.rsplit("/", 1)[0] for relative in images if "/" in relative})
        language_of = {folder: code for code, folder in folders.items()}
        site_changes: dict[str, list[OutputChange]] = {code: [] for code in run.languages if code in written_languages}
        listings = _write_listings(config, out, table, layout=layout, formats=formats, policy=policy, changes=site_changes,
                                   jobs=jobs)
        withdrawn = [relative for code in run.languages if code in written_languages for index in table.withheld(code)
                     for relative in withdrawn_pages(folders[code], table.slugs[index])]
        files: dict[str, str] = sitemap_files(table, layout=layout) if "html" in formats else {}
        site_files = SiteFiles(
            files=files, withdrawn=tuple(withdrawn), states={code: table.states(code) for code in run.languages},
            images=images, folders=folders,
        )
        refused = tuple(
            finding(code, f"{message}: not published, the source text stands", config.relative(
                catalog_path(config, language, table.slugs[index])), refusal.line or None)
            for language in run.languages if language in written_languages
            for index, refusal in table.refused(language) if table.published(language, index)
            for code, message in refusal.problems
        )
        # The editions are done with (their states stay, for the report): what write_site holds of every
        # page written takes the room they leave, rather than adding to it.
        del table
        _refuse_links_out(out, {relative.rsplit("/", 1)[0] for relative in files if "/" in relative})
        for change in write_site(out, site_files, root=config.project_dir,
                                 written=chain(listings, *(article_pages_written[code].relatives() for code in site_changes)),
                                 keep=kept_outputs(config, site_files, list(found_problems), written=written_languages,
                                                   held_back=frozenset(held_back))):
            site_changes[language_of.get(change.relative.split("/", 1)[0], source.code)].append(change)

        # ``config.relative(out / change.relative)``, the output folder's part made once: (a Path made and
        # taken apart again for each of an archive's tens of thousands of files was a third of the report).
        shown_prefix = config.relative(out).as_posix()
        shown_prefix = "" if shown_prefix == "." else shown_prefix.rstrip("/") + "/"

        def relative(change: OutputChange) -> FileChange:
            return FileChange(Path(shown_prefix + change.relative), change.status)

        def changes(code: str) -> MadeOnRead:
            return MadeOnRead(lambda: map(relative, chain(article_pages_written[code], site_changes[code])))

        summaries = tuple(
            LanguageSummary(
                language=code,
                articles=site_files.states[code],
                min_translated=100.0 if code == source.code else config.settings_for(code).min_translated,
                files=changes(code),
                source=code == source.code,
                counts=article_pages_written[code].counts() + Counter(change.status for change in site_changes[code]),
            )
            for code in run.languages if code in written_languages
        )
        return MergeReport(output_dir=out, languages=summaries, refused=refused, problems=tuple(problems),
                           warnings=tuple(warnings))


@dataclass(frozen=True)
class _Listings:
    """What writing a language's listings needs, handed to each worker once (forked, the
    workers share the table rather than receive it)."""

    config: Config
    out: Path
    table: EditionTable
    layout: SiteLayout
    formats: frozenset[str]
    policy: MergePolicy


def _write_listings(
    config: Config, out: Path, table: EditionTable, *, layout: SiteLayout, formats: frozenset[str],
    policy: MergePolicy, changes: dict[str, list[OutputChange]], jobs: int | None,
) -> list[str]:
    """Write the listings (index pages, 404 page, manifest, feed) of each language of ``changes``, on
    ``jobs`` processes, a language each (they took a merge's one process a sixteenth of its time at
    the end); add their changes to ``changes`` (by the language of their folder), in the order
    write_site writes, and return the paths written."""
    source = layout.source
    language_of = {folder: code for code, folder in layout.folders.items()}
    written = []
    job = _Listings(config=config, out=out, table=table, layout=layout, formats=formats, policy=policy)
    for language_changes in run_each(_language_listings, [code for code in layout.languages if code in changes],
                                     context=job, jobs=jobs):
        for change in language_changes:
            changes[language_of.get(change.relative.split("/", 1)[0], source.code)].append(change)
            written.append(change.relative)
    return written


def _language_listings(code: str) -> list[OutputChange]:
    """Write one language's listings, each as it is made (an archive's index pages are megabytes)."""
    job: _Listings = pool_context()
    config, layout = job.config, job.layout
    source = layout.source
    site = Site(template_dirs=ui_template_dirs(config),
                translations=load_ui_translations(config, code, use_fuzzy=job.policy.use_fuzzy)
                ) if "html" in job.formats else None
    changes: list[OutputChange] = []
    for relative, text in listing_files(
        code, job.table, layout=layout, site=site,
        fallback=config.settings_for(code).fallback if code != source.code else SOURCE,
        min_translated=config.settings_for(code).min_translated if code != source.code else 0.0,
        feed_title=feed_title_of(site, layout.settings) if site is not None else "", formats=job.formats,
    ):
        changes += write_pages(job.out, {relative: text})
    return changes


def _newest(run: _Run, slugs: list[str], found: Sources, *, seen_ns: int,
            jobs: int | None) -> dict[str, tuple[tuple[str, PageLink], ...]]:
    """Each language's newest published articles ("Other news"), without merging every article:
    the articles by date, newest first, merged a few at a time until each language has enough
    (a language where few are published may need them all)."""
    source = next(iter(run.languages.values()))
    # A number an article, the slugs being here (a pair of its time and slug, and a copy of the slug, was
    # what an archive's merge held most of before its pages); sorted by time alone, the slugs' order
    # (sorted, as find_articles gives them) breaks the ties, as the listings' order does.
    when = _order_times(run, slugs, found, seen_ns=seen_ns, jobs=jobs)
    ordered = sorted((index for index, key in enumerate(when) if not math.isnan(key)), key=when.__getitem__)
    del when
    seen = EditionTable(run.languages)
    batch = max(OTHER_NEWS + 1, 4 * job_count(jobs))
    for start in range(0, len(ordered), batch):
        chosen = [slugs[index] for index in ordered[start:start + batch]]
        # The first few, usually all that is needed, here: forking workers for them took longer than merging them.
        for merged in run_each(_facts_of, chosen, context=run, jobs=1 if start == 0 else jobs):
            if merged.row is not None:
                seen.add_row(merged.row)
        if all(seen.published_count(code) > OTHER_NEWS for code in run.languages):
            break
        batch *= 2
    return {code: newest_links(seen, code, source) for code in run.languages}


def _order_times(run: _Run, slugs: list[str], found: Sources, *, seen_ns: int, jobs: int | None) -> array:
    """Each article's ``order_time`` (NaN: it cannot be merged), as kept (``parsed.ORDER``) for a file
    still in the state ``found`` saw, else read (on ``jobs`` processes) and kept, ``seen_ns`` being
    when ``found`` looked. A symbolic link is always read: its target may change and its state not."""
    times = array("d", [math.nan]) * len(slugs)
    missing = bytearray(b"\x01") * len(slugs)
    paths = run.paths
    assert isinstance(paths, _ArticlePaths)
    folder_key = file_key(run.config, Path(paths.prefix))
    links = {slug for slug in slugs if paths[slug] in found.links} if found.links else set()
    digest = order_digest()
    with ParsedFiles(run.config.project_dir, enabled=run.use_cache) as parsed:
        for name, value in parsed.values(ORDER, digest):
            index = paths.index_of_key(folder_key, name)
            if index is None or slugs[index] in links:
                continue
            try:
                state, seen, when = decode_order(value)
            except struct.error:  # damaged: read again
                continue
            if state == found.files.state(slugs[index]) and not racy(state, seen):
                times[index], missing[index] = when, 0
    # (closed before the pool forks: no worker may share its connection)
    unknown = [index for index, flag in enumerate(missing) if flag]
    kept = []
    for index, when in zip(unknown, run_each(_order_time_of, [slugs[index] for index in unknown],
                                             context=run, jobs=jobs)):
        times[index] = when
        slug = slugs[index]
        if not math.isnan(when) and slug not in links:
            kept.append(order_row(key_under(folder_key, slug + paths.suffix), found.files.state(slug), seen_ns, when))
    with ParsedFiles(run.config.project_dir, enabled=run.use_cache) as parsed:
        parsed.keep(kept)
    return times


def _refuse_links_out(out: Path, folders: set[str]) -> None:
    """Before anything is written: no folder under ``out`` may be a link that leads out of it
    (a ``build/ru`` committed as a link to a folder elsewhere on the machine)."""
    root = out.resolve()
    for folder in sorted(folders):
        if not (out / folder).resolve().is_relative_to(root):
            raise ConfigError(f"{folder} is a link out of the output folder: remove it", path=out / folder)
