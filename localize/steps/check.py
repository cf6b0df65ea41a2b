"""``localize check``: every catalog of a tree (or the files named), with what needs the source articles."""

from __future__ import annotations

import marshal
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from localize.article import ARTICLE_SUFFIX, Sources, find_articles, read_article
from localize.catalog import (
    ARTICLES_FOLDER,
    CatalogParser,
    TEMPLATES_FOLDER,
    catalog_path,
    header_line,
    listed_entries,
    listed_slugs,
    read_catalog,
    slugs_of,
    template_path,
)
from localize.cache import FileState, file_key, paused_collection
from localize.codes import CheckPolicy, apply_policy, finding
from localize.config import Config
from localize.errors import CatalogError, LocalizeError, SourceError
from localize.files import CREATED
from localize.glossary import Glossary, GlossaryError
from localize.termbase import load_glossary
from localize.language import parse_language
from localize.model import ERROR, WARNING, Counts, Document, Finding
from localize.parsed import ParsedFiles, ParsedRow
from localize.pool import context as pool_context
from localize.pool import run_each
from localize.results import (
    decode_counts,
    decode_facts,
    decode_finding,
    encode_counts,
    encode_facts,
    encode_finding,
    forget_resolved_paths,
    kept_results,
    resolved_file,
    resolved_path,
)
from localize.steps.extract import extract


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
    (a missing catalog, a source article that cannot be read); ``ignored``, the findings
    that the configuration's ``[check] ignore`` left out."""

    catalogs: tuple[CatalogCheck, ...]
    findings: tuple[Finding, ...] = ()
    ignored: tuple[Finding, ...] = ()

    @property
    def downgraded(self) -> tuple[Finding, ...]:
        """The errors that the configuration's ``[check] warn`` reports as warnings."""
        return tuple(f for f in self.all_findings if f.downgraded)

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


