"""The text of raw HTML in an article is offered for translation and merged back in place.

A figure's caption, a fact box, details and summary, an embedded post, the alt
and title of an image, an abbreviation's title: extracted with their markup as
written (tests/fixtures/html/port.pot is the template, as gettext must accept
it), merged byte for byte with an identity catalog, translated in German and
Arabic and read by headless Chromium; a translation that brings in a link, a
script, an event handler or another class is not published, the source text
stands marked with its language, and ``localize check`` reports it (E205).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from localize.catalog import read_catalog
from localize.checks import markup_problems
from localize.splice import merge_document
from localize.model import Article
from localize.segment import segment_article
from tests.conftest import gettext_accepts
from tests.test_browser import pages_in_chromium
from tests.test_pages_helpers import translate

FIXTURES = Path(__file__).parent / "fixtures" / "html"
ARTICLE = (FIXTURES / "port.md").read_text(encoding="utf-8")
POT = Path("locales/templates/articles/port.pot")

GERMAN = {
    "The port reopens": "Der Hafen öffnet wieder",
    'Talks with <abbr title="North Atlantic Treaty Organization">NATO</abbr> went on all night.':
        'Die Gespräche mit der <abbr title="Nordatlantikpakt">NATO</abbr> dauerten die ganze Nacht.',
    "Cranes over the port": "Kräne über dem Hafen",
    "Port of Odesa": "Hafen von Odessa",
    "The port at <em>dawn</em>": "Der Hafen im <em>Morgengrauen</em>",
    "Fact box": "Faktenbox",
    "Built in 1794.": "Erbaut 1794.",
    "Closed from 2022 to 2024 &amp; reopened.": "Von 2022 bis 2024 geschlossen &amp; wieder geöffnet.",
    "Timeline": "Chronik",
    'Closed in 2022, reopened in <span class="date">March 2024</span>.':
        'Geschlossen 2022, wieder geöffnet im <span class="date">März 2024</span>.',
    "Run <code>ships --list</code> for the berths.": "<code>ships --list</code> zeigt die Liegeplätze.",
    'Ships are back. <a href="https://social.example/p/1">See the post</a>':
        'Die Schiffe sind zurück. <a href="https://social.example/p/1">Zum Beitrag</a>',
    "Ship": "Schiff",
    "Tonnes of cargo": 'Tonnen "Fracht"',
    "The harbour master confirmed the news.": "Der Hafenmeister bestätigte die Nachricht.",
}
ARABIC = {
    "The port reopens": "الميناء يعيد فتح أبوابه",
    "Cranes over the port": "رافعات فوق الميناء",
    "Port of Odesa": "ميناء أوديسا",
    "The port at <em>dawn</em>": "الميناء عند <em>الفجر</em>",
    "Built in 1794.": "بُني عام 1794.",
    "Timeline": "التسلسل الزمني",
    "Ship": "سفينة",
    "The harbour master confirmed the news.": "أكد مدير الميناء الخبر.",
}
# Arabic translations that change the markup of their msgid: each must stay unpublished.
HOSTILE = {
    "Fact box": "صندوق الحقائق<script>document.title='pwned'</script>",
    "Closed from 2022 to 2024 &amp; reopened.": "مغلق من 2022 إلى 2024 &amp; أعيد فتحه <img src=x onerror=alert(1)//",
    'Closed in 2022, reopened in <span class="date">March 2024</span>.':
        'أغلق في 2022، وأعيد فتحه في <span class="evil">مارس 2024</span>.',
    'Ships are back. <a href="https://social.example/p/1">See the post</a>':
        'عادت السفن. <a href="https://social.example/p/1">المنشور</a> <a href="https://evil.example/added">هنا</a>',
    "Tonnes of cargo": 'أطنان <a href="https://evil.example/alt">',
}
SHOWN = {  # each hostile entry's source text as a reader sees it
    "Fact box": "Fact box",
    "Closed from 2022 to 2024 &amp; reopened.": "Closed from 2022 to 2024 & reopened.",
    'Closed in 2022, reopened in <span class="date">March 2024</span>.': "Closed in 2022, reopened in March 2024.",
    'Ships are back. <a href="https://social.example/p/1">See the post</a>': "Ships are back. See the post",
}


def segments(text: str):
    return segment_article(Article("port", Path("port.md"), text), front_matter_keys=("title",)).segments


# -- extraction --------------------------------------------------------------------------------------

def test_the_template_offers_the_text_and_alt_and_title_of_html(content_tree, run_cli):
    root = content_tree({"port": ARTICLE}, languages=("de", "ar"))
    result = run_cli("extract", project=root)
    assert result.exit_code == 0, result.output
    assert (root / POT).read_text(encoding="utf-8") == (FIXTURES / "port.pot").read_text(encoding="utf-8")
    gettext_accepts(root / POT)
    # A second run changes no byte.
    again = run_cli("extract", project=root)
    assert "0 file(s) written" in again.output


def test_nothing_inside_code_pre_script_or_comments_is_offered():
    texts = " ".join(item.text for item in segments(ARTICLE))
    for kept in ("berth 4", "berth 5", "Never translated", "editor: check"):
        assert kept not in texts
    # <code> stays whole inside its sentence.
    assert "Run <code>ships --list</code> for the berths." in [item.text for item in segments(ARTICLE)]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_identity_and_empty_catalogs_give_back_every_byte(ending):
    text = ARTICLE.replace("\n", ending)
    document = segment_article(Article("port", Path("port.md"), text), front_matter_keys=("title",))
    assert merge_document(document, {}).text == text
    assert merge_document(document, {item.text: item.text for item in document.segments}).text == text


CASES = {
    # Inside containers, the lines of a block lose their markers in the msgid and keep them in the merge.
    "in a block quote": ("> <div>\n> Quoted text\n> goes on\n> </div>\n", ["Quoted text goes on"],
                         "> <div>\n> Zitat geht weiter\n> </div>\n"),
    "in a list item": ("- <div>\n  <p>Item text</p>\n  </div>\n", ["Item text"], "- <div>\n  <p>Zitat geht weiter</p>\n  </div>\n"),
    # A block that is one inline tag on its first line (CommonMark's kind 7) keeps that line as it is.
    "a link alone on its line": ('<a href="x">\nLinked *text*\n</a>\n', ["Linked *text*"],
                                 '<a href="x">\nZitat geht weiter\n</a>\n'),
    # A quote in a translated attribute value becomes a reference; an unquoted value gets them for spaces.
    "an unquoted title": ("<div title=Port>\n<p>12</p>\n</div>\n", ["Port"], "<div title=Zitat&#32;geht&#32;weiter>\n<p>12</p>\n</div>\n"),
    # Where a browser would read a tag we cannot see the end of, nothing more is offered.
    "a tag without its end": ('<div>\n<p>Before</p>\n<p id="x"\nAfter</p>\n</div>\n', ["Before"], None),
}


@pytest.mark.parametrize("text, msgids, merged", CASES.values(), ids=CASES.keys())
def test_html_blocks_in_containers_and_odd_places(text, msgids, merged):
    found = segments(text)
    assert [item.text for item in found] == msgids
    document = segment_article(Article("x", Path("x.md"), text), front_matter_keys=())
    assert merge_document(document, {item.text: item.text for item in found}).text == text
    if merged is not None:
        assert merge_document(document, {msgids[0]: "Zitat\ngeht weiter"}).text == merged


def test_only_alt_and_title_values_may_change():
    assert markup_problems('<img src="a.png" alt="Port">', '<img src="a.png" alt="Hafen">', html=True) == ()
    assert markup_problems('A <abbr title="North">N</abbr>.', 'Ein <abbr title="Nord">N</abbr>.') == ()
    for hostile in ('<img src="b.png" alt="Hafen">', '<img src="a.png" alt="Hafen" onerror="x()">',
                    '<img src="a.png" alt=Hafen onerror=x()>', '<img src="a.png" alt="Hafen" class="x">',
                    'Hafen <img src=x onerror=alert(1)//', '<img src="a.png" alt="Port"><script>x()</script>'):
        assert [code for code, _ in markup_problems('<img src="a.png" alt="Port">', hostile, html=True)] == ["E205"], hostile
    assert [code for code, _ in markup_problems('A <abbr title="N">N</abbr>.', 'A <abbr title="N" onclick="x()">N</abbr>.')] \
        == ["E205"]


# -- merged, published, read by a browser -----------------------------------------------------------

REPORT = """
    // The language of an element's text: that of the element around its first letters.
    const lang = (element) => {
      const walker = doc.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode()) && !node.textContent.trim());
      const marked = (node ? node.parentElement : element).closest("[lang]");
      return [marked.getAttribute("lang"), (node ? node.parentElement : element).closest("[dir]").getAttribute("dir")];
    };
    const shown = (selector) => [...main.querySelectorAll(selector)].map(e => [e.textContent.replace(/\\s+/g, " ").trim(), ...lang(e)]);
    const img = main.querySelector("figure img");
    return {
      figcaption: shown("figcaption"), summary: shown("summary"), h2: shown("aside h2"), li: shown("aside li"),
      details: shown("details p"), embed: shown("blockquote.embed p"), th: shown("th"),
      alt: img.getAttribute("alt"), imgTitle: img.getAttribute("title"),
      abbr: main.querySelector("abbr").getAttribute("title"), td: main.querySelector("td").getAttribute("title"),
      em: [...main.querySelectorAll("figcaption em")].length, dateClass: [...main.querySelectorAll("span.date")].length,
      links: [...main.querySelectorAll("[href]")].map(e => e.getAttribute("href")),
      live: [...doc.querySelectorAll("script:not([type='application/ld+json']), iframe, form, style, object")].map(e => e.tagName),
      handlers: [...doc.querySelectorAll("*")].flatMap(e => [...e.attributes].filter(a => a.name.startsWith("on")).map(a => a.name)),
      title: doc.title,
    };
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, str]:
    from click.testing import CliRunner

    from localize.cli import cli

    root = tmp_path_factory.mktemp("html") / "content"
    (root / "source_articles").mkdir(parents=True)
    shutil.copy(FIXTURES / "port.md", root / "source_articles" / "port.md")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "newsroom"\n\n[tool.localize]\nlanguages = ["de", "ar"]\nmin_translated = 0\n',
        encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["-C", str(root), "extract"]).exit_code == 0
    translate(root, "de", "port", GERMAN.get)
    translate(root, "ar", "port", lambda msgid: ARABIC.get(msgid) or HOSTILE.get(msgid))
    result = runner.invoke(cli, ["-C", str(root), "merge"])
    assert result.exit_code == 0, result.output
    return root, result.output


