"""The allow-list that article HTML passes before it reaches a page: the only module that imports nh3.

nh3 binds ammonia, a maintained Rust sanitizer built on html5ever, the
parser browsers' rules are written for (bleach, the usual alternative, has
been deprecated by its maintainers since 2023). What survives is the markup
that Markdown produces and the structure a newsroom writes by hand (figures
with captions, fact boxes in ``<aside>``, ``<details>``, classes for its
stylesheet), with the attributes they need: no scripts, styles, forms, event
handlers, or URLs other than web, mail and relative ones. An ``<iframe>``
survives only when it embeds a page of one of the configured ``embed_hosts``
over HTTPS, and then sandboxed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "hr", "br",
    "pre", "code", "em", "strong", "s", "del", "ins", "a", "img", "sup", "sub", "section",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "figure", "figcaption", "abbr", "cite", "q",
    "span", "div", "dl", "dt", "dd", "mark", "small", "b", "i", "u", "aside", "details", "summary",
    "time", "kbd", "samp", "var", "picture", "source",
})
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title", "class", "id"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes"},
    "source": {"srcset", "sizes", "media", "type", "width", "height"},
    "ol": {"start", "reversed"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "td": {"style", "colspan", "rowspan"},
    "details": {"open"},
    "time": {"datetime"},
}
IFRAME_ATTRIBUTES = {"src", "width", "height", "title", "allow", "allowfullscreen", "referrerpolicy"}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# What an embedded page may do: run its player, not navigate the page or open forms on it.
IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation"
_IFRAME = re.compile(r"<iframe\b([^>]*)>(.*?)</iframe>", re.DOTALL)


def clean_html(html: str, *, embed_hosts: tuple[str, ...] = ()) -> str:
    """``html`` with everything outside the allow-list removed (scripts and styles with their content)."""
    hosts = frozenset(host.lower() for host in embed_hosts)
    cleaned = _cleaner(hosts)(html)
    return _IFRAME.sub(_embed, cleaned) if hosts else cleaned


@lru_cache(maxsize=16)
def _cleaner(hosts: frozenset[str]) -> Callable[[str], str]:
    """The sanitizer for pages that may embed ``hosts``, made once: handing nh3 the allow-list with
    every page, and a Python filter called for every attribute, were two thirds of cleaning one
    (an nh3 older than its ``Cleaner`` is handed them each time)."""
    tags = set(ALLOWED_TAGS)
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    if hosts:
        tags.add("iframe")
        attributes["iframe"] = set(IFRAME_ATTRIBUTES)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            parts = urlsplit(value.strip())
            return value if parts.scheme == "https" and (parts.hostname or "").lower() in hosts else None
        return value

    options = dict(
        tags=tags,
        clean_content_tags={"script", "style"} | (set() if hosts else {"iframe"}),
        attributes=attributes,
        # Without embed hosts no iframe survives, and the filter would keep every other value as it is.
        attribute_filter=keep if hosts else None,
        url_schemes=set(URL_SCHEMES),
        # Internal links stay plain; ammonia would add rel=noopener noreferrer to every one.
        link_rel=None,
        filter_style_properties={"text-align"},
        strip_comments=True,
    )
    cleaner = getattr(nh3, "Cleaner", None)
    return cleaner(**options).clean if cleaner is not None else partial(nh3.clean, **options)


def _embed(match: re.Match) -> str:
    """An iframe left with a source from an embed host, sandboxed and loaded lazily; any other, gone."""
    attributes = match.group(1)
    if not re.search(r'\ssrc="', attributes):
        return ""
    return f'<iframe{attributes} sandbox="{IFRAME_SANDBOX}" loading="lazy">{match.group(2)}</iframe>'
