"""Pages for readers: Markdown to HTML and plain text, Jinja2 templates, Babel dates and site strings.

The only module that imports Jinja2 and Babel's date and translation support.
Its inputs are values (a published article's Markdown, where its segments
are, what the site links to); its outputs are page texts. Nothing here reads
articles or catalogs, writes files or decides what is published.

Translators are not trusted with the page: raw HTML that a translation brings
in and its msgid does not hold is shown as text, and the body HTML goes
through the allow-list sanitizer in ``localize.sanitize`` at the end.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from datetime import date, datetime, time, tzinfo
from pathlib import Path

import jinja2
from babel import Locale
from babel.dates import format_date, format_time
from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.extract import extract as babel_extract_file
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations
from jinja2.exceptions import SecurityError
from jinja2.ext import babel_extract as jinja_extract
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from localize.errors import ConfigError
from localize.language import bcp47
from localize.markup import markup_problems
from localize.model import Catalog
from localize.page_templates import PACKAGE_TEMPLATES, TEMPLATE_SUFFIXES, template_files
from localize.pseudo import PSEUDO_LOCALES, cldr_code
from localize.sanitize import clean_html
from localize.seo import PageHead
from localize.segment.html import html_markup, tag_signature
from localize.segment.markdown import parse, parser

# Jinja2 settings shared by rendering and extraction, so that both see the same strings.
TRIM_BLOCKS = True
LSTRIP_BLOCKS = True
# {% trans %} blocks are whitespace-normalized, as Jinja2 recommends, in the msgid and at run time.
TRIMMED = True
UI_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
UI_COMMENT_TAGS = ("Translators:",)
# A steady adult reading speed; "N minute read" is rounded up so that nothing reads as 0 minutes.
WORDS_PER_MINUTE = 200
# The src of an <img> in raw HTML (a <figure> written by hand), quoted as HTML allows.
HTML_IMAGE_SOURCE = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


# -- site strings ------------------------------------------------------------------------------

@dataclass(frozen=True)
class TemplateMessage:
    """A string a template marks for translation, where it stands, and its translator comments."""

    msgid: str
    msgid_plural: str
    path: str
    line: int
    comments: tuple[str, ...]


def extract_template_messages(template_dirs: tuple[Path, ...]) -> list[TemplateMessage]:
    """Every string the templates in effect pass to ``_``, ``gettext`` or ``ngettext``, in file order."""
    options = {
        "trimmed": str(TRIMMED).lower(),
        "trim_blocks": str(TRIM_BLOCKS).lower(),
        "lstrip_blocks": str(LSTRIP_BLOCKS).lower(),
        "newstyle_gettext": "true",
        "silent": "false",
    }
    messages = []
    for path, reference in template_files(template_dirs).values():
        try:
            with path.open("rb") as stream:
                extracted = list(babel_extract_file(
                    jinja_extract, stream, keywords=UI_KEYWORDS, comment_tags=UI_COMMENT_TAGS,
                    options=options, strip_comment_tags=True,
                ))
        except jinja2.TemplateSyntaxError as error:
            raise ConfigError(f"template syntax error: {error.message}", path=reference, line=error.lineno) from None
        for line, message, comments, _context in extracted:
            msgid, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, "")
            messages.append(TemplateMessage(msgid, plural, reference, line, tuple(comments)))
    return messages


def ui_translations(catalog: Catalog | None, *, language: str, use_fuzzy: bool = False) -> NullTranslations:
    """The site strings of ``language``, compiled in memory from its parsed ui.po.

    The catalog's own Plural-Forms header decides the plural, as msgfmt's
    would; a language without ui.po shows the templates' English. Jinja2
    takes a translated string as HTML, so a translation whose tags are not
    its msgid's (check's E205) is left out, and the page shows the English.
    """
    if catalog is None:
        return NullTranslations()
    compiled = BabelCatalog(locale=language.replace("-", "_"), fuzzy=False)
    plural_forms = catalog.metadata.get("Plural-Forms")
    if plural_forms:
        compiled.mime_headers = [("Plural-Forms", plural_forms)]
    for message in catalog.active:
        if message.fuzzy and not use_fuzzy:
            continue
        if any(markup_problems(source, text, html=True) for source, text in message.text_pairs()):
            continue
        if message.msgid_plural:
            forms = [message.msgstr_plural.get(index, "") for index in range(compiled.num_plurals)]
            if not all(forms):
                continue
            compiled.add((message.msgid, message.msgid_plural), tuple(forms), context=message.msgctxt)
        elif message.msgstr:
            compiled.add(message.msgid, message.msgstr, context=message.msgctxt)
    buffer = io.BytesIO()
    write_mo(buffer, compiled, use_fuzzy=True)
    buffer.seek(0)
    return Translations(buffer)


# -- dates -------------------------------------------------------------------------------------

def article_zone(when: date | datetime, zone: tzinfo | None) -> tzinfo | None:
    """The zone to show an article's time in: its ``timezone`` (read by ``localize.dateline``),
    else the date's own offset."""
    if zone is not None:
        return zone
    return when.tzinfo if isinstance(when, datetime) else None


