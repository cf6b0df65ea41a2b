"""Unchanged articles are neither read nor written; everything that matters is still noticed.

The cache (``.localize-cache/``) only ever saves work: every test here also
checks that a run with it writes the same bytes as a run without it.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import polib
import pytest

import localize.cache
import localize.po.read
import localize.extraction
import localize.steps.extract
from tests.test_update_scenarios import ARTICLE, BOILERPLATE, SECOND, active, catalog, translate


@pytest.fixture
def reads(monkeypatch):
    """Which articles and article catalogs extract parses, by name."""
    seen = {"articles": [], "catalogs": []}
    read_article, parse_catalog = localize.extraction.read_article, localize.po.read.parse_catalog

    def counting_article(config, path):
        seen["articles"].append(path.stem)
        return read_article(config, path)

    def counting_catalog(raw, shown):
        if "articles" in shown.parts:  # the site's ui.po is the memory's too, but not an article's
            seen["catalogs"].append(shown.name)
        return parse_catalog(raw, shown)

    monkeypatch.setattr(localize.extraction, "read_article", counting_article)
    monkeypatch.setattr(localize.po.read, "parse_catalog", counting_catalog)  # every catalog parsed goes through it
    return seen


def three_articles(content_tree, run_cli) -> Path:
    root = content_tree({"kyiv": ARTICLE, "lviv": "# Lviv\n\nSirens in Lviv.\n", "odesa": "# Odesa\n\nPort news.\n"})
    assert run_cli("extract", project=root).exit_code == 0
    return root


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / "locales").rglob("*.po*"))
    }


def same_as_without_cache(root: Path, run_cli) -> None:
    """A copy of the tree without its cache, extracted with --no-cache, holds the same bytes."""
    copy = root.parent / f"{root.name}-nocache"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".localize-cache"))
    assert run_cli("extract", "--no-cache", project=copy).exit_code == 0
    assert tree_bytes(copy) == tree_bytes(root)
    shutil.rmtree(copy)


def age(root: Path, seconds: int = 60) -> None:
    """Move every file's modification time into the past, beyond any clock tick."""
    for path in root.rglob("*"):
        if path.is_file() and ".localize-cache" not in path.parts:
            status = path.stat()
            os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns - seconds * 10**9))


def test_a_second_run_reads_no_article_and_no_catalog(content_tree, run_cli, reads):
    root = three_articles(content_tree, run_cli)
    reads["articles"].clear(), reads["catalogs"].clear()
    result = run_cli("--verbose", "extract", project=root)
    assert "3 article(s): 0 file(s) written" in result.output
    assert reads == {"articles": [], "catalogs": []}
    assert (root / ".localize-cache/.gitignore").read_text(encoding="ascii").endswith("*\n")


def test_an_edited_source_is_the_only_one_read(content_tree, run_cli, reads):
    root = three_articles(content_tree, run_cli)
    reads["articles"].clear(), reads["catalogs"].clear()
    (root / "source_articles/lviv.md").write_text("# Lviv\n\nSirens in Lviv tonight.\n", encoding="utf-8")
    result = run_cli("--verbose", "extract", project=root)
    assert "3 article(s): 3 file(s) written" in result.output
    assert reads["articles"] == ["lviv"]
    assert set(reads["catalogs"]) == {"lviv.pot", "lviv.po"}
    same_as_without_cache(root, run_cli)


def test_a_touched_source_with_the_same_content_is_not_parsed(content_tree, run_cli, reads):
    root = three_articles(content_tree, run_cli)
    source = root / "source_articles/odesa.md"
    source.write_bytes(source.read_bytes())  # as git checkout does: new time, same bytes
    os.utime(source, ns=(time.time_ns() + 5_000_000_000,) * 2)
    reads["articles"].clear()
    assert "0 file(s) written" in run_cli("extract", project=root).output
    assert reads["articles"] == []