@pytest.fixture(scope="module")
def seen(site, tmp_path_factory) -> dict[str, dict]:
    root, _ = site
    pages = {folder: f"build/{folder}/port.html" for folder in ("en", "de", "ar")}
    found = pages_in_chromium(root, list(pages.values()), REPORT, profile=tmp_path_factory.mktemp("profile"))
    return {folder: found[path] for folder, path in pages.items()}


def test_the_german_page_shows_the_html_text_translated(seen):
    page = seen["de"]
    assert page["figcaption"] == [["Der Hafen im Morgengrauen", "de", "ltr"]] and page["em"] == 1
    assert page["summary"] == [["Chronik", "de", "ltr"]]
    assert page["h2"] == [["Faktenbox", "de", "ltr"]]
    assert page["li"] == [["Erbaut 1794.", "de", "ltr"], ["Von 2022 bis 2024 geschlossen & wieder geöffnet.", "de", "ltr"]]
    assert page["details"][0] == ["Geschlossen 2022, wieder geöffnet im März 2024.", "de", "ltr"]
    assert page["dateClass"] == 1
    assert page["details"][1][0] == "ships --list zeigt die Liegeplätze."
    assert page["embed"] == [["Die Schiffe sind zurück. Zum Beitrag", "de", "ltr"]]
    assert page["alt"] == "Kräne über dem Hafen" and page["imgTitle"] == "Hafen von Odessa"
    assert page["abbr"] == "Nordatlantikpakt" and page["td"] == 'Tonnen "Fracht"'
    assert page["th"] == [["Schiff", "de", "ltr"]]


