"""``localize extract``: bring every template and catalog up to date with the source articles."""

from __future__ import annotations

import time
from array import array
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path

from localize.article import ARTICLE_SUFFIX, Sources, find_articles
from localize.cache import (
    ArticleRecord,
    Cache,
    FileState,
    code_fingerprint,
    combined_digest,
    file_key,
    file_state,
    files_signature,
    key_under,
    open_cache,
    scan,
    state_signature,
)
from localize.catalog import (
    ARTICLES_FOLDER,
    TEMPLATES_FOLDER,
    catalog_path,
    default_style,
    read_catalog,
    read_if_present,
    template_path,
    write_catalog_if_changed,
)
from localize.config import Config
from localize.errors import LocalizeError
from localize.files import (
    CREATED,
    REMOVED,
    STATUS_CODES,
    STATUSES,
    UNCHANGED,
    FileChange,
    MadeOnRead,
    WriteBatch,
)
from localize.extraction import (
    ArticleJob,
    ArticleResult,
    ArticleSettings,
    FileText,
    WorkerSetup,
    run_in_worker,
    source_entries,
)
from localize.termbase import glossary_files, load_glossary
from localize.language import Language, parse_language
from localize.lock import hold_lock, lock_path
from localize.memory import Entries, LanguageMemory, MemoryStore, Source, catalog_origin
from localize.model import Catalog
from localize.parsed import ParsedFiles
from localize.pool import run_each
from localize.steps.memory import compendia, memory_sources
from localize.ui import ui_catalogs
from localize.update import UpdatePolicy, UpdateSummary


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
    # Every file written or left as it was (made as it is read: see ``_FileBook``).
    files: Sequence[FileChange]
    orphans: tuple[str, ...] = ()
    skipped: int = 0  # articles unchanged since the last run, not even read
    skipped_files: int = 0  # their templates and catalogs
    updates: Sequence[CatalogUpdate] = ()  # for each catalog written, what the update did
    cleaned: tuple[Path, ...] = ()  # temporary files of a killed run, removed
    problems: tuple[LocalizeError, ...] = ()  # articles that could not be read: skipped, their files left as they were
    # Of a run with ``check``, the path and state (size, time) of every source article, template and catalog
    # its scans found that is no symbolic link (its ``lstat``): check and status digest them without looking
    # again. (A run that writes holds none: what it wrote is not as found, and an archive's listings were
    # the room the site's catalogs took at the end of its extract, its peak.)
    scanned: Mapping[str, FileState] = field(default_factory=dict, repr=False, compare=False)

    @property
    def changed(self) -> Sequence[FileChange]:
        if isinstance(self.files, _FileBook):
            return self.files.changed()
        return tuple(change for change in self.files if change.status != UNCHANGED)

    def total_update(self) -> UpdateSummary | None:
        """What the updates of every catalog did, added up; None when no catalog was updated.
        (From the summaries alone: the path of each of an archive's updated catalogs, made for
        nothing, was the peak of its extract.)"""
        summaries = (list(self.files.summaries()) if isinstance(self.files, _FileBook)
                     else [update.summary for update in self.updates])
        if not summaries:
            return None
        fields = ("reused", "fuzzy", "revived", "obsoleted", "pruned")
        return replace(summaries[0], **{name: sum(getattr(summary, name) for summary in summaries) for name in fields})


