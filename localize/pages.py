"""Page assembly: an edition's pages, the indexes, feeds, sitemap and manifests of the site.

``localize.publish`` decides what each language publishes (editions); this
module lays those editions out as the files of a static site, relative links
between them, "Other news", and what a web server and search engines read.
Everything here works on values; ``localize.steps.merge`` writes the files.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
import posixpath
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from localize.files import Pieces
from localize.json_text import indented_json
from localize.language import Language, bcp47
from localize.model import Article, HtmlPlacement, MarkdownPlacement
from localize.render import (
    Alternate,
    ArticlePage,
    BodyOptions,
    BodyRegion,
    IndexPage,
    PageLink,
    Site,
    format_dateline,
    format_day,
    image_sources,
    language_name,
    NotFoundPage,
    reading_minutes,
    render_body,
)
from localize.dateline import DateError, parse_date
from localize.feeds import FEED_FILE, FeedEntry, atom_feed
from localize.seo import ArticleFacts, PageHead, article_head, frame_sources, listing_head, rfc3339
from localize.site import PAGE_FORMATS, SiteSettings
from localize.sitemap import ROBOTS_FILE, SITEMAP_FILE, SitemapPage, robots, sitemap
from localize.segment.frontmatter import split_front_matter
from localize.segment.lines import LINE_ENDING, line_starts
from localize.edition_table import AUTHOR_KEYS, MODIFIED_KEYS, EditionTable
from localize.publish import ArticleState, Edition, SOURCE


OTHER_NEWS = 5
MANIFEST = "manifest.json"
INDEX = "index.html"
NOT_FOUND = "404.html"
IMAGE_KEYS = ("image", "images", "cover")


@dataclass(frozen=True)
class SiteFiles:
    """The output of a merge: files by path relative to the output folder, and the paths to remove."""

    files: dict[str, str]
    withdrawn: tuple[str, ...]
    states: dict[str, Sequence[ArticleState]]
    # Images the pages show, by path relative to the output folder: the file in the content tree to copy.
    images: dict[str, Path] = field(default_factory=dict)
    # The output folder of each language's pages, by language code.
    folders: dict[str, str] = field(default_factory=dict)


def page_path(language: str, slug: str, suffix: str) -> str:
    return f"{language}/{slug}{suffix}"


def relative_href(from_path: str, to_path: str) -> str:
    """``to_path`` as a link from the page at ``from_path`` (both relative to the output folder)."""
    folder = posixpath.dirname(from_path)
    if ".." in folder or ".." in to_path or folder.startswith("/") or to_path.startswith("/"):
        # (posixpath.relpath asks the working folder: what it says is not kept)
        return posixpath.relpath(to_path, folder or ".")
    return _relative_href(folder, to_path)


# A page links the same index, feed and newest articles as its folder's others: those few are kept (a
# listing's links to every article, each asked once, would fill a larger cache for nothing: a megabyte at 10,000).
@lru_cache(maxsize=512)
def _relative_href(folder: str, to_path: str) -> str:
    """``relative_href`` from a page in ``folder``, neither path climbing nor absolute."""
    start = [part for part in folder.split("/") if part not in ("", ".")]
    target = [part for part in to_path.split("/") if part not in ("", ".")]
    # As posixpath.relpath, without asking the working folder (it is a third of a merge's time otherwise).
    common = 0
    while common < min(len(start), len(target)) and start[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:]) or "."


def article_link_target(
    href: str, *, slug: str, language: str, source_language: str, known: set[str], published: set[str],
    folders: dict[str, str] | None = None,
) -> str | None:
    """Where a link to another article's Markdown points on the page of ``slug`` in ``language``.

    The same article in the reader's language when it is published there,
    else the source article; ``None`` for any other link.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(slug), unquote(parts.path)))
    target = target[: -len(".md")]
    if target.startswith("../") or target not in known:
        return None
    shown = language if target in published else source_language
    folder = (folders or {}).get
    link = relative_href(page_path(folder(language, language), slug, ".html"),
                         page_path(folder(shown, shown), target, ".html"))
    return link + (f"#{parts.fragment}" if parts.fragment else "")


