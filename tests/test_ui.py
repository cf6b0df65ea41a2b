"""Site strings: extracted from the page templates into ui.pot, kept in ui.po, plurals as CLDR has them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from localize.cache import CACHE_FOLDER, DATABASE
from localize.catalog import read_catalog
from localize.render import Site, ui_translations
from tests.conftest import gettext_accepts
from tests.test_pages_helpers import site_tree

REPOSITORY = Path(__file__).parent.parent
MINUTES = '{{ ngettext("%(num)d minute read", "%(num)d minutes read", n) }}'


@pytest.mark.parametrize("path", [
    "locales/templates/ui.pot", "locales/ru/LC_MESSAGES/ui.po", "locales/uk/LC_MESSAGES/ui.po",
])
def test_sample_ui_catalogs_are_what_gettext_writes(path: str):
    gettext_accepts(REPOSITORY / path)


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_sample_ui_catalogs_are_fully_translated(language: str):
    catalog = read_catalog(REPOSITORY / "locales" / language / "LC_MESSAGES" / "ui.po")
    assert catalog.active and all(message.translated() for message in catalog.active)
    template = read_catalog(REPOSITORY / "locales" / "templates" / "ui.pot")
    assert {message.msgid for message in template.active} == {message.msgid for message in catalog.active}


@pytest.mark.parametrize(("language", "expected"), [
    ("ru", {1: "1 минута чтения", 2: "2 минуты чтения", 5: "5 минут чтения", 21: "21 минута чтения",
            11: "11 минут чтения", 22: "22 минуты чтения"}),
    ("uk", {1: "1 хвилина читання", 2: "2 хвилини читання", 5: "5 хвилин читання", 21: "21 хвилина читання",
            11: "11 хвилин читання", 22: "22 хвилини читання"}),
    ("en", {1: "1 minute read", 2: "2 minutes read", 5: "5 minutes read", 21: "21 minutes read"}),
])
def test_minute_read_plurals(language: str, expected: dict[int, str]):
    path = REPOSITORY / "locales" / language / "LC_MESSAGES" / "ui.po"
    catalog = read_catalog(path) if path.is_file() else None
    site = Site(template_dirs=(), translations=ui_translations(catalog, language=language))
    template = site.environment.from_string(MINUTES)
    assert {count: template.render(n=count) for count in expected} == expected


def test_site_strings_come_from_ui_po(tmp_path: Path):
    catalog = read_catalog(REPOSITORY / "locales" / "ru" / "LC_MESSAGES" / "ui.po")
    site = Site(template_dirs=(), translations=ui_translations(catalog, language="ru"))
    assert site.environment.from_string('{{ _("Other news") }} / {{ _("All news") }}').render() == (
        "Другие новости / Все новости"
    )


def test_extract_writes_ui_pot_and_ui_po(tmp_path: Path, run_cli):
    root = site_tree(tmp_path)
    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 0, result.output
    assert "locales/templates/ui.pot: created" in result.output
    assert "locales/ar/LC_MESSAGES/ui.po: created" in result.output
    template = read_catalog(root / "locales" / "templates" / "ui.pot")
    msgids = {message.msgid: message for message in template.active}
    assert {"Other news", "All news", "%(num)d minute read"} <= set(msgids)
    assert msgids["%(num)d minute read"].msgid_plural == "%(num)d minutes read"
    assert ("localize/templates/article.html", msgids["Other news"].occurrences[0][1]) in msgids["Other news"].occurrences
    # New Arabic catalog: msginit's header and all six plural forms waiting for a translator.
    arabic = read_catalog(root / "locales" / "ar" / "LC_MESSAGES" / "ui.po")
    plural = next(message for message in arabic.active if message.msgid_plural)
    assert sorted(plural.msgstr_plural) == [0, 1, 2, 3, 4, 5]
    assert arabic.metadata["Plural-Forms"].startswith("nplurals=6;")
    # The sample's Russian strings were kept.
    russian = read_catalog(root / "locales" / "ru" / "LC_MESSAGES" / "ui.po")
    assert all(message.translated() for message in russian.active)
    for path in (root / "locales").rglob("ui.po*"):
        gettext_accepts(path)
    again = run_cli("--verbose", "extract", project=root)
    assert "ui.p" not in again.output


def test_templates_in_the_content_tree_override_the_defaults(tmp_path: Path, run_cli):
    root = site_tree(tmp_path)
    (root / "templates").mkdir()
    default = (REPOSITORY / "localize" / "templates" / "article.html").read_text(encoding="utf-8")
    (root / "templates" / "article.html").write_text(
        default.replace('<div class="body">', '<p class="sponsor">{{ _("Supported by our readers") }}</p>\n<div class="body">'),
        encoding="utf-8",
    )
    result = run_cli("--verbose", "extract", project=root)
    assert "locales/templates/ui.pot: created" in result.output
    template = read_catalog(root / "locales" / "templates" / "ui.pot")
    sponsor = next(message for message in template.active if message.msgid == "Supported by our readers")
    assert sponsor.occurrences[0][0] == "templates/article.html"
    other = next(message for message in template.active if message.msgid == "Other news")
    assert [file for file, _line in other.occurrences] == ["templates/article.html", "localize/templates/article.txt"]
    run_cli("merge", "--lang", "ru", project=root)  # nothing translated in ru: nothing published
    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text(encoding="utf-8") + "min_translated = 0\n", encoding="utf-8"
    )
    result = run_cli("merge", "--lang", "ru", project=root)
    assert result.exit_code == 0, result.output
    page = (root / "build" / "ru" / "alpha.html").read_text(encoding="utf-8")
    assert '<p class="sponsor">Supported by our readers</p>' in page
    assert "Другие новости" in page


def test_a_broken_template_is_an_error_with_a_place(tmp_path: Path, run_cli):
    root = site_tree(tmp_path)
    (root / "templates").mkdir()
    (root / "templates" / "index.html").write_text("{% block main %}\n{{ _('x') }\n", encoding="utf-8")
    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 1
    assert result.output.startswith("Error: templates/index.html:2: template syntax error")


def test_a_template_edited_in_place_is_seen_by_extract_as_by_a_run_from_nothing(tmp_path: Path, run_cli):
    """ui.pot's template strings are kept in the tree's cache under the templates' bytes: an edit that
    keeps a template's size and time changes ui.pot as it does in a tree without the cache."""
    root = site_tree(tmp_path)
    template = root / "templates" / "article.html"
    template.parent.mkdir()
    shutil.copy(REPOSITORY / "localize" / "templates" / "article.html", template)
    assert run_cli("extract", project=root).exit_code == 0
    assert run_cli("extract", project=root).exit_code == 0  # the strings now come from the cache
    status = template.stat()
    text = template.read_text(encoding="utf-8")
    edited = text.replace("Other news", "Other newz", 1)
    assert edited != text and len(edited) == len(text)
    template.write_text(edited, encoding="utf-8")
    os.utime(template, ns=(status.st_atime_ns, status.st_mtime_ns))
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, symlinks=True)
    shutil.rmtree(fresh / CACHE_FOLDER)
    for tree in (root, fresh):
        assert run_cli("extract", project=tree).exit_code == 0
    ui_files = sorted(path.relative_to(fresh) for path in (fresh / "locales").rglob("ui.po*"))
    assert ui_files and [(root / path).read_bytes() for path in ui_files] == [
        (fresh / path).read_bytes() for path in ui_files]
    assert "Other newz" in (root / "locales" / "templates" / "ui.pot").read_text(encoding="utf-8")