def test_a_translators_edit_is_noticed_without_a_source_change(content_tree, run_cli):
    root = three_articles(content_tree, run_cli)
    path = root / "locales/uk/LC_MESSAGES/articles/lviv.po"
    po = polib.pofile(str(path))
    po.remove(po.find("Sirens in Lviv."))  # an entry deleted by mistake
    po.save()
    result = run_cli("--verbose", "extract", project=root)
    assert "locales/uk/LC_MESSAGES/articles/lviv.po: updated" in result.output
    assert "Sirens in Lviv." in active(catalog(root, "lviv", "uk"))
    same_as_without_cache(root, run_cli)


def test_an_edit_within_the_same_clock_tick_is_noticed(content_tree, run_cli, monkeypatch):
    """A same-size edit that leaves the modification time as it was (the same tick of a coarse clock)."""
    root = three_articles(content_tree, run_cli)
    path = root / "locales/ru/LC_MESSAGES/articles/odesa.po"
    written = path.stat().st_mtime_ns
    # Keep every file "too recent to trust", as on a file system with one-second times.
    monkeypatch.setattr(localize.cache, "FINE_WINDOW_NS", 3600 * 10**9)
    before = path.read_bytes()
    edited = before.replace(b'msgid "Port news."\nmsgstr ""', b'msgid "Port news."\nmsgstr "P"')
    edited = edited.replace(b"Language-Team: none", b"Language-Team: non")
    assert edited != before and len(edited) == len(before)
    path.write_bytes(edited)
    os.utime(path, ns=(written, written))

    run_cli("extract", project=root)
    assert active(catalog(root, "odesa"))["Port news."].msgstr == "P"


def test_trusted_files_are_not_read_again(tmp_path, monkeypatch):
    path = tmp_path / "a.po"
    path.write_bytes(b"one")
    with localize.cache.open_cache(tmp_path) as cache:
        state = localize.cache.file_state(path)
        # Recorded long after its modification time: trusted by size and time alone.
        cache.observe("a.po", path, b"one", seen_ns=state.mtime_ns + 10**10)
        path.write_bytes(b"two")
        os.utime(path, ns=(state.mtime_ns, state.mtime_ns))
        assert cache.digest("a.po", path, localize.cache.file_state(path)) == localize.cache.content_digest(b"one")
        # Recorded as soon as written: racy, read again.
        cache.observe("a.po", path, b"one", seen_ns=state.mtime_ns)
        assert cache.digest("a.po", path, localize.cache.file_state(path)) == localize.cache.content_digest(b"two")
        assert cache.digest("a.po", path, None) is None


def test_new_settings_or_another_version_of_localize_redo_every_article(content_tree, run_cli, reads, monkeypatch):
    root = three_articles(content_tree, run_cli)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + 'location = "file"\n', encoding="utf-8")
    reads["articles"].clear()
    result = run_cli("--verbose", "extract", project=root)
    assert sorted(reads["articles"]) == ["kyiv", "lviv", "odesa"]
    assert all(f"{name}: updated" in result.output for name in (
        "locales/templates/articles/kyiv.pot", "locales/ru/LC_MESSAGES/articles/lviv.po",
        "locales/uk/LC_MESSAGES/articles/odesa.po",
    ))

    reads["articles"].clear()
    run_cli("extract", project=root)
    assert reads["articles"] == []
    monkeypatch.setattr(localize.cache, "_code_fingerprint", b"another version")
    run_cli("extract", project=root)
    assert sorted(reads["articles"]) == ["kyiv", "lviv", "odesa"]


def test_a_new_language_and_a_deleted_catalog_are_noticed(content_tree, run_cli):
    root = three_articles(content_tree, run_cli)
    (root / "locales/uk/LC_MESSAGES/articles/kyiv.po").unlink()
    result = run_cli("--verbose", "extract", project=root)
    assert "locales/uk/LC_MESSAGES/articles/kyiv.po: created" in result.output
    result = run_cli("init", "de", project=root)
    assert result.exit_code == 0, result.output
    assert (root / "locales/de/LC_MESSAGES/articles/odesa.po").is_file()
    assert "0 file(s) written" in run_cli("extract", project=root).output
    same_as_without_cache(root, run_cli)