def article_date(article: Article) -> date | datetime | None:
    """The article's date, as ``localize.dateline`` read it; ``None`` when it has none that can be read."""
    return article.date


def _iso(when: date | datetime | None) -> str:
    return when.isoformat() if when is not None else ""


def _dated(article: Article, formatter: Callable[..., str], when: date | datetime | None, code: str) -> str:
    """A localized date of ``article``, in its time zone; empty when it has no date."""
    if when is None:
        return ""
    return formatter(when, locale=code, zone=article.zone)


@dataclass(frozen=True)
class SiteLayout:
    """What an article's pages know of the rest of the site: the languages, the settings, and
    each language's newest published articles ("Other news"). It is small and the same for every
    article, so that pages are made one article at a time, on any core, at a cost that does not
    grow with the archive."""

    languages: dict[str, Language]  # every language of the merge, the source first
    source: Language
    settings: SiteSettings = SiteSettings(folder_names="gettext")
    site_name: str = ""
    # By language: the newest published articles, OTHER_NEWS + 1 of them (a page leaves itself out), as
    # (slug, link from the index).
    newest: dict[str, tuple[tuple[str, PageLink], ...]] = field(default_factory=dict)

    @property
    def folders(self) -> dict[str, str]:
        return {code: self.settings.folder(code) for code in self.languages}

    @cached_property
    def newest_from(self) -> dict[tuple[str, str], tuple[tuple[str, PageLink], ...]]:
        """``newest`` as the pages of one folder link them, by (language, folder): made once a folder
        (``_newest_from``), as every page of a language shows the same few."""
        return {}


def newest_links(table: EditionTable, code: str, source: Language) -> tuple[tuple[str, PageLink], ...]:
    """The newest OTHER_NEWS + 1 articles published in ``code`` as (slug, link): what "Other news" shows."""
    return tuple((table.slugs[index], _page_link(table.edition(code, index), code, source))
                 for index in table.newest_first(code)[:OTHER_NEWS + 1])


class _Lookup:
    """A set whose membership is asked of a function (whether a linked article is known, or
    published in a language), so that a page need not hold every article's facts."""

    def __init__(self, contains: Callable[[str], bool]) -> None:
        self._contains = contains

    def __contains__(self, item: object) -> bool:
        return isinstance(item, str) and self._contains(item)


def feed_title_of(site: Site, settings: SiteSettings) -> str:
    return site.render_string("{{ _('All news') }}") if settings.base_url else ""


