"""Checks of a catalog: plain functions that return Findings with stable codes.

``check_catalog`` runs the catalog checks (``CATALOG_CHECKS``) once and the
message checks (``MESSAGE_CHECKS``) on every active message; both lists are
explicit. A translator silences one check on one entry with a translator
comment, ``# localize-ignore: W201`` (several codes: ``W201, W204``), except
the markup checks E201-E206: merge never publishes a translation that fails
them (``markup_problems``), whatever its comments say. A project tunes a check
for all its catalogs, or one language's, with a ``CheckPolicy`` (``[check]
ignore`` and ``warn`` in its configuration), applied by ``apply_policy``.
The checks of the content tree as a whole (``E102`` to ``E104``) are made
by ``localize.steps.check``, which knows the source articles.

Code  Severity  What
----  --------  --------------------------------------------------------------
E001  error     the PO file does not parse (at the line of the problem)
E002  error     a message is defined twice in one domain (msgfmt rejects the file)
E010  error     the ``Language`` header is missing or disagrees with the folder
E011  error     ``Plural-Forms`` fits no formula that gettext, Weblate or CLDR gives the language
E012  error     ``Plural-Forms`` is unreadable, or missing while plural messages need it
E013  error     the charset is not UTF-8 (or the header names none)
E014  error     the file has no header entry (``msgid ""`` with a filled msgstr): msgfmt --check rejects it
E101  error     an article translated below the language's ``min_translated`` (in segments, as merge decides)
E102  error     a catalog or template is out of date with its article: run localize extract
E103  error     a template or catalog whose source article is gone (orphan)
E104  error     a source article cannot be read
E201  error     Markdown: a link URL of the source is missing or changed
E202  error     Markdown: an image URL of the source is missing or changed
E203  error     Markdown: inline code differs
E204  error     Markdown: emphasis, strong or strikethrough unbalanced or a different count
E205  error     Markdown: HTML tags differ or are unbalanced; in raw HTML, a tag added, dropped or changed
                (a translation may change only the values of alt and title)
E206  error     Markdown: footnote references differ
E301  error     a placeholder of the msgid (python-format, python-brace-format, c-format) is missing
E302  error     a placeholder that the msgid does not have (added, renamed, or of another type)
E303  error     a plural entry with the wrong number of forms
E304  error     a translated plural entry with an empty form
W101  warning   the translation repeats a long msgid: left untranslated?
W102  warning   a number of the msgid is missing from the translation
W201  warning   leading or trailing whitespace differs
W202  warning   the final punctuation differs
W203  warning   doubled spaces that the msgid does not have
W204  warning   quotation marks not usual for the language
W205  warning   the translation is much longer or shorter than the msgid
E401  error     a translation the glossary forbids (Киев for Kyiv in Ukrainian)
E402  error     the glossary of the language cannot be read (at its file and line)
W401  warning   a glossary term of the msgid without one of its approved translations

Markup checks apply to article messages (an extracted comment naming a kind of
segment localize writes, ``type: paragraph`` and the like), E203 and E205 to the
text of raw HTML blocks (``type: html figcaption``, ``type: html attribute alt``: HTML, not
Markdown, so only its tags and ``<code>`` are compared), and E201, E202 and E205
to front matter fields (``front matter: title``), placeholder checks to messages flagged ``python-format``,
``python-brace-format`` (or ``brace-format``) or ``c-format``, as msgfmt --check compares them: each
plural form with the ``msgid_plural``, and a form the ``Plural-Forms`` rule uses for one number alone ("one
file") may leave a placeholder out; the message checks look at translated messages only (a
fuzzy or empty translation is never published), and the W checks leave out GNOME's and KDE's translator
credits, whose msgstr is a list of names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from localize.codes import CODES, CheckPolicy, apply_policy, finding  # noqa: F401 - part of what checks offers
from localize.errors import LanguageError
from localize.glossary import Glossary
from localize.markup import (  # noqa: F401 - markup_problems and UNSILENCEABLE are part of what checks offers
    UNSILENCEABLE,
    is_article_message,
    is_front_matter_message,
    is_html_message,
    markup_problems,
)
from localize.po.directives import Arguments, brace_format, c_format, python_format
from localize.language import Language, parse_language, primary_subtag, same_language
from localize.plurals import fits_language, parse_plural_forms
from localize.model import Catalog, Finding, Message
from localize.statistics import TRANSLATED, count_messages, format_percent, message_state
from localize.style import (
    check_final_punctuation,
    check_length,
    check_numbers,
    check_quotes,
    check_untranslated,
    check_whitespace,
    is_prose_translation,
)

if TYPE_CHECKING:
    from localize.publish import Coverage


IGNORE_COMMENT = re.compile(r"localize-ignore:\s*([A-Z]\d{3}(?:\s*,?\s*[A-Z]\d{3})*)")
_CODE_LIST = re.compile(r"[A-Z]\d{3}")


@dataclass(frozen=True)
class CatalogContext:
    """What the checks need to know about a catalog besides its entries.

    ``folder_language`` is the language its place says (``LANG/LC_MESSAGES/...``
    or ``LANG.po``); ``min_translated`` is ``None`` where coverage is not
    checked (templates); ``quotes`` maps languages to their quotation marks.
    """

    path: Path
    folder_language: str | None = None
    header_line: int | None = None
    min_translated: float | None = None
    source_language: str = "en"
    template: bool = False
    quotes: Mapping[str, str] = field(default_factory=dict)
    # The article's segments the catalog translates, when its source article was read: then E101
    # decides as merge does (a repeated paragraph is one message but several segments).
    coverage: Coverage | None = None
    # The glossary of the catalog's language (``localize.glossary``), for E401 and W401.
    glossary: Glossary | None = None
    # The site's strings (ui.po): their translations reach every page's HTML, so their tags are checked.
    site_strings: bool = False


@dataclass(frozen=True)
class _Subject:
    """A catalog under check: its entries, its context and what its header says."""

    catalog: Catalog
    context: CatalogContext
    language: Language | None
    nplurals: int | None
    # The plural forms the header's rule gives to many numbers, as msgfmt --check finds them;
    # None when the catalog has no readable rule.
    frequent_forms: frozenset[int] | None = None


Problem = tuple[str, str]  # (code, message)
MessageCheck = Callable[[Message, _Subject], Iterator[Problem]]


def check_catalog(catalog: Catalog, context: CatalogContext) -> list[Finding]:
    """Every finding on ``catalog``, catalog-wide ones first, then by line.

    ``context`` says what the entries cannot: where the file is, its folder's
    language, what coverage is required. A translator comment
    ``localize-ignore: CODE`` silences one check on its entry.

    >>> catalog = Catalog(
    ...     messages=(Message("%(count)d killed", "%(count)s убито", flags=("python-format",), linenum=7),),
    ...     metadata={"Language": "ru", "Content-Type": "text/plain; charset=UTF-8",
    ...               "Plural-Forms": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    ...                               "(n%100<10 || n%100>=20) ? 1 : 2);"})
    >>> [(f.code, f.line) for f in check_catalog(catalog, CatalogContext(Path("ru.po"), folder_language="ru"))]
    [('E302', 7)]
    """
    subject = _Subject(
        catalog, context, _language_of(catalog, context), _nplurals(catalog, context), _frequent_forms(catalog),
    )
    findings = [finding for check in CATALOG_CHECKS for finding in check(subject)]
    for message in catalog.messages:
        if message.obsolete:
            continue
        ignored = ignored_codes(message) - UNSILENCEABLE
        for check in MESSAGE_CHECKS:
            for code, text in check(message, subject):
                if code not in ignored:
                    findings.append(finding(code, text, context.path, message.linenum or None))
    return findings


def ignored_codes(message: Message) -> set[str]:
    """Codes a translator comment ``localize-ignore: CODE[, CODE]`` silences on this entry."""
    return {
        code for match in IGNORE_COMMENT.finditer(message.tcomment) for code in _CODE_LIST.findall(match.group(1))
    }


# -- the catalog as a whole ------------------------------------------------------------------

def _language_of(catalog: Catalog, context: CatalogContext) -> Language | None:
    """The catalog's language; a gettext code that CLDR spells otherwise (``zh_CN`` is
    ``zh_Hans_CN``, ``sr@latin`` has a modifier) is taken by its language subtag."""
    code = context.folder_language or header_field(catalog, "Language")
    if not code or context.template:
        return None
    return _language_of_code(code)


@lru_cache(maxsize=256)  # asked for every catalog, of a few languages
def _language_of_code(code: str) -> Language | None:
    for candidate in dict.fromkeys((code, code.split("@")[0], primary_subtag(code))):
        try:
            return parse_language(candidate)
        except LanguageError:
            continue
    return None


def header_field(catalog: Catalog, name: str) -> str:
    """A header field's value; only its first line, where a file repeats a field or
    breaks one across lines (the others stay with it, so that a write keeps them)."""
    return catalog.metadata.get(name, "").split("\n")[0].strip()


def _nplurals(catalog: Catalog, context: CatalogContext) -> int | None:
    rule = parse_plural_forms(header_field(catalog, "Plural-Forms"))
    if rule is not None:
        return rule.nplurals
    language = _language_of(catalog, context)
    return language.nplurals if language is not None else None


def _frequent_forms(catalog: Catalog) -> frozenset[int] | None:
    rule = parse_plural_forms(header_field(catalog, "Plural-Forms"))
    return rule.frequent_forms() if rule is not None else None


def check_header(subject: _Subject) -> Iterator[Finding]:
    """E010 Language, E011/E012 Plural-Forms, E013 charset, E014 no header."""
    catalog, context = subject.catalog, subject.context
    path, line = context.path, context.header_line
    metadata = catalog.metadata
    if catalog.header_msgstrs is not None and not any(catalog.header_msgstrs):
        # msgfmt --check: "PO file header missing or invalid"; then no field below can be read either.
        what = "an empty header entry" if catalog.header_msgstrs else "no header entry"
        yield finding(
            "E014", f"{what} (msgid \"\" with Content-Type, Language, Plural-Forms...): msgfmt --check rejects "
            "the file; msginit writes one", path, line or 1,
        )
        return
    header_language = header_field(catalog, "Language")
    if context.folder_language and not context.template:
        if not header_language:
            yield finding("E010", f"the header has no Language; the folder says {context.folder_language}", path, line)
        elif not same_language(header_language, context.folder_language):
            yield finding(
                "E010", f"Language is {header_language}, but the catalog is in the folder of "
                f"{context.folder_language}", path, line,
            )

    plural_forms = header_field(catalog, "Plural-Forms") if "Plural-Forms" in metadata else None
    has_plurals = any(message.msgid_plural for message in catalog.messages if not message.obsolete)
    if plural_forms is None:
        if has_plurals and not context.template:
            yield finding("E012", "no Plural-Forms header, but the catalog has plural messages", path, line)
    else:
        rule = parse_plural_forms(plural_forms)
        if rule is None:
            if not (context.template and "INTEGER" in plural_forms):
                yield finding("E012", f"Plural-Forms cannot be read: {plural_forms!r}", path, line)
        elif subject.language is not None and not fits_language(rule, subject.language.code):
            yield finding(
                "E011", f"Plural-Forms does not fit {subject.language.code}: expected a rule such as "
                f"{subject.language.plural_forms}", path, line,
            )

    content_type = header_field(catalog, "Content-Type")
    match = re.search(r"charset\s*=\s*([^\s;]+)", content_type)
    charset = match.group(1) if match else None
    if charset is None:
        # An empty or ASCII-only catalog without a header reads the same in any charset.
        if metadata or any(not text.isascii() for message in catalog.messages for text in _texts(message)):
            yield finding(
                "E013", "the header names no charset: add Content-Type: text/plain; charset=UTF-8", path, line,
            )
    elif charset.lower().replace("-", "").replace("_", "") != "utf8" and not (context.template and charset == "CHARSET"):
        yield finding(
            "E013", f"charset is {charset}, not UTF-8: convert with msgconv --to-code=UTF-8", path, line,
        )


def _texts(message: Message) -> list[str]:
    return [message.msgid, message.msgid_plural, message.msgstr, *message.msgstr_plural.values()]


def check_duplicates(subject: _Subject) -> Iterator[Finding]:
    """E002: msgfmt rejects a catalog that defines a message twice in one domain, even as an
    obsolete one (the entries before any ``domain`` directive are the domain ``messages``)."""
    first: dict[tuple[str, str | None, str], int] = {}
    for message in subject.catalog.messages:
        key = (message.domain or "messages", *message.key)
        if key in first:
            where = f" (first at line {first[key]})" if first[key] else ""
            yield finding("E002", f"duplicate message definition{where}", subject.context.path, message.linenum or None)
        else:
            first[key] = message.linenum


def check_coverage(subject: _Subject) -> Iterator[Finding]:
    """E101: below the threshold a merge publishes the article in the language.

    With the article's ``coverage`` the decision is merge's own, on segments;
    without it (a catalog checked apart from its source) messages stand in.
    """
    context = subject.context
    if context.min_translated is None or context.template:
        return
    counts = count_messages(subject.catalog)
    messages = f"{counts.translated} of {counts.total} messages; {counts.fuzzy} fuzzy, {counts.untranslated} untranslated"
    covered = context.coverage
    if covered is None:
        if not counts.total or counts.percent >= context.min_translated:
            return
        shown = f"{format_percent(counts.percent)} translated ({messages})"
    elif not covered.segments or covered.publishes(context.min_translated):
        return
    elif (covered.segments, covered.translated) == (counts.total, counts.translated):
        shown = f"{format_percent(covered.percent)} translated ({messages})"
    else:
        shown = (f"{format_percent(covered.percent)} of the article translated "
                 f"({covered.translated} of {covered.segments} segments as readers see them; {messages})")
    language = f" in {subject.language.code}" if subject.language else ""
    yield finding("E101", f"{shown}: below the {context.min_translated:g}% needed to publish{language}", context.path)


CATALOG_CHECKS: tuple[Callable[[_Subject], Iterator[Finding]], ...] = (
    check_header,
    check_duplicates,
    check_coverage,
)


# -- one message -----------------------------------------------------------------------------

def check_plural_forms(message: Message, subject: _Subject) -> Iterator[Problem]:
    """E303 wrong number of forms, E304 an empty form in a translated entry."""
    if not message.msgid_plural or subject.context.template:
        return
    nplurals = subject.nplurals
    indexes = sorted(message.msgstr_plural)
    if nplurals is not None and indexes != list(range(nplurals)):
        yield "E303", f"{nplurals} plural form(s) expected, found {len(indexes)}"
    if message_state(message) == TRANSLATED:
        empty = [index for index in indexes if not message.msgstr_plural[index]]
        if empty:
            yield "E304", "empty plural form " + ", ".join(f"msgstr[{index}]" for index in empty)


def check_markup(message: Message, subject: _Subject) -> Iterator[Problem]:
    """E201-E206 on article messages; E203 and E205 on raw HTML and on the site's strings;
    E201, E202 and E205 on front matter fields.

    A text that stands both in Markdown and in raw HTML must pass both.
    ``merge`` publishes no translation that fails these (``markup_problems``),
    so a translator comment cannot silence them: see ``UNSILENCEABLE``.
    """
    if message_state(message) != TRANSLATED:
        return
    problems: list[Problem] = []
    if subject.context.site_strings:
        for source, translation in message.text_pairs():
            problems += markup_problems(source, translation, html=True)
    elif message.msgid_plural:
        return
    if is_article_message(message):
        problems += markup_problems(message.msgid, message.msgstr)
    if is_html_message(message):
        problems += markup_problems(message.msgid, message.msgstr, html=True)
    if not problems and not is_article_message(message) and is_front_matter_message(message):
        problems += markup_problems(message.msgid, message.msgstr, plain_text=True)
    yield from dict.fromkeys(problems)


def check_placeholders(message: Message, subject: _Subject) -> Iterator[Problem]:
    """E301/E302 on python-format, python-brace-format and c-format messages, as msgfmt --check
    compares them: the msgstr with the msgid, each plural form with the msgid_plural."""
    if message_state(message) != TRANSLATED:
        return
    if "python-format" in message.flags:
        yield from _compare_placeholders(message, subject, python_format)
    if "python-brace-format" in message.flags or "brace-format" in message.flags:
        yield from _compare_placeholders(message, subject, brace_format)
    if "c-format" in message.flags:
        yield from _compare_placeholders(message, subject, c_format)


# Stands for the place of a problem (the translation, msgstr[1]...) until the places are known.
_WHERE = "\x00where\x00"


def _compare_placeholders(
    message: Message, subject: _Subject, parse: Callable[[str], Arguments]
) -> Iterator[Problem]:
    """Each translation against its source; a problem common to several plural forms is said once."""
    problems: dict[Problem, list[str]] = {}
    for where, source, translation, strict in _format_pairs(message, subject):
        wanted, found = parse(source), parse(translation)
        if wanted.malformed:
            return  # the msgid is no format string after all: nothing to compare with
        if found.malformed:
            problems.setdefault(("E302", f"a placeholder of {_WHERE} is malformed ({found.malformed})"), []).append(
                where)
            continue
        for problem in _placeholder_problems(wanted, found, strict=strict):
            problems.setdefault(problem, []).append(where)
    for (code, text), places in problems.items():
        yield code, text.replace(_WHERE, ", ".join(places))


def _format_pairs(message: Message, subject: _Subject) -> list[tuple[str, str, str, bool]]:
    """(where, source, translation, strict): msgfmt compares every plural form with the msgid_plural,
    and lets a form that the header's rule uses for one number alone ("one file") leave out a placeholder."""
    if not message.msgid_plural:
        return [("the translation", message.msgid, message.msgstr, True)]
    forms = sorted((index, text) for index, text in message.msgstr_plural.items() if text)
    frequent = subject.frequent_forms
    return [
        (f"msgstr[{index}]", message.msgid_plural, text,
         len(message.msgstr_plural) == 1 or (frequent is not None and index in frequent))
        for index, text in forms
    ]


