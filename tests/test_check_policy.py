"""[check] ignore and warn, for a project and per language: a newsroom that publishes partial
translations on purpose keeps its CI gate. Every format says the same, and the exit code follows."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest

ARTICLE = "# Kyiv\n\nFirst sentence.\n\nSecond sentence.\n\nThird one.\n"
RU = "locales/ru/LC_MESSAGES/articles/kyiv.po"
UK = "locales/uk/LC_MESSAGES/articles/kyiv.po"


@pytest.fixture
def make_tree(tmp_path, run_cli):
    """A tree where ru is 25% translated, with one W202 (final punctuation), and uk is untranslated:
    E101 in both languages."""

    trees = iter(range(100))

    def make(settings: str = "", *, settings_file: str = "pyproject.toml") -> Path:
        root = tmp_path / f"content{next(trees)}"
        (root / "source_articles").mkdir(parents=True)
        (root / "source_articles/kyiv.md").write_text(ARTICLE, encoding="utf-8")
        if settings_file == "pyproject.toml":
            text = f'[tool.localize]\nlanguages = ["ru", "uk"]\n{settings}'
        else:
            text = f'languages = ["ru", "uk"]\n{settings}'
        (root / settings_file).write_text(text, encoding="utf-8")
        assert run_cli("extract", project=root).exit_code == 0
        catalog = polib.pofile(str(root / RU))
        catalog.find("First sentence.").msgstr = "Первое предложение"
        catalog.save()
        assert run_cli("extract", project=root).exit_code == 0
        return root

    return make


def run_all_formats(run_cli, root: Path, *args: str) -> dict:
    """``localize check`` in every format; what each says about errors, warnings and what was left out."""
    results = {name: run_cli("check", "--format", name, *args, project=root) for name in ("text", "json", "github", "junit")}
    exit_codes = {result.exit_code for result in results.values()}
    assert len(exit_codes) == 1, {name: result.exit_code for name, result in results.items()}
    text = results["text"].output
    data = json.loads(results["json"].output)
    github = results["github"].output.splitlines()
    junit = ET.fromstring(results["junit"].output)
    suite = junit.find("testsuite")
    properties = {p.get("name"): int(p.get("value")) for p in suite.iter("property")}
    assert data["passed"] is (exit_codes == {0})
    assert (int(junit.get("failures")) == 0) is (exit_codes == {0})
    assert (not any(line.startswith("::error") for line in github)) is (exit_codes == {0})
    findings = [f for catalog in data["catalogs"] for f in catalog["findings"]] + data["findings"]
    # Every format reports the same findings, marked the same way.
    assert len([line for line in github if line.startswith("::")]) == len(findings)
    assert sum("(a warning by configuration)" in line for line in text.splitlines()) == \
        sum(f["downgraded"] for f in findings) == \
        sum("(a warning by configuration)" in line for line in github)
    assert properties.get("ignored", 0) == data["summary"]["ignored"] == len(data["ignored"])
    assert properties.get("downgraded", 0) == data["summary"]["downgraded"]
    return {
        "exit": exit_codes.pop(), "text": text, "json": data, "github": github,
        "errors": sorted((Path(f["path"]).parts[1], f["code"]) for f in findings if f["severity"] == "error"),
        "warnings": sorted((Path(f["path"]).parts[1], f["code"]) for f in findings if f["severity"] == "warning"),
        "ignored": sorted((Path(f["path"]).parts[1], f["code"]) for f in data["ignored"]),
    }


def test_without_settings_partial_translations_fail(make_tree, run_cli):
    found = run_all_formats(run_cli, make_tree())
    assert found["exit"] == 1
    assert found["errors"] == [("ru", "E101"), ("uk", "E101")]
    assert found["warnings"] == [("ru", "W202")]
    assert found["ignored"] == []
    assert "By configuration" not in found["text"]


def test_warn_reports_the_error_as_a_warning(make_tree, run_cli):
    root = make_tree('\n[tool.localize.check]\nwarn = ["E101"]\n')
    found = run_all_formats(run_cli, root)
    assert found["exit"] == 0
    assert found["errors"] == []
    assert found["warnings"] == [("ru", "E101"), ("ru", "W202"), ("uk", "E101")]
    lines = found["text"].splitlines()
    assert f"{RU}: E101 25% translated (1 of 4 messages; 0 fuzzy, 3 untranslated): below the 80% needed to " \
        "publish in ru (a warning by configuration)" in lines
    assert lines[-2] == "By configuration: 2 errors reported as warnings (E101 ×2)"
    assert " checked: 0 errors, 3 warnings; " in lines[-1] and lines[-1].endswith(" (passed)")
    assert found["json"]["summary"]["downgraded"] == 2 and found["json"]["summary"]["warnings"] == 3
    assert any(line.startswith(f"::warning file={RU},title=E101::") for line in found["github"])
    # --strict: warnings fail, and so do the errors reported as warnings.
    strict = run_all_formats(run_cli, root, "--strict")
    assert strict["exit"] == 1


def test_ignore_leaves_the_finding_out_and_counts_it(make_tree, run_cli):
    found = run_all_formats(run_cli, make_tree('\n[tool.localize.check]\nignore = ["E101"]\n'))
    assert found["exit"] == 0
    assert found["errors"] == [] and found["warnings"] == [("ru", "W202")]
    assert found["ignored"] == [("ru", "E101"), ("uk", "E101")]
    assert " E101 " not in found["text"]
    assert found["text"].splitlines()[-2] == "By configuration: 2 findings ignored (E101 ×2)"
    assert [f["severity"] for f in found["json"]["ignored"]] == ["error", "error"]
    assert run_all_formats(run_cli, make_tree('\n[tool.localize.check]\nignore = ["E101"]\n'), "--strict")["exit"] == 1


def test_ignore_a_warning(make_tree, run_cli):
    found = run_all_formats(run_cli, make_tree('\n[tool.localize.check]\nignore = ["W202"]\n'))
    assert found["exit"] == 1
    assert found["warnings"] == [] and found["ignored"] == [("ru", "W202")]
    assert run_all_formats(run_cli, make_tree('\n[tool.localize.check]\nignore = ["W202", "E101"]\n'),
                           "--strict")["exit"] == 0


@pytest.mark.parametrize("settings_file", ["pyproject.toml", "localize.toml"])
def test_one_language_may_publish_partial_translations(make_tree, run_cli, settings_file):
    prefix = "tool.localize." if settings_file == "pyproject.toml" else ""
    root = make_tree(f'\n[{prefix}language.uk]\nmin_translated = 50\n\n[{prefix}language.uk.check]\nignore = ["E101"]\n',
                     settings_file=settings_file)
    found = run_all_formats(run_cli, root)
    assert found["exit"] == 1  # ru is still held to its minimum
    assert found["errors"] == [("ru", "E101")]
    assert found["ignored"] == [("uk", "E101")]
    assert "By configuration: 1 finding ignored (E101 ×1)" in found["text"]
    found = run_all_formats(run_cli, root, "--lang", "uk")
    assert found["exit"] == 0 and found["ignored"] == [("uk", "E101")]


def test_a_language_table_overrides_the_project_for_the_codes_it_names(make_tree, run_cli):
    root = make_tree('\n[tool.localize.check]\nignore = ["E101", "W202"]\n\n'
                     '[tool.localize.language.uk.check]\nwarn = ["E101"]\n')
    found = run_all_formats(run_cli, root)
    assert found["exit"] == 0
    assert found["warnings"] == [("uk", "E101")]
    assert found["ignored"] == [("ru", "E101"), ("ru", "W202")]
    assert found["text"].splitlines()[-2] == \
        "By configuration: 1 error reported as a warning (E101 ×1); 2 findings ignored (E101 ×1, W202 ×1)"
    root = make_tree('\n[tool.localize.check]\nwarn = ["E101"]\n\n[tool.localize.language.ru.check]\nignore = ["E101"]\n')
    found = run_all_formats(run_cli, root)
    assert found["warnings"] == [("ru", "W202"), ("uk", "E101")] and found["ignored"] == [("ru", "E101")]


def test_a_translator_comment_still_silences_one_entry(make_tree, run_cli):
    root = make_tree('\n[tool.localize.check]\nwarn = ["E101"]\n')
    catalog = polib.pofile(str(root / RU))
    catalog.find("First sentence.").tcomment = "localize-ignore: W202"
    catalog.save()
    found = run_all_formats(run_cli, root)
    assert found["warnings"] == [("ru", "E101"), ("uk", "E101")]
    assert found["ignored"] == []  # what a translator silences is no business of the configuration's count