def check(
    config: Config, *, languages: tuple[str, ...] = (), paths: tuple[Path, ...] = (), jobs: int | None = None,
    on_progress: Callable[[int, int], None] | None = None, use_cache: bool = True,
) -> CheckReport:
    """Check every catalog of the content tree, or only the PO/POT files (and folders) in ``paths``.

    Files in ``paths`` need no content tree; those inside the locales folder are also
    checked against their source articles. ``languages`` keeps only those languages'
    catalogs (templates are always checked). The catalogs are checked on ``jobs``
    processes (``None``: every core), an article's catalogs together, with the same
    report whatever ``jobs`` is; ``on_progress(done, total)`` is called after each catalog.

    In a content tree, what an article's catalogs gave is kept in the tree's cache
    (``localize.cache``) under the digest of every file read and everything else that
    decides it (``results.KeptResults``): an article none of whose files changed is not read
    again (``use_cache=False``: every one is).
    """
    forget_resolved_folders()
    wanted = tuple(parse_language(code).code for code in languages)
    # A tree's files are listed as strings, with those that are symbolic links (``links``): the
    # thousands of catalogs of an archive make no Path until one is read.
    files: list[tuple[Path | str, Path]]
    links: set[str] = set()
    listed: dict[Path, list[str]] = {}
    if paths:
        files = [(path, path) for path in _catalog_files_in(paths)]
        inside = [path for path, _ in files if _is_inside(path, config.locales_dir)]
        tree = bool(inside) and config.source_dir.is_dir()
        tree_languages = tuple(sorted({
            language for path in inside if (language := _place_of(config, path)[0]) in config.languages
        }))
    else:
        with paused_collection():
            files, links, listed = _tree_catalog_files(config, wanted or config.languages)
        tree, tree_languages = True, wanted or config.languages

    # The collector is paused where tens of thousands of small values (paths, rows, results) are
    # made, none of them cyclic; not where articles and catalogs are read (extract, the pool).
    checked = []
    documents = Documents(config)
    glossaries = _Glossaries(config)
    with paused_collection():
        groups = _by_article(config, files, links)
        if tree:
            # The articles without a catalog are read in the pool too (check reports those it cannot read).
            grouped = {slug for slug, _ in groups if slug is not None}
            articles = find_articles(config)
            groups += [(slug, []) for slug in articles.files if slug not in grouped]
    results: dict[int, CatalogCheck] = {}
    done = 0
    stale: tuple[dict[Path, str], list[Finding]] | None = None
    scanned: dict[str, FileState] = {}
    if tree:
        # First what extract would change: it brings the cache's digests of the files up to date.
        stale = stale_files(config, tree_languages, articles, scanned)
    # The states extract's scans found of the catalogs listed above as files that are no links (a
    # regular file's ``stat`` is its ``lstat``), and of the source articles that are no links:
    # their digests need not look at them again.
    with paused_collection():
        known = {path: state for path, _ in files
                 if isinstance(path, str) and path not in links and (state := scanned.get(path)) is not None}
        if tree:
            known.update((path, state) for path, _ in articles.files.values() if (state := scanned.get(path)) is not None)
    del scanned  # (a path and state for each of an archive's files: those needed are in ``known``)

    def take(outcome: _GroupCheck) -> None:
        nonlocal done
        for index, result in outcome.checks:
            results[index] = result
            done += 1
            if on_progress is not None:
                on_progress(done, len(files))
        documents.learn(outcome.documents)
        for code in outcome.glossaries:
            glossaries.get(code)

    # What earlier runs made of the articles whose files did not change; the others, in the pool
    # (the cache is closed meanwhile: no connection is carried into the workers), kept after.
    use_cache = use_cache and tree
    digests: list[bytes | None] = [None] * len(groups)
    pending: list[int] = []
    with kept_results(config, "check", enabled=use_cache) as saved, paused_collection():
        names = [_group_name(group, links) for group in groups] if use_cache else []
        for number, group in enumerate(groups):
            found = None
            if saved is not None:
                # The paths as shown are in the key too: a result stores them (a file named on the
                # command line by its absolute path shows that path, the tree's check a relative one).
                digests[number] = saved.digest(names[number], _group_files(config, group),
                                               [str(shown) for _, _, shown in group[1]], known=known)
                if digests[number] is not None:
                    found = _decode_group(group, saved.take(names[number], digests[number]))
            if found is None:
                pending.append(number)
            else:
                take(found)
        if saved is not None and not paths and not wanted:
            saved.forget_all_but(set(names))  # deleted and renamed articles
    del known  # (the files are checked from here on, and their results piled up where it was)
    fresh = []
    # What is parsed is kept for the merge that follows (``localize.parsed``), by each worker (or here:
    # closed once the articles are checked, so that no process forked later shares it).
    with ParsedFiles(config.project_dir, enabled=use_cache) as parsed:
        outcomes = run_each(_check_group, [_as_paths(groups[number]) for number in pending],
                            context=_GroupRun(config, parsed), jobs=jobs)
        for number, outcome in zip(pending, outcomes):
            take(outcome)
            fresh.append((number, outcome))
    with kept_results(config, "check", enabled=use_cache and bool(fresh)) as saved:
        for number, outcome in fresh:
            digest = digests[number]
            # A file changed while the pool read it (an extract alongside) could have given the result
            # of other content than the digest's: such a result is not kept.
            if (saved is not None and digest is not None
                    and saved.digest(names[number], _group_files(config, groups[number]),
                                     [str(shown) for _, _, shown in groups[number][1]]) == digest
                    and (value := _encode_group(outcome)) is not None):
                saved.put(names[number], digest, value)
    with paused_collection():
        for index, (path, _) in enumerate(files):
            result = results[index]
            if wanted and not result.template and result.language not in wanted:
                continue
            checked.append((_resolved_text(path, links), result))

        extra: list[Finding] = []
        if tree:
            by_path = {path: index for index, (path, _) in enumerate(checked)}
            added: dict[int, list[Finding]] = {}
            assert stale is not None
            for found in _tree_findings(config, tree_languages, documents, stale, articles, listed):
                index = by_path.get(str(resolved_path(config.project_dir / found.path)))
                if index is not None:
                    added.setdefault(index, []).append(found)
                elif not paths:
                    extra.append(found)
            for index, findings in added.items():
                path, result = checked[index]
                checked[index] = (path, replace(result, findings=result.findings + tuple(findings)))

        for code in tree_languages if tree else ():
            glossaries.get(code)  # a broken glossary is reported even where no catalog was checked
        extra.extend(glossaries.findings(wanted))

        # The project's [check] ignore and warn, each catalog by its language's.
        ignored: list[Finding] = []
        catalogs = []
        policies: dict[str | None, CheckPolicy] = {}  # (an archive's catalogs have a few languages)
        for _, result in checked:
            if not result.findings:
                catalogs.append(result)
                continue
            policy = policies.get(result.language)
            if policy is None:
                policy = policies[result.language] = config.check_policy(result.language)
            if not (policy.ignore or policy.warn):
                catalogs.append(result)  # nothing to change (as most catalogs of an archive)
                continue
            kept, dropped = apply_policy(result.findings, policy)
            catalogs.append(replace(result, findings=tuple(kept)))
            ignored.extend(dropped)
        others = []
        for found in extra:
            language = _place_of(config, config.project_dir / found.path)[0]
            kept, dropped = apply_policy([found], config.check_policy(language))
            others.extend(kept)
            ignored.extend(dropped)
    return CheckReport(catalogs=tuple(catalogs), findings=tuple(others), ignored=tuple(ignored))


