"""Extracting one article: its template and catalogs brought up to date, as texts to write.

Pure values in, texts out: nothing here writes a file. It is what each worker
process of ``localize extract --jobs`` runs (``run_in_worker``), with the
translation memory as it was when the run started, so that the result does not
depend on how many processes there are. ``localize.steps.extract`` keeps the
cache, the memory's index and the writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from localize.article import order_time, read_article
from localize.catalog import (
    CatalogFile,
    read_catalog,
    PoStyle,
    catalog_data,
    catalog_path,
    conversion_note,
    project_id,
    read_if_present,
    stable_template,
    template_path,
)
from localize.cache import content_digest, file_key, file_state
from localize.config import Config
from localize.errors import LocalizeError, SourceError
from localize.files import CREATED, UNCHANGED, UPDATED, write_staged
from localize.glossary import Glossary, annotate_catalog
from localize.language import Language
from localize.memory import Entries, LanguageMemory, MemoryStore, SharedMemory, entries
from localize.model import Catalog, Document
from localize.parsed import ParsedFiles, ParsedRow, order_row
from localize.pool import context as pool_context
from localize.template import build_template
from localize.update import CatalogHeader, UpdatePolicy, UpdateSummary, update


@dataclass(frozen=True)
class ArticleSettings:
    """What extracting any article needs besides its own files: the same for the whole run."""

    project_name: str | None  # the configured one, else each template's own (see ``catalog.project_id``)
    location: str  # the ``#:`` references: see ``template.reference_for``
    style: PoStyle
    update: UpdatePolicy


@dataclass(frozen=True)
class CatalogText:
    """One file of an article as extract makes it: its catalog, and the bytes to write
    (``None`` when the file at ``path``, read as ``existing``, holds its entries already)."""

    path: Path
    catalog: Catalog
    existing: CatalogFile | None
    data: bytes | None
    language: str | None = None  # None for the template
    summary: UpdateSummary | None = None  # what the update did to the catalog's messages


@dataclass(frozen=True)
class ArticleTexts:
    template: CatalogText
    catalogs: tuple[CatalogText, ...]  # in the order of the languages asked for


def extract_article(
    document: Document,
    *,
    source_path: str,
    template: tuple[Path, CatalogFile | None],
    catalogs: Sequence[tuple[Language, Path, CatalogFile | None]],
    memory: Callable[[str], LanguageMemory | None],
    glossaries: Mapping[str, Glossary | None],
    settings: ArticleSettings,
) -> ArticleTexts:
    """The template and the catalogs of one article, brought up to date: values in, texts out.

    Nothing here reads or writes a file, the cache or the clock (but for a template's new
    creation date): the caller reads the existing files first and writes what it gets back,
    so that articles can be extracted side by side.
    """
    pot_path, existing_file = template
    existing_template = existing_file.catalog if existing_file is not None else None
    project_name = project_id(settings.project_name, existing_template)
    built = stable_template(
        lambda date: build_template(
            document, source_path=source_path, project_name=project_name,
            creation_date=date, location=settings.location,
        ),
        existing_template,
    )
    texts = []
    for language, po_path, existing in catalogs:
        header = CatalogHeader(
            project_name=project_name, language=language,
            creation_date=built.metadata["POT-Creation-Date"], source_path=source_path,
        )
        result = update(
            built, existing.catalog if existing is not None else None, header=header,
            memory=memory(language.code), policy=settings.update,
        )
        # The glossary's terms of each entry, as an extracted comment: msgmerge takes the
        # extracted comments from the template, so each update writes them anew.
        catalog = annotate_catalog(result.catalog, glossaries[language.code])
        texts.append(CatalogText(
            po_path, catalog, existing, catalog_data(catalog, existing, style=settings.style),
            language=language.code, summary=result.summary,
        ))
    return ArticleTexts(
        template=CatalogText(pot_path, built, existing_file, catalog_data(built, existing_file, style=settings.style)),
        catalogs=tuple(texts),
    )


@dataclass(frozen=True)
class FileText:
    """One file of an article as the step's process writes it (``CatalogText`` without the catalogs
    and the file's bytes, old and new, which would only cost their copying from a worker and their
    keeping while the step's process catches up: the new ones are written here, beside the file,
    for the step's ``WriteBatch`` to put in place)."""

    path: Path
    status: str  # what writing the file does: UNCHANGED (it holds its entries already), CREATED or UPDATED
    digest: bytes  # the digest of the bytes the file holds once written (``cache.content_digest``)
    temporary: Path | None  # the new bytes, beside the file (``files.write_staged``); None when only checking
    note: str  # what else the write does (a conversion to UTF-8)
    language: str | None = None
    summary: UpdateSummary | None = None
    entries: Entries | None = None  # what the translation memory keeps of a catalog


@dataclass(frozen=True)
class ArticleResult:
    slug: str
    files: tuple[FileText, ...] = ()  # the template, then the catalogs
    source_digest: bytes | None = None  # the digest of the article as read, for the cache
    seen_ns: int = 0  # when it was read
    problem: SourceError | None = None  # why it could not be read


