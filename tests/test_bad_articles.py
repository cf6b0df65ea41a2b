"""One bad article never blocks the others, and nothing is mangled.

Like ``make -k`` and a compiler's error list: every good article is
extracted and published, every bad one is reported as ``path:line``, the
exit status is 1, and a bad article's catalogs and pages stay as they were.
Front-matter dates are read as Jekyll and Hugo read them.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from localize.catalog import read_catalog
from localize.dateline import DateError, parse_date
from tests.test_browser import QuietHandler, run_chromium
from tests.test_pages_helpers import translate

GOOD = 24


def story(number: int, *, extra: str = "") -> str:
    return (
        f"---\ntitle: Story {number}\ndate: 2023-01-{number % 28 + 1:02d} 10:00 +0200\n---\n\n"
        f"The council met on day {number}.\n\nIt voted on the budget.\n{extra}"
    )


BAD_VERSIONS = {
    # slug: (the article once it is broken, the line reported)
    "not-utf8": ("---\ntitle: Caf\xe9\n---\n\nBody.\n".encode("latin-1"), 2),
    "not-mapping": ("---\n- just\n- a list\n---\n\nBody.\n", 2),
    "loop": (None, 1),  # a symbolic link to itself
}
UNDATED = "undated"  # its date cannot be read: published without a dateline


def snapshot(root: Path, slug: str) -> dict[Path, bytes]:
    """The article's template, catalogs and pages."""
    found = {}
    for folder in ("locales", "build"):
        for path in sorted((root / folder).rglob(f"{slug}.*")):
            found[path] = path.read_bytes()
    return found


def reported(result, kind: str = "Error") -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith(f"{kind}: ")]


@pytest.fixture
def newsroom(content_tree, run_cli) -> Path:
    """Many articles, every one extracted, translated into Russian and published."""
    articles = {f"story-{number:02d}": story(number) for number in range(GOOD)}
    articles.update({slug: story(100 + index) for index, slug in enumerate([*BAD_VERSIONS, UNDATED])})
    root = content_tree(articles, languages=("ru",))
    assert run_cli("extract", project=root).exit_code == 0
    for slug in articles:
        translate(root, "ru", slug, lambda msgid: f"[ru] {msgid}")
    assert run_cli("merge", project=root).exit_code == 0
    return root


def break_articles(root: Path) -> None:
    source = root / "source_articles"
    for slug, (text, _) in BAD_VERSIONS.items():
        path = source / f"{slug}.md"
        path.unlink()
        if text is None:
            path.symlink_to(path.name)
        else:
            path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    undated = source / f"{UNDATED}.md"
    undated.write_text(undated.read_text(encoding="utf-8").replace("2023-01-", "the day after 2023-01-"), encoding="utf-8")


