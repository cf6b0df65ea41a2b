"""Translators are not trusted with the page: markup a msgstr brings in never reaches the HTML."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

from localize.render import BodyOptions, BodyRegion, render_body
from tests.test_pages_helpers import html5_errors, translate

ARTICLE = """---
title: Missiles hit Kyiv
date: 2022-06-27T11:43:00+03:00
---

First paragraph about the strike.

Second paragraph with <b>bold</b> source markup.

Third paragraph, with [a link](https://example.org/report).

Fourth paragraph.

Fifth paragraph.

Sixth paragraph.
"""

MALICIOUS = {
    "Missiles hit Kyiv": "<script>alert('title')</script>Ракеты",
    "First paragraph about the strike.": "Первый <script>alert(1)</script> абзац <img src=x onerror=alert(2)>.",
    "Second paragraph with <b>bold</b> source markup.": "Второй абзац с <b>жирным</b> и <i onmouseover=alert(3)>курсивом</i>.",
    "Third paragraph, with [a link](https://example.org/report).":
        'Третий, [ссылка](javascript:alert(4)) и <a href="javascript:alert(5)">клик</a>.',
    "Fourth paragraph.": "<div onclick=alert(6)>Четвёртый</div>",
    "Fifth paragraph.": "Пятый.\n\n<script>alert(7)</script>\n\n<iframe src=https://evil.example></iframe>",
    "Sixth paragraph.": "[Шестой](JaVaScRiPt:alert(8)) ![x](javascript:alert(9)) <svg onload=alert(10)>",
}


def dangerous(html: str) -> list[str]:
    """Every element or attribute in a page that could run code or bring in another document.

    The page is parsed as a browser would, so text that merely shows markup does not count.
    """
    found = []
    document = html5lib.parse(html, namespaceHTMLElements=False)
    head = list(document.find("head"))
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script" and element.get("type") == "application/ld+json" and element in head:
            continue  # the page's own JSON-LD in the head: data that a browser never runs
        if element.tag in ("script", "iframe", "svg", "object", "embed", "frame", "form", "base", "math"):
            found.append(element.tag)
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{element.tag} {name}")
            if name in ("href", "src", "action", "formaction") and re.match(
                r"\s*(javascript|vbscript|data):", value, re.IGNORECASE
            ):
                found.append(f"{element.tag} {name}={value}")
    return found


@pytest.fixture
def hostile(content_tree, run_cli) -> Path:
    root = content_tree({"strike": ARTICLE}, languages=("ru",), settings="min_translated = 0\n")
    assert run_cli("extract", project=root).exit_code == 0
    translate(root, "ru", "strike", MALICIOUS.get)
    result = run_cli("merge", project=root)
    assert result.exit_code == 0, result.output
    return root


def test_hostile_translations_never_reach_the_html(hostile: Path):
    page = (hostile / "build" / "ru" / "strike.html").read_text(encoding="utf-8")
    assert dangerous(page) == []
    # Not even as text: a translation that changes the markup is not published, the source stands.
    assert "alert(" not in page and "evil.example" not in page and "onerror" not in page
    document = html5lib.parse(page, namespaceHTMLElements=False)
    title = document.find(".//h1")
    assert (title.get("lang"), "".join(title.itertext())) == ("en", "Missiles hit Kyiv")
    paragraphs = {"".join(p.itertext()): p.get("lang") for p in document.iter("p")}
    for source in ("First paragraph about the strike.", "Second paragraph with bold source markup.",
                   "Third paragraph, with a link.", "Fourth paragraph.", "Fifth paragraph.", "Sixth paragraph."):
        assert paragraphs[source] == "en"
    # Markup the msgid holds stays markup.
    assert "<b>bold</b>" in page
    assert '<a href="https://example.org/report">a link</a>' in page
    assert html5_errors(page) == []


def test_hostile_translations_in_text_and_index(hostile: Path):
    index = (hostile / "build" / "ru" / "index.html").read_text(encoding="utf-8")
    assert dangerous(index) == []
    text = (hostile / "build" / "ru" / "strike.txt").read_text(encoding="utf-8")
    assert text.startswith("27 июня 2022\u202fг., 11:43\n")


def test_the_source_article_keeps_its_own_markup(hostile: Path):
    page = (hostile / "build" / "en" / "strike.html").read_text(encoding="utf-8")
    assert "<b>bold</b>" in page
    assert '<a href="https://example.org/report">a link</a>' in page


def options(**changes) -> BodyOptions:
    values = dict(source_language="en", source_direction="ltr", page_language="ru", page_direction="ltr")
    values.update(changes)
    return BodyOptions(**values)


def test_source_html_is_sanitized_too():
    body = render_body(
        '<p onclick="x()">Hi</p>\n\n<script>steal()</script>\n\nText <span style="color:red" onmouseover="y()">z</span>\n',
        (), options=options(),
    )
    assert dangerous(body.html) == []
    assert "steal()" not in body.html
    assert "<p>Hi</p>" in body.html


def test_links_to_articles_are_rewritten_and_others_kept():
    body = render_body(
        "See [this](other.md#part), [that](https://example.org/x.md) and [mail](mailto:desk@example.org).\n",
        (BodyRegion(0, 0, "x", "x", translated=True),),
        options=options(link_target=lambda href: "../en/other.html#part" if href.startswith("other.md") else None),
    )
    assert '<a href="../en/other.html#part">this</a>' in body.html
    assert '<a href="https://example.org/x.md">that</a>' in body.html
    assert '<a href="mailto:desk@example.org">mail</a>' in body.html


def test_the_detector_sees_what_a_browser_would_run():
    assert dangerous('<p onclick="x()">a</p><a href=" javascript:y()">b</a><script>z()</script>') == [
        "p onclick", "a href= javascript:y()", "script",
    ]
    assert dangerous("<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;a href=\"javascript:x\"&gt;</p>") == []
