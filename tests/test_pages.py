"""``localize merge`` publishes pages: Markdown, HTML and text per article and language, indexes, manifests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.test_pages_helpers import (
    ARABIC_MINUTES,
    ARABIC_UI,
    SAMPLE_SLUG,
    html5_errors,
    site_tree,
    tagged,
    translate,
    translate_ui,
)

SEED = Path(__file__).parent.parent.parent / "shared" / "seeds" / "000_d629222cba405ab8.txt"
SLUGS = ("alpha", "beta", "world/gamma")


def build(root: Path, language: str, name: str) -> str:
    """An output file; CLDR's narrow no-break spaces ("2022\u202fг.") read as spaces here."""
    return (root / "build" / language / name).read_text(encoding="utf-8").replace("\u202f", " ")


def prepared(tmp_path: Path, run_cli, *, settings: str = "", translated: dict[str, tuple[str, ...]] | None = None) -> Path:
    """The fixture site, extracted, with the given articles fully translated per language."""
    root = site_tree(tmp_path, settings=settings)
    assert run_cli("extract", project=root).exit_code == 0
    translated = translated if translated is not None else {code: SLUGS for code in ("ru", "uk", "ar")}
    for language, slugs in translated.items():
        for slug in slugs:
            translate(root, language, slug, tagged(language))
    translate_ui(root, "ar", ARABIC_UI, ARABIC_MINUTES)
    return root


# -- the sample, as the seed shows it ----------------------------------------------------------

def test_sample_pages_in_every_language(sample_tree: Path, run_cli):
    result = run_cli("merge", project=sample_tree)
    assert result.exit_code == 0, result.output
    for language in ("en", "ru", "uk"):
        for name in (f"{SAMPLE_SLUG}.md", f"{SAMPLE_SLUG}.html", f"{SAMPLE_SLUG}.txt", "index.html", "manifest.json"):
            assert (sample_tree / "build" / language / name).is_file(), f"{language}/{name}"
    source = (sample_tree / "source_articles" / f"{SAMPLE_SLUG}.md").read_text(encoding="utf-8")
    assert build(sample_tree, "en", f"{SAMPLE_SLUG}.md") == source

    page = build(sample_tree, "ru", f"{SAMPLE_SLUG}.html")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"ru\" dir=\"ltr\">")
    assert "27 июня 2022 г., 11:43" in page
    # One article: no other news to list, so no empty "Другие новости" heading.
    assert "Другие новости" not in page and "Все новости" in page
    assert '<a href="index.html">Все новости</a>' in page
    for language in ("en", "ru", "uk"):
        assert f'<link rel="alternate" hreflang="{language}" href="' in page
    assert "Усі новини" in build(sample_tree, "uk", f"{SAMPLE_SLUG}.html")
    assert "27 червня 2022 р., 11:43" in build(sample_tree, "uk", f"{SAMPLE_SLUG}.html")


def test_sample_text_has_the_seed_shape(sample_tree: Path, run_cli):
    """Dateline, headline, paragraphs, then "Все новости" (and "Другие новости" when there is other news)."""
    run_cli("merge", project=sample_tree)
    text = build(sample_tree, "ru", f"{SAMPLE_SLUG}.txt")
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0] == "27 июня 2022 г., 11:43"
    assert blocks[-1] == "Все новости" and "Другие новости" not in blocks
    assert text.endswith("\n\nВсе новости\n")
    seed = SEED.read_text(encoding="utf-8") if SEED.is_file() else None
    english = build(sample_tree, "en", f"{SAMPLE_SLUG}.txt")
    if seed is not None:
        # The English page carries the seed's headline and every one of its paragraphs, in order.
        seed_paragraphs = [block.strip() for block in seed.split("\n\n") if block.strip()]
        body = seed_paragraphs[2:-2]
        positions = [english.index(paragraph) for paragraph in body]
        assert positions == sorted(positions)
        assert seed_paragraphs[1] in english


def test_reading_time_reads_correctly(sample_tree: Path, run_cli):
    run_cli("merge", project=sample_tree)
    assert re.search(r"\b3 минуты чтения\b", build(sample_tree, "ru", f"{SAMPLE_SLUG}.html"))
    assert re.search(r"\b3 хвилини читання\b", build(sample_tree, "uk", f"{SAMPLE_SLUG}.html"))
    assert re.search(r"\b3 minutes read\b", build(sample_tree, "en", f"{SAMPLE_SLUG}.html"))