def article_pages(
    entries: dict[str, Edition],
    code: str,
    *,
    layout: SiteLayout,
    site: Site | None,  # None: the Markdown alone is made
    link_state: Callable[[str], dict[str, bool] | None],
    feed_title: str = "",
    formats: Collection[str] = PAGE_FORMATS,
) -> tuple[dict[str, str], dict[str, Path]]:
    """The pages (.md, .html, .txt: those of ``formats``) of one published article in language
    ``code``, and the images they show (path under the output folder: the file to copy).

    ``entries`` holds the article's editions in every language of ``layout``;
    ``link_state(slug)`` says in which languages another article is published
    (``None``: no such article), for the links between articles. The Markdown
    alone is made without rendering anything (nor asking ``link_state``): it is
    the edition's text, and its images are those ``render_body`` would find.
    """
    source, settings, editions = layout.source, layout.settings, layout.languages
    folders = layout.folders
    entry = entries[code]
    slug = entry.article.slug
    folder = folders[code]
    if "html" not in formats and "txt" not in formats:
        return ({page_path(folder, slug, ".md"): entry.text} if "md" in formats else {}), _shown_images(entry, folder)
    assert site is not None
    index_paths = {other: f"{folders[other]}/{INDEX}" for other in editions}
    feed_paths = {other: f"{folders[other]}/{FEED_FILE}" for other in editions} if settings.base_url else {}
    files: dict[str, str] = {}
    images: dict[str, Path] = {}
    here = page_path(folder, slug, ".html")
    shown_in = [other for other in editions if entries[other].state.published]
    alternates = tuple(
        Alternate(
            lang=bcp47(other), href=relative_href(here, page_path(folders[other], slug, ".html")),
            name=language_name(other), current=other == code,
        )
        for other in shown_in
    )
    body_text, regions = _body(entry)
    known = _Lookup(lambda target: link_state(target) is not None)
    published = _Lookup(lambda target: bool((link_state(target) or {}).get(code)))
    body = render_body(body_text, regions, options=BodyOptions(
        source_language=source.code, source_direction=source.direction,
        page_language=code, page_direction=entry.language.direction,
        link_target=lambda href: article_link_target(
            href, slug=slug, language=code, source_language=source.code,
            known=known, published=published, folders=folders,  # type: ignore[arg-type]
        ),
        embed_hosts=settings.embed_hosts,
        drop_headline=lambda found: _headline_is_title(entry, found),
    ))
    for src in body.images:
        local = _local_image(src, slug)
        if local is not None:
            images[f"{folder}/{local}"] = _image_file(entry.article, src)
    when = article_date(entry.article)
    others = tuple(link for other, link in _newest_from(layout, code, here) if other != slug)[:OTHER_NEWS]
    image = _front_matter_text(entry.article, IMAGE_KEYS)
    local_image = _local_image(image, slug) if image else None
    head = article_head(ArticleFacts(
        url=settings.url(here),
        title=entry.title,
        description=entry.description,
        lang=bcp47(code),
        alternates=tuple(
            (bcp47(other), settings.url(page_path(folders[other], slug, ".html")) or alternate.href)
            for other, alternate in zip(shown_in, alternates)
        ),
        default_href=(settings.url(page_path(folders[source.code], slug, ".html"))
                      or relative_href(here, page_path(folders[source.code], slug, ".html"))),
        image=(settings.url(f"{folder}/{local_image}") if local_image and settings.base_url
               else image if image and urlsplit(image).scheme in ("http", "https") else ""),
        published=rfc3339(when, entry.article.zone),
        modified=_modified(entry.article),
        author=_front_matter_text(entry.article, AUTHOR_KEYS),
        site_name=layout.site_name,
        feed_href=relative_href(here, feed_paths[code]) if feed_paths else "",
        feed_title=feed_title,
        embed_hosts=settings.embed_hosts,
    ))
    if local_image:
        images[f"{folder}/{local_image}"] = _image_file(entry.article, image)
    notice = ""
    if entry.state.outdated:
        notice = "outdated" if entry.source_changed else "incomplete"
    page = ArticlePage(
        lang=bcp47(code),
        dir=entry.language.direction,
        title=entry.title,
        title_lang=None if entry.title_translated or code == source.code else bcp47(source.code),
        dateline=_dated(entry.article, format_dateline, when, code),
        iso_date=_iso(when),
        minutes=reading_minutes(body.words),
        body_html=body.html,
        body_text=body.text,
        other_news=others,
        index_href=relative_href(here, index_paths[code]),
        alternates=alternates,
        outdated=entry.state.outdated,
        original_href=relative_href(here, page_path(folders[source.code], slug, ".html")),
        original_lang=bcp47(source.code),
        notice=notice,
        head=head,
    )
    if "md" in formats:
        files[page_path(folder, slug, ".md")] = entry.text
    if "html" in formats:
        files[here] = site.article_html(page)
    if "txt" in formats:
        files[page_path(folder, slug, ".txt")] = site.article_text(page)
    return files, images


def _newest_from(layout: SiteLayout, code: str, here: str) -> tuple[tuple[str, PageLink], ...]:
    """The newest articles in language ``code`` (``layout.newest``) as (slug, link from the page at ``here``)."""
    key = (code, posixpath.dirname(here))
    links = layout.newest_from.get(key)
    if links is None:
        folder = layout.settings.folder(code)
        links = layout.newest_from[key] = tuple(
            (other, PageLink(link.title, relative_href(here, page_path(folder, other, ".html")), link.day,
                             link.iso_date, link.lang))
            for other, link in layout.newest.get(code, ())
        )
    return links


