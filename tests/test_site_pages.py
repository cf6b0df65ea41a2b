"""Pages a newsroom deploys: every construct the segmenter accepts, read by headless Chromium in
an LTR and an RTL language; feeds and sitemap parsed and validated; the output folder pruned."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from tests.test_browser import pages_in_chromium
from tests.test_pages_helpers import ARABIC_MINUTES, ARABIC_UI, translate, translate_ui

BASE = "https://news.example.org/desk/"
HOSTILE_TITLE = 'Port </script><script>alert(1)</script><!-- "quoted" & more'
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100"
    "05fe02fea70000000049454e44ae426082"
)
RICH = """---
title: Port reopens
date: 2024-03-01T09:30:00+02:00
summary: The port reopened after two years of repairs.
author: Olena Kovalenko
image: images/port.png
---

# Port reopens

The port reopened on Friday.[^1] Ships use `berth # 4` ~~today~~.

| Ship | Tons |
|------|------|
| Maria | 12 |

```python
# count the ships
ships = 3
```

<figure class="wide">
<img src="images/port.png" alt="The port" width="640" height="480">
<figcaption>The port at dawn</figcaption>
</figure>

<aside class="fact-box">
<p>Built in 1794.</p>
</aside>

<details><summary>Timeline</summary>
<p>Closed in 2022.</p>
</details>

<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" height="315" title="Video"></iframe>

<iframe src="https://evil.example/x" title="Evil"></iframe>

![A map](../../outside.png)

Untranslated closing paragraph.

[^1]: According to the harbour master.
"""
OTHER = f"""---
title: '{HOSTILE_TITLE}'
date: 2024-02-01
---

A second story.
"""
SETTINGS = f"""base_url = "{BASE}"
embed_hosts = ["www.youtube-nocookie.com"]
page_size = 1
"""
REPORT = """
    const target = (link) => { const id = decodeURIComponent(link.hash.slice(1)); return id && !!doc.getElementById(id); };
    const ref = doc.querySelector("sup.footnote-ref a"), back = doc.querySelector("a.footnote-backref");
    const pre = doc.querySelector("main pre"), code = doc.querySelector("main p code");
    return {
      dir: doc.documentElement.dir,
      text: doc.body.innerText,
      h1: doc.querySelectorAll("main h1").length,
      footnoteRef: ref ? target(ref) : null,
      footnoteBack: back ? target(back) : null,
      footnotes: doc.querySelectorAll("section.footnotes li[id]").length,
      preDir: pre ? [pre.getAttribute("dir"), win.getComputedStyle(pre).direction] : null,
      codeDir: code ? [code.getAttribute("dir"), win.getComputedStyle(code).direction] : null,
      cells: doc.querySelectorAll("main td").length,
      struck: doc.querySelectorAll("main s, main del").length,
      figcaption: (doc.querySelector("figure.wide figcaption") || {}).textContent || null,
      figureImage: (doc.querySelector("figure.wide img") || {}).naturalWidth || 0,
      aside: (doc.querySelector("aside.fact-box") || {}).textContent || null,
      summary: (doc.querySelector("details summary") || {}).textContent || null,
      frames: [...doc.querySelectorAll("main iframe")].map(f => [f.getAttribute("src"), f.getAttribute("sandbox")]),
      fallback: [...doc.querySelectorAll("main [lang]")].map(e => e.getAttribute("lang") + "/" + e.getAttribute("dir")),
      liveScripts: [...doc.scripts].filter(s => s.type !== "application/ld+json").length,
      jsonLd: [...doc.querySelectorAll("script[type='application/ld+json']")].map(s => JSON.parse(s.textContent)),
      canonical: (doc.querySelector("link[rel=canonical]") || {}).href || null,
      hreflang: [...doc.querySelectorAll("link[rel=alternate][hreflang]")].map(l => l.hreflang + " " + l.href),
      feed: (doc.querySelector("link[type='application/atom+xml']") || {}).href || null,
      description: (doc.querySelector("meta[name=description]") || {}).content || null,
      og: Object.fromEntries([...doc.querySelectorAll("meta[property]")].map(m => [m.getAttribute("property"), m.content])),
    };