@dataclass(frozen=True)
class ArticleJob:
    """Everything updating one article needs besides the memory: the same for the whole run,
    sent once to each worker."""

    config: Config
    targets: tuple[Language, ...]
    settings: ArticleSettings
    glossaries: Mapping[str, Glossary | None]
    write: bool = True  # whether the files that change are written (beside them: see ``FileText``)

    def run(self, slug: str, path: str, memory: Callable[[str], LanguageMemory | None],
            parsed: ParsedFiles) -> ArticleResult:
        """Read the article and its files, and bring them up to date: nothing is written here.
        What was parsed is read from ``parsed`` when it holds it, and given back for it otherwise."""
        config = self.config
        seen = time.time_ns()
        kept: list[ParsedRow] = []
        name = file_key(config, Path(path))
        try:
            state = file_state(path)  # before the file is read: the order kept for it is trusted while it keeps it
            article = read_article(config, Path(path))
            document = parsed.document(article, front_matter_keys=config.front_matter_keys, name=name, kept=kept)
        except SourceError as error:
            return ArticleResult(slug, problem=error)
        if state is not None and article.zone_problem is None:
            # For merge, which orders the articles by date before it publishes any.
            kept.append(order_row(name, state, seen, order_time(article)))
        pot_path = template_path(config, slug)
        texts = extract_article(
            document,
            source_path=article.path.as_posix(),
            template=(pot_path, read_if_present(config, pot_path)),
            catalogs=[
                (language, po_path, read_if_present(config, po_path,
                                                    parse=parsed.catalog_parser(file_key(config, po_path), kept)))
                for language in self.targets for po_path in [catalog_path(config, language.code, slug)]
            ],
            memory=memory,
            glossaries=self.glossaries,
            settings=self.settings,
        )
        files: list[FileText] = []
        try:
            files.append(file_text(texts.template, entries=None, write=self.write))
            files += [file_text(text, entries=entries(text.catalog), write=self.write) for text in texts.catalogs]
        except BaseException:
            for done in files:
                if done.temporary is not None:
                    done.temporary.unlink(missing_ok=True)
            raise
        finally:
            from localize.po.write import forget_formatted  # (loaded by then: its catalogs were formatted)

            forget_formatted()  # what this article's catalogs shared: the next one's share nothing of it
        source_digest = content_digest(article.text.encode("utf-8"))
        # The parse of a catalog about to be rewritten is of no use to the next step.
        rewritten = {file_key(config, text.path) for text in texts.catalogs if text.data is not None}
        parsed.keep([row for row in kept if row.name not in rewritten])
        return ArticleResult(slug, tuple(files), source_digest=source_digest, seen_ns=seen)


def file_text(text: CatalogText, *, entries: Entries | None, write: bool) -> FileText:
    """What writing ``text`` does, its new bytes written to a temporary with ``write``."""
    existing, data = text.existing, text.data
    if data is None or (existing is not None and existing.data == data):
        assert existing is not None  # a catalog with no file always has bytes to write
        return FileText(text.path, UNCHANGED, content_digest(existing.data), None, "",
                        language=text.language, summary=text.summary, entries=entries)
    return FileText(
        text.path, CREATED if existing is None else UPDATED, content_digest(data),
        write_staged(text.path, data) if write else None, conversion_note(existing),
        language=text.language, summary=text.summary, entries=entries,
    )


@dataclass(frozen=True)
class WorkerSetup:
    """What each worker process is given once (see ``localize.pool``)."""

    job: ArticleJob
    memory: SharedMemory
    codes: tuple[str, ...]
    cutoff: float
    use_cache: bool = True


# In a worker process: the translation memory and the cache's parses, opened on its first article.
_worker_memory: tuple[WorkerSetup, Callable[[str], LanguageMemory | None], ParsedFiles] | None = None


def run_in_worker(item: tuple[str, str]) -> ArticleResult:
    global _worker_memory
    setup: WorkerSetup = pool_context()
    if _worker_memory is None or _worker_memory[0] is not setup:
        store = MemoryStore.open_shared(setup.memory)
        memories: dict[str, LanguageMemory | None] = {}

        def memory(code: str) -> LanguageMemory | None:
            if code not in memories:
                memories[code] = store.memory(code, languages=setup.codes, cutoff=setup.cutoff)
            return memories[code]

        _worker_memory = (setup, memory, ParsedFiles(setup.job.config.project_dir, enabled=setup.use_cache))
    return setup.job.run(*item, _worker_memory[1], _worker_memory[2])


def source_entries(item: tuple[str, str]) -> Entries | LocalizeError:
    """What the translation memory keeps of one of its sources, the file at ``path`` shown as
    ``shown``: what extract's memory sync runs on every core. An error comes back as a value.
    The run's context is the ``ParsedFiles`` the catalog's parse is kept in, for the update of
    its article that follows."""
    path, shown = item
    parsed: ParsedFiles = pool_context()
    kept: list[ParsedRow] = []
    try:
        return entries(read_catalog(Path(path), shown=Path(shown),
                                    parse=parsed.catalog_parser(Path(shown).as_posix(), kept)))
    except LocalizeError as error:
        return error
    finally:
        parsed.keep(kept)