def test_every_good_article_is_extracted_and_published_and_every_bad_one_reported(newsroom: Path, run_cli):
    root = newsroom
    before = {slug: snapshot(root, slug) for slug in BAD_VERSIONS}
    assert all(before.values())
    break_articles(root)
    (root / "source_articles" / "story-03.md").write_text(story(3, extra="\nA late correction.\n"), encoding="utf-8")
    (root / "source_articles" / "fresh.md").write_text(story(50), encoding="utf-8")
    expected = sorted(f"Error: source_articles/{slug}.md:{line}: " for slug, (_, line) in BAD_VERSIONS.items())

    extracted = run_cli("extract", project=root)
    assert extracted.exit_code == 1, extracted.output
    assert "Traceback" not in extracted.output
    errors = sorted(reported(extracted))
    assert [line[:len(prefix)] for line, prefix in zip(errors, expected)] == expected, extracted.output
    assert (root / "locales/ru/LC_MESSAGES/articles/fresh.po").is_file()
    assert "A late correction." in {m.msgid for m in read_catalog(root / "locales/templates/articles/story-03.pot").messages}
    # Bad articles are no orphans: even pruning keeps their files.
    assert run_cli("extract", "--prune-orphans", project=root).exit_code == 1
    assert {slug: snapshot(root, slug) for slug in BAD_VERSIONS} == before

    merged = run_cli("merge", project=root)
    assert merged.exit_code == 1, merged.output
    errors = sorted(reported(merged))
    assert [line[:len(prefix)] for line, prefix in zip(errors, expected)] == expected, merged.output
    assert len(errors) == len(expected)
    (warning,) = reported(merged, "Warning")
    assert warning.startswith(f"Warning: source_articles/{UNDATED}.md:3: front matter: date ")
    for number in range(GOOD):
        # story-03's correction is not translated yet: below min_translated in Russian.
        assert (root / "build" / "ru" / f"story-{number:02d}.html").is_file() == (number != 3)
        assert (root / "build" / "en" / f"story-{number:02d}.html").is_file()
    assert (root / "build" / "en" / "fresh.html").is_file()
    assert "A late correction." in (root / "build" / "en" / "story-03.html").read_text(encoding="utf-8")
    assert {slug: snapshot(root, slug) for slug in BAD_VERSIONS} == before
    undated = (root / "build" / "ru" / f"{UNDATED}.html").read_text(encoding="utf-8")
    assert 'class="dateline"' not in undated and "[ru] Story" in undated

    checked = run_cli("check", project=root)
    assert checked.exit_code == 1
    for slug, line in [*((slug, line) for slug, (_, line) in BAD_VERSIONS.items()), (UNDATED, 3)]:
        assert f"source_articles/{slug}.md:{line}: E104 " in checked.output, checked.output


def test_a_fixed_article_is_extracted_on_the_next_run(newsroom: Path, run_cli):
    """The cache does not count a bad article as seen: once fixed, it is read and extracted."""
    root = newsroom
    break_articles(root)
    assert run_cli("extract", project=root).exit_code == 1
    assert run_cli("extract", project=root).exit_code == 1  # reported again, not skipped
    source = root / "source_articles"
    for slug in BAD_VERSIONS:
        (source / f"{slug}.md").unlink()
        (source / f"{slug}.md").write_text(story(7, extra=f"\nFixed {slug}.\n"), encoding="utf-8")
    result = run_cli("extract", project=root)
    assert result.exit_code == 0, result.output
    for slug in BAD_VERSIONS:
        messages = {m.msgid for m in read_catalog(root / f"locales/ru/LC_MESSAGES/articles/{slug}.po").messages}
        assert f"Fixed {slug}." in messages
    assert run_cli("extract", "--check", project=root).exit_code == 0


def test_a_thematic_break_at_the_top_is_refused_as_front_matter(content_tree, run_cli):
    # CommonMark's example 96: a thematic break, then setext headings; a static-site generator
    # reads the first two '---' as front matter.
    root = content_tree({"good": story(1), "breaks": "---\nFoo\n---\nBar\n---\nBaz\n"})
    result = run_cli("extract", project=root)
    assert result.exit_code == 1
    (error,) = reported(result)
    assert error.startswith("Error: source_articles/breaks.md:2: front matter must be a mapping")
    assert "starts with '---', which static-site generators read as front matter" in error
    assert (root / "locales/templates/articles/good.pot").is_file()


