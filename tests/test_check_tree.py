"""`localize check` on a content tree: catalogs against their articles, through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from localize.cli import cli

REPOSITORY = Path(__file__).parent.parent

ARTICLE = """\
---
title: "Missiles hit Kyiv"
---

The missiles hit **central Kyiv** at 6.20 a.m., see the [map](https://example.org/map).

Run `localize extract` after *every* change.[^1]

[^1]: A footnote.
"""

TRANSLATIONS = {
    "Missiles hit Kyiv": "Ракеты ударили по Киеву",
    "The missiles hit **central Kyiv** at 6.20 a.m., see the [map](https://example.org/map).":
        "Ракеты ударили по **центру Киева** в 6:20, смотрите [карту](https://example.org/map).",
    "Run `localize extract` after *every* change.[^1]": "Запускайте `localize extract` после *каждой* правки.[^1]",
    "A footnote.": "Сноска.",
}


def invoke(project: Path, *args: str):
    return CliRunner().invoke(cli, ["-C", str(project), *args])


def check_json(project: Path, *args: str) -> tuple[int, dict]:
    result = invoke(project, "check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def codes(report: dict) -> list[tuple[str, str]]:
    found = [(Path(f["path"]).as_posix(), f["code"]) for c in report["catalogs"] for f in c["findings"]]
    return found + [(Path(f["path"]).as_posix(), f["code"]) for f in report["findings"]]


def entry(report: dict, path: str = "locales/ru/LC_MESSAGES/articles/kyiv.po") -> dict:
    (found,) = [catalog for catalog in report["catalogs"] if catalog["path"] == path]
    return found


def translate(path: Path, translations: dict[str, str], *, fuzzy: tuple[str, ...] = ()) -> None:
    """Fill msgstrs as a translator's editor would, then let extract write the file its own way
    (otherwise extract would rewrap it, and check would rightly call it out of date)."""
    po = polib.pofile(str(path), wrapwidth=79)
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
        if entry.msgid in fuzzy:
            entry.flags.append("fuzzy")
    po.save(str(path))
    project = path.parents[4]
    result = invoke(project, "extract")
    assert result.exit_code == 0, result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A content tree with one article, extracted and fully translated into Russian."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "news"\n\n[tool.localize]\nlanguages = ["ru"]\n', encoding="utf-8"
    )
    (tmp_path / "source_articles").mkdir()
    (tmp_path / "source_articles" / "kyiv.md").write_text(ARTICLE, encoding="utf-8")
    result = invoke(tmp_path, "extract")
    assert result.exit_code == 0, result.output
    translate(catalog(tmp_path), TRANSLATIONS)
    translate_ui(tmp_path)
    return tmp_path


def translate_ui(project: Path, language: str = "ru") -> None:
    """Fill the page templates' catalog (when extract makes one) with a pseudo-translation."""
    path = project / "locales" / language / "LC_MESSAGES" / "ui.po"
    if not path.is_file():
        return
    po = polib.pofile(str(path), wrapwidth=79)

    def pseudo(text: str) -> str:
        stripped = text.lstrip()
        return text[: len(text) - len(stripped)] + "ру " + stripped

    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {index: pseudo(entry.msgid if index == 0 else entry.msgid_plural)
                                   for index in range(3)}
        else:
            entry.msgstr = pseudo(entry.msgid)
    po.save(str(path))
    assert invoke(project, "extract").exit_code == 0


def catalog(project: Path, language: str = "ru", slug: str = "kyiv") -> Path:
    return project / "locales" / language / "LC_MESSAGES" / "articles" / f"{slug}.po"


def test_a_fully_translated_tree_checks_clean(project: Path) -> None:
    result = invoke(project, "check")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("catalogs checked: 0 errors, 0 warnings (passed)\n")
    code, report = check_json(project, "--strict")
    assert code == 0 and codes(report) == []
    paths = [c["path"] for c in report["catalogs"]]
    assert paths[0] == "locales/templates/articles/kyiv.pot"
    assert "locales/ru/LC_MESSAGES/articles/kyiv.po" in paths


def test_the_sample_content_checks_clean(tmp_path: Path) -> None:
    """The repository's own sample articles and translations, brought up to date by extract."""
    shutil.copyfile(REPOSITORY / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(REPOSITORY / "source_articles", tmp_path / "source_articles")
    shutil.copytree(REPOSITORY / "locales", tmp_path / "locales",
                    ignore=shutil.ignore_patterns("*.msgcat.po", "*.msgcat.pot"))
    assert invoke(tmp_path, "extract").exit_code == 0
    result = invoke(tmp_path, "check", "--strict")
    assert result.exit_code == 0, result.output


def test_broken_markup_is_an_error_on_its_line(project: Path) -> None:
    translate(catalog(project), {
        "The missiles hit **central Kyiv** at 6.20 a.m., see the [map](https://example.org/map).":
            "Ракеты ударили по **центру Киева в 6:20, смотрите [карту](https://example.org/karta).",
    })
    code, report = check_json(project)
    assert code == 1
    found = entry(report)["findings"]
    # merge publishes no translation with broken markup, so the article falls below min_translated too (E101).
    assert sorted(f["code"] for f in found) == ["E101", "E201", "E204"]
    text = catalog(project).read_text(encoding="utf-8").splitlines()
    (line,) = {f["line"] for f in found if f["code"] != "E101"}
    assert text[line - 1].startswith("msgid") and "missiles hit" in "".join(text[line - 1:line + 2])


def test_coverage_below_the_threshold_is_an_error(project: Path) -> None:
    translate(catalog(project), {"A footnote.": "", "Missiles hit Kyiv": ""},
              fuzzy=("Run `localize extract` after *every* change.[^1]",))
    code, report = check_json(project)
    assert code == 1
    (coverage,) = entry(report)["findings"]
    assert coverage["code"] == "E101"
    assert "25% translated (1 of 4 messages; 1 fuzzy, 2 untranslated)" in coverage["message"]
    assert entry(report)["counts"] == {
        "translated": 1, "fuzzy": 1, "untranslated": 2, "obsolete": 0, "total": 4, "percent": 25.0,
        "translated_words": 11, "fuzzy_words": 6, "untranslated_words": 5,
    }
    # A language may publish at a lower threshold.
    (project / "pyproject.toml").write_text(
        '[project]\nname = "news"\n\n[tool.localize]\nlanguages = ["ru"]\n\n'
        "[tool.localize.language.ru]\nmin_translated = 25\n", encoding="utf-8",
    )
    assert check_json(project)[0] == 0


def test_an_edited_article_makes_its_catalogs_out_of_date(project: Path) -> None:
    article = project / "source_articles" / "kyiv.md"
    article.write_text(ARTICLE + "\nA new paragraph.\n", encoding="utf-8")
    result = invoke(project, "check")
    assert result.exit_code == 1
    assert "locales/ru/LC_MESSAGES/articles/kyiv.po: E102 out of date with the source: run localize extract" \
        in result.output
    assert sorted(codes(check_json(project)[1])) == [
        ("locales/ru/LC_MESSAGES/articles/kyiv.po", "E102"), ("locales/templates/articles/kyiv.pot", "E102"),
    ]


def test_a_new_article_without_catalogs_is_reported(project: Path) -> None:
    (project / "source_articles" / "odesa.md").write_text("Odesa is calm.\n", encoding="utf-8")
    code, report = check_json(project)
    assert code == 1
    assert sorted(codes(report)) == [
        ("locales/ru/LC_MESSAGES/articles/odesa.po", "E102"), ("locales/templates/articles/odesa.pot", "E102"),
    ]
    assert all("create" in f["message"] for f in report["findings"])


def test_catalogs_of_a_deleted_article_are_orphans(project: Path) -> None:
    (project / "source_articles" / "kyiv.md").unlink()
    (project / "source_articles" / "other.md").write_text("Other news.\n", encoding="utf-8")
    assert invoke(project, "extract").exit_code == 0
    code, report = check_json(project)
    assert code == 1
    orphans = sorted(path for path, found in codes(report) if found == "E103")
    assert orphans == ["locales/ru/LC_MESSAGES/articles/kyiv.po", "locales/templates/articles/kyiv.pot"]


def test_an_unreadable_catalog_does_not_stop_the_check(project: Path) -> None:
    (project / "source_articles" / "odesa.md").write_text("Odesa is calm.\n", encoding="utf-8")
    assert invoke(project, "extract").exit_code == 0
    broken = catalog(project, slug="odesa")
    broken.write_text(broken.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    code, report = check_json(project)
    assert code == 1
    by_path = {c["path"]: c for c in report["catalogs"]}
    assert [f["code"] for f in by_path["locales/ru/LC_MESSAGES/articles/odesa.po"]["findings"]] == ["E001"]
    assert by_path["locales/ru/LC_MESSAGES/articles/kyiv.po"]["counts"]["translated"] == 4
    assert codes(report) == [("locales/ru/LC_MESSAGES/articles/odesa.po", "E001")]


def test_an_unreadable_source_article_is_a_finding(project: Path) -> None:
    (project / "source_articles" / "bad.md").write_bytes(b"Caf\xe9 news\n")
    code, report = check_json(project)
    assert code == 1
    (source,) = report["findings"]
    assert source["code"] == "E104" and source["path"] == "source_articles/bad.md" and source["line"] == 1


def test_only_the_languages_asked_for(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "news"\n\n[tool.localize]\nlanguages = ["ru", "uk"]\n', encoding="utf-8"
    )
    assert invoke(project, "extract").exit_code == 0
    code, report = check_json(project, "--lang", "ru")
    assert code == 0
    assert {c["language"] for c in report["catalogs"]} == {None, "ru"}
    code, report = check_json(project, "--lang", "uk")
    assert code == 1 and {c["language"] for c in report["catalogs"]} == {None, "uk"}


def test_paths_inside_the_tree_are_checked_against_their_sources(project: Path) -> None:
    (project / "source_articles" / "kyiv.md").write_text(ARTICLE + "\nMore.\n", encoding="utf-8")
    code, report = check_json(project, str(catalog(project)))
    assert code == 1
    assert [(Path(p).name, c) for p, c in codes(report)] == [("kyiv.po", "E102")]


@pytest.mark.parametrize("arguments", [
    ["check", "--lang", "xx_QQ"],
    ["check", "--lang", "de"],
    ["check", "--format", "yaml"],
    ["check", "no/such/file.po"],
    ["status", "--lang", "de"],
    ["status", "--format", "html"],
])
def test_usage_errors_exit_2(project: Path, arguments: list[str]) -> None:
    result = invoke(project, *arguments)
    assert result.exit_code == 2, result.output


def test_warnings_fail_only_when_strict(project: Path) -> None:
    translate(catalog(project), {"A footnote.": "Сноска"})
    result = invoke(project, "check")
    assert result.exit_code == 0
    assert ": W202 final punctuation differs" in result.output
    assert invoke(project, "check", "--strict").exit_code == 1