class _FileBook(MadeOnRead):
    """The files a run wrote or left, as the report lists them, a few bytes per article: its
    template and catalogs are named by its slug (``template_path``, ``catalog_path``), how each
    changed is a byte, and only the rare note and the update of a changed catalog are kept as
    values. A run over an archive keeps no ``FileChange`` (nor ``Path``) per file."""

    def __init__(self, config: Config, slugs: list[str], codes: tuple[str, ...]) -> None:
        super().__init__(self._changes, lambda: self._known + len(self.after))
        self.config = config
        self.slugs = slugs  # the articles the run updated, in its order
        self.codes = codes
        self.per_article = 1 + len(codes)  # the template, then a catalog per language
        self.articles = array("l")  # for each article kept, its index in ``slugs``
        self.statuses = bytearray()  # for each of its files, its status
        self.notes: dict[int, str] = {}  # by position in ``statuses``
        # The update of each changed catalog, by position: 1 + its place in ``distinct`` (0: none), as
        # a cold run changes every catalog, and equal summaries are many.
        self.summary_numbers = array("I")
        self.distinct: list[UpdateSummary] = []
        self._numbers: dict[UpdateSummary, int] = {}
        self.after: list[FileChange] = []  # the files of orphans, then the site's catalogs
        self._known = 0  # files in ``statuses``

    def start(self, index: int) -> None:
        """The files of ``slugs[index]`` come next."""
        self.articles.append(index)
        self.statuses.extend(bytes(self.per_article))
        self.summary_numbers.extend(bytes(self.per_article))

    def add(self, kind: int, status: str, note: str, summary: UpdateSummary | None = None) -> None:
        """How the ``kind``-th file (0: the template) of the last article started changed."""
        position = (len(self.articles) - 1) * self.per_article + kind
        self.statuses[position] = STATUS_CODES[status]
        self._known += 1
        if note:
            self.notes[position] = note
        if summary is not None and status != UNCHANGED:
            number = self._numbers.get(summary)
            if number is None:
                self.distinct.append(summary)
                number = self._numbers[summary] = len(self.distinct)
            self.summary_numbers[position] = number

    def _path(self, position: int) -> Path:
        number, kind = divmod(position, self.per_article)
        slug = self.slugs[self.articles[number]]
        path = template_path(self.config, slug) if kind == 0 else catalog_path(self.config, self.codes[kind - 1], slug)
        return self.config.relative(path)

    def _changes(self, *, changed: bool = False) -> Iterator[FileChange]:
        unchanged = STATUS_CODES[UNCHANGED]
        for position, code in enumerate(self.statuses):
            if code and not (changed and code == unchanged):
                yield FileChange(self._path(position), STATUSES[code], self.notes.get(position, ""))
        yield from (change for change in self.after if not (changed and change.status == UNCHANGED))

    def changed(self) -> Sequence[FileChange]:
        unchanged = STATUS_CODES[UNCHANGED]
        return MadeOnRead(lambda: self._changes(changed=True),
                     lambda: self._known - self.statuses.count(unchanged)
                     + sum(change.status != UNCHANGED for change in self.after))

    def summaries(self) -> Iterator[UpdateSummary]:
        """The update of each changed catalog, in the order of the files."""
        return (self.distinct[number - 1] for number in self.summary_numbers if number)

    def updates(self) -> Sequence[CatalogUpdate]:
        return MadeOnRead(lambda: (CatalogUpdate(self._path(position), self.distinct[number - 1])
                                   for position, number in enumerate(self.summary_numbers) if number),
                          lambda: len(self.summary_numbers) - self.summary_numbers.count(0))


