"""The allow-list that article HTML passes before it reaches a page: the only module that imports nh3.

nh3 binds ammonia, a maintained Rust sanitizer built on html5ever, the
parser browsers' rules are written for (bleach, the usual alternative, has
been deprecated by its maintainers since 2023). Only the markup that Markdown
produces survives, with the attributes it needs: no scripts, styles, frames,
forms, event handlers, or URLs other than web, mail and relative ones.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "hr", "br",
    "pre", "code", "em", "strong", "s", "del", "a", "img", "sup", "sub", "section",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "abbr", "cite", "q",
    "span", "div", "dl", "dt", "dd", "mark", "small", "b", "i", "u",
})
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "id", "class"},
    "img": {"src", "alt", "width", "height"},
    "li": {"id", "class"},
    "ol": {"start", "class"},
    "sup": {"class"},
    "hr": {"class"},
    "section": {"class"},
    "code": {"class"},
    "th": {"style"},
    "td": {"style"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed (scripts and styles with their content)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        # Internal links stay plain; ammonia would add rel=noopener noreferrer to every one.
        link_rel=None,
        filter_style_properties={"text-align"},
        strip_comments=True,
    )
