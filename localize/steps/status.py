"""``localize status``: translated, fuzzy and untranslated messages per language and article."""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from localize.article import ARTICLE_SUFFIX, find_articles
from localize.cache import FileState, paused_collection
from localize.catalog import ARTICLES_FOLDER, TEMPLATES_FOLDER, catalog_path, listed_slugs, read_catalog, template_path
from localize.codes import finding
from localize.config import Config
from localize.errors import CatalogError, LocalizeError
from localize.language import parse_language
from localize.model import Counts, Document, Finding
from localize.pool import context as pool_context
from localize.pool import run_each
from localize.results import (
    KeptResults,
    decode_counts,
    decode_facts,
    decode_finding,
    encode_counts,
    encode_facts,
    encode_finding,
    kept_results,
    resolved_path,
)
from localize.steps.check import Documents, forget_resolved_folders, stale_files


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
    published: bool  # as merge decides: at least min_translated percent of its segments translated
    problem: str | None = None


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    name: str
    min_translated: float
    articles: tuple[ArticleStatus, ...]

    @property
    def counts(self) -> Counts:
        return Counts.total_of(article.counts for article in self.articles)

    @property
    def published(self) -> int:
        return sum(1 for article in self.articles if article.published)

    @property
    def outdated(self) -> int:
        return sum(1 for article in self.articles if article.outdated)


@dataclass(frozen=True)
class StatusReport:
    """``problems``: what could not be read, as check reports it (E104 a source article,
    E001 a catalog); the articles concerned carry it as their ``problem`` too."""

    languages: tuple[LanguageStatus, ...]
    problems: tuple[Finding, ...] = ()


def status(
    config: Config, *, languages: tuple[str, ...] = (), jobs: int | None = None,
    on_progress: Callable[[int, int], None] | None = None, use_cache: bool = True,
) -> StatusReport:
    """Translated, fuzzy and untranslated messages and words per language and article.

    The counts are messages, as ``msgfmt --statistics`` gives them; whether an
    article is published is merge's decision, on segments (``publish.coverage``).
    Articles are counted on ``jobs`` processes (``None``: every core), with the same
    report whatever ``jobs`` is; ``on_progress(done, total)`` is called after each article.
    An article none of whose files changed since the last run is taken from the tree's
    cache, as check takes it (``KeptResults``; ``use_cache=False``: every one is read).
    """
    forget_resolved_folders()
    targets = [parse_language(code) for code in (languages or config.languages)]
    found = find_articles(config)
    sources = set(found.files) | found.unreadable
    scanned: dict[str, FileState] = {}  # (the files that are no links, as extract's scans found them)
    stale, _ = stale_files(config, tuple(language.code for language in targets), found, scanned)
    listed = {language.code: sorted(sources | set(listed_slugs(
        config.locales_dir / language.code / "LC_MESSAGES" / ARTICLES_FOLDER, ".po"))) for language in targets}
    slugs = sorted(sources.union(*listed.values()))
    documents = Documents(config)
    job = _StatusJob(config, sources=frozenset(sources), stale=stale,
                     languages=tuple((language.code, frozenset(listed[language.code])) for language in targets))
    counted: dict[str, _SlugStatus] = {}
    done = 0
    # What earlier runs made of the articles whose files did not change; the others, in the pool
    # (the cache is closed meanwhile: no connection is carried into the workers), kept after.
    digests: dict[str, bytes | None] = {}
    pending: list[str] = []
    with kept_results(config, "status", enabled=use_cache) as saved, paused_collection():
        for slug in slugs:
            earlier = None
            if saved is not None:
                digests[slug] = _digest(job, saved, slug, scanned)
                earlier = _decode(slug, saved.take(slug, digests[slug])) if digests[slug] else None
            if earlier is None:
                pending.append(slug)
                continue
            counted[slug] = earlier
            documents.learn(earlier.documents)
            done += 1
            if on_progress is not None:
                on_progress(done, len(slugs))
        if saved is not None and not languages:
            saved.forget_all_but(set(slugs))  # deleted and renamed articles
    fresh = []
    for outcome in run_each(_slug_status, pending, context=job, jobs=jobs):
        counted[outcome.slug] = outcome
        documents.learn(outcome.documents)
        fresh.append(outcome)
        done += 1
        if on_progress is not None:
            on_progress(done, len(slugs))
    with kept_results(config, "status", enabled=use_cache and bool(fresh)) as saved:
        for outcome in fresh:
            digest = digests.get(outcome.slug)
            # Not kept when a file changed while the pool read it (see check).
            if (saved is not None and digest is not None and _digest(job, saved, outcome.slug) == digest
                    and (value := _encode(outcome)) is not None):
                saved.put(outcome.slug, digest, value)
    for slug in sorted(sources):
        documents.get(slug)  # every one was asked in the pool: this reads none again
    problems = [
        finding("E104", error.message, error.path or config.source_dir, error.line)
        # A page without its dateline is still published: nothing status counts is missing.
        for error in documents.problems(found, datelines=False)
    ]
    result = []
    for language in targets:
        minimum = config.settings_for(language.code).min_translated
        articles = []
        for slug in listed[language.code]:
            article, unreadable = counted[slug].languages[language.code]
            articles.append(article)
            problems.extend(unreadable)
        result.append(LanguageStatus(language.code, language.english_name, minimum, tuple(articles)))
    return StatusReport(languages=tuple(result), problems=tuple(problems))


@dataclass(frozen=True)
class _StatusJob:
    """What every article's status needs, handed to each worker once."""

    config: Config
    sources: frozenset[str]
    stale: dict[Path, str]
    languages: tuple[tuple[str, frozenset[str]], ...]  # each language, and the slugs it lists