"""


def tag(prefix: str, keep: tuple[str, ...] = ("Untranslated",)):
    return lambda msgid: None if msgid.startswith(keep) else f"{prefix} {msgid}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from localize.cli import cli

    root = tmp_path_factory.mktemp("site") / "content"
    (root / "source_articles" / "images").mkdir(parents=True)
    (root / "source_articles" / "images" / "port.png").write_bytes(PNG)
    (root / "source_articles" / "port.md").write_text(RICH, encoding="utf-8")
    (root / "source_articles" / "other.md").write_text(OTHER, encoding="utf-8")
    (root.parent / "outside.png").write_bytes(PNG)  # outside the content tree: never copied
    (root / "pyproject.toml").write_text(
        '[project]\nname = "newsroom"\n\n[tool.localize]\nlanguages = ["de", "ar", "pt_BR"]\n' + SETTINGS, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["-C", str(root), "extract"]).exit_code == 0
    for slug in ("port", "other"):
        translate(root, "de", slug, tag("[de]"))
        translate(root, "ar", slug, tag("بالعربية:"))
    translate_ui(root, "ar", ARABIC_UI, ARABIC_MINUTES)
    result = runner.invoke(cli, ["-C", str(root), "merge"])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def seen(site: Path, tmp_path_factory) -> dict[str, dict]:
    pages = [f"{folder}/{name}" for folder in ("en", "de", "ar") for name in ("port.html", "other.html")]
    found = pages_in_chromium(site, [f"build/{page}" for page in pages], REPORT, profile=tmp_path_factory.mktemp("profile"))
    return {page.removeprefix("build/"): result for page, result in found.items()}


@pytest.mark.parametrize("folder", ["en", "de", "ar"])
def test_every_construct_renders_in_every_language(seen, folder):
    page = seen[f"{folder}/port.html"]
    assert page["dir"] == ("rtl" if folder == "ar" else "ltr")
    # Footnotes: the reference and the back-link both lead to an element of the page.
    assert page["footnoteRef"] is True and page["footnoteBack"] is True and page["footnotes"] == 1
    for artefact in ("&lt;", "&gt;", "<>", "&lt; /&gt;", "[^1]", "~~"):
        assert artefact not in page["text"], artefact
    assert page["cells"] == 2 and page["struck"] == 1
    # Code reads left to right, on the Arabic page too.
    assert page["preDir"][1] == "ltr" and page["codeDir"][1] == "ltr"
    if folder == "ar":
        assert page["preDir"][0] == "ltr" and page["codeDir"][0] == "ltr"
        # The paragraph left in English is marked English and left to right.
        assert "en/ltr" in page["fallback"]
    # The newsroom's own markup survives, classes included; the image was copied and loads;
    # the text inside it is translated like any other.
    prefix = {"en": "", "de": "[de] ", "ar": "بالعربية: "}[folder]
    assert page["figcaption"].strip() == prefix + "The port at dawn" and page["figureImage"] == 1
    assert page["aside"].strip() == prefix + "Built in 1794." and page["summary"] == prefix + "Timeline"
    assert page["frames"] == [["https://www.youtube-nocookie.com/embed/abc",
                               "allow-scripts allow-same-origin allow-popups allow-presentation"]]
    # The headline is shown once, though the body starts with "# Port reopens".
    assert page["h1"] == 1
    assert page["liveScripts"] == 0


def test_head_metadata(seen):
    page = seen["de/port.html"]
    assert page["canonical"] == f"{BASE}de/port.html"
    assert sorted(page["hreflang"]) == sorted([
        f"ar {BASE}ar/port.html", f"de {BASE}de/port.html", f"en {BASE}en/port.html", f"x-default {BASE}en/port.html",
    ])
    assert page["feed"] == f"{BASE}de/feed.atom".replace(BASE, page["feed"][: -len("de/feed.atom")])
    assert page["description"] == "[de] The port reopened after two years of repairs."
    assert page["og"]["og:title"] == "[de] Port reopens" and page["og"]["og:locale"] == "de"
    assert page["og"]["og:image"] == f"{BASE}de/images/port.png"
    assert page["og"]["article:published_time"] == "2024-03-01T09:30:00+02:00"
    (ld,) = page["jsonLd"]
    assert ld["@type"] == "NewsArticle" and ld["headline"] == "[de] Port reopens" and ld["inLanguage"] == "de"
    assert ld["datePublished"] == "2024-03-01T09:30:00+02:00" and ld["dateModified"] == ld["datePublished"]
    assert ld["author"][0]["name"] == "Olena Kovalenko" and ld["image"] == [f"{BASE}de/images/port.png"]


def test_a_hostile_title_stays_inside_its_json_ld(seen, site):
    for folder in ("en", "de"):
        page = seen[f"{folder}/other.html"]
        (ld,) = page["jsonLd"]
        assert ld["headline"].endswith(HOSTILE_TITLE)
        assert page["liveScripts"] == 0
    raw = (site / "build/en/other.html").read_text(encoding="utf-8")
    block = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "</" not in block and "<!--" not in block


def test_images_come_from_the_content_tree_only(site):
    assert (site / "build/de/images/port.png").read_bytes() == PNG
    assert not list((site / "build").rglob("outside.png"))


def test_folders_are_bcp47(site):
    assert (site / "build/pt-br/index.html").is_file() and not (site / "build/pt_BR").exists()
    index = (site / "build/en/index.html").read_text(encoding="utf-8")
    assert f'hreflang="pt-BR" href="{BASE}pt-br/index.html"' in index


def test_feeds_parse_and_follow_atom(site):
    for folder in ("en", "de", "ar"):
        path = site / "build" / folder / "feed.atom"
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        assert [entry.link for entry in parsed.entries] == [f"{BASE}{folder}/port.html", f"{BASE}{folder}/other.html"]
        assert parsed.entries[0].published_parsed is not None and parsed.entries[0].updated_parsed is not None
        # What RFC 4287 requires, checked on the tree: the feed's and each entry's id, title and updated,
        # a feed author (none of the entries lacks one then), a self link, ids unique and absolute.
        atom = "{http://www.w3.org/2005/Atom}"
        feed = etree.parse(str(path)).getroot()
        assert feed.tag == f"{atom}feed"
        for element in (feed, *feed.iter(f"{atom}entry")):
            for required in ("id", "title", "updated"):
                assert len(element.findall(f"{atom}{required}")) == 1, required
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", element.findtext(f"{atom}updated"))
        assert feed.find(f"{atom}author/{atom}name").text
        assert feed.find(f"{atom}link[@rel='self']").get("href") == f"{BASE}{folder}/feed.atom"
        ids = [entry.findtext(f"{atom}id") for entry in feed.iter(f"{atom}entry")]
        assert len(set(ids)) == len(ids) and all(entry_id.startswith(BASE) for entry_id in ids)
    assert parsed.feed.language == "ar"


def test_sitemap_lists_every_page_with_its_alternates(site):
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = etree.parse(str(site / "build/sitemap.xml")).getroot()
    urls = {url.findtext("s:loc", namespaces=namespaces): url for url in root.findall("s:url", namespaces)}
    for loc in urls:
        assert loc.startswith(BASE) and (site / "build" / loc[len(BASE):]).is_file(), loc
    assert f"{BASE}ar/port.html" in urls and f"{BASE}pt-br/port.html" not in urls
    for loc, url in urls.items():
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", namespaces)}
        if not alternates:
            continue
        assert loc in alternates.values() and "x-default" in alternates
        for lang, href in alternates.items():  # every version lists this one back
            if lang != "x-default":
                back = {link.get("href") for link in urls[href].findall("x:link", namespaces)}
                assert loc in back
    assert (site / "build/robots.txt").read_text(encoding="utf-8").endswith(f"Sitemap: {BASE}sitemap.xml\n")


def test_index_is_paged_and_links_its_feed(site):
    first = (site / "build/de/index.html").read_text(encoding="utf-8")
    second = (site / "build/de/index-2.html").read_text(encoding="utf-8")
    assert '<a rel="next" href="index-2.html">' in first and '<a rel="prev" href="index.html">' in second
    assert "[de] Port reopens" in first and "[de] Port reopens" not in second
    assert 'href="feed.atom" type="application/atom+xml"' in first
    assert (site / "build/ar/404.html").read_text(encoding="utf-8").count("الصفحة غير موجودة") == 2


def test_deleted_articles_leave_the_build_and_nothing_else_does(site_copy, run_cli):
    root = site_copy
    assert run_cli("merge", project=root).exit_code == 0
    before = {path: path.read_bytes() for path in (root / "build").rglob("*") if path.is_file()}
    again = run_cli("merge", project=root)
    assert again.exit_code == 0
    assert {path: path.read_bytes() for path in (root / "build").rglob("*") if path.is_file()} == before
    (root / "build/de/notes.txt").write_text("kept", encoding="utf-8")  # not merge's
    (root / "source_articles/other.md").unlink()
    result = run_cli("-v", "merge", project=root)
    assert result.exit_code == 0, result.output
    for folder in ("en", "de", "ar"):
        for suffix in (".md", ".html", ".txt"):
            assert not (root / "build" / folder / f"other{suffix}").exists()
        assert not (root / "build" / folder / "index-2.html").exists()
    assert "build/de/other.html: removed" in result.output
    assert (root / "build/de/notes.txt").read_text(encoding="utf-8") == "kept"
    assert "other.html" not in (root / "build/sitemap.xml").read_text(encoding="utf-8")
    assert (root / "build/de/port.html").is_file()


def test_an_unreadable_article_keeps_its_pages(site_copy, run_cli):
    root = site_copy
    (root / "source_articles/other.md").write_bytes(b"---\ntitle: [unclosed\n---\n\nBody.\n")
    result = run_cli("merge", project=root)
    assert result.exit_code == 1
    assert (root / "build/de/other.html").is_file() and (root / "build/en/other.md").is_file()


@pytest.fixture
def site_copy(site: Path, tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "content"
    shutil.copytree(site, root, ignore=shutil.ignore_patterns("harness.html", ".localize-cache*"))
    return root


@pytest.mark.parametrize("data", [
    {"headline": "Сирены в Киеве", "@type": "NewsArticle", "inLanguage": "uk"},
    {"headline": 'A "quoted" \\ back</script><!-- & more', "description": "line\nbreak\ttab\x00nul\x1f\u2028\u2029"},
    {"emoji": "😀 عربى 中文", "": "empty key", "z": ""},
    {"author": {"@type": "Person", "name": "Ann"}, "headline": "nested: the general encoder"},
    {"count": 3, "headline": "a number"},
    {},
])
def test_the_json_ld_of_a_page_is_what_json_writes(data):
    """``script_json`` writes text-only facts itself (no indenting encoder in Python): byte for byte what
    json.dumps(indent=2, sort_keys) writes, made safe for a <script>, and JSON that reads back as the data."""
    import json

    from localize.seo import script_json

    expected = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    expected = expected.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    written = script_json(data)
    assert written == expected
    assert json.loads(written) == data
    assert "</" not in written and "<!--" not in written