def test_a_translation_elsewhere_redoes_only_the_articles_that_can_use_it(content_tree, run_cli, reads):
    root = content_tree({
        "kyiv": ARTICLE, "lviv": f"# Lviv\n\n{BOILERPLATE}\n", "odesa": "# Odesa\n\nPort news.\n",
    })
    run_cli("extract", project=root)
    translate(root / "locales/ru/LC_MESSAGES/articles/kyiv.po")
    reads["articles"].clear()
    run_cli("extract", project=root)
    assert sorted(reads["articles"]) == ["kyiv", "lviv"]  # odesa has nothing the memory gained
    assert active(catalog(root, "lviv"))[BOILERPLATE].msgstr == "RU " + BOILERPLATE
    same_as_without_cache(root, run_cli)


def test_a_check_run_does_not_use_up_what_the_next_extract_must_do(content_tree, run_cli):
    root = content_tree({"kyiv": ARTICLE, "lviv": f"# Lviv\n\n{BOILERPLATE}\n"})
    run_cli("extract", project=root)
    translate(root / "locales/ru/LC_MESSAGES/articles/kyiv.po")
    for _ in range(2):
        check = run_cli("--verbose", "extract", "--check", project=root)
        assert check.exit_code == 1
        assert "locales/ru/LC_MESSAGES/articles/lviv.po: would be updated (1 from the translation memory)" in check.output
    result = run_cli("--verbose", "extract", project=root)
    assert "locales/ru/LC_MESSAGES/articles/lviv.po: updated (1 from the translation memory)" in result.output
    assert run_cli("extract", "--check", project=root).exit_code == 0


def test_a_compendium_that_changes_fills_the_catalogs_that_can_use_it(content_tree, run_cli, reads):
    root = content_tree({"lviv": f"# Lviv\n\n{BOILERPLATE}\n", "odesa": "# Odesa\n\nPort news.\n"},
                        settings='compendia = ["memory/{lang}.po"]\n')
    run_cli("extract", project=root)
    compendium = root / "memory/uk.po"
    compendium.parent.mkdir()
    compendium.write_text(f'msgid "{BOILERPLATE}"\nmsgstr "Стежте за нами в Telegram."\n', encoding="utf-8")
    reads["articles"].clear()
    result = run_cli("--verbose", "extract", project=root)
    assert "locales/uk/LC_MESSAGES/articles/lviv.po: updated (1 from the translation memory)" in result.output
    assert reads["articles"] == ["lviv"]
    entry = active(catalog(root, "lviv", "uk"))[BOILERPLATE]
    assert entry.msgstr == "Стежте за нами в Telegram."
    assert entry.tcomment == "Translation memory: exact match from memory/uk.po"
    same_as_without_cache(root, run_cli)


def test_check_mode_uses_the_cache_and_writes_nothing(content_tree, run_cli):
    root = three_articles(content_tree, run_cli)
    (root / "source_articles/kyiv.md").write_text(ARTICLE.replace(SECOND, SECOND + " Later."), encoding="utf-8")
    before = tree_bytes(root)
    result = run_cli("--verbose", "extract", "--check", project=root)
    assert result.exit_code == 1
    assert "locales/ru/LC_MESSAGES/articles/kyiv.po: would be updated" in result.output
    assert "lviv" not in result.output
    assert tree_bytes(root) == before


def test_a_broken_or_foreign_cache_is_rebuilt(content_tree, run_cli):
    root = three_articles(content_tree, run_cli)
    database = root / ".localize-cache/cache.sqlite"
    database.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 0, result.output
    assert "0 file(s) written" in result.output
    assert "0 file(s) written" in run_cli("extract", project=root).output


