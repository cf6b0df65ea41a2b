"""The core workflow as a newsroom runs it: extract, translate in a PO file, merge."""

from __future__ import annotations

import os
from pathlib import Path

import polib

from tests.conftest import gettext_accepts

ARTICLE = """---
title: "Missiles hit Kyiv"
date: 2022-06-27T11:43:00+03:00
author: Not translated
---

# Missiles hit Kyiv

The Russian missiles hit central Kyiv
on the morning of June 26.

- First point
- Second point

> A quote from an analyst.

Follow us on Telegram.

Follow us on Telegram.
"""


def entries(path: Path) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in polib.pofile(str(path)) if not entry.obsolete}


def test_extract_writes_template_and_catalogs_that_gettext_accepts(content_tree, run_cli):
    root = content_tree({"2022/kyiv": ARTICLE})
    result = run_cli("extract", project=root)
    assert result.exit_code == 0, result.output
    template = root / "locales/templates/articles/2022/kyiv.pot"
    catalogs = [root / f"locales/{code}/LC_MESSAGES/articles/2022/kyiv.po" for code in ("ru", "uk")]
    for path in [template, *catalogs]:
        gettext_accepts(path)

    found = entries(catalogs[0])
    assert list(found) == [
        "Missiles hit Kyiv",
        "The Russian missiles hit central Kyiv on the morning of June 26.",
        "First point",
        "Second point",
        "A quote from an analyst.",
        "Follow us on Telegram.",
    ]
    title = found["Missiles hit Kyiv"]
    assert title.occurrences == [("source_articles/2022/kyiv.md", "2"), ("source_articles/2022/kyiv.md", "7")]
    assert title.comment == "front matter: title\ntype: heading 1"
    assert found["First point"].comment == "type: list item"
    assert found["Follow us on Telegram."].occurrences == [
        ("source_articles/2022/kyiv.md", "17"), ("source_articles/2022/kyiv.md", "19")
    ]
    russian = polib.pofile(str(catalogs[0]))
    assert russian.metadata["Language"] == "ru"
    assert russian.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert russian.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_second_extract_changes_no_byte_and_no_modification_time(content_tree, run_cli):
    root = content_tree({"kyiv": ARTICLE})
    run_cli("extract", project=root)
    written = sorted((root / "locales").rglob("*.po*"))
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in written}
    os.environ["SOURCE_DATE_EPOCH"] = "1800000000"  # a later clock must not matter
    try:
        result = run_cli("extract", project=root)
    finally:
        os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    assert result.exit_code == 0
    assert "0 file(s) written" in result.output
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in written} == before
    assert run_cli("extract", "--check", project=root).exit_code == 0


def test_translations_survive_source_edits_and_removed_text_becomes_obsolete(content_tree, run_cli):
    root = content_tree({"kyiv": ARTICLE})
    run_cli("extract", project=root)
    path = root / "locales/ru/LC_MESSAGES/articles/kyiv.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:
        entry.msgstr = "RU " + entry.msgid
    catalog.find("First point").tcomment = "checked by the desk"
    catalog.find("Second point").flags.append("no-wrap")
    catalog.save()

    source = root / "source_articles/kyiv.md"
    # Re-wrapping a paragraph changes no msgid; removing a list item retires its entry.
    edited = ARTICLE.replace("central Kyiv\non the morning", "central\nKyiv on the morning").replace("- First point\n", "")
    source.write_text(edited.replace("- Second point", "- Second point\n- First point"), encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace("> A quote from an analyst.\n", ""), encoding="utf-8")
    assert run_cli("extract", "--check", project=root).exit_code == 1
    assert run_cli("extract", project=root).exit_code == 0
    gettext_accepts(path)

    updated = polib.pofile(str(path))
    active = {entry.msgid: entry for entry in updated if not entry.obsolete}
    assert active["The Russian missiles hit central Kyiv on the morning of June 26."].msgstr.startswith("RU ")
    assert active["First point"].tcomment == "checked by the desk"
    assert "no-wrap" in active["Second point"].flags
    assert [entry.msgid for entry in updated.obsolete_entries()] == ["A quote from an analyst."]
    assert updated.obsolete_entries()[0].msgstr == "RU A quote from an analyst."

    # The text comes back: the obsolete entry is revived, translated.
    source.write_text(ARTICLE, encoding="utf-8")
    run_cli("extract", project=root)
    revived = entries(path)["A quote from an analyst."]
    assert revived.msgstr == "RU A quote from an analyst." and not revived.fuzzy
    assert polib.pofile(str(path)).obsolete_entries() == []


