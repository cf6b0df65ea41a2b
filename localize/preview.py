"""What the live preview (``localize serve``) shows besides the pages: values, no HTTP.

The side-by-side review of one article in one language is its catalog's
entries, each with the state a translator needs (translated, fuzzy,
untranslated, failing a check) and the findings of ``localize.checks`` at its
line, judged as ``localize check`` judges them (the project's ``[check]``
policy applied). Nothing here writes a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from localize.article import ARTICLE_SUFFIX, read_article
from localize.catalog import catalog_path, header_line, read_catalog
from localize.checks import CatalogContext, apply_policy, check_catalog, finding
from localize.config import Config
from localize.glossary import Glossary, GlossaryError
from localize.termbase import load_glossary
from localize.language import Language, parse_language
from localize.model import ERROR, Counts, Document, Finding, Message
from localize.publish import Coverage, coverage, publishable_translations
from localize.segment import segment_article
from localize.statistics import FUZZY, TRANSLATED, UNTRANSLATED, count_messages, message_state

# A row's state: TRANSLATED, FUZZY and UNTRANSLATED as msgfmt counts them, or a translated
# entry that a check fails (an error) or warns about.
FAILING = "failing"
WARNED = "warning"
STATES = (TRANSLATED, FUZZY, UNTRANSLATED, FAILING, WARNED)


@dataclass(frozen=True)
class ReviewRow:
    """One entry of the catalog: its source text and translation side by side.

    ``line`` is the entry's line in the PO file (where ``localize check`` points);
    ``forms`` the msgstr, or each plural form; ``published`` is false for a
    translation merge refuses to publish (its markup differs), whose segment shows the source.
    """

    msgid: str
    msgctxt: str | None
    msgid_plural: str
    forms: tuple[str, ...]
    state: str
    line: int
    kind: str
    findings: tuple[Finding, ...]
    published: bool = True


@dataclass(frozen=True)
class Review:
    """An article's catalog in one language, ready to show next to its source.

    ``findings`` are those of the file as a whole (its header, coverage, the glossary);
    ``coverage`` is ``None`` when the source article is gone (an orphan catalog).
    """

    slug: str
    language: Language
    source_language: Language
    path: Path  # the catalog, absolute
    shown: Path  # the catalog as messages name it, relative to the content tree
    rows: tuple[ReviewRow, ...]
    findings: tuple[Finding, ...]
    counts: Counts
    coverage: Coverage | None
    min_translated: float


def safe_slug(slug: str) -> bool:
    """Whether ``slug`` can only name a file under its folder (no ``..``, no absolute path)."""
    parts = slug.split("/")
    return bool(slug) and "\x00" not in slug and "\\" not in slug and all(part not in ("", ".", "..") for part in parts)


def review(config: Config, language: str, slug: str) -> Review | None:
    """The review of ``slug`` in ``language``; ``None`` when there is no such catalog.

    A catalog or article that cannot be read raises its ``LocalizeError`` (file and line).
    """
    if language not in config.languages or not safe_slug(slug):
        return None
    path = catalog_path(config, language, slug)
    if not path.is_file():
        return None
    shown = config.relative(path)
    catalog = read_catalog(path, shown=shown)
    document = _document(config, slug)
    target = parse_language(language)
    settings = config.settings_for(language)
    glossary, problems = _glossary(config, language)
    covered = coverage(document, catalog) if document is not None else None
    context = CatalogContext(
        path=shown,
        folder_language=language,
        header_line=header_line(path),
        min_translated=settings.min_translated,
        source_language=config.source_language,
        quotes=config.quotes,
        coverage=covered,
        glossary=glossary,
    )
    kept, _ = apply_policy([*check_catalog(catalog, context), *problems], config.check_policy(language))
    lines = {message.linenum for message in catalog.active if message.msgid}
    refused = set()
    if document is not None:
        _, refusals = publishable_translations(document, catalog)
        refused = {refusal.msgid for refusal in refusals}
    rows = tuple(
        _row(message, [found for found in kept if found.line == message.linenum], refused)
        for message in catalog.active if message.msgid
    )
    return Review(
        slug=slug,
        language=target,
        source_language=parse_language(config.source_language),
        path=path,
        shown=shown,
        rows=rows,
        findings=tuple(found for found in kept if found.line not in lines),
        counts=count_messages(catalog),
        coverage=covered,
        min_translated=settings.min_translated,
    )


def _document(config: Config, slug: str) -> Document | None:
    """The article's segments, for its coverage and the translations merge refuses;
    ``None`` when the article is gone. One that cannot be read raises its SourceError."""
    path = config.source_dir / f"{slug}{ARTICLE_SUFFIX}"
    if not (path.is_file() or path.is_symlink()):
        return None
    article = read_article(config, path)
    return segment_article(article, front_matter_keys=config.front_matter_keys)


def _glossary(config: Config, language: str) -> tuple[Glossary | None, list[Finding]]:
    try:
        return load_glossary(config, language), []
    except GlossaryError as error:
        return None, [finding(
            "E402", f"{error.message} (its terms are not checked)", error.path or Path("glossary"), error.line,
        )]


def _row(message: Message, findings: list[Finding], refused: set[str]) -> ReviewRow:
    state = message_state(message)
    if state == TRANSLATED and findings:
        state = FAILING if any(found.severity == ERROR for found in findings) else WARNED
    if message.msgid_plural or message.msgstr_plural:
        forms = tuple(message.msgstr_plural[index] for index in sorted(message.msgstr_plural))
    else:
        forms = (message.msgstr,)
    kind = next((line[len("type: "):] for line in message.comment.splitlines() if line.startswith("type: ")), "")
    if not kind:
        kind = next((line for line in message.comment.splitlines() if line.startswith("front matter: ")), "")
    return ReviewRow(
        msgid=message.msgid,
        msgctxt=message.msgctxt,
        msgid_plural=message.msgid_plural,
        forms=forms,
        state=state,
        line=message.linenum,
        kind=kind,
        findings=tuple(findings),
        published=message.msgid not in refused,
    )