@dataclass(frozen=True)
class _GroupCheck:
    """The catalogs of one article checked (by their index in the list of files), what was learnt
    of its source (``Documents.facts``), and the languages whose glossary was read."""

    checks: tuple[tuple[int, CatalogCheck], ...]
    documents: dict[str, tuple[bool, LocalizeError | None, LocalizeError | None]]
    glossaries: tuple[str, ...]


@dataclass(frozen=True)
class _GroupRun:
    """What checking each article needs: the settings, and where parses are kept."""

    config: Config
    parsed: ParsedFiles


_worker_glossaries: tuple[Config, _Glossaries] | None = None


def _check_group(group: tuple[str | None, list[tuple[int, Path, Path]]]) -> _GroupCheck:
    """Check the catalogs of one article (in a worker, or in this process): its source is segmented
    once for all of them, and forgotten after."""
    global _worker_glossaries
    run: _GroupRun = pool_context()
    config = run.config
    if _worker_glossaries is None or _worker_glossaries[0] is not config:
        _worker_glossaries = (config, _Glossaries(config))
    glossaries = _worker_glossaries[1]
    slug, catalogs = group
    kept: list[ParsedRow] = []
    documents = Documents(config, parsed=run.parsed, kept=kept)
    if slug is not None:
        documents.get(slug)
    checks = tuple((index, _check_file(config, path, shown, documents, glossaries,
                                       parse=run.parsed.catalog_parser(file_key(config, path), kept)))
                   for index, path, shown in catalogs)
    run.parsed.keep(kept)
    return _GroupCheck(checks, documents.facts(), tuple(sorted(glossaries.found)))


def _by_article(
    config: Config, files: list[tuple[Path | str, Path]], links: set[str],
) -> list[tuple[str | None, list[tuple[int, Path | str, Path]]]]:
    """The files, by index, grouped by the article whose catalogs they are (``None``: a template,
    ui.po, a file outside the tree: alone), in the order of their first file."""
    groups: dict[object, tuple[str | None, list[tuple[int, Path | str, Path]]]] = {}
    for index, (path, shown) in enumerate(files):
        slug = _slug_of_file(config, path, links)
        key: object = slug if slug is not None else index
        groups.setdefault(key, (slug, []))[1].append((index, path, shown))
    return list(groups.values())


def _slug_of_file(config: Config, path: Path | str, links: set[str]) -> str | None:
    """The article whose catalog the file is (``_place_of``, then ``_article_slug``); in strings,
    a folder's place found once, for a tree's file (a string) that is no link. A tree's
    template that is no link goes with its article too: one result kept for both, not two."""
    if isinstance(path, str):
        name = path.rpartition(os.sep)[2]
        if path not in links and name.endswith(".pot") and len(name) > len(".pot"):
            return _template_slug_in(config, resolved_file(path))
        if path not in links and name.endswith(".po") and len(name) > len(".po"):
            resolved = resolved_file(path)
            folder = resolved.rpartition(os.sep)[0]
            language = _folder_languages.get(folder, _UNKNOWN)
            if language is _UNKNOWN:
                language = _folder_languages[folder] = _lc_messages_language(Path(folder).parts)
            if language is not _NOT_IN_LC_MESSAGES:
                return _slug_in(config, resolved, language) if language is not None else None
        path = Path(path)
    folder_language, template = _place_of(config, path)
    return _article_slug(config, path, folder_language) if not template else None


_UNKNOWN, _NOT_IN_LC_MESSAGES = object(), object()
# The language of each resolved folder's files (``_place_of``): a tree of thousands of catalogs has a few folders.
_folder_languages: dict[str, object] = {}


