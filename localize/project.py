"""Runs the steps over a content tree and returns reports; prints nothing."""

from __future__ import annotations

import glob
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from localize._version import __version__
from localize.article import ARTICLE_SUFFIX, Sources, find_articles, read_article, read_articles
from localize.cache import (
    CACHE_FOLDER,
    ArticleRecord,
    Cache,
    FileState,
    Scan,
    code_fingerprint,
    combined_digest,
    content_digest,
    file_state,
    files_signature,
    open_cache,
    scan,
    state_signature,
)
from localize.catalog import (
    ARTICLES_FOLDER,
    TEMPLATES_FOLDER,
    CatalogFile,
    catalog_path,
    catalog_slugs,
    default_style,
    format_catalog,
    header_line,
    project_id,
    read_catalog,
    read_catalog_if_present,
    read_if_present,
    new_header,
    stable_template,
    template_path,
    template_slugs,
    write_catalog_if_changed,
)
from localize.checks import CatalogContext, apply_policy, check_catalog, finding
from localize.config import Config, add_languages, check_output_dir, settings_file
from localize.errors import CatalogError, ConfigError, LocalizeError, SourceError
from localize.fetch import FetchPolicy, Session, fetch, new_session
from localize.glossary import Glossary, GlossaryError, annotate_catalog, glossary_files, load_glossary
from localize.files import CREATED, REMOVED, UNCHANGED, FileChange, write_if_changed, write_text_atomic
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
from localize.language import Language, parse_language, primary_subtag, project_language
from localize.lock import hold_lock, lock_path
from localize.memory import Entries, LanguageMemory, MemoryStore, Source, entries
from localize.model import ERROR, WARNING, Article, Catalog, Counts, Document, Finding, Message
from localize.publish import ArticleState, MergePolicy, build_site, coverage, edition
from localize.render import Site
from localize.segment import segment_article
from localize.statistics import count_messages, word_count
from localize.template import build_template
from localize.tmx import TranslationUnit, format_tmx, read_tmx
from localize.ui import load_ui_translations, ui_catalog_path, ui_catalogs
from localize.ui import template_dirs as ui_template_dirs
from localize.update import CatalogHeader, UpdatePolicy, UpdateSummary, update

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


# -- extract -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExtractPolicy:
    """What extract does besides bringing templates and catalogs up to date with the sources."""

    fuzzy: bool = True  # suggest fuzzy translations for new messages
    prune_obsolete: bool = False  # drop obsolete messages from the catalogs
    prune_orphans: bool = False  # delete the templates and catalogs of articles that no longer exist
    use_cache: bool = True  # skip the articles that did not change since the last run


@dataclass(frozen=True)
class CatalogUpdate:
    """What updating one catalog did to its messages."""

    path: Path
    summary: UpdateSummary


@dataclass(frozen=True)
class ExtractReport:
    articles: int
    files: tuple[FileChange, ...]
    orphans: tuple[str, ...] = ()
    skipped: int = 0  # articles unchanged since the last run, not even read
    skipped_files: int = 0  # their templates and catalogs
    updates: tuple[CatalogUpdate, ...] = ()  # for each catalog written, what the update did
    cleaned: tuple[Path, ...] = ()  # temporary files of a killed run, removed
    problems: tuple[LocalizeError, ...] = ()  # articles that could not be read: skipped, their files left as they were

    @property
    def changed(self) -> tuple[FileChange, ...]:
        return tuple(change for change in self.files if change.status != UNCHANGED)


def extract(
    config: Config,
    *,
    check: bool = False,
    languages: tuple[str, ...] | None = None,
    policy: ExtractPolicy = ExtractPolicy(),
    on_wait: Callable[[Path], None] | None = None,
) -> ExtractReport:
    """Bring every template and catalog up to date with the source articles.

    With ``check``, nothing is written: the report says what would change.
    An article whose source, template and catalogs are as the last run left
    them is skipped unread (see ``localize.cache``). New messages get their
    translations from the catalog itself and the translation memory (see
    ``localize.update``). The tree is locked meanwhile; ``on_wait`` is called
    if another process holds the lock.
    """
    targets = [parse_language(code) for code in (languages if languages is not None else config.languages)]
    with hold_lock(lock_path(config.project_dir), shared=check, on_wait=on_wait):
        with open_cache(config.project_dir, enabled=policy.use_cache) as cache:
            report = _Extraction(config, cache, targets, check=check, policy=policy).run()
        changes = [_write(config, path, catalog, check=check) for path, catalog in ui_catalogs(config, targets)]
    return replace(report, files=report.files + tuple(changes))