def test_merge_replaces_translated_segments_and_keeps_everything_else(content_tree, run_cli):
    # Publish whatever is translated, so that the partial translation is merged.
    root = content_tree({"kyiv": ARTICLE}, settings="min_translated = 0\n")
    run_cli("extract", project=root)
    path = root / "locales/ru/LC_MESSAGES/articles/kyiv.po"
    catalog = polib.pofile(str(path))
    catalog.find("Missiles hit Kyiv").msgstr = "Ракеты: удар по Киеву"
    catalog.find("First point").msgstr = "Первый пункт"
    fuzzy = catalog.find("Second point")
    fuzzy.msgstr, fuzzy.flags = "Второй пункт", ["fuzzy"]
    catalog.save()

    result = run_cli("merge", project=root)
    assert result.exit_code == 0, result.output
    assert "ru: 1 article(s), 3/8 segments translated (37%)" in result.output
    assert "uk: 1 article(s), 0/8 segments translated (0%)" in result.output
    merged = (root / "build/ru/kyiv.md").read_text(encoding="utf-8")
    assert merged == (
        ARTICLE.replace('title: "Missiles hit Kyiv"', 'title: "Ракеты: удар по Киеву"')
        .replace("# Missiles hit Kyiv", "# Ракеты: удар по Киеву")
        .replace("- First point", "- Первый пункт")
    )
    assert (root / "build/uk/kyiv.md").read_bytes() == ARTICLE.encode()

    only = run_cli("merge", "--lang", "uk", "--out", str(root / "elsewhere"), project=root)
    assert only.exit_code == 0 and "ru:" not in only.output
    assert (root / "elsewhere/uk/kyiv.md").is_file()


def test_location_setting_controls_references(content_tree, run_cli):
    for location, expected in (("file", [("source_articles/kyiv.md", "")]), ("never", [])):
        root = content_tree({"kyiv": "Only paragraph.\n"}, settings=f'location = "{location}"\n')
        assert run_cli("extract", project=root).exit_code == 0
        path = root / "locales/ru/LC_MESSAGES/articles/kyiv.po"
        assert entries(path)["Only paragraph."].occurrences == expected
        gettext_accepts(path)
        import shutil

        shutil.rmtree(root)


def test_init_adds_languages_and_creates_their_catalogs(content_tree, run_cli):
    root = content_tree({"kyiv": ARTICLE}, languages=("ru",))
    run_cli("extract", project=root)
    result = run_cli("init", "ar", "pt-BR", project=root)
    assert result.exit_code == 0, result.output
    assert "added language ar" in result.output
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert 'languages = ["ru", "ar", "pt_BR"]' in pyproject
    arabic = polib.pofile(str(root / "locales/ar/LC_MESSAGES/articles/kyiv.po"))
    assert arabic.metadata["Plural-Forms"].startswith("nplurals=6;")
    assert (root / "locales/pt_BR/LC_MESSAGES/articles/kyiv.po").is_file()
    assert run_cli("extract", "--check", project=root).exit_code == 0


def test_the_sample_content_is_fully_translated_and_stable(sample_tree, run_cli):
    check = run_cli("extract", "--check", project=sample_tree)
    assert check.exit_code == 0, check.output
    for path in sorted((sample_tree / "locales").rglob("*.po*")):
        gettext_accepts(path)
    result = run_cli("merge", project=sample_tree)
    assert "ru: 1 article(s), 11/11 segments translated (100%)" in result.output
    assert "uk: 1 article(s), 11/11 segments translated (100%)" in result.output
    russian = (sample_tree / "build/ru/2022-06-27-kyiv-missiles-belarus.md").read_text(encoding="utf-8")
    assert "Киев" in russian and "date: 2022-06-27T11:43:00+03:00" in russian


def test_python_dash_m_runs_the_same_cli(sample_tree):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "localize", "-C", str(sample_tree), "extract", "--check"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "1 article(s)" in result.stdout