def test_the_arabic_page_shows_its_translations_and_the_source_for_hostile_ones(seen):
    page, source = seen["ar"], seen["en"]
    assert page["figcaption"] == [["الميناء عند الفجر", "ar", "rtl"]] and page["em"] == 1
    assert page["summary"] == [["التسلسل الزمني", "ar", "rtl"]]
    assert page["li"][0] == ["بُني عام 1794.", "ar", "rtl"]
    assert page["alt"] == "رافعات فوق الميناء" and page["imgTitle"] == "ميناء أوديسا"
    # Each hostile translation: the source text, marked English and left to right.
    assert page["h2"] == [[SHOWN["Fact box"], "en", "ltr"]]
    assert page["li"][1] == [SHOWN["Closed from 2022 to 2024 &amp; reopened."], "en", "ltr"]
    assert page["details"][0] == [SHOWN['Closed in 2022, reopened in <span class="date">March 2024</span>.'], "en", "ltr"]
    assert page["embed"] == [[SHOWN['Ships are back. <a href="https://social.example/p/1">See the post</a>'], "en", "ltr"]]
    assert page["td"] == "Tonnes of cargo" and page["dateClass"] == 1
    # Nothing the source does not have: no script, handler or link of the translator's.
    assert page["live"] == source["live"] == ["STYLE"]
    assert page["handlers"] == source["handlers"] == []
    assert not any("evil" in link for link in page["links"])
    assert page["title"] != "pwned"


def test_merge_names_and_check_reports_every_hostile_translation(site, run_cli):
    root, output = site
    po = Path("locales/ar/LC_MESSAGES/articles/port.po")
    lines = {message.msgid: message.linenum for message in read_catalog(root / po).messages}
    refused = {line.split(": ")[1].split(":")[-1] for line in output.splitlines()
               if line.startswith(f"Warning: {po}:") and "E205" in line}
    assert refused == {str(lines[msgid]) for msgid in HOSTILE}
    result = run_cli("check", project=root)
    assert result.exit_code == 1
    reported = set(re.findall(rf"{re.escape(str(po))}:(\d+): E205 ", result.output))
    assert reported == {str(lines[msgid]) for msgid in HOSTILE}
    # The German translations keep every tag (the abbreviation's and the cell's titles translated).
    assert not re.search(rf"{re.escape(str(Path('locales/de/LC_MESSAGES/articles/port.po')))}:\d+: E", result.output)
    markdown = (root / "build/ar/port.md").read_text(encoding="utf-8")
    for marker in ("evil.example", "pwned", "onerror", 'class="evil"'):
        assert marker not in markdown