def test_extract_without_the_cache_neither_reads_nor_writes_it(tmp_path: Path, run_cli):
    """``extract --no-cache``: the templates' strings too are found again, and no cache is made."""
    root = site_tree(tmp_path)
    assert run_cli("extract", "--no-cache", project=root).exit_code == 0
    assert not (root / CACHE_FOLDER / DATABASE).exists()  # (the folder holds the tree's lock)
    assert "All news" in (root / "locales" / "templates" / "ui.pot").read_text(encoding="utf-8")


def test_a_no_op_check_loads_neither_jinja2_nor_a_parser(tmp_path: Path, run_cli):
    """A check answered from the cache (extract --check finds nothing stale) imports no library that
    only reading articles, updating catalogs or rendering pages needs."""
    root = site_tree(tmp_path)
    assert run_cli("extract", project=root).exit_code == 0
    run_cli("check", "--jobs", "1", project=root)
    script = (
        "import sys\n"
        "from localize.cli import cli\n"
        "try:\n"
        "    cli(['-q', '-C', sys.argv[1], 'check', '--jobs', '1'], standalone_mode=False)\n"
        "finally:\n"
        "    loaded = sorted(name for name in ('jinja2', 'markdown_it', 'rapidfuzz', 'babel.messages', 'tomlkit',\n"
        "                                      'localize.render', 'localize.checks') if name in sys.modules)\n"
        "    print('loaded:', ' '.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=False)
    assert "loaded: \n" in result.stdout, result.stdout + result.stderr