@dataclass(frozen=True)
class _SlugStatus:
    """One article's status in each language that lists it, and what was learnt of its source."""

    slug: str
    languages: dict[str, tuple[ArticleStatus, list[Finding]]]
    documents: dict[str, tuple[bool, LocalizeError | None, LocalizeError | None]]


def _slug_status(slug: str) -> _SlugStatus:
    """One article in every language (in a worker, or in this process): its source segmented once."""
    job: _StatusJob = pool_context()
    config = job.config
    documents = Documents(config)
    if slug in job.sources:
        documents.get(slug)
    languages = {}
    for code, listed in job.languages:
        if slug in listed:
            languages[code] = _article_status(config, code, slug, job.sources, job.stale,
                                              config.settings_for(code).min_translated, documents)
    return _SlugStatus(slug, languages, documents.facts())


def _article_status(
    config: Config, code: str, slug: str, sources: frozenset[str] | set[str], stale: dict[Path, str], minimum: float,
    documents: Documents,
) -> tuple[ArticleStatus, list[Finding]]:
    """The article's status, and an E001 when its catalog cannot be read.

    Such a catalog is counted as its template (every message untranslated):
    nothing of it can be published until it is repaired.
    """
    # Loaded only when an article is counted: a run answered from the cache needs none of it.
    from localize.publish import coverage
    from localize.statistics import count_messages

    path, template = catalog_path(config, code, slug), template_path(config, slug)
    problem = None if slug in sources else ORPHAN
    unreadable: list[Finding] = []
    counts = Counts()
    catalog = None
    try:
        if path.is_file():
            catalog = read_catalog(path, shown=config.relative(path))
            counts = count_messages(catalog)
        else:
            problem = problem or MISSING
    except CatalogError as error:
        problem = str(error)
        unreadable.append(finding("E001", error.message, error.path or config.relative(path), error.line))
    document = documents.get(slug) if slug in sources else None
    if catalog is None:
        counts = _untranslated_counts(config, template, document)
    if slug in documents.errors:
        problem = str(documents.errors[slug])
    if problem not in (None, MISSING):
        published = False  # merge stops at an unreadable article or catalog, and publishes no orphan
    elif document is not None:
        published = coverage(document, catalog).publishes(minimum)
    else:
        published = problem is None and counts.percent >= minimum
    # Out of date as a reader of the page would see it: its source changed since (extract pending, fuzzy
    # translations), or it is published with parts still in the source language.
    outdated = (
        problem is not None or any(resolved_path(p) in stale for p in (path, template))
        or counts.fuzzy > 0 or (published and counts.untranslated > 0)
    )
    return ArticleStatus(slug, code, config.relative(path), counts, outdated, published, problem), unreadable


def _untranslated_counts(config: Config, template: Path, document: Document | None) -> Counts:
    """The counts of an article with nothing translated: from its template, else from its segments."""
    from localize.statistics import count_messages, word_count

    try:
        if template.is_file():
            counts = count_messages(read_catalog(template, shown=config.relative(template)))
            return Counts(untranslated=counts.total, untranslated_words=counts.words)
    except CatalogError:
        pass  # an E001 of the template's own, which check reports
    if document is None:
        return Counts()
    texts = {segment.text for segment in document.segments}
    return Counts(untranslated=len(texts), untranslated_words=sum(word_count(text) for text in texts))


def _digest(job: _StatusJob, kept: KeptResults, slug: str, known: dict[str, FileState] | None = None) -> bytes | None:
    """The digest of everything an article's status is made of (``KeptResults.digest``): its source,
    template and catalogs, whether it has a source, and which of its files extract would change
    (``known``: the states of those files that a listing of this run found to be no links)."""
    config = job.config
    extra = [str(slug in job.sources)]
    # The paths as strings (``str`` of ``template_path`` and ``catalog_path``), for the thousands of articles
    # of an archive; made Paths only to be looked up among the stale files, when there are any.
    sep, locales = os.sep, config.locales_dir
    template = f"{locales}{sep}{TEMPLATES_FOLDER}{sep}{ARTICLES_FOLDER}{sep}{slug}.pot"
    paths: list[Path | str] = [f"{config.source_dir}{sep}{slug}{ARTICLE_SUFFIX}", template]
    for code, listed in job.languages:
        if slug in listed:
            path = f"{locales}{sep}{code}{sep}LC_MESSAGES{sep}{ARTICLES_FOLDER}{sep}{slug}.po"
            paths.append(path)
            extra += [code, *(str(bool(job.stale) and resolved_path(Path(file)) in job.stale)
                              for file in (path, template))]
    return kept.digest(slug, paths, extra, known=known)


def _encode(outcome: _SlugStatus) -> bytes | None:
    try:
        return marshal.dumps((
            tuple(
                (code, (article.slug, article.language, str(article.path), encode_counts(article.counts),
                        article.outdated, article.published, article.problem),
                 tuple(encode_finding(found) for found in unreadable))
                for code, (article, unreadable) in outcome.languages.items()
            ),
            encode_facts(outcome.documents),
        ))
    except ValueError:  # a fact the cache cannot hold as it is
        return None


def _decode(slug: str, value: bytes | None) -> _SlugStatus | None:
    if value is None:
        return None
    languages, facts = marshal.loads(value)
    return _SlugStatus(
        slug,
        {
            code: (ArticleStatus(found_slug, language, Path(path), decode_counts(counts), outdated, published,
                                 problem),
                   [decode_finding(found) for found in unreadable])
            for code, (found_slug, language, path, counts, outdated, published, problem), unreadable in languages
        },
        decode_facts(facts),
    )