class _Extraction:
    """One run of extract.

    The rule that makes skipping safe: a catalog's update depends on the
    catalog itself and its template, and on the translation memory only for
    messages that are new or untranslated. So an article is redone when its
    source, template or one of its catalogs changed (``cache``), or when the
    memory gained a translation for a text one of its catalogs leaves
    untranslated (``MemoryStore.affected``; such a catalog waits in the
    cache until an update is done). The memory is read as it was when the
    run started; what the run writes is indexed at its end. Run with and
    without the cache, extract writes the same bytes.
    """

    def __init__(self, config: Config, cache: Cache, targets: list[Language], *, check: bool,
                 policy: ExtractPolicy) -> None:
        self.config = config
        self.cache = cache
        self.store = MemoryStore(cache)
        self.targets = targets
        self.codes = tuple(language.code for language in targets)
        self.check = check
        self.policy = policy
        self.update_policy = UpdatePolicy(
            fuzzy=policy.fuzzy, cutoff=config.fuzzy_cutoff, prune_obsolete=policy.prune_obsolete
        )
        self.locales_key = _key(config, config.locales_dir)
        self.source_key = _key(config, config.source_dir)
        self.templates_dir = config.locales_dir / TEMPLATES_FOLDER / ARTICLES_FOLDER
        self.memories: dict[str, LanguageMemory | None] = {}
        self._covered: dict[tuple[str, ...], bool] = {}
        self.memory_states: dict[str, dict[str, FileState]] = {}  # complete, trusted sources by language
        self.written: dict[str, list[str]] = {}  # slug: the keys of the files recorded for it
        self.pending: list[tuple[str, str, str, Entries, bytes]] = []
        self.changes: list[FileChange] = []
        self.updates: list[CatalogUpdate] = []
        # Read before anything is written: a glossary that cannot be read stops the run.
        self.glossaries = {code: load_glossary(config, code) for code in self.codes}

    def run(self) -> ExtractReport:
        config = self.config
        # The articles in one walk that keeps their states; those that cannot be opened are reported.
        self.found = find_articles(config)
        sources = self.found.files
        problems: list[LocalizeError] = list(self.found.problems)
        self.cache.check_fingerprint(_fingerprint(config))
        self.templates = scan(self.templates_dir, ".pot")
        self.scans = {code: scan(config.locales_dir / code, ".po") for code in self.codes}
        cleaned = self._clean([self.templates.temporary, *(found.temporary for found in self.scans.values())])

        stale = {slug for slug, (path, state) in sources.items() if not self._fresh(slug, path, state)}
        for language in self.targets:
            code = language.code
            changed = self._sync_memory(code)
            affected = self.store.affected(code, changed)
            self.store.wait(code, {key for key in affected if self._slug_of(code, key) in sources})
            stale.update(self._slug_of(code, key) for key in self.store.waiting(code))
            if self.policy.prune_obsolete:
                stale.update(self._slug_of(code, key) for key in self.store.with_obsolete(code))
        stale = sorted(slug for slug in stale if slug in sources)
        # Even when only checking: what the cache learnt so far is true of the files as they are.
        self.cache.commit()

        # Read every article first. One that cannot be read is reported and skipped, like a
        # file `make -k` cannot build: its template and catalogs stay as they are, and it is not
        # recorded in the cache, so that the next run reads it again.
        documents = []
        for slug in stale:
            try:
                documents.append(self._read_article(slug, Path(sources[slug][0])))
            except SourceError as error:
                problems.append(error)
        last_commit = time.monotonic()
        for slug, article, document, digest in documents:
            self._extract_article(slug, article, document, digest)
            if time.monotonic() - last_commit > 2:
                self.cache.commit()
                last_commit = time.monotonic()

        orphans = self._orphans(sources)
        if self.policy.prune_orphans:
            for slug in orphans:
                self._remove_orphan(slug)
        # Catalogs as written (when checking: those that need no change), indexed now that no
        # lookup is left: the memory stays as it was when the run started.
        written: dict[str, set[str]] = {code: set() for code in self.codes}
        for code, key, origin, found, digest in self.pending:
            self.store.record(code, key, origin, found, digest=digest)
            written[code].add(key)
        self.cache.settle()
        for slug, keys in self.written.items():
            if (recorded := self.cache.article(slug)) is not None:
                self._record_states(slug, recorded, keys)
        for code in self.codes:
            if written[code]:
                self._record_memory_sources(code, written[code])
        self.cache.forget_articles_but(sources)
        if set(self.codes) >= set(config.languages):
            count = len(sources) + len(self.templates.files) + sum(len(found.files) for found in self.scans.values())
            self.cache.forget_missing(count, lambda: self._present(sources))
        self.cache.commit()
        return ExtractReport(
            articles=len(sources) + len(self.found.unreadable),
            files=tuple(self.changes),
            orphans=orphans,
            skipped=len(sources) - len(stale),
            skipped_files=(len(sources) - len(stale)) * (1 + len(self.targets)),
            updates=tuple(self.updates),
            cleaned=cleaned,
            problems=tuple(problems),
        )

    # -- what changed ----------------------------------------------------------------------

    def _fresh(self, slug: str, source: str, state: FileState) -> bool:
        """Whether the article's files are exactly as the last run left them.

        When the record has their states and they are the same, that is proof
        enough; otherwise their digests decide (read only for the files whose
        state changed), and the states are recorded for the next run.
        """
        recorded = self.cache.article(slug)
        if recorded is None or not self._covers(recorded.languages):
            return False
        if recorded.states is not None:
            pot = self.templates.files.get(slug + ".pot")
            relative = f"LC_MESSAGES/{ARTICLES_FOLDER}/{slug}.po"
            states = [state, pot[1] if pot else None]
            for code in recorded.languages:
                found = self.scans[code].files.get(relative) if code in self.scans else None
                states.append(found[1] if found else None)
            if None not in states and state_signature(states) == recorded.states:
                return True
        files = self._article_files(slug, source, state, recorded.languages)
        digests = [self.cache.digest(*found) if found[2] is not None else None for found in files]
        if None in digests or combined_digest(digests) != recorded.digest:
            return False
        self._record_states(slug, recorded, [found[0] for found in files])
        return True

    def _covers(self, languages: tuple[str, ...]) -> bool:
        covers = self._covered.get(languages)
        if covers is None:
            covers = self._covered[languages] = set(self.codes) <= set(languages)
        return covers

    def _article_files(
        self, slug: str, source: str, state: FileState, languages: tuple[str, ...]
    ) -> list[tuple[str, str, FileState | None]]:
        """The source, template and catalogs of an article: (cache key, path, state)."""
        pot = self.templates.files.get(f"{slug}.pot")
        files = [
            (_under(self.source_key, slug + ARTICLE_SUFFIX), source, state),
            (self._template_key(slug), *(pot or ("", None))),
        ]
        relative = f"LC_MESSAGES/{ARTICLES_FOLDER}/{slug}.po"
        for code in languages:
            if code in self.scans:
                found = self.scans[code].files.get(relative) or ("", None)
            else:  # a language this run does not update (init adds another): look at it alone
                path = str(catalog_path(self.config, code, slug))
                found = (path, file_state(path))
            files.append((_under(self.locales_key, f"{code}/{relative}"), *found))
        return files

    def _record_states(self, slug: str, recorded: ArticleRecord, keys: list[str]) -> None:
        """Keep the states of an article's files with its record, once every one can be trusted."""
        states = [self.cache.trusted_state(key) for key in keys]
        if None not in states:
            signature = state_signature(states)
            if signature != recorded.states:
                self.cache.set_article(slug, recorded._replace(states=signature))

    def _template_key(self, slug: str) -> str:
        return _under(self.locales_key, f"{TEMPLATES_FOLDER}/{ARTICLES_FOLDER}/{slug}.pot")

    def _origin_of(self, key: str) -> str:
        for code in self.codes:
            prefix = _under(self.locales_key, f"{code}/")
            if key.startswith(prefix):
                return _origin(key[len(prefix):])
        return key

    def _memory_sources(self, code: str) -> list[Source]:
        return _memory_sources(self.config, code, self.scans[code])

    def _sync_memory(self, code: str) -> list[int]:
        """Bring the memory's index of the language up to date; the ids of the files that changed.

        When no source's state changed since an index that was complete and
        trusted, nothing is even looked up.
        """
        base = _under(self.locales_key, f"{code}/")
        states = {base + relative: found[1] for relative, found in self.scans[code].files.items()}
        states.update((source.key, source.state) for source in _compendia(self.config, code))
        name = f"memory sources {code}"
        if self.cache.value(name) == files_signature(states.items()):
            self.memory_states[code] = states
            return []
        self.cache.load_files()
        changed = self.store.sync(code, self._memory_sources(code), read=self._read_source, origin=self._origin_of)
        if all(self.cache.trusted_state(key) == state for key, state in states.items()):
            self.memory_states[code] = states
            self.cache.set_value(name, files_signature(states.items()))
        else:
            self.cache.set_value(name, None)
        return changed

    def _record_memory_sources(self, code: str, written: set[str]) -> None:
        """Keep the states of the language's memory sources for the next run, now that the
        catalogs this run wrote are indexed, if the index was complete and every state is trusted."""
        states = self.memory_states.get(code)
        if states is None:
            return
        for key in written:
            state = self.cache.trusted_state(key)
            if state is None:
                self.cache.set_value(f"memory sources {code}", None)
                return
            states[key] = state
        self.cache.set_value(f"memory sources {code}", files_signature(states.items()))

    def _read_source(self, source: Source) -> Catalog:
        return read_catalog(Path(source.path), shown=self.config.relative(Path(source.path)))

    def _slug_of(self, code: str, key: str) -> str | None:
        prefix = f"{self.locales_key}/{code}/LC_MESSAGES/{ARTICLES_FOLDER}/"
        return key[len(prefix):-len(".po")] if key.startswith(prefix) and key.endswith(".po") else None

    def _clean(self, found: list[tuple[Path, ...]]) -> tuple[Path, ...]:
        """Remove the temporary files a killed run left (we hold the lock: nobody is writing them)."""
        removed = []
        for paths in found:
            for path in paths:
                if not self.check:
                    path.unlink(missing_ok=True)
                removed.append(self.config.relative(path))
        return tuple(removed)

    # -- updating --------------------------------------------------------------------------

    def _read_article(self, slug: str, path: Path) -> tuple[str, Article, Document, bytes]:
        seen = time.time_ns()
        article = read_article(self.config, path)
        document = segment_article(article, front_matter_keys=self.config.front_matter_keys)
        data = article.text.encode("utf-8")
        if self.check:
            return slug, article, document, content_digest(data)
        key = _under(self.source_key, slug + ARTICLE_SUFFIX)
        return slug, article, document, self.cache.observe(key, path, data, seen_ns=seen)

    def _extract_article(self, slug: str, article: Article, document: Document, source_digest: bytes) -> None:
        config = self.config
        source_path = article.path.as_posix()
        pot_path = template_path(config, slug)
        existing_file = read_if_present(config, pot_path)
        existing_template = existing_file.catalog if existing_file is not None else None
        project_name = project_id(config.project_name, existing_template)
        template = stable_template(
            lambda date: build_template(
                document, source_path=source_path, project_name=project_name,
                creation_date=date, location=config.location,
            ),
            existing_template,
        )
        digests = [source_digest, self._emit(pot_path, self._template_key(slug), template, existing_file)]

        for language in self.targets:
            po_path = catalog_path(config, language.code, slug)
            header = CatalogHeader(
                project_name=project_name, language=language,
                creation_date=template.metadata["POT-Creation-Date"], source_path=source_path,
            )
            existing = read_if_present(config, po_path)
            result = update(
                template, existing.catalog if existing is not None else None, header=header,
                memory=self._memory(language.code), policy=self.update_policy,
            )
            # The glossary's terms of each entry, as an extracted comment: msgmerge takes the
            # extracted comments from the template, so each update writes them anew.
            result = replace(result, catalog=annotate_catalog(result.catalog, self.glossaries[language.code]))
            relative = f"{language.code}/LC_MESSAGES/{ARTICLES_FOLDER}/{slug}.po"
            digest = self._emit(po_path, _under(self.locales_key, relative), result.catalog, existing)
            if self.changes[-1].status != UNCHANGED:
                self.updates.append(CatalogUpdate(self.changes[-1].path, result.summary))
            if not self.check:
                self.store.updated(_under(self.locales_key, relative))
            if digest is not None:
                self.pending.append((language.code, _under(self.locales_key, relative),
                                     f"{ARTICLES_FOLDER}/{slug}", entries(result.catalog), digest))
            digests.append(digest)
        if not self.check and all(digest is not None for digest in digests):
            self.cache.set_article(slug, ArticleRecord(self.codes, combined_digest(digests)))
            self.written[slug] = [found[0] for found in self._article_files(slug, "", None, self.codes)]
        elif not self.check:
            self.cache.forget_article(slug)

    def _memory(self, code: str) -> LanguageMemory | None:
        if code not in self.memories:
            self.memories[code] = self.store.memory(code, languages=self.codes, cutoff=self.config.fuzzy_cutoff)
        return self.memories[code]

    def _emit(self, path: Path, key: str, catalog: Catalog, existing: CatalogFile | None) -> bytes | None:
        """Write ``catalog`` to ``path`` unless the file holds its entries already (however
        wrapped); the digest of what the file now holds."""
        seen = time.time_ns()
        change, data = write_catalog_if_changed(
            path, catalog, existing, style=default_style(self.config), check=self.check,
            shown=self.config.relative(path),
        )
        self.changes.append(change)
        if change.status == UNCHANGED:
            return content_digest(data) if self.check else self.cache.observe(key, path, data, seen_ns=seen)
        if self.check:
            return None
        return self.cache.observe(key, path, data, seen_ns=time.time_ns())

    # -- orphans ---------------------------------------------------------------------------

    def _orphans(self, sources: dict[str, tuple[str, FileState]]) -> tuple[str, ...]:
        """Articles that have a template or a catalog but no source any more (deleted or renamed).

        An article that is there but cannot be opened is no orphan.
        """
        found = {relative[:-4] for relative in self.templates.files if relative[:-4] not in sources}
        prefix = f"LC_MESSAGES/{ARTICLES_FOLDER}/"
        start = len(prefix)
        for scanned in self.scans.values():
            found.update(
                slug for relative in scanned.files
                if (slug := relative[start:-3]) not in sources and relative.startswith(prefix)
            )
        return tuple(sorted(slug for slug in found if not self.found.known(slug)))

    def _remove_orphan(self, slug: str) -> None:
        """Delete an orphan's template and catalogs (those of every configured language)."""
        config = self.config
        paths = [template_path(config, slug)]
        paths += [catalog_path(config, code, slug) for code in dict.fromkeys(config.languages + self.codes)]
        for path in paths:
            if not path.is_file():
                continue
            self.changes.append(FileChange(config.relative(path), REMOVED))
            if self.check:
                continue
            path.unlink()
            key = _key(config, path)
            self.cache.forget_file(key)
            self.store.forget(key)
            for states in self.memory_states.values():
                states.pop(key, None)
            _remove_empty_folders(path.parent, stop=path.parents[len(Path(slug).parts) - 1])
        if not self.check:
            self.cache.forget_article(slug)

    def _present(self, sources: dict[str, tuple[str, FileState]]) -> set[str]:
        """Every file this run looked at, as the cache names them."""
        present = {_under(self.source_key, slug + ARTICLE_SUFFIX) for slug in sources}
        present.update(self._template_key(relative[:-len(".pot")]) for relative in self.templates.files)
        for code in self.scans:
            present.update(source.key for source in self._memory_sources(code))
        return present


