"""A content tree from nothing (localize init), found from anywhere inside it, and its settings
in localize.toml or pyproject.toml: what a new newsroom meets in its first hour."""

from __future__ import annotations

import tomllib
from pathlib import Path

import polib
import pytest

from tests.conftest import gettext_accepts

ARTICLE = "---\ntitle: Missiles hit Kyiv\n---\n\n# Missiles hit Kyiv\n\nThe city was shelled at dawn.\n"


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``root``, with the bytes of the files."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes() if path.is_file() else None)
        for path in sorted(root.rglob("*"))
    }


def one_line_error(result, *fragments: str) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def translate_everything(path: Path, prefix: str) -> None:
    catalog = polib.pofile(str(path))
    for entry in catalog:
        entry.msgstr = f"{prefix} {entry.msgid}"
    catalog.save()


def test_init_in_an_empty_folder_makes_a_tree_that_extract_and_merge_work_on(tmp_path, run_cli):
    root = tmp_path / "newsroom"
    root.mkdir()
    result = run_cli("init", "ru", "uk", project=root)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "localize.toml: created (source language en)" in lines
    assert "added language ru to localize.toml" in lines and "added language uk to localize.toml" in lines
    assert "source_articles/: created" in lines and "locales/: created" in lines
    assert "locales/ru/LC_MESSAGES/ui.po: created" in lines
    assert "Next: write an article as source_articles/SLUG.md" in result.output
    settings = tomllib.loads((root / "localize.toml").read_text(encoding="utf-8"))
    assert settings["source_language"] == "en" and settings["languages"] == ["ru", "uk"]
    assert not (root / "pyproject.toml").exists()
    assert (root / "source_articles").is_dir()
    for code in ("ru", "uk"):
        gettext_accepts(root / f"locales/{code}/LC_MESSAGES/ui.po")

    (root / "source_articles/kyiv.md").write_text(ARTICLE, encoding="utf-8")
    extracted = run_cli("extract", project=root)
    assert extracted.exit_code == 0, extracted.output
    catalog = root / "locales/ru/LC_MESSAGES/articles/kyiv.po"
    gettext_accepts(catalog)
    translate_everything(catalog, "RU")
    merged = run_cli("merge", project=root)
    assert merged.exit_code == 0, merged.output
    assert "RU The city was shelled at dawn." in (root / "build/ru/kyiv.md").read_text(encoding="utf-8")
    assert not (root / "build/uk/kyiv.md").exists()  # nothing translated: not published
    assert run_cli("extract", project=root).exit_code == 0  # the translated catalog in gettext's own layout
    before = snapshot(root / "locales")
    assert "0 file(s) written" in run_cli("extract", project=root).output
    assert snapshot(root / "locales") == before


def test_init_with_another_source_language(tmp_path, run_cli):
    result = run_cli("init", "--source", "uk", "en", project=tmp_path)
    assert result.exit_code == 0, result.output
    settings = tomllib.loads((tmp_path / "localize.toml").read_text(encoding="utf-8"))
    assert (settings["source_language"], settings["languages"]) == ("uk", ["en"])
    before = snapshot(tmp_path)
    one_line_error(run_cli("init", "--source", "de", "ru", project=tmp_path), "the source language is already uk",
                   "localize.toml")
    one_line_error(run_cli("init", "uk", project=tmp_path), "uk is the source language", "localize.toml")
    assert snapshot(tmp_path) == before


def test_init_in_a_python_project_adds_its_table_to_pyproject(tmp_path, run_cli):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "site"\n', encoding="utf-8")
    result = run_cli("init", "ru", project=tmp_path)
    assert result.exit_code == 0, result.output
    assert "added language ru to pyproject.toml" in result.output
    assert not (tmp_path / "localize.toml").exists()
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    assert data["project"] == {"name": "site"}
    assert data["tool"]["localize"] == {"source_language": "en", "languages": ["ru"]}


def test_init_says_what_it_did_with_a_language_already_configured(tmp_path, run_cli):
    run_cli("init", "ru", project=tmp_path)
    (tmp_path / "source_articles/kyiv.md").write_text(ARTICLE, encoding="utf-8")
    settings = (tmp_path / "localize.toml").read_bytes()
    result = run_cli("init", "ru", project=tmp_path)
    assert result.exit_code == 0, result.output
    assert "ru: already a language of this project (localize.toml)" in result.output
    assert "locales/ru/LC_MESSAGES/articles/kyiv.po: created" in result.output  # what was missing is made
    assert "added language" not in result.output
    assert (tmp_path / "localize.toml").read_bytes() == settings
    result = run_cli("init", "ru", "de", project=tmp_path)
    assert "ru: already a language" in result.output and "added language de to localize.toml" in result.output
    assert tomllib.loads((tmp_path / "localize.toml").read_text(encoding="utf-8"))["languages"] == ["ru", "de"]