def test_every_page_is_valid_html5(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli)
    assert run_cli("merge", project=root).exit_code == 0
    pages = sorted((root / "build").rglob("*.html"))
    assert len(pages) == 4 * 5  # three articles, an index and a 404 page, in four languages
    for page in pages:
        assert html5_errors(page.read_text(encoding="utf-8")) == [], page


def test_a_second_merge_changes_nothing(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli)
    run_cli("merge", project=root)
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in (root / "build").rglob("*") if path.is_file()}
    result = run_cli("-v", "merge", project=root)
    after = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in (root / "build").rglob("*") if path.is_file()}
    assert after == before
    assert ": created" not in result.output and ": updated" not in result.output


# -- right to left, links, lists of news --------------------------------------------------------

def test_right_to_left_language(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli, translated={"ar": ("beta", "world/gamma")}, settings=(
        "[tool.localize.language.ar]\nmin_translated = 0\n"
    ))
    translate(root, "ar", "alpha", lambda msgid: None if msgid.startswith("Analysts") else f"[ar] {msgid}")
    run_cli("merge", project=root)
    page = build(root, "ar", "alpha.html")
    assert '<html lang="ar" dir="rtl">' in page
    assert "أخبار أخرى" in page and "كل الأخبار" in page
    # The paragraph that kept its English is marked so, direction included.
    assert '<p lang="en" dir="ltr">Analysts say the strike' in page
    assert "٢٧ يونيو ٢٠٢٢" in page or "27 يونيو 2022" in page


def test_links_between_articles_follow_the_reader(tmp_path: Path, run_cli):
    # beta is not translated into Russian: Russian pages link to the English beta.
    root = prepared(tmp_path, run_cli, translated={"ru": ("alpha", "world/gamma")})
    run_cli("merge", project=root)
    alpha = build(root, "ru", "alpha.html")
    assert 'href="../en/beta.html"' in alpha
    assert 'href="world/gamma.html#background"' in alpha
    gamma = build(root, "ru", "world/gamma.html")
    assert 'href="../alpha.html"' in gamma
    assert 'href="../index.html"' in gamma  # All news, from a page one folder down
    assert 'href="../../en/world/gamma.html"' in build(root, "ru", "world/gamma.html")  # hreflang en
    assert 'href="alpha.html"' in build(root, "en", "beta.html")
    assert not (root / "build" / "ru" / "beta.html").exists()


def test_other_news_and_index_newest_first(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli)
    run_cli("merge", project=root)
    index = build(root, "ru", "index.html")
    order = [index.index(f"[ru] {title}") for title in (
        "Minsk answers the accusations", "Missiles hit central Kyiv", "How the war began",
    )]
    assert order == sorted(order)
    assert "28 июня 2022 г." in index and "24 февраля 2022 г." in index
    alpha = build(root, "ru", "alpha.html")
    other = alpha[alpha.index('id="other-news"'):]
    assert "[ru] Minsk answers the accusations" in other and "[ru] How the war began" in other
    assert "[ru] Missiles hit central Kyiv" not in other
    text = build(root, "ru", "alpha.txt")
    assert "Другие новости\n\n[ru] Minsk answers the accusations\n\n[ru] How the war began\n\nВсе новости\n" in text


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_other_news_ties_go_by_slug_undated_last_unreadable_left_out(tmp_path: Path, run_cli, jobs):
    """Articles of one date come in the order of their slugs, undated ones after every dated one, and an
    article that cannot be read is not listed (nor stops the others), whatever the number of processes."""
    # Every article published in every language: the first few merged for "Other news" are then enough.
    root = site_tree(tmp_path, settings="".join(f"[tool.localize.language.{code}]\nmin_translated = 0\n"
                                                for code in ("ru", "uk", "ar")))
    source = root / "source_articles"
    # More of one date than merge looks at first for the newest (8 at most with 2 processes): which it
    # takes must be the first by slug too.
    for slug in "jdbcaefghi":  # written out of order
        (source / f"tie-{slug}.md").write_text(f"---\ntitle: Tie {slug}\ndate: 2030-01-01\n---\n\nBody {slug}.\n",
                                               encoding="utf-8")
    (source / "undated.md").write_text("---\ntitle: Undated\n---\n\nNo date.\n", encoding="utf-8")
    (source / "broken.md").write_text("---\ntitle: [unclosed\ndate: 2031-01-01\n---\n\nText.\n", encoding="utf-8")
    run_cli("extract", project=root)
    result = run_cli("merge", "--jobs", jobs, project=root)
    assert result.exit_code == 1 and "broken.md" in result.output
    page = build(root, "en", "alpha.html")
    other = page[page.index('id="other-news"'):]
    shown = re.findall(r">(Tie \w|Undated|[^<>]*Minsk[^<>]*)</a>", other)
    assert shown == ["Tie a", "Tie b", "Tie c", "Tie d", "Tie e"]
    index = build(root, "en", "index.html")
    assert index.index("Tie a") < index.index("Tie j") < index.index("Minsk answers") < index.index(">Undated<")
    assert "[unclosed" not in index


