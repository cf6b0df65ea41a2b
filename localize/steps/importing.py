"""``localize import``: an article from a URL, an HTML file or a text file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from localize.config import Config
from localize.errors import SourceError
from localize.fetch import FetchPolicy, Session, fetch, new_session
from localize.files import write_text_atomic
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
from localize.language import primary_subtag
from localize.lock import hold_lock, lock_path


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