def _local(when: datetime, zone: tzinfo | None) -> datetime:
    if zone is None or when.tzinfo is None:
        return when
    return when.astimezone(zone)


def format_dateline(when: date | datetime, *, locale: str, zone: tzinfo | None = None) -> str:
    """CLDR's long date and short time, joined the locale's way: "27 июня 2022 г., 11:43"."""
    if not isinstance(when, datetime):
        return _long_date(when, locale)
    local = _local(when, article_zone(when, zone))
    pattern = _locale(cldr_code(locale)).datetime_formats.get("long") or "{1} {0}"
    day, moment = _long_date(local.date(), locale), _short_time(local.time(), locale)
    return str(pattern).replace("{1}", day).replace("{0}", moment)


def format_day(when: date | datetime, *, locale: str, zone: tzinfo | None = None) -> str:
    """The long date alone, in the article's zone: "27 июня 2022 г."."""
    if isinstance(when, datetime):
        when = _local(when, article_zone(when, zone)).date()
    return _long_date(when, locale)


@lru_cache(maxsize=512)
def _long_date(day: date, locale: str) -> str:
    """Babel's long date of a day, made once a day and language: an archive's index pages show
    tens of thousands of articles, many of the same day."""
    return format_date(day, "long", locale=_locale(cldr_code(locale)))


@lru_cache(maxsize=2048)
def _short_time(moment: time, locale: str) -> str:
    """Babel's short time of a time of day (without a zone), made once a time and language: every
    article page's dateline shows one, and a newsroom publishes at the same minutes day after day."""
    return format_time(moment, "short", locale=_locale(cldr_code(locale)))


@cache
def _locale(code: str) -> Locale:
    """Babel's locale for ``code``, made once: parsing one asks the disk whether its data exists,
    and every page shows a date."""
    return Locale.parse(code)


@cache
def language_name(code: str) -> str:
    """A language's name in that language ("русский", "English"), for the language links
    (made once a language: a page names every language it is published in)."""
    if code in PSEUDO_LOCALES:
        return PSEUDO_LOCALES[code].name
    locale = _locale(code.replace("-", "_"))
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


# -- the article body --------------------------------------------------------------------------

@dataclass(frozen=True)
class BodyRegion:
    """A segment in the body being rendered: its 0-based lines, first to last inclusive.

    ``msgid`` is the source text; ``translated`` says whether a translation
    took its place (else the source text stands, and is marked as such);
    ``text`` is what stands there now, to tell table cells on one line apart.
    ``html_text`` and ``html_attribute`` mark the text of a raw HTML block and
    an alt or title value in one; ``first_column`` and ``last_column`` are
    where the region starts on its first line and ends on its last.
    """

    first_line: int
    last_line: int
    msgid: str
    text: str
    translated: bool
    table_cell: bool = False
    html_text: bool = False
    html_attribute: bool = False
    first_column: int = 0
    last_column: int = 0