def _resolved_text(path: Path | str, links: set[str]) -> str:
    """``str(resolved_path(path))``, in strings for a tree's file that is no link."""
    if isinstance(path, str) and path not in links:
        return resolved_file(path)
    return str(resolved_path(Path(path)))


def _as_paths(
    group: tuple[str | None, list[tuple[int, Path | str, Path]]],
) -> tuple[str | None, list[tuple[int, Path, Path]]]:
    """A group of files with Paths, to be read."""
    slug, catalogs = group
    return slug, [(index, Path(path), shown) for index, path, shown in catalogs]


_articles_folders: dict[tuple[str, str], Path] = {}


def forget_resolved_folders() -> None:
    forget_resolved_paths()
    _articles_folders.clear()
    _folder_languages.clear()


def _catalog_files_in(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".po", ".pot") and p.is_file()))
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def _tree_catalog_files(
    config: Config, languages: tuple[str, ...],
) -> tuple[list[tuple[str, Path]], set[str], dict[Path, list[str]]]:
    """The templates (``*.pot``), then each language's catalogs (``*.po``: articles and ui.po), each
    with its path as shown; those of them that are symbolic links; and, by the same walks, the
    ``listed_slugs`` of each ``articles`` folder walked into (one that is a link is not)."""
    folders = [(config.locales_dir / TEMPLATES_FOLDER, ".pot")]
    folders += [(config.locales_dir / code / "LC_MESSAGES", ".po") for code in languages]
    files: list[tuple[str, Path]] = []
    links: set[str] = set()
    listed: dict[Path, list[str]] = {}
    under = f"{ARTICLES_FOLDER}/"
    for folder, suffix in folders:
        text, shown = str(folder), _relative(config, folder)
        prefix = text if text.endswith(os.sep) else f"{text}{os.sep}"
        entries = listed_entries(folder, suffix)
        for relative, is_file, is_link in entries:
            if is_file:
                path = prefix + relative.replace("/", os.sep)
                files.append((path, shown / relative))
                if is_link:
                    links.add(path)
        articles = folder / ARTICLES_FOLDER
        if not os.path.islink(articles):  # (a walk goes into no link to a folder; listed_slugs would)
            listed[articles] = slugs_of([relative[len(under):] for relative, _, _ in entries
                                         if relative.startswith(under)], suffix)
    return files, links, listed


def _relative(config: Config, path: Path) -> Path:
    """``config.relative(path)``, sooner for a path that starts with the project's."""
    text, prefix = str(path), f"{config.project_dir}{os.sep}"
    return Path(text[len(prefix):]) if text.startswith(prefix) else config.relative(path)


def _is_inside(path: Path, folder: Path) -> bool:
    return resolved_path(path).is_relative_to(resolved_path(folder))


_LANGUAGE_FILE_NAME = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


def _place_of(config: Config, path: Path) -> tuple[str | None, bool]:
    """The language a file's place says (``LANG/LC_MESSAGES/...`` or ``po/LANG.po``), and
    whether it is a template."""
    if path.suffix == ".pot":
        return None, True
    language = _lc_messages_language(resolved_path(path).parts[:-1])
    if language is not _NOT_IN_LC_MESSAGES:
        return language, False  # type: ignore[return-value]
    if _LANGUAGE_FILE_NAME.match(path.stem):
        try:
            return parse_language(path.stem).code, False
        except LocalizeError:
            pass
    return None, False


def _lc_messages_language(folder: tuple[str, ...]) -> str | None | object:
    """The language a catalog's folder says, ``LANG`` of its last ``LANG/LC_MESSAGES`` (``None``:
    ``LC_MESSAGES`` at the root); ``_NOT_IN_LC_MESSAGES`` when it has no ``LC_MESSAGES``."""
    if "LC_MESSAGES" not in folder:
        return _NOT_IN_LC_MESSAGES
    index = len(folder) - 1 - folder[::-1].index("LC_MESSAGES")
    return folder[index - 1] if index > 0 else None