def _placeholder_problems(wanted: Arguments, found: Arguments, *, strict: bool) -> Iterator[Problem]:
    """What msgfmt --check finds wrong, in the notation the texts use (``%s``, ``%2$s``, ``%(name)s``)."""
    missing = [key for key in wanted.kinds if key not in found.kinds] if strict else []
    added = [key for key in found.kinds if key not in wanted.kinds]
    changed = [key for key in wanted.kinds if key in found.kinds and wanted.kinds[key] != found.kinds[key]]
    if not (missing or added or changed):
        return
    positions = [sorted(key for key in arguments.kinds if isinstance(key, int)) for arguments in (wanted, found)]
    shifted = positions[0] != positions[1] and any(isinstance(key, int) for key in (*added, *changed))
    if (wanted.in_order or found.in_order) and (shifted or sum(isinstance(key, int) for key in changed) > 1):
        # Directives taken in order: the first of the translation stands for the msgid's first, and
        # a dropped or swapped one shifts all that follow. Show both lists as they are written.
        shown = lambda arguments: " ".join(  # noqa: E731
            arguments.written[key] for key in sorted(k for k in arguments.written if isinstance(k, int))
        ) or "none"
        yield ("E301" if missing else "E302"), (
            f"unnamed placeholders differ: {shown(wanted)} in the msgid, {shown(found)} in {_WHERE} "
            "(they are taken in order: name or number them to reorder)"
        )
        missing = [key for key in missing if not isinstance(key, int)]
        added = [key for key in added if not isinstance(key, int)]
        changed = [key for key in changed if not isinstance(key, int)]
    if missing:
        yield "E301", f"placeholder(s) missing from {_WHERE}: " + ", ".join(wanted.written[key] for key in missing)
    if added:
        yield "E302", f"placeholder(s) not in the msgid (added or renamed) in {_WHERE}: " + ", ".join(
            found.written[key] for key in added)
    if changed:
        yield "E302", f"placeholder(s) of another type in {_WHERE}: " + ", ".join(
            f"{found.written[key]} where the msgid has {wanted.written[key]}" for key in changed)