@dataclass(frozen=True)
class RenderedBody:
    html: str
    text: str
    words: int
    # What ``headline`` and ``image_sources`` say of the same Markdown, from the same parse.
    headline: str | None = None
    images: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodyOptions:
    """How to render one body: the source language of fallback text, and where links go.

    ``link_target`` maps a link's href to the href the page should use, or
    ``None`` to keep it.
    """

    source_language: str
    source_direction: str
    page_language: str
    page_direction: str
    link_target: Callable[[str], str | None] = lambda href: None
    # Hosts whose pages an <iframe> in the source may embed (``embed_hosts``).
    embed_hosts: tuple[str, ...] = ()
    # Leave out the ``# Heading`` the body starts with: the page shows it as the headline. A function
    # is asked with the heading's text (``headline``), when there is one.
    drop_headline: bool | Callable[[str], bool] = False


def render_body(markdown: str, regions: Iterable[BodyRegion], *, options: BodyOptions) -> RenderedBody:
    """The body as sanitized HTML and as plain text, with its headline and images.

    The Markdown is parsed once for all of them (it was four times a page).
    """
    env: dict = {}
    regions = tuple(regions)
    marked = _mark_html_fallback(markdown, regions, _fallback_attributes(options))
    tokens = parse(marked, env)
    # Headline and images as the Markdown itself has them: before anything below changes a token,
    # and from the Markdown as written should the fallback marks have changed it.
    found = tokens if marked == markdown else parse(markdown)
    title = _headline_of(found)
    images = tuple(_image_sources_of(found))
    drop = options.drop_headline
    if title is not None and (drop(title) if callable(drop) else drop):
        tokens = _without_headline(tokens)
    _annotate(tokens, regions, options)
    code_ltr = "rtl" in (options.page_direction, options.source_direction)
    for token in _walk(tokens):
        if token.type == "link_open" and token.attrs.get("href"):
            target = options.link_target(str(token.attrs["href"]))
            if target is not None:
                token.attrs["href"] = target
        elif token.type == "code_inline" and code_ltr:
            # Code reads left to right in every script: a "#" comment must not land on the right.
            token.attrSet("dir", "ltr")
    html = _renderer(code_ltr=code_ltr).render(tokens, parser().options, env)
    text = _plain_text(tokens)
    return RenderedBody(html=clean_html(html, embed_hosts=options.embed_hosts), text=text, words=len(text.split()),
                        headline=title, images=images)


def headline(markdown: str) -> str | None:
    """The text of the ``# Heading`` a body starts with, if it does: the page shows it as its headline."""
    return _headline_of(parse(markdown))


def _headline_of(tokens: list[Token]) -> str | None:
    if len(tokens) > 1 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        return _inline_text(tokens[1].children or [])
    return None


def image_sources(markdown: str) -> list[str]:
    """The ``src`` of every image in the body, in order, as ``render_body`` finds them.

    A Markdown image is always written ``![``, and an HTML one ``<img ... src``:
    a body with neither has none, and is not parsed (a Markdown-only merge
    asks this of every page)."""
    if "![" not in markdown and not HTML_IMAGE_SOURCE.search(markdown):
        return []
    return _image_sources_of(parse(markdown))


def _image_sources_of(tokens: list[Token]) -> list[str]:
    found = []
    for token in _walk(tokens):
        if token.type == "image" and token.attrs.get("src"):
            found.append(str(token.attrs["src"]))
        elif token.type in ("html_block", "html_inline"):
            found += [html.unescape(src) for src in HTML_IMAGE_SOURCE.findall(token.content)]
    return found


def _without_headline(tokens: list[Token]) -> list[Token]:
    if len(tokens) > 2 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        return tokens[3:]
    return tokens


@cache  # a renderer keeps nothing of what it renders; making one (inspect.getmembers) was 2% of a merge
def _renderer(*, code_ltr: bool) -> RendererHTML:
    """The parser's own render rules (the footnote plugin adds its rules to the parser's
    renderer, not to the class), with raw HTML from translators kept inert and code
    blocks left to right."""
    renderer = RendererHTML()
    renderer.rules.update(parser().renderer.rules)
    renderer.rules["html_block"] = _render_html_block
    if code_ltr:
        for name in ("fence", "code_block"):
            renderer.rules[name] = _left_to_right(renderer.rules[name])
    return renderer