def _check_file(
    config: Config, path: Path, shown: Path, documents: Documents, glossaries: _Glossaries | None = None,
    parse: CatalogParser | None = None,
) -> CatalogCheck:
    # What reads and checks a catalog is loaded only when one is: a run answered from the cache needs none of it.
    from localize.checks import CatalogContext, check_catalog
    from localize.publish import coverage
    from localize.statistics import count_messages
    from localize.ui import ui_catalog_path

    folder_language, template = _place_of(config, path)
    try:
        catalog = read_catalog(path, shown=shown, parse=parse)
    except CatalogError as error:
        return CatalogCheck(
            path=shown, language=folder_language, template=template, counts=None,
            findings=(finding("E001", error.message, shown, error.line),),
        )
    language = folder_language or (None if template else catalog.metadata.get("Language", "").strip() or None)
    settings = config.settings_for(language) if language else None
    minimum = None if template else (settings.min_translated if settings else config.min_translated)
    site_strings = bool(folder_language) and _same_file(path, ui_catalog_path(config, folder_language))
    if site_strings:
        minimum = None  # the site's strings hold no page back: a missing one shows in English
    slug = _article_slug(config, path, folder_language) if not template else None
    document = documents.get(slug) if slug is not None else None
    context = CatalogContext(
        path=shown,
        folder_language=folder_language,
        header_line=header_line(path),
        min_translated=minimum,
        source_language=config.source_language,
        template=template,
        quotes=config.quotes,
        coverage=coverage(document, catalog) if document is not None else None,
        glossary=glossaries.get(language) if glossaries is not None and language and not template else None,
        site_strings=site_strings,
    )
    return CatalogCheck(
        path=shown, language=language, template=template, counts=count_messages(catalog),
        findings=tuple(check_catalog(catalog, context)),
    )


class Documents:
    """Source articles, read and segmented once each, for the coverage of their catalogs."""

    def __init__(self, config: Config, *, parsed: ParsedFiles | None = None, kept: list[ParsedRow] | None = None) -> None:
        self.config = config
        # Where sources' segments are kept (``localize.parsed``), and the parses made here for it.
        self.parsed, self.kept = parsed, kept if kept is not None else []
        self.found: dict[str, Document | None] = {}
        self.errors: dict[str, LocalizeError] = {}  # why an article cannot be read, by slug
        # Why a page would have no dateline, by slug: merge publishes it so and warns, check fails.
        self.datelines: dict[str, LocalizeError] = {}

    def get(self, slug: str) -> Document | None:
        """The article's segments; ``None`` when it does not exist or cannot be read (``errors`` says why)."""
        if slug not in self.found:
            path = self.config.source_dir / f"{slug}{ARTICLE_SUFFIX}"
            try:
                # A symbolic link in a loop or to nothing is an article that cannot be read.
                article = read_article(self.config, path) if path.is_file() or path.is_symlink() else None
                if article is not None and article.zone_problem is not None:
                    raise article.zone_problem  # merge leaves the article out
                if article is not None and article.date_problem is not None:
                    self.datelines[slug] = article.date_problem
                from localize.segment import segment_article  # (as the checks: only when an article is read)

                if article is None:
                    self.found[slug] = None
                elif self.parsed is not None:
                    self.found[slug] = self.parsed.document(article, front_matter_keys=self.config.front_matter_keys,
                                                            name=file_key(self.config, path), kept=self.kept)
                else:
                    self.found[slug] = segment_article(article, front_matter_keys=self.config.front_matter_keys)
            except LocalizeError as error:
                self.found[slug] = None
                self.errors[slug] = error
        return self.found[slug]

    def facts(self) -> dict[str, tuple[bool, LocalizeError | None, LocalizeError | None]]:
        """What was learnt of each article asked for: whether it was found, why it cannot be read,
        why its page would have no dateline; for ``learn`` in another process."""
        return {slug: (document is not None, self.errors.get(slug), self.datelines.get(slug))
                for slug, document in self.found.items()}

    def learn(self, facts: dict[str, tuple[bool, LocalizeError | None, LocalizeError | None]]) -> None:
        """Take what another process learnt (``facts``): ``problems`` then reports those articles too,
        without reading them again (their segments stay there: ``get`` gives ``None``)."""
        for slug, (_, error, dateline) in facts.items():
            self.found[slug] = None
            if error is not None:
                self.errors[slug] = error
            if dateline is not None:
                self.datelines[slug] = dateline

    def problems(self, found: Sources, *, datelines: bool = True) -> list[LocalizeError]:
        """Every article of ``found`` that cannot be read, or (``datelines``) whose dateline
        cannot be, once each (after ``get`` was asked for each)."""
        problems = {error.path: error for error in self.errors.values() if error.path is not None}
        for error in found.problems:  # a folder that cannot be listed
            problems.setdefault(error.path, error)
        listed = list(problems.values())
        if datelines:
            listed += [problem for _, problem in sorted(self.datelines.items())]
        return listed