# -- publishing thresholds ----------------------------------------------------------------------

def half(language: str):
    """Translate the headline and the first paragraph only: 2 of 7 segments in alpha."""
    return lambda msgid: f"[{language}] {msgid}" if msgid.startswith(("Missiles", "Russian missiles")) else None


def test_below_the_threshold_nothing_is_published(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli, translated={"ru": ("beta", "world/gamma")})
    translate(root, "ru", "alpha", half("ru"))
    result = run_cli("merge", project=root)
    assert result.exit_code == 0
    assert re.search(r"ru: alpha: not published, \d+% translated \(min_translated is 80%\)", result.output)
    for suffix in (".md", ".html", ".txt"):
        assert not (root / "build" / "ru" / f"alpha{suffix}").exists()
    manifest = json.loads(build(root, "ru", "manifest.json"))
    entry = next(article for article in manifest["articles"] if article["slug"] == "alpha")
    assert entry["published"] is False and entry["html"] is None and entry["percent_translated"] < 80
    assert "alpha.html" not in build(root, "ru", "index.html")


def test_pages_are_withdrawn_when_a_translation_falls_below(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli)
    run_cli("merge", project=root)
    assert (root / "build" / "ru" / "alpha.html").exists()
    translate(root, "ru", "alpha", lambda msgid: "")
    result = run_cli("-v", "merge", project=root)
    assert "build/ru/alpha.html: removed" in result.output
    assert not (root / "build" / "ru" / "alpha.html").exists()


def test_language_override_and_fallback_to_source(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli, translated={}, settings="[tool.localize.language.ru]\nmin_translated = 25\n")
    translate(root, "ru", "alpha", half("ru"))
    run_cli("merge", project=root)
    page = build(root, "ru", "alpha.html")
    assert "<h1>[ru] Missiles hit central Kyiv</h1>" in page
    assert '<p lang="en">Analysts say the strike' in page
    assert '<h2 lang="en">What analysts say</h2>' in page
    assert re.search(r'<li lang="en">Read <a href="\.\./en/beta\.html">', page)
    assert '<p>[ru] Russian missiles hit' in page
    # Incomplete (a new translation, half done, not one of an earlier source): readers are told, and
    # pointed to the original.
    assert 'class="notice"' in page and "Этот перевод не завершён." in page and "устарел" not in page
    assert '<a href="../en/alpha.html" hreflang="en">Читать оригинал</a>' in page
    manifest = json.loads(build(root, "ru", "manifest.json"))
    entry = next(article for article in manifest["articles"] if article["slug"] == "alpha")
    assert entry["published"] is True and entry["outdated"] is True
    assert entry["percent_translated"] == pytest.approx(100 * 2 / 7, abs=0.1)
    # uk keeps the project default of 80 percent.
    assert not (root / "build" / "uk" / "alpha.html").exists()