def _left_to_right(rule: Callable) -> Callable:
    def render(tokens: list[Token], index: int, options, env) -> str:
        html = rule(tokens, index, options, env)
        return html.replace("<pre>", '<pre dir="ltr">', 1) if html.startswith("<pre>") else html
    return render


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            # An inline token's children (most) have none: no generator is made for each of them.
            for child in token.children:
                yield child
                if child.children:
                    yield from _walk(child.children)


def _annotate(tokens: list[Token], regions: tuple[BodyRegion, ...], options: BodyOptions) -> None:
    """Mark fallback blocks with the source language; turn HTML a translator brought in into text."""
    fallback_attrs = _fallback_attributes(options)
    list_items: list[Token] = []
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            list_items.append(token)
        elif token.type == "list_item_close":
            list_items.pop()
        elif token.type == "html_block" and token.map is not None:
            overlapping = _overlapping(regions, token.map)
            markdown = [region for region in overlapping if not (region.html_text or region.html_attribute)]
            if any(region.translated and region.text != region.msgid for region in markdown):
                allowed = {html for region in overlapping for html in _html_in(region.msgid)}
                if token.content.strip() not in allowed:
                    token.meta["untrusted"] = True
            # The text of the block itself: merge publishes only translations with the msgid's
            # tags; should one differ all the same, the block is shown as text.
            if any(
                region.translated and region.text != region.msgid and html_markup(region.text) != html_markup(region.msgid)
                for region in overlapping if region.html_text or region.html_attribute
            ):
                token.meta["untrusted"] = True
        elif token.type == "inline" and token.map is not None and index > 0:
            opener = tokens[index - 1]
            overlapping = _overlapping(regions, token.map)
            if opener.type in ("th_open", "td_open"):
                overlapping = [
                    region for region in overlapping
                    if region.table_cell and region.text.replace("\\|", "|") == token.content
                ] or [region for region in overlapping if not region.table_cell]
            if not overlapping:
                continue
            if fallback_attrs and any(not region.translated for region in overlapping):
                target = opener
                if opener.type == "paragraph_open" and opener.hidden and list_items:
                    target = list_items[-1]
                for name, value in fallback_attrs.items():
                    target.attrSet(name, value)
            brought_in = [region for region in overlapping if region.translated and region.text != region.msgid]
            if brought_in:
                # Tags as written, but for the values of alt and title, which a translator translates.
                allowed = {tag_signature(html) for region in overlapping for html in _html_in(region.msgid)}
                for child in _walk(token.children or []):
                    if child.type == "html_inline" and tag_signature(child.content) not in allowed:
                        child.type = "text"


def _fallback_attributes(options: BodyOptions) -> dict[str, str]:
    """``lang`` (and ``dir``) for text left in the source language, if the page is in another."""
    attributes = {}
    if bcp47(options.source_language) != bcp47(options.page_language):
        attributes["lang"] = bcp47(options.source_language)
        if options.source_direction != options.page_direction:
            attributes["dir"] = options.source_direction
    return attributes


def _mark_html_fallback(markdown: str, regions: tuple[BodyRegion, ...], attributes: dict[str, str]) -> str:
    """``markdown`` with the untranslated text of raw HTML blocks in ``<span lang dir>``.

    The parser gives an HTML block no attributes to set: the span goes into
    the block's own text, on the lines where it stands (so no line moves).
    """
    if not attributes:
        return markdown
    opening = "<span" + "".join(f' {name}="{escapeHtml(value)}"' for name, value in attributes.items()) + ">"
    insertions = []
    for region in regions:
        if region.html_text and not region.translated:
            insertions += [(region.first_line, region.first_column, opening), (region.last_line, region.last_column, "</span>")]
    if not insertions:
        return markdown
    lines = markdown.split("\n")
    for line, column, tag in sorted(insertions, reverse=True):
        if line < len(lines):
            lines[line] = lines[line][:column] + tag + lines[line][column:]
    return "\n".join(lines)


def _overlapping(regions: tuple[BodyRegion, ...], line_map: list[int]) -> list[BodyRegion]:
    first, end = line_map
    return [region for region in regions if region.first_line < end and region.last_line >= first]


