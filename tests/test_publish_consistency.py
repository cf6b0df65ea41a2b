"""merge, check and status give one answer to "is this article published?", and treat --lang alike."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from localize.cli import cli

# Four messages, six segments: "Yes." is one message that readers see three times.
REPEATED = (
    "---\ntitle: Answers\n---\n\n"
    "Yes.\n\nThe first question.\n\nYes.\n\nThe second question.\n\nYes.\n"
)


def invoke(project: Path, *args: str):
    return CliRunner().invoke(cli, ["-C", str(project), *args])


def fill(project: Path, language: str, slug: str, translations: dict[str, str]) -> None:
    path = project / "locales" / language / "LC_MESSAGES" / "articles" / f"{slug}.po"
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
    po.save(str(path))


def tree(tmp_path: Path, *, languages: str = '["de"]', minimum: float = 60) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "news"\n\n[tool.localize]\nlanguages = {languages}\nmin_translated = {minimum:g}\n',
        encoding="utf-8",
    )
    (tmp_path / "source_articles").mkdir()
    (tmp_path / "source_articles" / "answers.md").write_text(REPEATED, encoding="utf-8")
    assert invoke(tmp_path, "extract").exit_code == 0
    return tmp_path


def check_json(project: Path) -> tuple[int, dict]:
    result = invoke(project, "check", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def status_json(project: Path, *, exit_code: int = 0) -> dict:
    result = invoke(project, "status", "--format", "json", "--by-article")
    assert result.exit_code == exit_code, result.output
    return json.loads(result.stdout)


def e101(report: dict) -> list[dict]:
    return [f for c in report["catalogs"] for f in c["findings"] if f["code"] == "E101"]


def test_a_repeated_paragraph_counts_as_often_as_readers_see_it(tmp_path: Path) -> None:
    project = tree(tmp_path)
    fill(project, "de", "answers", {"Answers": "Antworten", "Yes.": "Ja."})  # 2 of 4 messages, 4 of 6 segments

    merged = invoke(project, "merge")
    assert merged.exit_code == 0, merged.output
    assert "4/6 segments translated (66%), 1 published" in merged.output
    assert (project / "build" / "de" / "answers.html").is_file()
    code, report = check_json(project)
    assert code == 0 and e101(report) == []
    (language,) = status_json(project)["languages"]
    assert language["published"] == 1
    (article,) = language["articles"]
    assert article["published"] is True
    # The counts stay msgfmt's: messages, not segments.
    assert (article["counts"]["translated"], article["counts"]["total"]) == (2, 4)


def test_below_the_threshold_all_three_say_so_with_the_same_percent(tmp_path: Path) -> None:
    project = tree(tmp_path, minimum=70)
    fill(project, "de", "answers", {"Answers": "Antworten", "Yes.": "Ja."})

    merged = invoke(project, "merge")
    assert merged.exit_code == 0, merged.output
    assert "de: answers: not published, 66% translated (min_translated is 70%)" in merged.output
    assert not (project / "build" / "de" / "answers.html").exists()
    code, report = check_json(project)
    (coverage,) = e101(report)
    assert code == 1
    assert coverage["message"].startswith("66% of the article translated (4 of 6 segments")
    assert "2 of 4 messages" in coverage["message"]
    (language,) = status_json(project)["languages"]
    assert language["published"] == 0


def test_a_percent_just_below_the_threshold_is_never_shown_rounded_up(tmp_path: Path) -> None:
    # 79 of 100 segments would show as 79%; 799 of 1000 as 79% too, never 80%.
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "news"\n\n[tool.localize]\nlanguages = ["de"]\nmin_translated = 80\n', encoding="utf-8",
    )
    (tmp_path / "source_articles").mkdir()
    paragraphs = [f"Paragraph number {number}." for number in range(1000)]
    (tmp_path / "source_articles" / "long.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    assert invoke(tmp_path, "extract").exit_code == 0
    fill(tmp_path, "de", "long", {text: f"Absatz {text}" for text in paragraphs[:799]})
    merged = invoke(tmp_path, "merge")
    assert "(79%)" in merged.output and "not published, 79% translated" in merged.output
    manifest = json.loads((tmp_path / "build" / "de" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["articles"][0]["percent_translated"] == 79.9
    code, report = check_json(tmp_path)
    assert code == 1 and e101(report)[0]["message"].startswith("79% translated")


def test_the_site_strings_hold_no_page_back(tmp_path: Path) -> None:
    project = tree(tmp_path)
    fill(project, "de", "answers", {"Answers": "Antworten", "Yes.": "Ja."})
    ui = project / "locales" / "de" / "LC_MESSAGES" / "ui.po"
    assert ui.is_file() and not any(entry.translated() for entry in polib.pofile(str(ui)))
    code, report = check_json(project)
    assert code == 0, report
    assert all("needed to publish" not in f["message"] for c in report["catalogs"] for f in c["findings"])


# -- merge --lang ------------------------------------------------------------------------------

def test_merging_one_language_keeps_the_links_to_the_others(tmp_path: Path) -> None:
    project = tree(tmp_path, languages='["ru", "uk"]')
    fill(project, "ru", "answers", {"Answers": "Ответы", "Yes.": "Да."})
    fill(project, "uk", "answers", {"Answers": "Відповіді", "Yes.": "Так."})
    assert invoke(project, "merge").exit_code == 0
    pages = {path: path.read_bytes() for path in (project / "build").rglob("*") if path.is_file()}

    result = invoke(project, "-v", "merge", "--lang", "ru")
    assert result.exit_code == 0, result.output
    # Nothing to write: the en and ru pages are the same bytes as a full merge wrote.
    assert not any(line.endswith((": created", ": updated", ": removed")) for line in result.output.splitlines())
    assert result.output.splitlines()[-1].startswith("build: 0 file(s) written, 0 removed, ")
    assert {path: path.read_bytes() for path in (project / "build").rglob("*") if path.is_file()} == pages
    for language in ("en", "ru"):
        page = (project / "build" / language / "answers.html").read_text(encoding="utf-8")
        assert 'hreflang="uk"' in page
    # Only the languages asked for are reported.
    assert "uk:" not in result.output


@pytest.mark.parametrize("code", ["fr", "xx", "xx_QQ"])
@pytest.mark.parametrize("command", ["merge", "check", "status"])
def test_an_unknown_or_unconfigured_language_is_a_usage_error_everywhere(
    tmp_path: Path, command: str, code: str
) -> None:
    project = tree(tmp_path)
    result = invoke(project, command, "--lang", code)
    assert result.exit_code == 2, result.output
    assert "--lang" in result.output
    assert not (project / "build" / code).exists()


# -- status and what cannot be read ----------------------------------------------------------------

def test_status_counts_an_unreadable_catalog_as_untranslated_and_says_why(tmp_path: Path) -> None:
    project = tree(tmp_path)
    broken = project / "locales" / "de" / "LC_MESSAGES" / "articles" / "answers.po"
    broken.write_text('msgid "unterminated\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(project), "status"])
    assert result.exit_code == 1, result.output  # a file that cannot be read fails, as in check
    assert "locales/de/LC_MESSAGES/articles/answers.po:1: E001 unterminated string" in result.stderr
    assert "100%" not in result.stdout and "0%" in result.stdout
    (language,) = status_json(project, exit_code=1)["languages"]
    (article,) = language["articles"]
    assert article["counts"]["untranslated"] == 4 and article["counts"]["percent"] == 0
    assert article["published"] is False and article["problem"].startswith("locales/de/")


def test_status_names_a_source_article_that_cannot_be_read(tmp_path: Path) -> None:
    project = tree(tmp_path)
    fill(project, "de", "answers", {"Answers": "Antworten", "Yes.": "Ja."})
    (project / "source_articles" / "answers.md").write_bytes(b"Caf\xe9.\n")
    result = CliRunner().invoke(cli, ["-C", str(project), "status"])
    assert result.exit_code == 1, result.output  # a file that cannot be read fails, as in check
    assert "source_articles/answers.md:1: E104 not UTF-8" in result.stderr
    (article,) = status_json(project, exit_code=1)["languages"][0]["articles"]
    assert article["published"] is False and "not UTF-8" in article["problem"]


# -- the dateline --------------------------------------------------------------------------------

@pytest.mark.parametrize(("setting", "line", "message", "published"), [
    # A time shown in a zone the author did not mean would mislead: merge leaves the article out.
    ("timezone: Mars/Base", 3, "front matter: unknown time zone 'Mars/Base'", False),
    # A date that cannot be read: the page is published without a dateline, and merge warns.
    ("date: yesterday", 3, "front matter: date 'yesterday' is not a date", True),
])
def test_a_dateline_that_cannot_be_shown_is_found_by_check_as_merge_finds_it(
    tmp_path: Path, setting: str, line: int, message: str, published: bool
) -> None:
    project = tree(tmp_path)
    fill(project, "de", "answers", {"Answers": "Antworten", "Yes.": "Ja."})
    article = project / "source_articles" / "answers.md"
    article.write_text(REPEATED.replace("title: Answers\n", f"title: Answers\n{setting}\n"), encoding="utf-8")
    assert invoke(project, "extract").exit_code == 0  # extract needs no dateline

    place = f"source_articles/answers.md:{line}"
    result = invoke(project, "check")
    assert result.exit_code == 1
    assert f"{place}: E104 {message}" in result.output
    merged = invoke(project, "merge")
    reported = [text for text in merged.output.splitlines() if text.startswith(("Error:", "Warning:"))]
    assert len(reported) == 1, merged.output
    page = project / "build" / "de" / "answers.html"
    if published:
        assert merged.exit_code == 0, merged.output
        assert reported[0].startswith(f"Warning: {place}: {message}")
        assert 'class="dateline"' not in page.read_text(encoding="utf-8")
        assert status_json(project)["languages"][0]["articles"][0]["published"] is True
    else:
        assert merged.exit_code == 1
        assert reported[0].startswith(f"Error: {place}: {message}")
        assert not page.exists() and not (project / "build" / "en" / "answers.html").exists()
        # status names what merge refused (E104 on stderr) and, like check, exits 1.
        assert status_json(project, exit_code=1)["languages"][0]["articles"][0]["published"] is False
