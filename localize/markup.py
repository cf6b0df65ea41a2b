"""The Markdown markup a translation must keep: links, images, code, emphasis, raw HTML, footnotes.

``markup_problems`` compares a translation's markup with its source's; ``localize.checks``
reports what it finds (E201-E206) and ``localize.publish`` refuses to publish it, through
this one function, so that what check reports is what merge refuses.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from localize.model import Message
from localize.segment.html import html_markup, tag_signature
from localize.segment.markdown import parse, parser

Problem = tuple[str, str]  # (code, message), as localize.checks names it


@lru_cache(maxsize=4096)  # check compares each pair twice: for its message, and for the article's coverage
def markup_problems(
    source: str, translation: str, *, plain_text: bool = False, html: bool = False
) -> tuple[Problem, ...]:
    """What the Markdown of ``translation`` changes from ``source``'s: links, images, code,
    emphasis, raw HTML (tags by name, and as written but for the values of alt and title),
    footnote references.

    ``html`` is for the text of a raw HTML block (``localize.segment.html``),
    which is HTML: its tags, comments and stray tag openings are compared as
    written (but for alt and title values), and its ``<code>``.

    ``plain_text`` is for a front matter field, which is no Markdown but may
    reach a page through a static-site generator: only what could become live
    there (links, images, HTML) is compared. Merge and check share this
    function, so that what check reports is what merge refuses to publish.
    """
    if translation == source or not (_MARKUP_CHARACTER.search(source) or _MARKUP_CHARACTER.search(translation)):
        return ()
    if html:
        return _html_problems(source, translation)
    found = markup(source), markup(translation)
    source_markup, translation_markup = found
    if source_markup == translation_markup:
        return ()  # the same markup (often both none: "[ru] ..." has brackets and no link)
    problems: list[Problem] = []
    for code, what in (("E201", "links"), ("E202", "images"), ("E203", "code"), ("E205", "html"), ("E206", "footnotes")):
        if plain_text and code not in LIVE_MARKUP_CODES:
            continue
        difference = _describe_difference(getattr(source_markup, what), getattr(translation_markup, what))
        if not difference and what == "html":
            difference = _describe_difference(source_markup.raw_html, translation_markup.raw_html)
        if difference:
            problems.append((code, f"{_MARKUP_NAMES[what]} differ: {difference}"))
    if plain_text:
        return tuple(problems)
    for kind, name in (("em", "emphasis"), ("strong", "strong emphasis"), ("s", "strikethrough")):
        if source_markup.emphasis[kind] != translation_markup.emphasis[kind]:
            problems.append(("E204", (
                f"{name}: {source_markup.emphasis[kind]} in the source, {translation_markup.emphasis[kind]} in the translation"
                + (" (unbalanced markers?)" if translation_markup.unmatched_markers else "")
            )))
    return tuple(problems)


def _html_problems(source: str, translation: str) -> tuple[Problem, ...]:
    (source_tags, source_code), (translation_tags, translation_code) = html_markup(source), html_markup(translation)
    problems: list[Problem] = []
    difference = _describe_difference(source_code, translation_code)
    if difference:
        problems.append(("E203", f"<code> differs: {difference}"))
    difference = _describe_difference(source_tags, translation_tags)
    if difference:
        problems.append(("E205", f"HTML tags differ: {difference}"))
    return tuple(problems)


# Without one of these characters a text holds no Markdown markup at all (links, images,
# autolinks, code, emphasis, HTML, footnotes, reference definitions): no need to parse it.
_MARKUP_CHARACTERS = frozenset("[]<>`*_~")
# (searched for, rather than the text's characters made into a set: a merge asks it of every translation)
_MARKUP_CHARACTER = re.compile("|".join(re.escape(character) for character in sorted(_MARKUP_CHARACTERS)))
# The markup checks that guard what could become live on a page: links, images, raw HTML.
LIVE_MARKUP_CODES = frozenset({"E201", "E202", "E205"})
# Codes a translator comment cannot silence: merge never publishes a translation that fails them.
UNSILENCEABLE = frozenset({"E201", "E202", "E203", "E204", "E205", "E206"})


_MARKUP_NAMES = {
    "links": "link URLs", "images": "image URLs", "code": "inline code spans",
    "html": "HTML tags", "footnotes": "footnote references",
}


# The kinds of segment localize.segment.markdown writes as an extracted comment. po4a
# writes "type:" comments too ("type: Plain text", "type: TH", "type: chapter{#2}"),
# on man pages and LaTeX, whose ``quotes'' and *asterisks* are no Markdown.
_ARTICLE_KIND = re.compile(
    r"type: (?:heading(?: [1-6])?|paragraph|block quote|list item|footnote|image alt text|table (?:header )?cell)\s*$"
)


def is_article_message(message: Message) -> bool:
    return any(_ARTICLE_KIND.match(line) for line in message.comment.splitlines())


# The kinds of segment localize.segment.html writes: raw HTML, whose text is no Markdown.
_HTML_KIND = re.compile(r"type: html(?: attribute)?(?: [A-Za-z][A-Za-z0-9-]*)?\s*$")


def is_html_message(message: Message) -> bool:
    """Text of a raw HTML block or one of its alt and title values (``#. type: html figcaption``)."""
    return any(_HTML_KIND.match(line) for line in message.comment.splitlines())


def is_front_matter_message(message: Message) -> bool:
    """A front matter field of an article (``#. front matter: title``), as localize extracts it."""
    return any(line.startswith("front matter: ") for line in message.comment.splitlines())


@dataclass(frozen=True)
class Markup:
    """What a translation of inline Markdown must keep, as multisets."""

    links: Counter
    images: Counter
    code: Counter
    html: Counter
    footnotes: Counter
    emphasis: Counter
    unmatched_markers: bool
    # Raw HTML as written (attributes, comments and all): inline, and a block it would open.
    raw_html: Counter = field(default_factory=Counter)


_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_REFERENCE_LINK = re.compile(r"\]\[([^\]]+)\]")
_HTML_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9-]*)")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