class _Glossaries:
    """Each language's glossary, read once; one that cannot be read is an E402 finding."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.found: dict[str, Glossary | None] = {}
        self.errors: dict[str, GlossaryError] = {}

    def get(self, language: str) -> Glossary | None:
        if language not in self.found:
            try:
                self.found[language] = load_glossary(self.config, language)
            except GlossaryError as error:
                self.found[language] = None
                self.errors[language] = error
        return self.found[language]

    def findings(self, languages: tuple[str, ...] = ()) -> list[Finding]:
        """E402 for each glossary that cannot be read (of ``languages`` only, when given)."""
        return [
            finding("E402", f"{error.message} (its terms are not checked)", error.path or Path("glossary"), error.line)
            for language, error in sorted(self.errors.items()) if not languages or language in languages
        ]


def _same_file(path: Path, other: Path) -> bool:
    return resolved_path(path) == resolved_path(other)


def _article_slug(config: Config, path: Path, language: str | None) -> str | None:
    """The slug of the article whose catalog ``path`` is in the content tree, else ``None``."""
    if language is None or path.suffix != ".po":
        return None
    return _slug_in(config, str(resolved_path(path)), language)


def _slug_in(config: Config, resolved: str, language: str) -> str | None:
    """``_article_slug`` of a ``.po`` file whose resolved path is ``resolved``."""
    key = (str(config.locales_dir), language)
    folder = _articles_folders.get(key)
    if folder is None:
        folder = _articles_folders[key] = resolved_path(config.locales_dir / language / "LC_MESSAGES" / ARTICLES_FOLDER)
    return _slug_under(folder, resolved, ".po")


def _template_slug_in(config: Config, resolved: str) -> str | None:
    """The slug of the article whose template the ``.pot`` file at ``resolved`` (a resolved path) is, if any."""
    key = (str(config.locales_dir), "")
    folder = _articles_folders.get(key)
    if folder is None:
        folder = _articles_folders[key] = resolved_path(config.locales_dir / TEMPLATES_FOLDER / ARTICLES_FOLDER)
    return _slug_under(folder, resolved, ".pot")


def _slug_under(folder: Path, resolved: str, suffix: str) -> str | None:
    """The slug of the file at ``resolved`` under ``folder`` (resolved), as ``Path.with_suffix("")`` says it."""
    # As strings, for the thousands of catalogs of an archive: PurePath.relative_to is slow.
    text, prefix = resolved, f"{folder}{os.sep}"
    if not text.startswith(prefix):  # (the folder is never the root: it ends in .../articles)
        return None
    relative = text[len(prefix):]
    if relative.endswith(suffix) and relative.rpartition("/")[2] != suffix:
        return relative[:-len(suffix)]
    return Path(relative).with_suffix("").as_posix()


def _tree_findings(
    config: Config, languages: tuple[str, ...], documents: Documents,
    stale_and_problems: tuple[dict[Path, str], list[Finding]], found: Sources,
    listed: dict[Path, list[str]] | None = None,
) -> list[Finding]:
    """E102 out of date, E103 orphans, E104 unreadable sources: what needs the source articles
    (``stale_and_problems``: what ``stale_files`` says of ``languages``; ``found``, the articles;
    ``listed``: the ``listed_slugs`` of folders already walked)."""
    listed = listed or {}

    findings: list[Finding] = []
    sources = set(found.files) | found.unreadable
    stale, problems = stale_and_problems
    findings.extend(problems)
    # What extract reads without fault may still leave a page without its dateline.
    for slug in sorted(sources):
        documents.get(slug)
    reported = {Path(problem.path) for problem in problems}
    findings.extend(
        finding("E104", error.message, error.path, error.line)
        for error in documents.problems(found) if error.path is not None and error.path not in reported
    )
    for path, status in stale.items():
        shown = config.relative(path)
        if status == CREATED:
            findings.append(finding("E102", "missing: run localize extract to create it", shown))
        else:
            findings.append(finding("E102", "out of date with the source: run localize extract to update it", shown))
    templates = config.locales_dir / TEMPLATES_FOLDER / ARTICLES_FOLDER
    slugs = listed[templates] if templates in listed else listed_slugs(templates, ".pot")
    for slug in slugs if config.locales_dir.is_dir() else ():
        if not found.known(slug):
            findings.append(finding("E103", f"template of {slug}, which has no source article (orphan)",
                                    config.relative(template_path(config, slug))))
    for code in languages:
        folder = config.locales_dir / code / "LC_MESSAGES" / ARTICLES_FOLDER
        for slug in listed[folder] if folder in listed else listed_slugs(folder, ".po"):
            if not found.known(slug):
                findings.append(finding("E103", f"catalog of {slug}, which has no source article (orphan)",
                                        config.relative(catalog_path(config, code, slug))))
    return findings


def stale_files(
    config: Config, languages: tuple[str, ...], found: Sources | None = None,
    scanned: dict[str, FileState] | None = None,
) -> tuple[dict[Path, str], list[Finding]]:
    """The files extract would write (absolute path to CREATED or UPDATED), language by
    language so that one unreadable catalog hides only its own language's (``found``: the
    source articles, when the caller has just listed them). ``scanned``, when given, gets
    the state of every file extract's scans found (``ExtractReport.scanned``)."""
    stale: dict[Path, str] = {}
    problems: list[Finding] = []
    batches = [(code,) for code in languages] or [()]
    if len(batches) > 1:
        # Every language at once first (the articles are read once, not once per language); only when
        # a catalog or glossary cannot be read, language by language.
        try:
            report = extract(config, check=True, languages=languages, found=found)
        except (CatalogError, GlossaryError, SourceError):
            pass  # each found and reported as before, language by language
        else:
            batches = []
            if scanned is not None:
                scanned.update(report.scanned.items())
            for change in report.changed:
                stale[(config.project_dir / change.path).resolve()] = change.status
    for batch in batches:
        try:
            report = extract(config, check=True, languages=batch, found=found)
        except (CatalogError, GlossaryError):
            continue  # the unreadable file is an E001 (a glossary an E402) of its own
        except SourceError as error:
            where = error.path or config.source_dir
            problems.append(finding("E104", f"{error.message} (catalogs not compared with their sources)",
                                    where, error.line))
            break
        if scanned is not None:
            scanned.update(report.scanned.items())
        for change in report.changed:
            stale[(config.project_dir / change.path).resolve()] = change.status
    return stale, problems