def _html_in(msgid: str) -> set[str]:
    """The raw HTML a source text holds: its tags as written."""
    found: set[str] = set()
    if "<" not in msgid:
        return found  # every HTML tag, block or comment starts with "<": nothing to parse for
    for token in parse(msgid):
        if token.type == "html_block":
            found.add(token.content.strip())
        for child in _walk(token.children or []):
            if child.type == "html_inline":
                found.add(child.content)
    return found


def _render_html_block(tokens: list[Token], index: int, options, env) -> str:
    token = tokens[index]
    if token.meta.get("untrusted"):
        return f"<p>{escapeHtml(token.content.strip())}</p>\n"
    return token.content


def _plain_text(tokens: list[Token]) -> str:
    """Blocks as plain paragraphs separated by blank lines; list items start with a dash or number."""
    blocks: list[str] = []
    items: list[list] = []  # [marker, whether the item's first block is out]
    counters: list[int | None] = []
    row: list[str] | None = None
    for token in tokens:
        if token.type == "bullet_list_open":
            counters.append(None)
        elif token.type == "ordered_list_open":
            counters.append(int(token.attrs.get("start", 1)) - 1)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            counters.pop()
        elif token.type == "list_item_open":
            if counters and counters[-1] is not None:
                counters[-1] += 1
                items.append([f"{counters[-1]}. ", False])
            else:
                items.append(["– ", False])
        elif token.type == "list_item_close":
            items.pop()
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            blocks.append(" | ".join(row or []))
            row = None
        elif token.type == "inline":
            text = _inline_text(token.children or [])
            if row is not None:
                row.append(text)
            elif text:
                prefix = ""
                if items:
                    marker, started = items[-1]
                    prefix = " " * len(marker) if started else marker
                    items[-1][1] = True
                blocks.append(prefix + text)
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
        elif token.type == "html_block" and token.meta.get("untrusted"):
            blocks.append(token.content.strip())
    return "\n\n".join(block for block in blocks if block.strip())


def _inline_text(children: list[Token]) -> str:
    pieces = []
    for child in children:
        if child.type in ("text", "code_inline"):
            pieces.append(child.content)
        elif child.type == "softbreak":
            pieces.append(" ")
        elif child.type == "hardbreak":
            pieces.append("\n")
        elif child.type == "image":
            pieces.append(child.content)
        elif child.type == "footnote_ref":
            pieces.append(f"[{child.meta.get('id', 0) + 1}]")
    return "".join(pieces).strip()


# -- pages ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageLink:
    """A link to an article, as the lists of news show it."""

    title: str
    href: str
    day: str
    iso_date: str
    lang: str | None = None  # set when the title is not in the page's language


@dataclass(frozen=True)
class Alternate:
    """The same article in another language (or this one), for hreflang and the language links."""

    lang: str
    href: str
    name: str
    current: bool = False


@dataclass(frozen=True)
class ArticlePage:
    lang: str
    dir: str
    title: str
    title_lang: str | None
    dateline: str
    iso_date: str
    minutes: int
    body_html: str
    body_text: str
    other_news: tuple[PageLink, ...]
    index_href: str
    alternates: tuple[Alternate, ...]
    outdated: bool
    original_href: str
    original_lang: str
    # "outdated" (translated from an earlier source), "incomplete" (parts not translated yet) or "".
    notice: str = ""
    head: PageHead = PageHead()


@dataclass(frozen=True)
class IndexPage:
    """One page of the list of news; ``newer_href`` and ``older_href`` link its neighbours."""

    lang: str
    dir: str
    articles: tuple[PageLink, ...]
    alternates: tuple[Alternate, ...]
    head: PageHead = PageHead()
    feed_href: str = ""
    page: int = 1
    pages: int = 1
    newer_href: str = ""
    older_href: str = ""


@dataclass(frozen=True)
class NotFoundPage:
    """The page a web server shows for a missing address (``ErrorDocument 404``, nginx's ``error_page``)."""

    lang: str
    dir: str
    index_href: str
    head: PageHead = PageHead()
    alternates: tuple[Alternate, ...] = ()


