"""``localize pseudo``: the articles in en-XA (accented, longer) and ar-XB (mirrored, right to left).

The pseudo-translations go through the real merge and page templates; the
markup checks of ``localize check`` (E2xx, E3xx) and the HTML structure of the
merged Markdown prove that no link, code span, tag, footnote or placeholder
changed; Chromium shows the pages.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from localize.checks import CatalogContext, check_catalog, is_article_message
from localize.language import parse_language
from localize.splice import merge_document
from localize.model import Document, Message
from localize.pseudo import PSEUDO_LOCALES, RLM, accented, mirrored, pseudo_catalog, pseudo_language
from localize.segment.markdown import markdown_segments
from tests.pseudo import html_structure
from tests.test_browser import READER_REPORT, pages_in_chromium, visible
from tests.test_pages_helpers import SAMPLE_SLUG

RICH = """---
title: "Prices rise: {count} shops close"
summary: Weekly round-up
---

# Markets & trade

Read the [full report](https://example.com/report?year=2024&q=a%20b "The report") or the [summary][sum], see [Notes].
Use `pip install --upgrade localize` and press <kbd>Ctrl</kbd>+<kbd>C</kbd>; it costs 5&nbsp;€ per *month*.[^1]

- Placeholders stay: {name}, {0}, %s, %(count)d and %1$s are shown as written.
- An image: ![A chart of prices](charts/prices.png) and **bold _nested_ text**.
- Escaped \\*stars\\* and <https://example.org/autolink>, ~~old price~~.

| Shop | Price |
| --- | --- |
| Corner shop | 12 |

[^1]: Source: the [national statistics office](https://stats.example.gov/).

[sum]: https://example.com/summary
[notes]: https://example.com/notes
"""

SPEC = Path(__file__).parent / "fixtures" / "commonmark" / "spec-examples.json"
# Spec examples whose structure no pseudo-translation of the letters can keep, with the reason.
# 568: "[foo](not a link)" is a shortcut reference whose label is followed by parentheses.
# The rest are reference-style images: their alt text, a segment, is also their label.
SPEC_LIMITS = {568, 573, 576, 584, 585, 586, 588, 589, 591}


def _segmented(text: str) -> Document:
    return Document(text=text, segments=tuple(markdown_segments(text)))


def test_accented_and_mirrored_text():
    assert accented("The weather") == "[Ŧĥé ŵéàţĥéŕ one]"
    assert accented("The weather", markdown=True) == r"\[Ŧĥé ŵéàţĥéŕ one\]"
    # About 30% longer, in whole words that wrap as a translation would.
    long = "Ukraine asks for more air defence systems before winter comes"
    assert 1.3 * len(long) <= len(accented(long)) - 2 <= 1.3 * len(long) + len("three ")
    assert mirrored("On June 26, don't") == f"{RLM}nO{RLM} {RLM}enuJ{RLM} 26, {RLM}nod{RLM}'{RLM}t{RLM}"
    # A combining accent stays on its letter; digits keep their order.
    assert mirrored("cafe\u0301 2024") == f"{RLM}e\u0301fac{RLM} 2024"
    # Mirroring makes no printf directive: "%ÀA" would become "%AÀ".
    assert mirrored("50%ÀA off") == f"50%{RLM}ÀA{RLM} {RLM}ffo{RLM}"
    assert "\u202e" not in mirrored("any text") + PSEUDO_LOCALES["ar-XB"].name


@pytest.mark.parametrize("text", [
    "See [the report](https://example.com/a_b?x=1 \"Title\") now",
    "Run `make all` then <b class=\"x\">stop</b> &amp; go\\*",
    "Footnote[^note] and [ref][label] and [Label] and [Collapsed][]",
    "{name} has %d files, %(count)s items, %1$s and %-5.2f",
    "<https://example.org/Path>",
])
@pytest.mark.parametrize("code", sorted(PSEUDO_LOCALES))
def test_markup_and_placeholders_keep_every_character(text: str, code: str):
    transformed = PSEUDO_LOCALES[code].transform(text, markdown=True)
    for kept in re.findall(r"\]\([^)]*\)|`[^`]*`|<[^>]*>|&amp;|\\\*|\[\^note\]|\]\[label\]|\[Label\]|\[Collapsed\]\[\]"
                           r"|\{name\}|%d|%\(count\)s|%1\$s|%-5\.2f", text):
        assert kept in transformed, (kept, transformed)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\u200f"), max_size=60))
def test_mirroring_twice_gives_the_text_back(text: str):
    assert mirrored(mirrored(text).replace(RLM, "")).replace(RLM, "") == text


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,!?0123456789", min_size=1, max_size=80))
def test_accents_keep_the_letters_and_only_add(text: str):
    result = accented(text)
    if not text.strip():
        assert result == text
        return
    back = "".join(
        {accent: plain for plain, accent in zip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                                  "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŦÛṼŴẊÝŽ")}.get(c, c)
        for c in result
    )
    assert back.strip().startswith("[" + text.strip())
    assert back.rstrip().endswith("]")


@pytest.mark.parametrize("code", sorted(PSEUDO_LOCALES))
def test_pseudo_catalogs_pass_the_markup_and_placeholder_checks(code: str, content_tree, run_cli):
    root = content_tree({"rich": RICH})
    assert run_cli("extract", project=root).exit_code == 0
    from localize.catalog import read_catalog

    template = read_catalog(root / "locales" / "templates" / "articles" / "rich.pot")
    template = replace(template, messages=template.messages + (
        Message(msgid="%(num)d minute read", msgid_plural="%(num)d minutes read", flags=("python-format",)),
        Message(msgid="Hello {name}", flags=("python-brace-format",)),
        Message(msgid="%s of %d", flags=("c-format",)),
    ))
    locale = PSEUDO_LOCALES[code]
    language = pseudo_language(locale, parse_language("en"))
    catalog = pseudo_catalog(template, locale, language=language, markdown=is_article_message)
    assert all(message.translated() for message in catalog.active)
    context = CatalogContext(path=Path("rich.po"), source_language="en")
    markup_codes = lambda findings: [f for f in findings if f.code[:2] in ("E2", "E3")]
    assert markup_codes(check_catalog(catalog, context)) == []

    # The checks are not blind: one changed link URL is found.
    broken = tuple(
        replace(message, msgstr=message.msgstr.replace("example.com/report", "example.com/r"))
        for message in catalog.messages
    )
    assert [f.code for f in markup_codes(check_catalog(replace(catalog, messages=broken), context))] == ["E201"]


@pytest.mark.parametrize("code", sorted(PSEUDO_LOCALES))
def test_merged_markdown_has_the_source_structure(code: str):
    document = _segmented(RICH.split("---\n", 2)[2])
    transform = PSEUDO_LOCALES[code].transform
    merged = merge_document(document, {s.text: transform(s.text, markdown=True) for s in document.segments}).text
    assert html_structure(merged) == html_structure(document.text)
    assert merged != document.text
    for example in json.loads(SPEC.read_text(encoding="utf-8")):
        if example["number"] in SPEC_LIMITS:
            continue
        document = _segmented(example["markdown"])
        merged = merge_document(document, {s.text: transform(s.text, markdown=True) for s in document.segments}).text
        assert html_structure(merged) == html_structure(document.text), example["number"]


def _tree_files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_pseudo_command_publishes_both_locales_and_touches_nothing_else(sample_tree, run_cli):
    assert run_cli("merge", project=sample_tree).exit_code == 0
    before = {name: data for name, data in _tree_files(sample_tree).items() if not name.startswith(".localize-cache")}
    result = run_cli("pseudo", project=sample_tree)
    assert result.exit_code == 0, result.output
    assert "en-XA: 1 article(s) published" in result.output
    assert "ar-XB: 1 article(s) published" in result.output
    after = _tree_files(sample_tree)
    added = sorted(set(after) - set(before) - {name for name in after if name.startswith(".localize-cache")})
    assert added == sorted(
        f"build/{code}/{name}" for code in ("en-XA", "ar-XB")
        for name in (f"{SAMPLE_SLUG}.html", f"{SAMPLE_SLUG}.md", f"{SAMPLE_SLUG}.txt", "index.html", "404.html",
                     "manifest.json")
    )
    # Nothing else changed: no catalog in locales/, no page of a real language links to a pseudo-locale.
    assert {name: after[name] for name in before} == before

    page = (sample_tree / "build" / "ar-XB" / f"{SAMPLE_SLUG}.html").read_text(encoding="utf-8")
    assert '<html lang="ar-XB" dir="rtl">' in page
    assert 'hreflang="en"' in page and 'hreflang="en-XA"' in page
    manifest = json.loads((sample_tree / "build" / "en-XA" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["language"] == "en-XA" and manifest["articles"][0]["percent_translated"] == 100.0
    assert (sample_tree / "build" / "en-XA" / f"{SAMPLE_SLUG}.md").read_text(encoding="utf-8").count(r"\[") >= 5

    # A second run writes no byte.
    mtimes = {path: path.stat().st_mtime_ns for path in (sample_tree / "build").rglob("*") if path.is_file()}
    again = run_cli("pseudo", project=sample_tree)
    assert again.exit_code == 0 and "created" not in again.output and "updated" not in again.output
    assert {path: path.stat().st_mtime_ns for path in mtimes} == mtimes


def test_one_pseudo_locale_and_bad_names(sample_tree, run_cli):
    result = run_cli("pseudo", "--lang", "ar-XB", project=sample_tree)
    assert result.exit_code == 0, result.output
    assert (sample_tree / "build" / "ar-XB" / "index.html").is_file()
    assert not (sample_tree / "build" / "en-XA").exists()
    wrong = run_cli("pseudo", "--lang", "xx-XA", project=sample_tree)
    assert wrong.exit_code == 2 and "xx-XA" in wrong.output


def test_pages_in_chromium(content_tree, run_cli, tmp_path):
    # Without the footnote: the renderer shows a footnote as "<>" in every language, the source's too.
    article = RICH.replace("[^1]", "").replace("[^1]: Source: the [national statistics office](https://stats.example.gov/).\n", "")
    root = content_tree({"rich": article.replace("---\n\n", "date: 2024-03-01T09:30:00+02:00\n---\n\n", 1)})
    result = run_cli("pseudo", project=root)
    assert result.exit_code == 0, result.output
    pages = [f"{code}/{name}" for code in ("en-XA", "ar-XB") for name in ("rich.html", "index.html")]
    found = pages_in_chromium(root, [f"build/{page}" for page in pages], READER_REPORT, profile=tmp_path / "profile")
    seen = {page.removeprefix("build/"): result for page, result in found.items()}

    accented_page, mirrored_page = seen["en-XA/rich.html"], seen["ar-XB/rich.html"]
    assert (accented_page["lang"], accented_page["dir"], accented_page["computedDirection"]) == ("en-XA", "ltr", "ltr")
    assert (mirrored_page["lang"], mirrored_page["dir"], mirrored_page["computedDirection"]) == ("ar-XB", "rtl", "rtl")
    assert seen["ar-XB/index.html"]["dir"] == "rtl"
    text = visible(accented_page)
    for expected in ("[Ṁàŕķéţš & ţŕàðé", "pip install --upgrade localize", "{name}, {0}, %s, %(count)d",
                     "[Åļļ ñéŵš", "Çţŕļ+Ç", "5 € þéŕ ɱöñţĥ"):
        assert expected in text, expected
    assert "[Öţĥéŕ ñéŵš" not in text  # one article: no "Other news" heading over an empty list
    mirrored_text = visible(mirrored_page).replace(RLM, "")
    assert "stekraM & edart" in mirrored_text and "pip install --upgrade localize" in mirrored_text
    # No markup shows as text: no brackets of a link, no escapes, no tags, no emphasis markers.
    for page in (accented_page, mirrored_page):
        shown_text = visible(page)
        for artefact in ("](", "\\[", "\\*", "<", "**", "&nbsp;", "&amp;", "[^"):
            assert artefact not in shown_text, artefact
        links = [link for link in page["links"] if "example" in link]
        assert sorted(set(links)) == sorted({
            "https://example.com/report?year=2024&q=a%20b", "https://example.com/summary",
            "https://example.com/notes", "https://example.org/autolink", "https://stats.example.gov/",
        })