# -- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "iso"), [
    ("2023-01-29 18:30:22 -0800", "2023-01-29T18:30:22-08:00"),  # Jekyll's posts
    ("2023-01-29 18:30:22 2023 -0800", "2023-01-29T18:30:22-08:00"),  # Jekyll's own release notes
    ("2023-01-29 00:22 +0530", "2023-01-29T00:22:00+05:30"),  # jekyll-compose, no seconds
    ("2023-01-29 18:30", "2023-01-29T18:30:00"),
    ("2023-01-29T18:30:22Z", "2023-01-29T18:30:22+00:00"),  # Hugo
    ("2023-01-29T18:30:22-08:00", "2023-01-29T18:30:22-08:00"),
    ("2023-01-29T18:30:22-0800", "2023-01-29T18:30:22-08:00"),
    ("2023-01-29T18:30:22", "2023-01-29T18:30:22"),
    ("2023-01-29", "2023-01-29"),
    ("29 Jan 2023", "2023-01-29"),
    ('"Sun, 29 Jan 2023 18:30:22 -0800"', "2023-01-29T18:30:22-08:00"),  # RFC 1123
    ("2023-01-29 18:30:22.5 -0800 PST", "2023-01-29T18:30:22.500000-08:00"),  # Go's time.String
])
def test_dates_as_jekyll_and_hugo_write_them(content_tree, run_cli, written: str, iso: str):
    root = content_tree({"dated": f"---\ntitle: Dated\ndate: {written}\n---\n\nBody text.\n"}, languages=("ru",))
    assert run_cli("extract", project=root).exit_code == 0
    result = run_cli("merge", project=root)
    assert result.exit_code == 0 and not reported(result, "Warning"), result.output
    page = (root / "build" / "en" / "dated.html").read_text(encoding="utf-8")
    assert f'<p class="dateline"><time datetime="{iso}">' in page
    assert run_cli("check", "--format", "json", project=root).output.count('"E104"') == 0


def test_a_toml_datetime(content_tree, run_cli):
    root = content_tree({"dated": '+++\ntitle = "Dated"\ndate = 2023-01-29T18:30:22-08:00\n+++\n\nBody text.\n'})
    assert run_cli("merge", project=root).exit_code == 0
    assert '<time datetime="2023-01-29T18:30:22-08:00">' in (root / "build/en/dated.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("written", [
    "yesterday", "2023-02-30", "2023-01-29 25:00", "2023-01-29 18:30:22 2022 -0800", "2023", "18:30:22",
])
def test_a_date_that_cannot_be_read(written: str):
    with pytest.raises(DateError):
        parse_date(written)


def test_parsed_dates_keep_their_offset_or_have_none():
    assert parse_date("2023-01-29 18:30:22 -0800").utcoffset().total_seconds() == -8 * 3600
    assert parse_date("2023-01-29 18:30").tzinfo is None


# -- an image whose alt text is its label, in a browser ---------------------------------------

IMAGES = (
    "---\ntitle: Night\n---\n\n"
    "![Night over Kyiv][]\n\n"
    "![Morning in Lviv]\n\n"
    "The city slept.\n\n"
    "[night over kyiv]: /kyiv.jpg \"Kyiv\"\n"
    "[morning in lviv]: /lviv.jpg\n"
)
RUSSIAN = {
    "Night": "Ночь", "Night over Kyiv": "Ночь над Киевом", "Morning in Lviv": "Утро во Львове",
    "The city slept.": "Город спал.",
}


def test_a_translated_image_whose_alt_text_is_its_label_is_still_an_image(content_tree, run_cli, tmp_path):
    root = content_tree({"night": IMAGES}, languages=("ru",))
    assert run_cli("extract", project=root).exit_code == 0
    translate(root, "ru", "night", RUSSIAN.get)
    assert run_cli("merge", project=root).exit_code == 0
    markdown = (root / "build/ru/night.md").read_text(encoding="utf-8")
    assert "![Ночь над Киевом][Night over Kyiv]" in markdown and "![Утро во Львове][Morning in Lviv]" in markdown

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/build/ru/night.html"
        result = run_chromium("--virtual-time-budget=5000", "--dump-dom", url, profile=tmp_path / "profile")
    finally:
        server.shutdown()
        server.server_close()
    dom = result.stdout
    assert "<body" in dom, result.stderr[-2000:]
    images = re.findall(r"<img [^>]*>", dom)
    found = {(re.search(r'alt="([^"]*)"', image).group(1), re.search(r'src="([^"]*)"', image).group(1)) for image in images}
    assert found == {("Ночь над Киевом", "/kyiv.jpg"), ("Утро во Львове", "/lviv.jpg")}
    assert "![" not in dom and "Город спал." in dom