def _shown_images(entry: Edition, folder: str) -> dict[str, Path]:
    """The images of ``article_pages`` without rendering the page: those of the body, then the
    front matter's ``image``."""
    slug = entry.article.slug
    images = {}
    for src in image_sources(_body_markdown(entry)[0]):
        local = _local_image(src, slug)
        if local is not None:
            images[f"{folder}/{local}"] = _image_file(entry.article, src)
    image = _front_matter_text(entry.article, IMAGE_KEYS)
    local_image = _local_image(image, slug) if image else None
    if local_image:
        images[f"{folder}/{local_image}"] = _image_file(entry.article, image)
    return images


def withdrawn_pages(folder: str, slug: str) -> list[str]:
    """The pages of an article that is not published (any more) in a language."""
    return [page_path(folder, slug, suffix) for suffix in (".md", ".html", ".txt")]


def listing_files(
    code: str,
    table: EditionTable,
    *,
    layout: SiteLayout,
    site: Site | None,  # None: without html
    fallback: str,
    min_translated: float,
    feed_title: str = "",
    formats: Collection[str] = PAGE_FORMATS,
) -> Iterator[tuple[str, str | Pieces]]:
    """A language's index pages, 404 page, manifest and (with a ``base_url``) Atom feed, from the
    editions of every article in every language (``table``), as (path, text), each made when it is
    asked for (an archive's index pages are megabytes); the manifest's text as ``Pieces``, made as
    it is written.
    Without ``html`` in ``formats``, the manifest alone: the others are the HTML site's."""
    source, settings, languages = layout.source, layout.settings, layout.languages
    folders = layout.folders
    folder = folders[code]

    def written_manifest() -> Iterator[str]:
        return manifest_pieces(languages[code], table, source=source, fallback=fallback,
                               min_translated=min_translated, folders=folders, formats=formats)

    if "html" not in formats:
        yield f"{folder}/{MANIFEST}", written_manifest
        return
    assert site is not None
    index_path = f"{folder}/{INDEX}"
    ordered = table.newest_first(code)
    yield from _index_pages(
        code, ordered, lambda index: _page_link(table.edition(code, index), code, source), languages=languages,
        folders=folders, site=site, settings=settings, feed_title=feed_title, source=source,
    )
    yield f"{folder}/{NOT_FOUND}", site.not_found_html(NotFoundPage(
        lang=bcp47(code), dir=languages[code].direction,
        index_href=settings.url(index_path) or INDEX,
        head=PageHead(frame_sources=frame_sources(settings.embed_hosts)),
    ))
    yield f"{folder}/{MANIFEST}", written_manifest
    if settings.base_url:
        feed_path = f"{folder}/{FEED_FILE}"
        yield feed_path, atom_feed(
            url=settings.url(feed_path), page_url=settings.url(index_path), title=feed_title,
            lang=bcp47(code), author=layout.site_name or "localize",
            entries=[_feed_entry(table.edition(code, index), settings.url(page_path(folder, table.slugs[index], ".html")),
                                 code, source)
                     for index in ordered[:settings.feed_size]],
        )


def sitemap_files(table: EditionTable, *, layout: SiteLayout) -> dict[str, str]:
    """``sitemap.xml`` and ``robots.txt`` (only with a ``base_url``): every published page of every language."""
    source, settings = layout.source, layout.settings
    if not settings.base_url:
        return {}
    folders = layout.folders
    languages = table.languages
    index_paths = {code: f"{folders[code]}/{INDEX}" for code in languages}
    pages: list[SitemapPage] = []
    for code in languages:
        for index in table.newest_first(code):
            slug = table.slugs[index]
            pages.append(SitemapPage(
                url=settings.url(page_path(folders[code], slug, ".html")), lastmod=_modified(table.article(index)),
                alternates=tuple((bcp47(other), settings.url(page_path(folders[other], slug, ".html")))
                                 for other in languages if table.published(other, index)),
                default_url=settings.url(page_path(folders[source.code], slug, ".html")),
            ))
    for code in languages:
        pages.append(SitemapPage(
            url=settings.url(index_paths[code]), lastmod="",
            alternates=tuple((bcp47(other), settings.url(index_paths[other])) for other in languages),
            default_url=settings.url(index_paths[source.code]),
        ))
    return {SITEMAP_FILE: sitemap(pages), ROBOTS_FILE: robots(settings.url(SITEMAP_FILE))}