class _FolderLoader(jinja2.FileSystemLoader):
    """Templates of one folder, never a file a symbolic link leads to outside it."""

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        folder = Path(self.searchpath[0]).resolve()
        if not Path(filename).resolve().is_relative_to(folder):
            raise ConfigError("a symbolic link to a file outside the templates folder: not read", path=filename)
        return source, filename, uptodate


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled in this process, by file and text (``jinja2.BytecodeCache`` keys them so):
    the sites of a merge's languages compile the same templates with the same settings (the
    translations are only called at run time), which was a sixtieth of a merge per language.
    One for each kind of environment, whose code differs (the sandbox's checks)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = {ImmutableSandboxedEnvironment: _CompiledTemplates(), jinja2.Environment: _CompiledTemplates()}


class Site:
    """The templates of one language: the content tree's ``templates/`` over the package's defaults.

    The content tree takes pull requests, so its templates are run in
    Jinja2's sandbox: a template may read the values it is given, never reach
    Python's internals through them (``cycler.__init__.__globals__.os``) nor
    change them. The package's own templates, when the tree has none, run
    without it: the sandbox's check of every attribute read was a twelfth of a
    merge, and what they are given (translations among it) is data to them,
    escaped, never template code.
    """

    def __init__(self, *, template_dirs: tuple[Path, ...], translations: NullTranslations) -> None:
        loaders = [_FolderLoader(str(directory)) for directory in template_dirs if directory.is_dir()]
        environment = ImmutableSandboxedEnvironment if loaders else jinja2.Environment
        self.environment = environment(
            # Each language's site compiles the same templates the same way: once a process.
            bytecode_cache=_COMPILED[environment],
            loader=jinja2.ChoiceLoader([*loaders, jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES))]),
            autoescape=jinja2.select_autoescape(["html", "htm", "xml"], default_for_string=True),
            extensions=["jinja2.ext.i18n"],
            undefined=jinja2.StrictUndefined,
            trim_blocks=TRIM_BLOCKS,
            lstrip_blocks=LSTRIP_BLOCKS,
            keep_trailing_newline=True,
            # Templates do not change during a run: not asking the disk whether they did at every page.
            auto_reload=False,
        )
        self.environment.policies["ext.i18n.trimmed"] = TRIMMED
        self.environment.install_gettext_translations(translations, newstyle=True)
        self._templates: dict[str, jinja2.Template] = {}

    def render(self, name: str, **context) -> str:
        try:
            template = self._templates.get(name)
            if template is None:
                # (kept here: Jinja2's own cache is asked by loader and name through a lock, at every page)
                template = self._templates[name] = self.environment.get_template(name)
            return template.render(**context)
        except jinja2.TemplateSyntaxError as error:
            raise ConfigError(f"template syntax error: {error.message}", path=error.filename, line=error.lineno) from None
        except SecurityError as error:
            path, line = _template_place(error, self.environment, name)
            raise ConfigError(f"unsafe template, not run: {error}", path=path, line=line) from None
        except jinja2.TemplateError as error:
            path, line = _template_place(error, self.environment, name)
            raise ConfigError(f"template error: {error}", path=path, line=line) from None

    def article_html(self, page: ArticlePage) -> str:
        return self.render("article.html", page=page)

    def article_text(self, page: ArticlePage) -> str:
        return self.render("article.txt", page=page)

    def index_html(self, page: IndexPage) -> str:
        return self.render("index.html", page=page)

    def not_found_html(self, page: NotFoundPage) -> str:
        return self.render("404.html", page=page)

    def render_string(self, source: str) -> str:
        """A snippet of template in this language, for a site string outside a page (a feed's title)."""
        return self.environment.from_string(source).render()


def _template_place(error: Exception, environment: jinja2.Environment, name: str) -> tuple[str | None, int | None]:
    """The template file and line where rendering failed.

    Jinja2 rewrites a traceback so that a template's frames carry its file
    name and line; the innermost one is where the error is. Without one, the
    template asked for.
    """
    place: tuple[str | None, int | None] = (None, None)
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(TEMPLATE_SUFFIXES) and Path(filename).is_file():
            place = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    if place[0] is None:
        try:
            place = (environment.get_template(name).filename, None)
        except jinja2.TemplateError:
            place = (name, None)
    return place
