"""What a merge's listings (index pages, feeds, sitemap, manifests) and its report show of every
article, made from what the merge keeps of each to its end (``localize.edition_table``): titles
and summaries translated or the source's, newest first with ties by slug, the languages each is
published in, and the refusals of the editions published."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from localize.packed import PackedTexts
from tests.test_pages_helpers import translate

BASE = "https://news.example.org/"
# slug: (front matter, fully translated): "a" and "a-b" were written at the same instant in two zones
# (the slug breaks the tie, though "a-b.html" sorts before "a.html"); "c" has no date; "d" is translated
# too little to be published in Russian.
ARTICLES = {
    "a": ("date: 2030-01-02T10:00:00+02:00\nsummary: Summary a", True),
    "a-b": ("date: 2030-01-02T09:00:00+01:00\nsummary: Summary a-b", True),
    "b": ("date: 2030-01-01\nauthor: Olena Kovalenko", True),
    "c": ("summary: Summary c", True),
    "d": ("date: 2030-01-03", False),
}
# What each Russian catalog leaves untranslated of a published article.
KEPT = {"a-b": ("Summary a-b",), "b": ("Title b",)}


def ru(msgid: str) -> str:
    if msgid.startswith("Bold"):
        return msgid.replace("**", "")  # the emphasis lost: refused, the source stands (E204)
    return f"[ru] {msgid}"


@pytest.fixture
def tree(tmp_path: Path, run_cli) -> Path:
    root = tmp_path / "news"
    (root / "source_articles").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "news"\n\n[tool.localize]\nsource_language = "en"\nlanguages = ["ru"]\n'
        f'base_url = "{BASE}"\npage_size = 2\n\n[tool.localize.language.ru]\nmin_translated = 50\n', encoding="utf-8")
    for slug, (front_matter, _) in ARTICLES.items():
        (root / "source_articles" / f"{slug}.md").write_text(
            f"---\ntitle: Title {slug}\n{front_matter}\n---\n\nFirst paragraph of {slug}.\n\n"
            f"Bold **claim** in {slug}.\n\nLast paragraph of {slug}.\n", encoding="utf-8")
    assert run_cli("extract", project=root).exit_code == 0
    for slug, (_, full) in ARTICLES.items():
        kept = KEPT.get(slug, ())
        translate(root, "ru", slug, lambda msgid: None if msgid in kept or (not full and "paragraph" in msgid)
                  else ru(msgid))
    return root


def published_in_ru(slug: str) -> bool:
    return ARTICLES[slug][1]


def ru_title(slug: str) -> str:
    return f"Title {slug}" if f"Title {slug}" in KEPT.get(slug, ()) else f"[ru] Title {slug}"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_listings_show_each_article_as_its_language_publishes_it(tree: Path, run_cli, jobs):
    result = run_cli("merge", "--jobs", jobs, project=tree)
    assert result.exit_code == 0, result.output
    build = tree / "build"
    newest_first = ["a", "a-b", "b", "c"]  # d, newer, is not published in Russian

    # Index pages, two articles each, newest first; a title left in the source language says so.
    links = []
    for name in ("index.html", "index-2.html"):
        links += re.findall(r'<a href="([^"]+)\.html"(?: lang="([^"]+)")?>([^<]+)</a>',
                            (build / "ru" / name).read_text(encoding="utf-8"))
    assert [slug for slug, _, _ in links if slug in ARTICLES] == newest_first
    for slug, lang, title in links:
        if slug in ARTICLES:
            assert title == ru_title(slug) and lang == ("en" if title == f"Title {slug}" else ""), slug

    # The feed: the same order, the summaries as published (the source's where untranslated).
    feed = feedparser.parse((build / "ru" / "feed.atom").read_bytes())
    assert not feed.bozo
    assert [entry.link for entry in feed.entries] == [f"{BASE}ru/{slug}.html" for slug in newest_first]
    assert [entry.title for entry in feed.entries] == [ru_title(slug) for slug in newest_first]
    summaries = {entry.link.rsplit("/", 1)[1][:-len(".html")]: entry.get("summary", "") for entry in feed.entries}
    assert summaries == {"a": "[ru] Summary a", "a-b": "Summary a-b", "b": "", "c": "[ru] Summary c"}
    assert [entry.get("author", "") for entry in feed.entries] == ["", "", "Olena Kovalenko", ""]
    english = feedparser.parse((build / "en" / "feed.atom").read_bytes())
    assert [entry.title for entry in english.entries] == [f"Title {slug}" for slug in ["d", *newest_first]]

    # The manifest: every article by slug, an unpublished one under its source title.
    manifest = json.loads((build / "ru" / "manifest.json").read_text(encoding="utf-8"))
    assert [(entry["slug"], entry["published"], entry["title"]) for entry in manifest["articles"]] == [
        (slug, published_in_ru(slug), ru_title(slug) if published_in_ru(slug) else f"Title {slug}")
        for slug in sorted(ARTICLES)
    ]
    assert all(entry["date"] is None for entry in manifest["articles"] if entry["slug"] == "c")

    # The sitemap: each published page, with the languages it is published in (none for a page in one).
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = etree.parse(str(build / "sitemap.xml")).getroot()
    languages = {url.findtext("s:loc", namespaces=namespaces): sorted(
        link.get("hreflang") for link in url.findall("x:link", namespaces) if link.get("hreflang") != "x-default")
        for url in root.findall("s:url", namespaces)}
    for slug in ARTICLES:
        shown_in = ["en", "ru"] if published_in_ru(slug) else []
        assert languages[f"{BASE}en/{slug}.html"] == shown_in
        assert (f"{BASE}ru/{slug}.html" in languages) == published_in_ru(slug)

    # The report: the refusals of the editions published alone, each at its catalog line.
    refused = re.findall(r"^Warning: (locales/ru/LC_MESSAGES/articles/[\w-]+\.po):(\d+): E204", result.output, re.M)
    assert [Path(path).stem for path, _ in refused] == [slug for slug in sorted(ARTICLES) if published_in_ru(slug)]
    for path, line in refused:
        assert "Bold **claim**" in (tree / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert re.search(r"ru: d: not published", result.output)


def test_packed_texts_give_back_every_text_and_keep_their_order():
    texts = sorted(["", "a", "a-b", "a.html", "ру/статья", "新闻", "a\udcff", "\U0001f4f0 emoji", "z" * 300])
    packed = PackedTexts(texts)
    assert list(packed) == texts and [packed[index] for index in range(len(texts))] == texts
    assert packed[-1] == texts[-1] and len(packed) == len(texts)
    with pytest.raises(IndexError):
        packed[len(texts)]
    packed.append("more")
    assert list(packed) == [*texts, "more"]