@pytest.mark.parametrize("obstacle", ["broken article", "locales is a file", "unknown language"])
def test_init_that_fails_leaves_nothing_behind(tmp_path, run_cli, obstacle):
    codes = ["ru", "uk"]
    if obstacle == "broken article":
        (tmp_path / "source_articles").mkdir()
        (tmp_path / "source_articles/bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    elif obstacle == "locales is a file":
        (tmp_path / "locales").write_text("not a folder", encoding="utf-8")
    else:
        codes.append("xx")
    before = snapshot(tmp_path)
    result = run_cli("init", *codes, project=tmp_path)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ")
    assert snapshot(tmp_path) == before  # no localize.toml, no .localize-cache/, no source_articles/


def test_init_that_fails_in_an_existing_tree_keeps_its_settings_and_cache(tmp_path, run_cli):
    run_cli("init", "ru", project=tmp_path)
    (tmp_path / "source_articles/bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert run_cli("init", "de", project=tmp_path).exit_code == 1
    assert (tmp_path / ".localize-cache").is_dir()
    assert {name: data for name, data in snapshot(tmp_path).items() if not name.startswith(".localize-cache")} == {
        name: data for name, data in before.items() if not name.startswith(".localize-cache")
    }


@pytest.mark.parametrize("settings_file", ["localize.toml", "pyproject.toml"])
def test_commands_find_the_tree_from_a_subfolder(tmp_path, run_cli, monkeypatch, settings_file):
    root = tmp_path / "site"
    (root / "source_articles/2022").mkdir(parents=True)
    table = "" if settings_file == "localize.toml" else "[tool.localize]\n"
    (root / settings_file).write_text(f'{table}languages = ["ru"]\n', encoding="utf-8")
    (root / "source_articles/2022/kyiv.md").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(root / "source_articles/2022")
    result = run_cli("extract")
    assert result.exit_code == 0, result.output
    assert (root / "locales/ru/LC_MESSAGES/articles/2022/kyiv.po").is_file()
    assert not (root / "source_articles/2022/locales").exists()
    status = run_cli("status", "--format", "json")
    assert status.exit_code == 0, status.output
    assert '"slug": "2022/kyiv"' in status.output
    monkeypatch.chdir(tmp_path)
    by_option = run_cli("status", "--format", "json", project=root / "source_articles")
    assert by_option.output == status.output
    assert run_cli("check", project=root / "source_articles").exit_code == 1  # E101: nothing translated


def test_the_search_passes_a_pyproject_without_the_table_and_stops_at_a_git_repository(tmp_path, run_cli):
    site = tmp_path / "site"
    (site / "source_articles").mkdir(parents=True)
    (site / "localize.toml").write_text('languages = ["ru"]\n', encoding="utf-8")
    tools = site / "tools"
    tools.mkdir()
    (tools / "pyproject.toml").write_text('[project]\nname = "tools"\n', encoding="utf-8")
    result = run_cli("init", "uk", project=tools)
    assert result.exit_code == 0, result.output
    assert tomllib.loads((site / "localize.toml").read_text(encoding="utf-8"))["languages"] == ["ru", "uk"]
    assert "tool" not in tomllib.loads((tools / "pyproject.toml").read_text(encoding="utf-8"))

    repository = site / "vendor" / "other"
    (repository / ".git").mkdir(parents=True)
    settings = (site / "localize.toml").read_bytes()
    result = run_cli("init", "de", project=repository)
    assert result.exit_code == 0, result.output
    assert (repository / "localize.toml").is_file()
    assert (site / "localize.toml").read_bytes() == settings


def test_both_settings_files_is_an_error_naming_them(tmp_path, run_cli):
    (tmp_path / "source_articles").mkdir()
    (tmp_path / "localize.toml").write_text('languages = ["ru"]\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.localize]\nlanguages = ["uk"]\n', encoding="utf-8")
    one_line_error(run_cli("extract", project=tmp_path), "localize.toml:", "both localize.toml and [tool.localize] in "
                   "pyproject.toml configure this tree")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "site"\n', encoding="utf-8")
    assert run_cli("extract", project=tmp_path).exit_code == 0  # a pyproject.toml without the table is fine


@pytest.mark.parametrize("settings_file", ["localize.toml", "pyproject.toml"])
def test_source_language_among_the_languages_names_file_and_line(tmp_path, run_cli, settings_file):
    table = "" if settings_file == "localize.toml" else '[project]\nname = "x"\n\n[tool.localize]\n'
    (tmp_path / settings_file).write_text(f'{table}source_language = "uk"\nlanguages = ["ru", "uk"]\n', encoding="utf-8")
    line = (table + "\n").count("\n") + 1
    one_line_error(run_cli("status", project=tmp_path), f"{settings_file}:{line}:", "languages lists uk, the source "
                   "language")


@pytest.mark.parametrize("settings_file", ["localize.toml", "pyproject.toml"])
def test_a_table_for_a_language_the_project_has_not(tmp_path, run_cli, settings_file):
    prefix = "" if settings_file == "localize.toml" else "tool.localize."
    text = (f"[{prefix.rstrip('.')}]\n" if prefix else "") + 'languages = ["ru"]\n\n' \
        f"[{prefix}language.ru]\nmin_translated = 50\n\n[{prefix}language.de]\nmin_translated = 100\n"
    (tmp_path / "source_articles").mkdir()
    (tmp_path / settings_file).write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"[{prefix}language.de]") + 1
    one_line_error(run_cli("extract", project=tmp_path), f"{settings_file}:{line}:", f"[{prefix}language.de]",
                   "not a language of this project (languages: ru)", "localize init de")
    # init is how the language is added, and the table waiting for it is no obstacle.
    result = run_cli("init", "de", project=tmp_path)
    assert result.exit_code == 0, result.output
    assert run_cli("extract", project=tmp_path).exit_code == 0


def test_missing_source_folder_names_the_settings_file_in_use(tmp_path, run_cli):
    (tmp_path / "localize.toml").write_text('languages = ["ru"]\nsource_dir = "content/posts"\n', encoding="utf-8")
    one_line_error(run_cli("extract", project=tmp_path), "no source folder content/posts",
                   "set source_dir in localize.toml")


def test_version_is_read_from_the_distribution(run_cli):
    from importlib import metadata

    result = run_cli("--version")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f", version {metadata.version('newsroom-localize')}")