def extract(
    config: Config,
    *,
    check: bool = False,
    languages: tuple[str, ...] | None = None,
    policy: ExtractPolicy = ExtractPolicy(),
    on_wait: Callable[[Path], None] | None = None,
    jobs: int = 1,
    on_progress: Callable[[int, int], None] | None = None,
    found: Sources | None = None,
) -> ExtractReport:
    """Bring every template and catalog up to date with the source articles.

    With ``check``, nothing is written: the report says what would change.
    An article whose source, template and catalogs are as the last run left
    them is skipped unread (see ``localize.cache``). New messages get their
    translations from the catalog itself and the translation memory (see
    ``localize.update``). The tree is locked meanwhile; ``on_wait`` is called
    if another process holds the lock.

    The articles to update are shared among ``jobs`` processes (see
    ``localize.pool``); the files come out the same with any number.
    ``on_progress(done, total)`` is called after each of them. ``found``: the source
    articles, when the caller has just listed them (``find_articles``).
    """
    targets = [parse_language(code) for code in (languages if languages is not None else config.languages)]
    with hold_lock(lock_path(config.project_dir), shared=check, on_wait=on_wait):
        with open_cache(config.project_dir, enabled=policy.use_cache) as cache:
            extraction = _Extraction(config, cache, targets, check=check, policy=policy)
            report = extraction.run(jobs=jobs, on_progress=on_progress, found=found)
            # Its books (the scans, the cache's rows) let go before the site's catalogs load Babel's
            # data into the space they leave: the process's peak is at the end.
            del extraction
        ui = ui_catalogs(config, targets, use_cache=policy.use_cache)
        changes = [_write(config, path, catalog, check=check) for path, catalog in ui]
    assert isinstance(report.files, _FileBook)
    report.files.after.extend(changes)
    return report


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
        self.settings = ArticleSettings(
            project_name=config.project_name,
            location=config.location,
            style=default_style(config),
            update=UpdatePolicy(fuzzy=policy.fuzzy, cutoff=config.fuzzy_cutoff, prune_obsolete=policy.prune_obsolete),
        )
        self.locales_key = file_key(config, config.locales_dir)
        self.source_key = file_key(config, config.source_dir)
        self.templates_dir = config.locales_dir / TEMPLATES_FOLDER / ARTICLES_FOLDER
        self.memories: dict[str, LanguageMemory | None] = {}
        self._covered: dict[tuple[str, ...], bool] = {}
        # Complete, trusted sources by language: the states of its compendia (its catalogs' are
        # those of the scan, made again when needed: an archive has tens of thousands).
        self.memory_states: dict[str, dict[str, FileState]] = {}
        self.removed: set[str] = set()  # the keys of the orphans' files removed
        self.written: list[str] = []  # the articles recorded (the keys of their files are made again)
        self.book = _FileBook(config, [], self.codes)  # what the run did to each file
        # Files written, replaced together (see ``files.WriteBatch``); the cache learns their
        # states once they are in place.
        self.batch = WriteBatch()
        self.unobserved: list[tuple[str, Path, bytes]] = []  # written, not yet seen in place: key, path, digest
        # The batch being put in place on a thread meanwhile (see ``_flush_writes``), with its files.
        self.flushing: tuple[Future, list[tuple[str, Path, bytes]]] | None = None
        self.flusher: ThreadPoolExecutor | None = None
        # Read before anything is written: a glossary that cannot be read stops the run.
        self.glossaries = {code: load_glossary(config, code) for code in self.codes}
        self.jobs = 1  # processes to run on: see ``run``

    def run(self, *, jobs: int = 1, on_progress: Callable[[int, int], None] | None = None,
            found: Sources | None = None) -> ExtractReport:
        config = self.config
        self.jobs = jobs
        # The articles in one walk that keeps their states; those that cannot be opened are reported.
        self.found = found if found is not None else find_articles(config)
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
        # Its rows are let go meanwhile (the database has them): nor does a worker forked next share them.
        self.cache.commit(release=True)

        # Each article is read and updated on its own. One that cannot be read is reported and
        # skipped, like a file `make -k` cannot build: its template and catalogs stay as they are,
        # and it is not recorded in the cache, so that the next run reads it again.
        job = ArticleJob(config, tuple(self.targets), self.settings, self.glossaries, write=not self.check)
        items = _MadeItems(stale, lambda slug: (slug, sources[slug][0]))
        self.book = _FileBook(config, stale, self.codes)
        # Below a few articles per worker, starting the processes costs more than it saves.
        workers = max(1, min(jobs, len(items) // _ARTICLES_PER_WORKER))
        # In this process, when the articles are updated here; closed when they are done, so that no
        # process forked later shares it.
        parsed = ParsedFiles(config.project_dir, enabled=self.cache.folder is not None)
        if workers > 1:
            # The memory as it is now, committed above, is what every worker looks things up in.
            setup = WorkerSetup(job, self.store.shared(), self.codes, config.fuzzy_cutoff, use_cache=parsed.enabled)
            results = run_each(run_in_worker, items, context=setup, jobs=workers)
        else:
            results = (job.run(slug, path, self._memory, parsed) for slug, path in items)
        last_commit = time.monotonic()
        try:
            for done, result in enumerate(results, 1):
                if result.problem is not None:
                    problems.append(result.problem)
                else:
                    self.book.start(done - 1)
                    # (the slug as ``sources`` holds it: the result's copy is not kept)
                    self._keep(result, stale[done - 1], Path(sources[result.slug][0]))
                if time.monotonic() - last_commit > 2 or len(self.batch) >= _BATCH_FILES:
                    self._flush_writes(wait=False)
                    self.cache.commit(release=True)
                    last_commit = time.monotonic()
                if on_progress is not None:
                    on_progress(done, len(items))
            self._flush_writes()
        except BaseException:
            self.batch.discard()
            self._abandon_flush()
            # The jobs under way when the run stopped write their files all the same: once they are
            # done (the pool is shut down), what they wrote is removed.
            close = getattr(results, "close", None)
            if close is not None:
                close()
            if not self.check:
                self._clean([scan(self.templates_dir, ".pot").temporary,
                             *(scan(config.locales_dir / code, ".po").temporary for code in self.codes)])
            raise
        finally:
            parsed.close()
            if self.flusher is not None:
                self.flusher.shutdown()
                self.flusher = None

        orphans = self._orphans(sources)
        if self.policy.prune_orphans:
            for slug in orphans:
                self._remove_orphan(slug)
        # Catalogs as written (when checking: those that need no change), indexed now that no
        # lookup is left: the memory stays as it was when the run started.
        written = self.store.record_staged()
        self.cache.settle()
        # What settle checked is written before the articles' records are: the rows of every file the run
        # wrote are not held meanwhile (a megabyte of the run's peak at 10,000 articles).
        self.cache.commit(release=True)
        for slug in self.written:
            if (recorded := self.cache.article(slug)) is not None:
                self._record_states(slug, recorded, [found[0] for found in self._article_files(slug, "", None, self.codes)])
        for code in self.codes:
            if written.get(code):
                self._record_memory_sources(code, written[code])
        self.cache.forget_articles_but(sources)
        if set(self.codes) >= set(config.languages):
            # (with the files this run made, which its scans did not find)
            count = (len(sources) + len(self.templates.files) + sum(len(found.files) for found in self.scans.values())
                     + (0 if self.check else self.book.statuses.count(STATUS_CODES[CREATED])))
            self.cache.forget_missing(count, lambda: self._present(sources))
        self.cache.commit()
        scanned = _Scanned([(sources, self.found.links), *(
            (listing.files, listing.links) for listing in (self.templates, *self.scans.values()))]) if self.check else {}
        return ExtractReport(
            articles=len(sources) + len(self.found.unreadable),
            files=self.book,
            orphans=orphans,
            skipped=len(sources) - len(stale),
            skipped_files=(len(sources) - len(stale)) * (1 + len(self.targets)),
            updates=self.book.updates(),
            cleaned=cleaned,
            problems=tuple(problems),
            scanned=scanned,
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
            (key_under(self.source_key, slug + ARTICLE_SUFFIX), source, state),
            (self._template_key(slug), *(pot or ("", None))),
        ]
        relative = f"LC_MESSAGES/{ARTICLES_FOLDER}/{slug}.po"
        for code in languages:
            if code in self.scans:
                found = self.scans[code].files.get(relative) or ("", None)
            else:  # a language this run does not update (init adds another): look at it alone
                path = str(catalog_path(self.config, code, slug))
                found = (path, file_state(path))
            files.append((key_under(self.locales_key, f"{code}/{relative}"), *found))
        return files

    def _record_states(self, slug: str, recorded: ArticleRecord, keys: list[str]) -> None:
        """Keep the states of an article's files with its record, once every one can be trusted."""
        states = [self.cache.trusted_state(key) for key in keys]
        if None not in states:
            signature = state_signature(states)
            if signature != recorded.states:
                self.cache.set_article(slug, recorded._replace(states=signature))

    def _template_key(self, slug: str) -> str:
        return key_under(self.locales_key, f"{TEMPLATES_FOLDER}/{ARTICLES_FOLDER}/{slug}.pot")

    def _origin_of(self, key: str) -> str:
        for code in self.codes:
            prefix = key_under(self.locales_key, f"{code}/")
            if key.startswith(prefix):
                return catalog_origin(key[len(prefix):])
        return key

    def _memory_sources(self, code: str) -> list[Source]:
        return memory_sources(self.config, code, self.scans[code])

    def _sync_memory(self, code: str) -> list[int]:
        """Bring the memory's index of the language up to date; the ids of the files that changed.

        When no source's state changed since an index that was complete and
        trusted, nothing is even looked up.
        """
        others = {source.key: source.state for source in compendia(self.config, code)}
        name = f"memory sources {code}"
        if self.cache.value(name) == files_signature(self._source_states(code, others)):
            self.memory_states[code] = others
            return []
        self.cache.load_files()
        changed = self.store.sync(code, self._memory_sources(code), read=self._read_source, origin=self._origin_of,
                                  read_entries=self._read_entries)
        if all(self.cache.trusted_state(key) == state for key, state in self._source_states(code, others)):
            self.memory_states[code] = others
            self.cache.set_value(name, files_signature(self._source_states(code, others)))
        else:
            self.cache.set_value(name, None)
        return changed

    def _source_states(self, code: str, others: dict[str, FileState], *,
                       left: tuple[set[str], ...] = ()) -> Iterator[tuple[str, FileState]]:
        """The key and state of each of the language's memory sources, a file at a time (an archive
        has tens of thousands): its catalogs as scanned, then ``others``; none of the keys ``left`` out."""
        base = key_under(self.locales_key, f"{code}/")
        for relative, found in self.scans[code].files.items():
            key = base + relative
            if key not in others and not any(key in keys for keys in left):
                yield key, found[1]
        yield from ((key, state) for key, state in others.items() if not any(key in keys for keys in left))

    def _record_memory_sources(self, code: str, written: set[str]) -> None:
        """Keep the states of the language's memory sources for the next run, now that the
        catalogs this run wrote are indexed, if the index was complete and every state is trusted."""
        others = self.memory_states.get(code)
        if others is None:
            return
        if any(self.cache.trusted_state(key) is None for key in written):
            self.cache.set_value(f"memory sources {code}", None)
            return
        # The sources as scanned, less those removed, with the states of those written.
        kept = self._source_states(code, others, left=(self.removed, written))
        now = ((key, self.cache.trusted_state(key)) for key in written)
        self.cache.set_value(f"memory sources {code}", files_signature(chain(kept, now)))

    def _read_source(self, source: Source) -> Catalog:
        return read_catalog(Path(source.path), shown=self.config.relative(Path(source.path)))

    def _read_entries(self, sources: list[Source]) -> Iterator[Entries]:
        """The entries of the memory's sources, read on ``jobs`` processes (a first run reads every catalog)."""
        items = _MadeItems(sources, lambda source: (source.path, str(self.config.relative(Path(source.path)))))
        workers = max(1, min(self.jobs, len(items) // _ARTICLES_PER_WORKER))
        # Opened by each worker (or here, closed once the sources are read: no process forked later shares it).
        with ParsedFiles(self.config.project_dir, enabled=self.cache.folder is not None) as parsed:
            for found in run_each(source_entries, items, context=parsed, jobs=workers):
                if isinstance(found, LocalizeError):
                    raise found
                yield found

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

    def _keep(self, result: ArticleResult, slug: str, source_path: Path) -> None:
        """Write what ``extract_article`` made of an article, and keep the cache's and the memory's books."""
        assert slug == result.slug
        assert result.source_digest is not None
        if self.check:
            source_digest = result.source_digest
        else:
            key = key_under(self.source_key, slug + ARTICLE_SUFFIX)
            source_digest = self.cache.observe_digest(key, source_path, result.source_digest,
                                                      seen_ns=result.seen_ns)
        template, *catalogs = result.files
        digests = [source_digest, self._emit(template, 0, self._template_key(slug), read_ns=result.seen_ns)]
        for kind, text in enumerate(catalogs, 1):
            assert text.language == self.codes[kind - 1]
            key = key_under(self.locales_key, f"{text.language}/LC_MESSAGES/{ARTICLES_FOLDER}/{slug}.po")
            digest = self._emit(text, kind, key, read_ns=result.seen_ns)
            if not self.check:
                self.store.updated(key)
            if digest is not None:
                assert text.entries is not None
                self.store.stage(text.language, key, f"{ARTICLES_FOLDER}/{slug}", text.entries, digest=digest)
            digests.append(digest)
        if not self.check and all(digest is not None for digest in digests):
            self.cache.set_article(slug, ArticleRecord(self.codes, combined_digest(digests)))
            self.written.append(slug)
        elif not self.check:
            self.cache.forget_article(slug)

    def _memory(self, code: str) -> LanguageMemory | None:
        if code not in self.memories:
            self.memories[code] = self.store.memory(code, languages=self.codes, cutoff=self.config.fuzzy_cutoff)
        return self.memories[code]

    def _emit(self, text: FileText, kind: int, key: str, *, read_ns: int) -> bytes | None:
        """Put the ``kind``-th file of an article (see ``_FileBook``) in the batch, its bytes written
        by the job (``FileText``) unless it holds its entries already (however wrapped); the digest
        of what the file now holds. ``read_ns``: when the job began reading the article's files,
        which is when a file it found unchanged was seen (one saved since is then too new to be
        trusted by its size and time)."""
        if text.status == UNCHANGED:
            self.book.add(kind, UNCHANGED, "")
            if self.check:
                return text.digest
            return self.cache.observe_digest(key, text.path, text.digest, seen_ns=read_ns)
        self.book.add(kind, text.status, text.note, text.summary)
        if self.check:
            return None
        assert text.temporary is not None
        self.batch.adopt(text.path, text.temporary)
        self.unobserved.append((key, text.path, text.digest))
        return text.digest

    def _flush_writes(self, *, wait: bool = True) -> None:
        """Put the files written so far in place, and let the cache see them.

        Without ``wait``, they are put in place on a thread while the results of the next
        articles come in (the renames and syncs of a batch are mostly waiting on the disk: a
        quarter of an archive's run, with the workers waiting meanwhile for this process to take
        their results); the cache sees them at the next flush, once they are in place.
        """
        self._settle_flush()
        batch, self.batch = self.batch, WriteBatch()
        written, self.unobserved = self.unobserved, []
        if wait:
            batch.flush()
            self._observe(written)
            return
        if self.flusher is None:
            # (created after the workers are forked: see ``pool.run_each``)
            self.flusher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract writes")
        self.flushing = (self.flusher.submit(batch.flush), written)

    def _settle_flush(self) -> None:
        """Wait for the batch put in place on a thread, if any (raising its error), and let the cache see it."""
        if self.flushing is not None:
            done, written = self.flushing
            self.flushing = None
            done.result()
            self._observe(written)

    def _abandon_flush(self) -> None:
        """On an error: wait for the batch put in place on a thread, if any. Either its files are in
        place or its temporaries are removed (``WriteBatch.flush``); the cache is not told of them."""
        if self.flushing is not None:
            done, _ = self.flushing
            self.flushing = None
            wait_for([done])

    def _observe(self, written: list[tuple[str, Path, bytes]]) -> None:
        for key, path, digest in written:
            self.cache.observe_digest(key, path, digest, seen_ns=time.time_ns())

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
            self.book.after.append(FileChange(config.relative(path), REMOVED))
            if self.check:
                continue
            path.unlink()
            key = file_key(config, path)
            self.cache.forget_file(key)
            self.store.forget(key)
            self.removed.add(key)
            for states in self.memory_states.values():
                states.pop(key, None)
            _remove_empty_folders(path.parent, stop=path.parents[len(Path(slug).parts) - 1])
        if not self.check:
            self.cache.forget_article(slug)

    def _present(self, sources: dict[str, tuple[str, FileState]]) -> set[str]:
        """Every file this run looked at, as the cache names them."""
        present = {key_under(self.source_key, slug + ARTICLE_SUFFIX) for slug in sources}
        present.update(self._template_key(relative[:-len(".pot")]) for relative in self.templates.files)
        for code in self.scans:
            present.update(source.key for source in self._memory_sources(code))
        return present


class _Scanned(Mapping):
    """``ExtractReport.scanned``: the path and state of each file of the scans' listings that
    is no symbolic link, made as they are read (``items``): an archive's tens of thousands
    of paths and states would otherwise be made again at the end of the run, its peak."""

    def __init__(self, listings: list[tuple[Mapping[str, tuple[str, FileState]], frozenset[str]]]) -> None:
        self.listings = listings
        self._made: dict[str, FileState] | None = None  # for lookups by path, made when first asked

    def items(self) -> Iterator[tuple[str, FileState]]:  # type: ignore[override]
        for listing, links in self.listings:
            yield from ((path, state) for path, state in listing.values() if path not in links)

    def __iter__(self) -> Iterator[str]:
        return (path for path, _ in self.items())

    def __len__(self) -> int:
        return sum(1 for _ in self.items())

    def __getitem__(self, path: str) -> FileState:
        if self._made is None:
            self._made = dict(self.items())
        return self._made[path]


class _MadeItems(Sequence):
    """``make(value)`` for each of ``values``, made as they are handed out (``pool.run_each`` reads
    a chunk at a time): the items of an archive's ten thousand files, their paths, would otherwise
    sit in this process, and in every worker it forks."""

    def __init__(self, values: list, make: Callable) -> None:
        self.values = values
        self.make = make

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self.make(value) for value in self.values[index]]
        return self.make(self.values[index])


_ARTICLES_PER_WORKER = 4
# Files a run writes before it puts them in place: a bound on the temporaries a kill leaves.
_BATCH_FILES = 2000


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
        code_fingerprint(), file_key(config, config.source_dir), file_key(config, config.locales_dir),
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
