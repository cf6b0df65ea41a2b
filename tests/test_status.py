"""`localize status`: per language and article, counts that msgfmt agrees with, in four formats."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from localize.cli import cli

needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")

DONE = "Kyiv is calm today.\n\nShops are open and the metro runs.\n"
HALF = "Odesa port reopens.\n\nThe first ship left at dawn.\n\nMore ships wait in the roads.\n\nGrain is on board.\n"


def invoke(project: Path, *args: str):
    return CliRunner().invoke(cli, ["-C", str(project), *args])


def fill(project: Path, language: str, slug: str, translations: dict[str, str], fuzzy: tuple[str, ...] = ()) -> None:
    path = project / "locales" / language / "LC_MESSAGES" / "articles" / f"{slug}.po"
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
        if entry.msgid in fuzzy:
            entry.flags.append("fuzzy")
    po.save(str(path))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "news"\n\n[tool.localize]\nlanguages = ["ru", "uk"]\nmin_translated = 60\n',
        encoding="utf-8",
    )
    (tmp_path / "source_articles").mkdir()
    (tmp_path / "source_articles" / "kyiv.md").write_text(DONE, encoding="utf-8")
    (tmp_path / "source_articles" / "odesa.md").write_text(HALF, encoding="utf-8")
    assert invoke(tmp_path, "extract").exit_code == 0
    fill(tmp_path, "ru", "kyiv", {"Kyiv is calm today.": "В Киеве сегодня спокойно.",
                                  "Shops are open and the metro runs.": "Магазины открыты, метро работает."})
    fill(tmp_path, "ru", "odesa", {"Odesa port reopens.": "Порт Одессы снова открыт.",
                                   "The first ship left at dawn.": "Первое судно вышло на рассвете."},
         fuzzy=("The first ship left at dawn.",))
    assert invoke(tmp_path, "extract").exit_code == 0
    return tmp_path


def status_json(project: Path, *args: str) -> dict:
    result = invoke(project, "status", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_counts_per_language_and_article(project: Path) -> None:
    report = status_json(project)
    assert report["version"] == 1
    ru, uk = report["languages"]
    assert (ru["language"], ru["name"], ru["min_translated"]) == ("ru", "Russian", 60.0)
    assert {key: ru["counts"][key] for key in ("translated", "fuzzy", "untranslated", "total")} == {
        "translated": 3, "fuzzy": 1, "untranslated": 2, "total": 6,
    }
    assert ru["counts"]["translated_words"] == 4 + 7 + 3
    assert ru["counts"]["fuzzy_words"] == 6
    assert ru["counts"]["words"] == 4 + 7 + 3 + 6 + 6 + 4
    assert (ru["articles_total"], ru["published"]) == (2, 1)
    kyiv, odesa = ru["articles"]
    assert (kyiv["slug"], kyiv["published"], kyiv["outdated"], kyiv["problem"]) == ("kyiv", True, False, None)
    assert kyiv["counts"]["percent"] == 100.0
    assert (odesa["slug"], odesa["published"], odesa["outdated"]) == ("odesa", False, True)
    assert odesa["counts"]["percent"] == 25.0
    assert uk["counts"]["translated"] == 0 and uk["published"] == 0


@needs_msgfmt
def test_counts_agree_with_msgfmt(project: Path) -> None:
    report = status_json(project)
    for language in report["languages"]:
        for article in language["articles"]:
            result = subprocess.run(
                ["msgfmt", "--statistics", "-o", os.devnull, str(project / article["path"])],
                capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"},
            )
            line = result.stderr.strip().splitlines()[-1]
            expected = [int(m.group(1)) if (m := re.search(rf"(\d+) {word}", line)) else 0
                        for word in ("translated message", "fuzzy translation", "untranslated message")]
            counts = article["counts"]
            assert [counts["translated"], counts["fuzzy"], counts["untranslated"]] == expected


def test_table_has_counts_percent_and_a_bar(project: Path) -> None:
    result = invoke(project, "status")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "segments" in lines[0] and "words" in lines[0]
    (ru,) = [line for line in lines if line.startswith("ru ")]
    assert re.search(r"ru Russian\s+3\s+1\s+2\s+14\s+6\s+10\s+50%\s+[█▒░]{20}\s+1/2 published", ru)
    assert "██████████▒▒▒░░░░░░░" in ru
    assert "kyiv" not in result.output


def test_table_by_article(project: Path) -> None:
    output = invoke(project, "status", "--by-article", "--lang", "ru").output
    assert "uk " not in output
    assert re.search(r"\n  kyiv\s+2\s+0\s+0\s+.*100%\s+█{20}\n", output)
    assert re.search(r"\n  odesa\s+1\s+1\s+2\s+.*25%\s+█████▒▒▒▒▒░{10}\s+outdated, unpublished\n", output)


def test_markdown_for_a_pull_request_comment(project: Path) -> None:
    output = invoke(project, "status", "--format", "markdown", "--by-article").output
    lines = output.splitlines()
    assert lines[0].startswith("| Language | Translated | Fuzzy | Untranslated |")
    assert lines[1].startswith("| --- |")
    assert "| ru (Russian) | 3 | 1 | 2 | 14 / 30 | 1 / 2 |" in output
    assert "#### uk (Ukrainian)" in output
    # Outdated and unpublished first.
    ru_rows = [line for line in lines[lines.index("#### ru (Russian)"):] if line.startswith("| odesa") or
               line.startswith("| kyiv")]
    assert ru_rows[0].startswith("| odesa") and ru_rows[0].endswith("| outdated, unpublished |")


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.headings: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "h2"):
            self._in = tag
            if tag == "td":
                self.rows[-1].append("")
            else:
                self.headings.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "h2"):
            self._in = None

    def handle_data(self, data):
        if self._in == "td":
            self.rows[-1][-1] += data
        elif self._in == "h2":
            self.headings[-1] += data


def test_html_dashboard_lists_outdated_and_unpublished_first(project: Path) -> None:
    (project / "source_articles" / "lviv.md").write_text("Lviv hosts a fair.\n", encoding="utf-8")
    assert invoke(project, "extract").exit_code == 0
    fill(project, "ru", "lviv", {"Lviv hosts a fair.": "Во Львове проходит ярмарка."})
    assert invoke(project, "extract").exit_code == 0
    target = project / "build" / "status.html"
    result = invoke(project, "status", "--html", str(target))
    assert result.exit_code == 0 and result.output == f"{target}: written\n"
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('class="bar"') == 2 + 6
    parser = _Rows()
    parser.feed(page)
    assert parser.headings == ["Russian (ru) – publishes at 60%", "Ukrainian (uk) – publishes at 60%"]
    names = [row[0] for row in parser.rows if row]
    assert names[:2] == ["ru – Russian", "uk – Ukrainian"]
    assert names[2:5] == ["odesa", "kyiv", "lviv"]
    assert [row[-1] for row in parser.rows if row][2:5] == ["outdated, unpublished", "", ""]


def test_html_escapes_what_it_shows(project: Path) -> None:
    (project / "source_articles" / "a<b>.md").write_text("Odd name.\n", encoding="utf-8")
    assert invoke(project, "extract").exit_code == 0
    target = project / "status.html"
    assert invoke(project, "status", "--html", str(target)).exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert "a&lt;b&gt;" in page and "<b>" not in page


def test_a_missing_or_broken_catalog_is_shown_and_a_broken_one_fails(project: Path) -> None:
    """A missing catalog is work to do; one that cannot be read is named, the others are still
    shown, and the exit status is 1 (as check's), not the 0 of a tree that is merely behind."""
    (project / "locales" / "uk" / "LC_MESSAGES" / "articles" / "kyiv.po").unlink()
    assert invoke(project, "status", "--by-article").exit_code == 0
    broken = project / "locales" / "uk" / "LC_MESSAGES" / "articles" / "odesa.po"
    broken.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "unterminated\n',
                      encoding="utf-8")
    result = invoke(project, "status", "--format", "json", "--lang", "uk")
    assert result.exit_code == 1
    uk = json.loads(result.stdout)["languages"][0]
    kyiv, odesa = uk["articles"]
    assert kyiv["problem"] == "missing" and kyiv["counts"]["untranslated"] == 2 and kyiv["outdated"]
    assert odesa["problem"].startswith("locales/uk/LC_MESSAGES/articles/odesa.po:5: unterminated string")
    for arguments in (("--by-article",), (), ("--format", "markdown"), ("--html", str(project / "status.html"))):
        result = invoke(project, "status", *arguments)
        assert result.exit_code == 1, arguments
        assert result.stderr.startswith("locales/uk/LC_MESSAGES/articles/odesa.po:5: E001 unterminated string")
        if "--html" in arguments:
            assert "odesa" in (project / "status.html").read_text(encoding="utf-8")
        else:
            assert "Russian" in result.stdout  # the other language is still shown
    broken.unlink()
    assert invoke(project, "status").exit_code == 0