def test_temporary_files_of_a_killed_run_are_removed(content_tree, run_cli):
    root = three_articles(content_tree, run_cli)
    left = root / "locales/ru/LC_MESSAGES/articles/.kyiv.po.a1b2c3d4.tmp"
    left.write_text("half a catalog", encoding="utf-8")
    check = run_cli("--verbose", "extract", "--check", project=root)
    assert "would be removed (left by an interrupted run)" in check.output
    assert left.exists()
    result = run_cli("--verbose", "extract", project=root)
    assert "locales/ru/LC_MESSAGES/articles/.kyiv.po.a1b2c3d4.tmp: removed (left by an interrupted run)" in result.output
    assert not left.exists()


def test_a_memory_index_made_anew_is_filled_again(content_tree, run_cli):
    """Another version of the memory's tables (or a damaged one): every catalog is indexed again."""
    import sqlite3

    root = content_tree({"kyiv": ARTICLE})
    run_cli("extract", project=root)
    translate(root / "locales/ru/LC_MESSAGES/articles/kyiv.po")
    run_cli("extract", project=root)
    age(root)
    run_cli("extract", project=root)  # every file trusted: the next run will not even list the memory's sources
    connection = sqlite3.connect(root / ".localize-cache/cache.sqlite")
    assert connection.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'memory sources %'").fetchone()[0] == 2
    connection.execute("UPDATE meta SET value = 'older' WHERE key = 'memory_schema'")
    connection.commit()
    connection.close()
    (root / "source_articles/next.md").write_text(f"{BOILERPLATE}\n", encoding="utf-8")
    run_cli("extract", project=root)
    assert active(catalog(root, "next"))[BOILERPLATE].msgstr == "RU " + BOILERPLATE


def test_a_library_installed_upgraded_or_removed_redoes_every_article(
    content_tree, run_cli, reads, monkeypatch, tmp_path,
):
    """The fingerprint knows the libraries by their metadata folders' names, not by importing them."""
    root = three_articles(content_tree, run_cli)
    site = tmp_path / "site-packages"
    (site / "polib-9.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(site))

    def extract_reads() -> list[str]:
        monkeypatch.setattr(localize.cache, "_code_fingerprint", None)  # as a new process would
        reads["articles"].clear()
        assert run_cli("extract", project=root).exit_code == 0
        return sorted(reads["articles"])

    assert extract_reads() == ["kyiv", "lviv", "odesa"]  # a library installed
    assert extract_reads() == []
    (site / "polib-9.0.dist-info").rename(site / "polib-9.1.dist-info")
    assert extract_reads() == ["kyiv", "lviv", "odesa"]  # upgraded
    assert extract_reads() == []
    # A development install's metadata folder does not name the version: its file does.
    (site / "polib-9.1.dist-info").rename(site / "polib.egg-info")
    (site / "polib.egg-info/PKG-INFO").write_text("Metadata-Version: 2.1\nName: polib\nVersion: 9.1\n\n")
    assert extract_reads() == []  # the same version
    (site / "polib.egg-info/PKG-INFO").write_text("Metadata-Version: 2.1\nName: polib\nVersion: 9.2\n\n")
    assert extract_reads() == ["kyiv", "lviv", "odesa"]
    assert extract_reads() == []
    (site / "polib.egg-info/PKG-INFO").write_text("Metadata-Version: 2.1\nName: polib\nVersion: 9.3.dev0\n\n")
    assert extract_reads() == ["kyiv", "lviv", "odesa"]
    shutil.rmtree(site / "polib.egg-info")
    assert extract_reads() == ["kyiv", "lviv", "odesa"]  # removed
    same_as_without_cache(root, run_cli)


def test_the_installed_distributions_are_those_importlib_metadata_finds():
    """Every library of the fingerprint that importlib.metadata sees on the import path, at the version it reads."""
    from importlib import metadata
    import sys

    listed = localize.cache.installed_distributions(sys.path, localize.cache.DEPENDENCIES)
    expected = [f"{localize.cache.normalized(name)}-{metadata.version(name)}" for name in localize.cache.DEPENDENCIES
                if any(True for _ in metadata.distributions(name=name))]
    assert expected  # (the libraries the tests run with are installed)
    assert sorted(set(listed)) == sorted(expected)