def check_glossary(message: Message, subject: _Subject) -> Iterator[Problem]:
    """E401 a translation the glossary forbids, W401 a term of the msgid without an approved translation.

    A forbidden word that the msgid has too (a title or a name kept as written) is not one.
    """
    glossary = subject.context.glossary
    if not glossary or not is_prose_translation(message):
        return
    forbidden: dict[str, str] = {}
    missing: dict[str, str] = {}
    for source, translation in message.text_pairs():
        for use in glossary.forbidden_in(translation, source=source):
            instead = " or ".join(term.translation for term in glossary.approved_for(use.term))
            forbidden.setdefault(use.found, f"{use.term.term} → {instead}" if instead else use.term.term)
        for rows in glossary.missing_translations(source, translation):
            missing.setdefault(rows[0].term, " or ".join(term.translation for term in rows))
    for found, term in forbidden.items():
        yield "E401", f"{found!r} must not be used (glossary: {term})"
    for term, approved in missing.items():
        yield "W401", f"{term!r} is translated as {approved} (glossary)"




MESSAGE_CHECKS: tuple[MessageCheck, ...] = (
    check_plural_forms,
    check_markup,
    check_placeholders,
    check_untranslated,
    check_numbers,
    check_whitespace,
    check_final_punctuation,
    check_quotes,
    check_length,
    check_glossary,
)
