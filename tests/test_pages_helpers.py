"""Helpers for the page tests: a three-article content tree with catalogs translated on demand.

(No tests here; the name keeps it with the page tests it serves.)
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import html5lib

from localize.catalog import read_catalog, write_catalog

REPOSITORY = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "pages"
SAMPLE_SLUG = "2022-06-27-kyiv-missiles-belarus"

ARABIC_UI = {
    "Other news": "أخبار أخرى",
    "All news": "كل الأخبار",
    "Languages": "اللغات",
    "This translation is out of date.": "هذه الترجمة قديمة.",
    "Read the original": "اقرأ النص الأصلي",
    "No news yet.": "لا أخبار بعد.",
    "This translation is incomplete.": "هذه الترجمة غير مكتملة.",
    "Pages": "الصفحات",
    "Newer news": "أخبار أحدث",
    "Older news": "أخبار أقدم",
    "Subscribe (Atom feed)": "اشترك (موجز Atom)",
    "Page not found": "الصفحة غير موجودة",
    "There is no page at this address.": "لا توجد صفحة بهذا العنوان.",
}
ARABIC_MINUTES = [
    "%(num)d دقيقة قراءة", "دقيقة واحدة للقراءة", "دقيقتان للقراءة",
    "%(num)d دقائق قراءة", "%(num)d دقيقة قراءة", "%(num)d دقيقة قراءة",
]


def site_tree(tmp_path: Path, *, settings: str = "") -> Path:
    """A copy of tests/fixtures/pages/site; ``settings`` is appended to its pyproject.toml."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    for language in ("ru", "uk"):  # the sample's site strings
        ui = Path(f"locales/{language}/LC_MESSAGES/ui.po")
        (root / ui).parent.mkdir(parents=True)
        shutil.copy(REPOSITORY / ui, root / ui)
    if settings:
        with (root / "pyproject.toml").open("a", encoding="utf-8") as stream:
            stream.write("\n" + settings)
    return root


def translate(
    root: Path, language: str, slug: str, translation: Callable[[str], str | None], *, fuzzy: bool = False
) -> None:
    """Fill the article catalog: each msgid's msgstr is ``translation(msgid)`` (``None`` leaves it empty)."""
    path = root / "locales" / language / "LC_MESSAGES" / "articles" / f"{slug}.po"
    catalog = read_catalog(path)
    messages = []
    for message in catalog.messages:
        text = translation(message.msgid)
        if text is not None:
            message = replace(message, msgstr=text, flags=tuple(sorted({*message.flags, "fuzzy"})) if fuzzy else message.flags)
        messages.append(message)
    write_catalog(path, replace(catalog, messages=tuple(messages)))


def translate_ui(root: Path, language: str, table: dict[str, str], plural: list[str]) -> None:
    path = root / "locales" / language / "LC_MESSAGES" / "ui.po"
    catalog = read_catalog(path)
    messages = tuple(
        replace(message, msgstr_plural=dict(enumerate(plural))) if message.msgid_plural
        else replace(message, msgstr=table[message.msgid])
        for message in catalog.messages
    )
    write_catalog(path, replace(catalog, messages=messages))


def tagged(language: str) -> Callable[[str], str]:
    """A stand-in translation: the source with a language tag in front (and in the headline)."""
    return lambda msgid: f"[{language}] {msgid}"


def html5_errors(text: str) -> list:
    """What an HTML5 parser reports about a page: nothing, for a valid one."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(text)
    return list(parser.errors)