def _key(config: Config, path: Path) -> str:
    """How the cache names a file: its path relative to the project."""
    return config.relative(path).as_posix()


def _under(folder_key: str, relative: str) -> str:
    """The key of a file under a folder, from the folder's key and the file's relative path."""
    return relative if folder_key == "." else f"{folder_key}/{relative}"


def _origin(relative: str) -> str:
    """How a translator comment names a catalog of a language: ``articles/SLUG``, ``ui``, ``memory/NAME``."""
    relative = relative.removeprefix("LC_MESSAGES/")
    return relative[:-len(".po")] if relative.endswith(".po") else relative


def _remove_empty_folders(folder: Path, *, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _fingerprint(config: Config) -> bytes:
    """Everything besides the files that decides what extract writes."""
    return combined_digest([
        code_fingerprint(), _key(config, config.source_dir), _key(config, config.locales_dir),
        "\n".join(config.front_matter_keys), config.location, config.project_name or "", str(config.po_wrap),
        # The glossaries decide the extracted comments of the catalogs.
        *(part for path in glossary_files(config) for part in (path.name, path.read_bytes())),
    ])


def _write(config: Config, path: Path, catalog: Catalog, *, check: bool) -> FileChange:
    """Write ``catalog`` unless the file at ``path`` holds its entries already (see ``catalog_data``)."""
    change, _ = write_catalog_if_changed(
        path, catalog, read_if_present(config, path), style=default_style(config), check=check,
        shown=config.relative(path),
    )
    return change


# -- translation memory --------------------------------------------------------------------

MEMORY_FOLDER = "memory"


@dataclass(frozen=True)
class MemoryExport:
    units: tuple[tuple[str, int], ...]  # language, translation units
    dropped: int  # units XML cannot carry
    written: bool


@dataclass(frozen=True)
class ImportedMemory:
    path: Path
    status: str
    units: int


@dataclass(frozen=True)
class MemoryImport:
    catalogs: tuple[ImportedMemory, ...]
    ignored_languages: tuple[str, ...] = ()
    conflicts: int = 0  # source texts with more than one translation in a language: the first is kept


def memory_path(config: Config, language: str, name: str) -> Path:
    """Where ``tm import`` keeps a memory: with the language's catalogs, which the memory reads."""
    return config.locales_dir / language / MEMORY_FOLDER / f"{name}.po"


def export_memory(
    config: Config, path: Path, *, languages: tuple[str, ...] = (),
    on_wait: Callable[[Path], None] | None = None,
) -> MemoryExport:
    """Write the translation memory of ``languages`` (all by default) to ``path`` as TMX 1.4b."""
    codes = [parse_language(code).code for code in (languages or config.languages)]
    units: list[TranslationUnit] = []
    counts = []
    with hold_lock(lock_path(config.project_dir), shared=True, on_wait=on_wait):
        with open_cache(config.project_dir) as cache:
            store = MemoryStore(cache)
            for code in codes:
                scanned = scan(config.locales_dir / code, ".po")
                store.sync(code, _memory_sources(config, code, scanned),
                           read=lambda source: read_catalog(Path(source.path), shown=config.relative(Path(source.path))),
                           origin=lambda key, code=code: _memory_origin(config, code, key))
                found = [
                    TranslationUnit(config.source_language, unit.source, code, unit.target, unit.origin)
                    for unit in store.units(code)
                ]
                counts.append((code, len(found)))
                units.extend(found)
            cache.commit()
    text, dropped = format_tmx(units, source_language=config.source_language, tool_version=__version__)
    written = write_if_changed(path, text).status != UNCHANGED
    return MemoryExport(units=tuple(counts), dropped=dropped, written=written)


def import_memory(
    config: Config, path: Path, *, name: str | None = None, on_wait: Callable[[Path], None] | None = None,
) -> MemoryImport:
    """Keep the translations of a TMX file as ``locales/LANG/memory/NAME.po``, one per language of the project."""
    name = name if name is not None else path.name.removesuffix(".tmx").removesuffix(".TMX")
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise LocalizeError(f"not a usable memory name: {name!r}")
    shown = config.relative(path.absolute())
    memory = read_tmx(path, shown=shown, default_source=config.source_language)
    if primary_subtag(memory.source_language) != primary_subtag(config.source_language):
        raise LocalizeError(
            f"the memory translates from {memory.source_language}, the articles are written in "
            f"{config.source_language}", path=shown,
        )
    by_language: dict[str, dict[str, str]] = {}
    ignored: set[str] = set()
    conflicts = 0
    for unit in memory.units:
        code = project_language(config.languages, unit.target_language)
        if code is None:
            ignored.add(unit.target_language)
            continue
        translations = by_language.setdefault(code, {})
        known = translations.setdefault(unit.source, unit.target)
        conflicts += known != unit.target
    written = []
    with hold_lock(lock_path(config.project_dir), on_wait=on_wait):
        for code in config.languages:
            if code not in by_language:
                continue
            language = parse_language(code)
            catalog = Catalog(
                messages=tuple(Message(msgid=source, msgstr=target) for source, target in by_language[code].items()),
                metadata=new_header(project_id(config.project_name, None), language=language),
                header=f"{language.english_name} translation memory, imported from {path.name}.\n",
            )
            target = memory_path(config, code, name)
            status = write_if_changed(target, format_catalog(catalog)).status
            written.append(ImportedMemory(config.relative(target), status, len(catalog.messages)))
    return MemoryImport(catalogs=tuple(written), ignored_languages=tuple(sorted(ignored)), conflicts=conflicts)


def language_memory(config: Config, store: MemoryStore, code: str) -> LanguageMemory | None:
    """The translation memory of ``code``, its index brought up to date first (for pretranslate)."""
    scanned = scan(config.locales_dir / code, ".po")
    store.sync(code, _memory_sources(config, code, scanned),
               read=lambda source: read_catalog(Path(source.path), shown=config.relative(Path(source.path))),
               origin=lambda key: _memory_origin(config, code, key))
    return store.memory(code, languages=(code,), cutoff=config.fuzzy_cutoff)


def _memory_sources(config: Config, code: str, scanned: Scan) -> list[Source]:
    """Every PO file under ``locales/LANG/``, and the language's compendia."""
    base = _under(_key(config, config.locales_dir), f"{code}/")
    found = [Source(base + relative, path, state) for relative, (path, state) in scanned.files.items()]
    return found + _compendia(config, code)


def _compendia(config: Config, code: str) -> list[Source]:
    """The language's compendium files named in the configuration (paths or globs with {lang})."""
    found = []
    for pattern in config.compendia:
        for name in sorted(glob.glob(str(config.project_dir / pattern.replace("{lang}", code)))):
            path = Path(name)
            state = file_state(path)
            if state is not None and path.is_file():
                found.append(Source(_key(config, path), name, state))
    return found


def _memory_origin(config: Config, code: str, key: str) -> str:
    prefix = _under(_key(config, config.locales_dir), f"{code}/")
    return _origin(key[len(prefix):]) if key.startswith(prefix) else key


# -- init ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class InitReport:
    """What init did: the settings file (``created`` when it is new), the languages it added and
    those already there, the folders it made, and the catalogs it wrote (``extract``)."""

    settings: Path
    created: bool
    added: tuple[str, ...]
    already: tuple[str, ...]
    folders: tuple[Path, ...]
    extract: ExtractReport


def init_languages(config: Config, codes: tuple[str, ...], *, source_language: str | None = None) -> InitReport:
    """Add languages to the configuration and create their catalogs for every article.

    A folder with no content tree becomes one: its settings file (localize.toml, or
    ``[tool.localize]`` in an existing pyproject.toml, with ``source_language``, default
    en) and its source folder. When anything fails, what init made is removed again and
    the settings are left as they were; so too when an article cannot be read
    (``extract.problems``): nothing is written until every article can be.
    """
    languages = tuple(dict.fromkeys(parse_language(code).code for code in codes))
    settings = config.config_file or settings_file(config.project_dir)
    if source_language is not None:
        source_language = parse_language(source_language).code
        if config.config_file is None:
            config = replace(config, source_language=source_language)
        elif source_language != config.source_language:
            raise ConfigError(
                f"the source language is already {config.source_language}: change source_language in "
                f"{config.settings_place} instead", path=config.relative(settings),
            )
    if config.source_language in languages:
        raise ConfigError(
            f"{config.source_language} is the source language of the articles, not a translation "
            f"(source_language in {config.settings_place})",
            path=config.relative(settings),
        )
    created = not settings.is_file()
    made = [
        top for folder in (config.source_dir, config.locales_dir, config.project_dir / CACHE_FOLDER)
        if (top := _first_missing(folder, config.project_dir)) is not None
    ]
    try:
        config.source_dir.mkdir(parents=True, exist_ok=True)
        preview = extract(config, languages=languages, check=True)
        if preview.problems:
            _remove_folders(made)
            return InitReport(settings=settings, created=False, added=(), already=(), folders=(), extract=preview)
        report = extract(config, languages=languages)
        added, settings = add_languages(config, languages)
    except BaseException:
        _remove_folders(made)
        raise
    return InitReport(
        settings=settings,
        created=created,
        added=added,
        already=tuple(code for code in languages if code not in added),
        folders=tuple(folder for folder in made if folder.name != CACHE_FOLDER),
        extract=report,
    )


def _remove_folders(made: list[Path]) -> None:
    for folder in reversed(made):
        shutil.rmtree(folder, ignore_errors=True)


def _first_missing(folder: Path, top: Path) -> Path | None:
    """The outermost folder from ``top`` down to ``folder`` that does not exist yet, if any."""
    if not folder.is_relative_to(top):
        return None
    for path in (*reversed(folder.relative_to(top).parents), folder.relative_to(top)):
        if str(path) != "." and not (top / path).exists():
            return top / path
    return None


# -- merge ---------------------------------------------------------------------------------

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
    )
    changes: dict[str, list[FileChange]] = {code: [] for code in editions if code in written_languages}
    _refuse_links_out(out, {relative.rsplit("/", 1)[0] for relative in (*site.files, *site.withdrawn)})
    for relative, text in site.files.items():
        target = out / relative
        changes[relative.split("/", 1)[0]].append(write_if_changed(target, text, shown=config.relative(target)))
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
    on_wait: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Write ``SOURCE_DIR/SLUG.md`` from a URL, an HTML file or a plain-text file.

    ``language`` overrides the guessed language; either must be the
    project's source language. An existing article is replaced only with
    ``force``. Nothing is written when anything fails. The tree is locked
    while the article is written (not while the page is fetched).
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
    with hold_lock(lock_path(config.project_dir), on_wait=on_wait):
        if target.exists() and not force:
            raise SourceError(
                f"{config.relative(target)} already exists: pass --force to replace it, or --slug to name another"
            )
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
    documents = _Documents(config)
    glossaries = _Glossaries(config)
    for path, shown in files:
        result = _check_file(config, path, shown, documents, glossaries)
        if wanted and not result.template and result.language not in wanted:
            continue
        checked.append((path.resolve(), result))

    extra: list[Finding] = []
    if tree:
        by_path = {path: index for index, (path, _) in enumerate(checked)}
        added: dict[int, list[Finding]] = {}
        for found in _tree_findings(config, tree_languages, documents):
            index = by_path.get(_resolved(config.project_dir / found.path))
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
    for _, result in checked:
        kept, dropped = apply_policy(result.findings, config.check_policy(result.language))
        catalogs.append(replace(result, findings=tuple(kept)))
        ignored.extend(dropped)
    others = []
    for found in extra:
        kept, dropped = apply_policy([found], config.check_policy(_place_of(config, config.project_dir / found.path)[0]))
        others.extend(kept)
        ignored.extend(dropped)
    return CheckReport(catalogs=tuple(catalogs), findings=tuple(others), ignored=tuple(ignored))