def _group_name(group: tuple[str | None, list[tuple[int, Path | str, Path]]], links: set[str]) -> str:
    """What the cache calls a group's result: its article (with the languages of its catalogs), or its file."""
    slug, catalogs = group
    if slug is None:
        return f"file {_resolved_text(catalogs[0][1], links)}"
    return f"article {slug} " + " ".join(sorted(str(path) for _, path, _ in catalogs))


def _group_files(config: Config, group: tuple[str | None, list[tuple[int, Path | str, Path]]]) -> list[Path | str]:
    slug, catalogs = group
    paths: list[Path | str] = [f"{config.source_dir}{os.sep}{slug}{ARTICLE_SUFFIX}"] if slug is not None else []
    return paths + [path for _, path, _ in catalogs]


def _encode_group(outcome: _GroupCheck) -> bytes | None:
    """``outcome`` as bytes for the cache (plain values through ``marshal``), or ``None`` when it cannot be."""
    try:
        return marshal.dumps((
            tuple((str(result.path), result.language, result.template,
                   encode_counts(result.counts), tuple(encode_finding(f) for f in result.findings))
                  for _, result in outcome.checks),
            encode_facts(outcome.documents),
            outcome.glossaries,
        ))
    except ValueError:  # what marshal cannot hold, an error of a kind not kept
        return None


def _decode_group(
    group: tuple[str | None, list[tuple[int, Path | str, Path]]], value: bytes | None,
) -> _GroupCheck | None:
    if value is None:
        return None
    checks, facts, glossaries = marshal.loads(value)
    _, catalogs = group
    if len(checks) != len(catalogs):
        return None
    return _GroupCheck(
        tuple(
            (index, CatalogCheck(shown if path == str(shown) else Path(path), language, template,
                                 decode_counts(counts), tuple(decode_finding(f, shown) for f in findings)))
            for (index, _, shown), (path, language, template, counts, findings) in zip(catalogs, checks)
        ),
        decode_facts(facts),
        tuple(glossaries),
    )