def build_site(
    editions: dict[str, list[Edition]],
    *,
    languages: dict[str, Language],
    source: Language,
    site_for: Callable[[str], Site],
    fallbacks: dict[str, str],
    thresholds: dict[str, float],
    only: frozenset[str] | None = None,
    settings: SiteSettings = SiteSettings(folder_names="gettext"),
    site_name: str = "",
) -> SiteFiles:
    """Every page of every language: article pages (.md, .html, .txt), index pages, 404 pages,
    manifests and, with a ``base_url``, Atom feeds, ``sitemap.xml`` and ``robots.txt``.

    ``editions`` maps each language, the source first, to its editions of
    every article; ``site_for`` gives a language's templates and strings.
    With ``only``, the pages of those languages alone are made, but their
    links to the others (hreflang alternates, indexes, the sitemap) still
    know every language in ``editions``, so that a merge of one language
    writes the same pages as a merge of all. The whole site in memory: a
    merge makes the same files one article at a time (``article_pages``).
    """
    table = EditionTable.of(editions, languages)
    layout = SiteLayout(
        languages=table.languages, source=source, settings=settings, site_name=site_name,
        newest={code: newest_links(table, code, source) for code in editions},
    )
    by_slug = {code: {entry.article.slug: entry for entry in entries} for code, entries in editions.items()}
    states = {slug: {code: by_slug[code][slug].state.published for code in editions} for slug in by_slug[source.code]}
    files: dict[str, str] = {}
    images: dict[str, Path] = {}
    withdrawn: list[str] = []
    for code, entries in editions.items():
        if only is not None and code not in only:
            continue
        site = site_for(code)
        feed_title = feed_title_of(site, settings)
        for entry in sorted(entries, key=lambda entry: entry.article.slug):
            slug = entry.article.slug
            if not entry.state.published:
                withdrawn.extend(withdrawn_pages(layout.folders[code], slug))
                continue
            pages, shown = article_pages(
                {other: by_slug[other][slug] for other in editions}, code, layout=layout, site=site,
                link_state=states.get, feed_title=feed_title,
            )
            files.update(pages)
            images.update(shown)
        files.update((relative, text if isinstance(text, str) else "".join(text())) for relative, text in listing_files(
            code, table, layout=layout, site=site, fallback=fallbacks.get(code, SOURCE),
            min_translated=thresholds.get(code, 0.0), feed_title=feed_title,
        ))
    files.update(sitemap_files(table, layout=layout))
    return SiteFiles(
        files=files,
        withdrawn=tuple(withdrawn),
        states={code: table.states(code) for code in editions},
        images=images,
        folders=layout.folders,
    )