def _resolved(path: Path) -> Path:
    """The path without symbolic links, as far as they lead (a source article may be a link in a loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


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
    return _resolved(path).is_relative_to(folder.resolve())


_LANGUAGE_FILE_NAME = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


def _place_of(config: Config, path: Path) -> tuple[str | None, bool]:
    """The language a file's place says (``LANG/LC_MESSAGES/...`` or ``po/LANG.po``), and
    whether it is a template."""
    if path.suffix == ".pot":
        return None, True
    parts = _resolved(path).parts
    if "LC_MESSAGES" in parts[:-1]:
        index = len(parts) - 1 - parts[::-1].index("LC_MESSAGES")
        return (parts[index - 1] if index > 0 else None), False
    if _LANGUAGE_FILE_NAME.match(path.stem):
        try:
            return parse_language(path.stem).code, False
        except LocalizeError:
            pass
    return None, False


def _check_file(
    config: Config, path: Path, shown: Path, documents: _Documents, glossaries: _Glossaries | None = None,
) -> CatalogCheck:
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
    minimum = None if template else (settings.min_translated if settings else config.min_translated)
    if folder_language and _same_file(path, ui_catalog_path(config, folder_language)):
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
    )
    return CatalogCheck(
        path=shown, language=language, template=template, counts=count_messages(catalog),
        findings=tuple(check_catalog(catalog, context)),
    )


class _Documents:
    """Source articles, read and segmented once each, for the coverage of their catalogs."""

    def __init__(self, config: Config) -> None:
        self.config = config
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
                self.found[slug] = None if article is None else segment_article(
                    article, front_matter_keys=self.config.front_matter_keys
                )
            except LocalizeError as error:
                self.found[slug] = None
                self.errors[slug] = error
        return self.found[slug]

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
    return path.resolve() == other.resolve()


def _article_slug(config: Config, path: Path, language: str | None) -> str | None:
    """The slug of the article whose catalog ``path`` is in the content tree, else ``None``."""
    if language is None or path.suffix != ".po":
        return None
    folder = (config.locales_dir / language / "LC_MESSAGES" / ARTICLES_FOLDER).resolve()
    resolved = path.resolve()
    if not resolved.is_relative_to(folder):
        return None
    return resolved.relative_to(folder).with_suffix("").as_posix()


def _tree_findings(config: Config, languages: tuple[str, ...], documents: _Documents) -> list[Finding]:
    """E102 out of date, E103 orphans, E104 unreadable sources: what needs the source articles."""
    findings: list[Finding] = []
    found = find_articles(config)
    sources = set(found.files) | found.unreadable
    stale, problems = _stale_files(config, languages)
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
    for slug in template_slugs(config) if config.locales_dir.is_dir() else ():
        if not found.known(slug):
            findings.append(finding("E103", f"template of {slug}, which has no source article (orphan)",
                                    config.relative(template_path(config, slug))))
    for code in languages:
        for slug in catalog_slugs(config, code):
            if not found.known(slug):
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
        except (CatalogError, GlossaryError):
            continue  # the unreadable file is an E001 (a glossary an E402) of its own
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
        return sum((article.counts for article in self.articles), Counts())

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


def status(config: Config, *, languages: tuple[str, ...] = ()) -> StatusReport:
    """Translated, fuzzy and untranslated messages and words per language and article.

    The counts are messages, as ``msgfmt --statistics`` gives them; whether an
    article is published is merge's decision, on segments (``publish.coverage``).
    """
    targets = [parse_language(code) for code in (languages or config.languages)]
    found = find_articles(config)
    sources = set(found.files) | found.unreadable
    stale, _ = _stale_files(config, tuple(language.code for language in targets))
    documents = _Documents(config)
    for slug in sorted(sources):
        documents.get(slug)
    problems = [
        finding("E104", error.message, error.path or config.source_dir, error.line)
        # A page without its dateline is still published: nothing status counts is missing.
        for error in documents.problems(found, datelines=False)
    ]
    result = []
    for language in targets:
        minimum = config.settings_for(language.code).min_translated
        articles = []
        for slug in sorted(sources | set(catalog_slugs(config, language.code))):
            article, unreadable = _article_status(config, language.code, slug, sources, stale, minimum, documents)
            articles.append(article)
            problems.extend(unreadable)
        result.append(LanguageStatus(language.code, language.english_name, minimum, tuple(articles)))
    return StatusReport(languages=tuple(result), problems=tuple(problems))


def _article_status(
    config: Config, code: str, slug: str, sources: set[str], stale: dict[Path, str], minimum: float,
    documents: _Documents,
) -> tuple[ArticleStatus, list[Finding]]:
    """The article's status, and an E001 when its catalog cannot be read.

    Such a catalog is counted as its template (every message untranslated):
    nothing of it can be published until it is repaired.
    """
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
        problem is not None or any(p.resolve() in stale for p in (path, template))
        or counts.fuzzy > 0 or (published and counts.untranslated > 0)
    )
    return ArticleStatus(slug, code, config.relative(path), counts, outdated, published, problem), unreadable


def _untranslated_counts(config: Config, template: Path, document: Document | None) -> Counts:
    """The counts of an article with nothing translated: from its template, else from its segments."""
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