def test_fallback_skip_leaves_untranslated_blocks_out(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli, translated={}, settings='min_translated = 0\nfallback = "skip"\n')
    # pyproject: settings appended after [tool.localize.*]? They go right after the table we append to.
    translate(root, "ru", "alpha", half("ru"))
    run_cli("merge", project=root)
    markdown = build(root, "ru", "alpha.md")
    assert "[ru] Russian missiles hit" in markdown
    for english in ("Analysts say", "What analysts say", "Read [the reaction", "The attack damaged"):
        assert english not in markdown
    assert "\n\n\n" not in markdown
    page = build(root, "ru", "alpha.html")
    assert "Analysts say" not in page and "The attack damaged" not in page
    assert "The attack damaged" not in build(root, "ru", "alpha.txt")
    assert json.loads(build(root, "ru", "manifest.json"))["fallback"] == "skip"


def test_min_translated_zero_and_an_empty_catalog_give_back_the_source(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli, translated={}, settings="min_translated = 0\n")
    result = run_cli("merge", project=root)
    assert "ru: 3 article(s), 0/16 segments translated (0%), 3 published" in result.output
    for slug in SLUGS:
        source = (root / "source_articles" / f"{slug}.md").read_text(encoding="utf-8")
        assert build(root, "ru", f"{slug}.md") == source


def test_use_fuzzy_publishes_fuzzy_translations(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli, translated={})
    translate(root, "ru", "beta", tagged("ru"), fuzzy=True)
    run_cli("merge", project=root)
    assert not (root / "build" / "ru" / "beta.html").exists()
    result = run_cli("merge", "--use-fuzzy", project=root)
    assert result.exit_code == 0
    page = build(root, "ru", "beta.html")
    assert "[ru] Belarus denied" in page
    assert "Этот перевод устарел." in page  # fuzzy means the source moved on
    entry = json.loads(build(root, "ru", "manifest.json"))["articles"][1]
    assert entry["slug"] == "beta" and entry["fuzzy"] == 5 and entry["outdated"] is True


def test_manifest_is_sorted_and_complete(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli, translated={"ru": ("alpha",)})
    run_cli("merge", project=root)
    text = build(root, "ru", "manifest.json")
    manifest = json.loads(text)
    assert text == json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert [article["slug"] for article in manifest["articles"]] == ["alpha", "beta", "world/gamma"]
    assert [article["published"] for article in manifest["articles"]] == [True, False, False]
    assert manifest["articles"][0] == {
        "date": "2022-06-27T11:43:00+03:00", "fuzzy": 0, "html": "alpha.html", "markdown": "alpha.md",
        "outdated": False, "percent_translated": 100.0, "published": True, "segments": 7,
        "slug": "alpha", "source": "../en/alpha.html", "text": "alpha.txt",
        "title": "[ru] Missiles hit central Kyiv", "translated": 7,
    }


def test_an_unknown_time_zone_is_an_error_with_a_place(tmp_path: Path, run_cli):
    root = prepared(tmp_path, run_cli)
    path = root / "source_articles" / "beta.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Europe/Minsk", "Europe/Atlantis"), encoding="utf-8")
    result = run_cli("merge", project=root)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: source_articles/beta.md:4: front matter: unknown time zone 'Europe/Atlantis': "
        "expected an IANA name such as Europe/Kyiv"
    ]
    # The other articles are published all the same; beta, which cannot be shown, is left out.
    assert (root / "build" / "ru" / "alpha.html").is_file()
    assert not (root / "build" / "ru" / "beta.html").exists()


def test_a_merge_beside_an_earlier_language_folder_reports_and_writes_as_one_from_nothing(tmp_path: Path, run_cli):
    # Pages of a language whose folder did not exist are not looked for before they are written; a
    # folder that did exist (here with a stale page of its own) is looked into, page by page.
    root = prepared(tmp_path, run_cli)
    assert run_cli("merge", "--out", str(root / "fresh"), project=root).exit_code == 0
    stale = root / "partial" / "ru" / "alpha.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("an earlier page\n", encoding="utf-8")

    result = run_cli("-v", "merge", "--out", str(root / "partial"), project=root)

    assert result.exit_code == 0, result.output
    fresh = {path.relative_to(root / "fresh"): path.read_bytes() for path in (root / "fresh").rglob("*")
             if path.is_file() and path.name != ".localize-written.json"}
    partial = {path.relative_to(root / "partial"): path.read_bytes() for path in (root / "partial").rglob("*")
               if path.is_file() and path.name != ".localize-written.json"}
    assert partial == fresh
    assert "partial/ru/alpha.html: updated" in result.output
    assert "partial/uk/alpha.html: created" in result.output