def _index_pages(
    code: str, ordered: Sequence[int], link: Callable[[int], PageLink], *, languages: dict[str, Language],
    folders: dict[str, str], site: Site, settings: SiteSettings, feed_title: str, source: Language,
) -> Iterator[tuple[str, str]]:
    """``index.html``, then ``index-2.html`` and on, ``page_size`` articles each (0: all on one), as
    (path, text), one at a time: the links (``link``) to the ``ordered`` articles made a page at a
    time, as those of every article of an archive were megabytes."""
    size = settings.page_size or max(1, len(ordered))
    starts = range(0, len(ordered), size) or range(1)
    names = [INDEX] + [f"index-{number}.html" for number in range(2, len(starts) + 1)]
    for number, (name, start) in enumerate(zip(names, starts), start=1):
        chunk = [link(index) for index in ordered[start:start + size]]
        path = f"{folders[code]}/{name}"
        feed = f"{folders[code]}/{FEED_FILE}" if settings.base_url else ""
        alternates = tuple(
            Alternate(lang=bcp47(other), href=relative_href(path, f"{folders[other]}/{INDEX}"),
                      name=language_name(other), current=other == code)
            for other in languages
        )
        prev_href = names[number - 2] if number > 1 else ""
        next_href = names[number] if number < len(names) else ""
        yield path, site.index_html(IndexPage(
            lang=bcp47(code),
            dir=languages[code].direction,
            articles=tuple(chunk),
            alternates=alternates,
            head=listing_head(
                url=settings.url(path), lang=bcp47(code),
                alternates=tuple((alternate.lang, settings.url(f"{folders[other]}/{INDEX}") or alternate.href)
                                 for other, alternate in zip(languages, alternates)) if number == 1 else (),
                default_href=(settings.url(f"{folders[source.code]}/{INDEX}")
                              or relative_href(path, f"{folders[source.code]}/{INDEX}")) if number == 1 else "",
                feed_href=relative_href(path, feed) if feed else "", feed_title=feed_title,
            ),
            feed_href=relative_href(path, feed) if feed else "",
            page=number,
            pages=len(names),
            newer_href=prev_href,
            older_href=next_href,
        ))


def _feed_entry(entry: Edition, url: str, code: str, source: Language) -> FeedEntry:
    published = rfc3339(article_date(entry.article), entry.article.zone)
    return FeedEntry(
        url=url,
        title=entry.title,
        updated=_modified(entry.article) or published or "1970-01-01T00:00:00Z",
        published=published,
        summary=entry.description,
        author=_front_matter_text(entry.article, AUTHOR_KEYS),
        title_lang="" if entry.title_translated or code == source.code else bcp47(source.code),
    )


def _modified(article: Article) -> str:
    """When the article last changed: its ``lastmod`` (Hugo), ``updated`` or ``modified``, else its date."""
    for key in MODIFIED_KEYS:
        value = article.front_matter.get(key)
        if value:
            try:
                return rfc3339(parse_date(value), article.zone)
            except DateError:
                continue
    return rfc3339(article_date(article), article.zone)


def _front_matter_text(article: Article, keys: tuple[str, ...]) -> str:
    """The first of ``keys`` the front matter holds as text (or as a list whose first item is text)."""
    for key in keys:
        value = article.front_matter.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, dict):
            value = value.get("name") or value.get("url") or value.get("src")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _headline_is_title(entry: Edition, found: str) -> bool:
    """Whether ``found``, the ``# Heading`` the body starts with, repeats the page's headline: it
    is the title (the front matter has none), or says what the title says."""
    return not entry.article.front_matter.get("title") or found.strip() == entry.title.strip()


def _image_file(article: Article, src: str) -> Path:
    """The file a relative image reference of ``article`` names (it may not exist)."""
    return article.path.parent / unquote(urlsplit(src).path)


def _local_image(src: str, slug: str) -> str | None:
    """Where an image the article references by a relative path goes, relative to its page's
    folder; ``None`` for a URL, an absolute path, or one that climbs out of the content."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or parts.query or not parts.path or parts.path.startswith("/"):
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(slug), unquote(parts.path)))
    if path.startswith("../") or path == ".." or path.startswith("/"):
        return None
    return path


def _page_link(entry: Edition, code: str, source: Language) -> PageLink:
    when = article_date(entry.article)
    return PageLink(
        title=entry.title,
        href=f"{entry.article.slug}.html",  # from the index; article pages recompute it
        day=_dated(entry.article, format_day, when, code),
        iso_date=_iso(when),
        lang=None if entry.title_translated or code == source.code else bcp47(source.code),
    )


def _body_markdown(entry: Edition) -> tuple[str, int]:
    """The Markdown body as the parser sees it, and where it starts in the edition's text."""
    text = entry.text
    block = split_front_matter(text, path=entry.article.path)
    body_start = block.end if block is not None else (1 if text.startswith("\ufeff") else 0)
    body = text[body_start:]
    if "\r" in body:  # (else there is nothing to change, and the search was a tenth of finding the body's regions)
        body = LINE_ENDING.sub("\n", body)
    return body.replace("\0", "\ufffd"), body_start