@lru_cache(maxsize=4096)  # a msgid is compared with its translation in every language: parsed once
def markup(text: str) -> Markup:
    """The links, images, code spans, HTML tags, footnote references and emphasis of ``text``
    (shared between callers: not to be changed)."""
    return _NO_MARKUP if _without_markup(text) else parsed_markup(text)


def parsed_markup(text: str) -> Markup:
    """``markup`` of ``text`` through markdown-it, whatever it holds."""
    links: Counter = Counter()
    images: Counter = Counter()
    code: Counter = Counter()
    html: Counter = Counter()
    emphasis: Counter = Counter()
    raw_html: Counter = Counter()
    plain: list[str] = []
    stack = []
    for token in _inline_tokens(text):
        if token.type == "link_open":
            links[str(token.attrs.get("href", ""))] += 1
        elif token.type == "image":
            images[str(token.attrs.get("src", ""))] += 1
        elif token.type == "code_inline":
            code[token.content] += 1
        elif token.type == "html_inline":
            # A translator may translate the alt and title of a tag, and change nothing else in it.
            raw_html[tag_signature(token.content)] += 1
            match = _HTML_TAG.match(token.content)
            if match:
                html[f"<{match.group(1)}{match.group(2).lower()}>"] += 1
        elif token.type in ("em_open", "strong_open", "s_open"):
            emphasis[token.type[:-5]] += 1
            stack.append(token.type)
        elif token.type == "text":
            plain.append(token.content)
    text_only = "".join(plain)
    for label in _REFERENCE_LINK.findall(text_only):
        links[f"[{label.lower()}]"] += 1
    footnotes = Counter(_FOOTNOTE_REF.findall(_CODE_SPAN.sub("", text)))
    unmatched = any(marker in text_only for marker in ("*", "~~")) or bool(re.search(r"(?<!\w)_|_(?!\w)", text_only))
    if "<" in text or "]:" in text:
        # What a text does as a block where a segment begins: open an HTML block (``<script``
        # with no ``>`` swallows the rest of the article) or define a link reference.
        env: dict = {}
        for token in parse(text, env):
            if token.type == "html_block":
                raw_html[token.content.strip()] += 1
        for label, reference in env.get("references", {}).items():
            links[f"[{label.lower()}]: {reference.get('href', '')}"] += 1
    return Markup(links, images, code, html, footnotes, emphasis, unmatched, raw_html)


# Brackets alone make no link: that takes ``](`` (inline), ``][`` (full or collapsed reference), a
# definition (``]:``, and none are known to an inline parse), and footnotes ``[^`` and ``^[``. An entity
# (``&``) could decode to a marker; a backslash escape, a line break or an inline footnote taken out
# could join two brackets (``]\\[``, ``]\n[``). A text with no other markup character than these
# brackets, and none of those, has no markup.
_BRACKETS = frozenset("[]")
_BRACKET_MARKUP = ("](", "][", "]:", "[^", "^[", "&", "\\", "\n", "\r")
_NO_MARKUP = Markup(Counter(), Counter(), Counter(), Counter(), Counter(), Counter(), False, Counter())


# Any markup character but the brackets, or any of those sequences.
_MARKUP_BUT_BRACKETS = re.compile("|".join(
    re.escape(found) for found in (*sorted(_MARKUP_CHARACTERS - _BRACKETS), *_BRACKET_MARKUP)
))


def _without_markup(text: str) -> bool:
    """Whether ``text`` surely has no markup, as ``markup`` counts it, without parsing it (a
    translation such as ``[ru] ...`` need not go through markdown-it)."""
    return _MARKUP_BUT_BRACKETS.search(text) is None


def _inline_tokens(text: str) -> Iterator:
    for token in parser().parseInline(text, {}):
        yield from token.children or ()


def _describe_difference(source: Counter, translation: Counter) -> str:
    missing = source - translation
    added = translation - source
    parts = []
    if missing:
        parts.append("missing " + ", ".join(sorted(missing.elements())))
    if added:
        parts.append("not in the source " + ", ".join(sorted(added.elements())))
    return "; ".join(parts)
