"""What search engines and social sites read in a page's head: canonical URL, hreflang
alternates with ``x-default``, description, Open Graph and Twitter cards, schema.org JSON-LD.

Values in, values out: ``localize.publish`` gives the article's facts, the
templates print the ``PageHead``. JSON-LD goes inside a ``<script>`` element,
where HTML escaping does not apply: ``</`` and ``<!--`` in any string are
written as JSON escapes, so that no title closes the element.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone, tzinfo

from localize.json_text import indented_json

DESCRIPTION_LENGTH = 300


@dataclass(frozen=True)
class HeadLink:
    """A ``<link>``: ``rel``, ``href`` and, where they apply, ``hreflang``, ``type`` and ``title``."""

    rel: str
    href: str
    hreflang: str = ""
    type: str = ""
    title: str = ""


@dataclass(frozen=True)
class PageHead:
    """Everything a template prints in ``<head>`` beyond the title; ``meta`` are (attribute,
    name, content) triples, such as ("property", "og:title", "...")."""

    links: tuple[HeadLink, ...] = ()
    description: str = ""
    meta: tuple[tuple[str, str, str], ...] = ()
    json_ld: str = ""
    frame_sources: str = ""  # the Content-Security-Policy frame-src of the embed hosts


def rfc3339(when: date | datetime | None, zone: tzinfo | None = None) -> str:
    """A date as feeds, sitemaps and schema.org want it: with a time and an offset.

    A date alone is midnight UTC; a time without an offset is in the article's zone, else UTC.
    """
    if when is None:
        return ""
    if not isinstance(when, datetime):
        when = datetime.combine(when, time(), tzinfo=timezone.utc)
    elif when.tzinfo is None:
        when = when.replace(tzinfo=zone or timezone.utc)
    text = when.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def short_description(text: str) -> str:
    """One line of at most ``DESCRIPTION_LENGTH`` characters, cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= DESCRIPTION_LENGTH:
        return flat
    cut = flat[:DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0]
    return cut + "…"


def og_locale(lang: str) -> str:
    """``pt-BR`` as Open Graph spells it: ``pt_BR``."""
    return lang.replace("-", "_")


def script_json(data: object) -> str:
    """JSON that is safe inside ``<script type="application/ld+json">``."""
    text = indented_json(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class ArticleFacts:
    """What the head says about an article page in one language."""

    url: str  # absolute; empty without base_url
    title: str
    description: str
    lang: str
    alternates: tuple[tuple[str, str], ...]  # (hreflang, href) of every published version, this one included
    default_href: str  # the source language's version: x-default
    image: str = ""
    published: str = ""
    modified: str = ""
    author: str = ""
    site_name: str = ""
    feed_href: str = ""
    feed_title: str = ""
    embed_hosts: tuple[str, ...] = ()


def article_head(facts: ArticleFacts) -> PageHead:
    links = _links(facts)
    meta: list[tuple[str, str, str]] = [
        ("property", "og:type", "article"),
        ("property", "og:title", facts.title),
        ("property", "og:locale", og_locale(facts.lang)),
    ]
    meta += [("property", "og:locale:alternate", og_locale(lang)) for lang, _ in facts.alternates if lang != facts.lang]
    if facts.url:
        meta.append(("property", "og:url", facts.url))
    if facts.site_name:
        meta.append(("property", "og:site_name", facts.site_name))
    if facts.description:
        meta.append(("property", "og:description", facts.description))
    if facts.image:
        meta.append(("property", "og:image", facts.image))
    if facts.published:
        meta.append(("property", "article:published_time", facts.published))
    if facts.modified:
        meta.append(("property", "article:modified_time", facts.modified))
    meta.append(("name", "twitter:card", "summary_large_image" if facts.image else "summary"))
    meta.append(("name", "twitter:title", facts.title))
    if facts.description:
        meta.append(("name", "twitter:description", facts.description))
    if facts.image:
        meta.append(("name", "twitter:image", facts.image))
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": facts.title,
        "inLanguage": facts.lang,
    }
    if facts.url:
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": facts.url}
    if facts.description:
        data["description"] = facts.description
    if facts.published:
        data["datePublished"] = facts.published
    if facts.modified or facts.published:
        data["dateModified"] = facts.modified or facts.published
    if facts.author:
        data["author"] = [{"@type": "Person", "name": facts.author}]
    if facts.image:
        data["image"] = [facts.image]
    return PageHead(links=links, description=facts.description, meta=tuple(meta), json_ld=script_json(data),
                    frame_sources=frame_sources(facts.embed_hosts))


def listing_head(*, url: str, lang: str, alternates: tuple[tuple[str, str], ...], default_href: str,
                 feed_href: str, feed_title: str, extra: tuple[HeadLink, ...] = ()) -> PageHead:
    """The head of an index page: canonical URL, alternates, feed."""
    facts = ArticleFacts(url=url, title="", description="", lang=lang, alternates=alternates,
                         default_href=default_href, feed_href=feed_href, feed_title=feed_title)
    return PageHead(links=_links(facts) + extra)


def frame_sources(hosts: tuple[str, ...]) -> str:
    return " ".join(f"https://{host}" for host in hosts)


def _links(facts: ArticleFacts) -> tuple[HeadLink, ...]:
    links = []
    if facts.url:
        links.append(HeadLink("canonical", facts.url))
    links += [HeadLink("alternate", href, hreflang=lang) for lang, href in facts.alternates]
    if len(facts.alternates) > 1 and facts.default_href:
        links.append(HeadLink("alternate", facts.default_href, hreflang="x-default"))
    if facts.feed_href:
        links.append(HeadLink("alternate", facts.feed_href, type="application/atom+xml", title=facts.feed_title))
    return tuple(links)