def _body(entry: Edition) -> tuple[str, tuple[BodyRegion, ...]]:
    """The Markdown body as the parser sees it, and where the segments are in its lines."""
    text = entry.text
    body, body_start = _body_markdown(entry)
    first_line = len(LINE_ENDING.findall(text, 0, body_start)) if "\r" in text else text.count("\n", 0, body_start)
    starts = line_starts(text)
    regions = []
    for region in entry.regions:
        start, end = region.start, region.end
        if start < body_start:
            continue
        placement = region.segment.placement
        first = bisect_right(starts, start) - 1  # (each looked up once: a page has hundreds of regions)
        last = bisect_right(starts, max(start, end - 1)) - 1
        html = isinstance(placement, HtmlPlacement)
        regions.append(BodyRegion(
            first_line=first - first_line,
            last_line=last - first_line,
            msgid=region.segment.text,
            text=text[start:end],
            translated=region.translation is not None,
            table_cell=not html and isinstance(placement, MarkdownPlacement) and placement.table_cell,
            html_text=html and placement.attribute_quote is None,  # type: ignore[union-attr]
            html_attribute=html and placement.attribute_quote is not None,  # type: ignore[union-attr]
            first_column=start - max(body_start, starts[first]),
            last_column=end - max(body_start, starts[last]),
        ))
    return body, tuple(regions)


def manifest_pieces(
    language: Language, table: EditionTable, *, source: Language, fallback: str, min_translated: float,
    folders: dict[str, str] | None = None, formats: Collection[str] = PAGE_FORMATS,
) -> Iterator[str]:
    """``LANG/manifest.json``, piece by piece, an article at a time (an archive's is megabytes): every
    article, published or not, for a static-site generator.

    A page in a format not in ``formats`` is not written: its field is null, and ``source`` links
    the original's page in the first format that is (.html, else .md, else .txt)."""
    code = language.code
    folder = (folders or {}).get
    original = next(suffix for name, suffix in (("html", ".html"), ("md", ".md"), ("txt", ".txt")) if name in formats)
    data = {
        "language": bcp47(code),
        "source_language": bcp47(source.code),
        "direction": language.direction,
        "fallback": fallback,
        "min_translated": min_translated,
    }
    if not len(table):
        yield json.dumps({**data, "articles": []}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        return
    # What json.dumps of data with its "articles" (indent=2, sort_keys) writes, "articles" coming first of
    # the keys, but each article encoded as it is made: json's encoder (in Python, with indent) held a
    # list of every token of every article at once, the peak of a merge of 10,000.
    separator = '{\n  "articles": [\n'
    for index in table.by_slug():
        entry = table.edition(code, index)
        slug, state = entry.article.slug, entry.state
        when = article_date(entry.article)
        yield separator
        separator = ",\n"
        # As an item of the list that is the value of a top-level key: two levels deeper.
        yield indented_json({
            "slug": slug,
            "title": entry.title if state.published else table.title(source.code, index),
            "date": _iso(when) or None,
            "published": state.published,
            # Down to a tenth, so that an unpublished 79.96% is not listed as 80.0%.
            "percent_translated": math.floor(state.percent * 10) / 10,
            "outdated": state.outdated,
            "segments": state.segments,
            "translated": state.translated,
            "fuzzy": state.fuzzy,
            "html": f"{slug}.html" if state.published and "html" in formats else None,
            "markdown": f"{slug}.md" if state.published and "md" in formats else None,
            "text": f"{slug}.txt" if state.published and "txt" in formats else None,
            "source": relative_href(page_path(folder(code, code), slug, original),
                                    page_path(folder(source.code, source.code), slug, original)),
        }, depth=2)
    rest = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    yield "\n  ],\n" + rest.removeprefix("{\n") + "\n"
