"""check and status keep what they made of each article in the tree's cache: never a stale answer.

Every test compares a run that may use the cache with a run from nothing (the cache
folder removed first), output and exit status, in every output format, after each
kind of change the result depends on: a catalog, a source article, the glossary,
the settings.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import localize
import localize.steps.check
import localize.steps.status
from localize.cache import CACHE_FOLDER

CHECK_FORMATS = ("text", "json", "github", "junit")
STATUS_FORMATS = ("table", "json", "markdown")
SLUG = "2022-06-27-kyiv-missiles-belarus"


def outputs(run_cli, tree: Path, command: str, formats: tuple[str, ...]) -> list[tuple[int, str]]:
    return [
        (result.exit_code, result.output)
        for result in (run_cli(command, "--format", shown, "--jobs", "1", project=tree) for shown in formats)
    ]


def from_nothing(run_cli, tree: Path, command: str, formats: tuple[str, ...]) -> list[tuple[int, str]]:
    """Each format run on a tree without a cache."""
    found = []
    for shown in formats:
        shutil.rmtree(tree / CACHE_FOLDER, ignore_errors=True)
        result = run_cli(command, "--format", shown, "--jobs", "1", project=tree)
        found.append((result.exit_code, result.output))
    return found


def catalogs_unread(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every catalog that check or status reads from here on."""
    read: list[Path] = []
    for module in (localize.steps.check, localize.steps.status):
        original: Callable = module.read_catalog

        def recording(path, *args, original=original, **kwargs):
            read.append(Path(path))
            return original(path, *args, **kwargs)

        monkeypatch.setattr(module, "read_catalog", recording)
    return read


def edit_catalog(tree: Path) -> None:
    """Emphasis that the source does not have: an E204 that the cached result did not have."""
    path = tree / "locales/ru/LC_MESSAGES/articles" / f"{SLUG}.po"
    text = path.read_text(encoding="utf-8")
    edited = text.replace('"Российские ракеты', '"**Российские** ракеты', 1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")


def edit_source(tree: Path) -> None:
    """A new paragraph in the article: its catalogs are out of date, and cover less of it."""
    path = tree / "source_articles" / f"{SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA paragraph added after the catalogs were made.\n",
                    encoding="utf-8")


def add_glossary(tree: Path) -> None:
    (tree / "glossary").mkdir(exist_ok=True)
    (tree / "glossary/ru.csv").write_text(
        "term,translation,note,status\nKyiv,Киев|Киева|Киеву,,preferred\nKyiv,Кыйив,,forbidden\n"
        "Russia,Рашка,,forbidden\nmissiles,ракетами,,preferred\n",
        encoding="utf-8",
    )


def change_settings(tree: Path) -> None:
    """Other quotation marks for Russian (W204 in the cached results), a higher bar to publish,
    and a check reported as a warning."""
    settings = tree / "pyproject.toml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("[tool.localize]\n", "[tool.localize]\nmin_translated = 100\n", 1)
    settings.write_text(text + '\n[tool.localize.quotes]\nru = "“”"\n\n[tool.localize.check]\nwarn = ["E204"]\n',
                        encoding="utf-8")


def edit_page_template(tree: Path) -> None:
    """The tree's own article page, with a site string the package's has not: ui.pot and ui.po are out of date."""
    shipped = Path(localize.__file__).parent / "templates/article.html"
    (tree / "templates").mkdir(exist_ok=True)
    text = shipped.read_text(encoding="utf-8")
    edited = text.replace("Other news", "Other items", 1)
    assert edited != text
    (tree / "templates/article.html").write_text(edited, encoding="utf-8")


EDITS = {"catalog": edit_catalog, "source": edit_source, "glossary": add_glossary, "settings": change_settings,
         "template": edit_page_template}


@pytest.mark.parametrize("command, formats", [("check", CHECK_FORMATS), ("status", STATUS_FORMATS)])
def test_an_unchanged_tree_is_answered_from_the_cache_as_from_nothing(
    run_cli, sample_tree: Path, monkeypatch: pytest.MonkeyPatch, command: str, formats: tuple[str, ...],
) -> None:
    edit_catalog(sample_tree)  # something to report
    first = outputs(run_cli, sample_tree, command, formats)
    read = catalogs_unread(monkeypatch)
    again = outputs(run_cli, sample_tree, command, formats)
    assert read == []  # every article was answered from the cache
    assert again == first == from_nothing(run_cli, sample_tree, command, formats)


@pytest.mark.parametrize("edits", [["catalog"], ["source"], ["glossary"], ["settings"], ["template"], list(EDITS)])
@pytest.mark.parametrize("command, formats", [("check", CHECK_FORMATS), ("status", STATUS_FORMATS)])
def test_every_change_is_seen(
    run_cli, sample_tree: Path, command: str, formats: tuple[str, ...], edits: list[str],
) -> None:
    before = outputs(run_cli, sample_tree, command, formats)
    outputs(run_cli, sample_tree, command, formats)  # a run that is answered from the cache
    for name in edits:
        EDITS[name](sample_tree)
        after = outputs(run_cli, sample_tree, command, formats)
        assert after == from_nothing(run_cli, sample_tree, command, formats), name
        assert outputs(run_cli, sample_tree, command, formats) == after, name
    if command == "check" or "source" in edits:
        assert after != before  # the edits changed what is reported: the comparison above meant something


def test_an_edit_that_keeps_the_size_of_a_catalog_is_seen(run_cli, sample_tree: Path) -> None:
    path = sample_tree / "locales/ru/LC_MESSAGES/articles" / f"{SLUG}.po"
    add_glossary(sample_tree)  # Киев is approved: Кеев is a W401
    first = run_cli("check", "--jobs", "1", project=sample_tree)
    assert run_cli("check", "--jobs", "1", project=sample_tree).output == first.output
    data = path.read_bytes()
    edited = data.replace("Киев".encode(), "Кеев".encode(), 1)  # as many bytes in UTF-8
    assert edited != data and len(edited) == len(data)
    path.write_bytes(edited)
    cached = run_cli("check", "--jobs", "1", project=sample_tree)
    shutil.rmtree(sample_tree / CACHE_FOLDER)
    assert cached.output == run_cli("check", "--jobs", "1", project=sample_tree).output
    assert first.output != cached.output


def test_an_edit_that_keeps_the_size_and_time_of_a_recent_catalog_is_seen(run_cli, sample_tree: Path) -> None:
    """A file whose time is too recent to vouch for it (another write in the same clock tick would
    leave it so: here a time ahead of the clock, always too recent) is read again, even when an
    edit keeps its size and its time."""
    path = sample_tree / "locales/ru/LC_MESSAGES/articles" / f"{SLUG}.po"
    add_glossary(sample_tree)  # Киев is approved: Кеев is a W401
    ahead = time.time_ns() + 3_600 * 1_000_000_000
    os.utime(path, ns=(ahead, ahead))
    first = run_cli("check", "--format", "json", "--jobs", "1", project=sample_tree)
    assert run_cli("check", "--format", "json", "--jobs", "1", project=sample_tree).output == first.output
    data = path.read_bytes()
    edited = data.replace("Киев".encode(), "Кеев".encode(), 1)  # as many bytes in UTF-8
    assert edited != data and len(edited) == len(data)
    path.write_bytes(edited)
    os.utime(path, ns=(ahead, ahead))
    cached = run_cli("check", "--format", "json", "--jobs", "1", project=sample_tree)
    shutil.rmtree(sample_tree / CACHE_FOLDER)
    assert cached.output == run_cli("check", "--format", "json", "--jobs", "1", project=sample_tree).output
    assert first.output != cached.output


def test_a_check_of_files_outside_a_tree_leaves_no_cache(run_cli, tmp_path: Path) -> None:
    catalog = tmp_path / "ru.po"
    catalog.write_text('msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n',
                       encoding="utf-8")
    result = run_cli("check", str(catalog), project=tmp_path)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / CACHE_FOLDER).exists()


def test_the_catalogs_listed_are_those_rglob_finds(tmp_path: Path) -> None:
    """The catalogs are listed in one walk of strings; it finds what Path.rglob finds, in its order:
    hidden files and folders, a link to a catalog and one to nothing, a folder named like a catalog,
    names that sort apart as strings and as paths (``a-b/`` and ``a/``), no link to a folder followed."""
    from localize.catalog import listed_files, listed_slugs

    folder = tmp_path / "articles"
    for relative in ("a/x.po", "a-b/x.po", "a.po", ".hidden.po", ".folder/y.po", "deep/er/z.po", "notes.txt",
                     "x.po.bak", "UPPER.PO"):
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text("", encoding="utf-8")
    (folder / "folder.po").mkdir()
    (folder / "link.po").symlink_to(folder / "a.po")
    (folder / "dangling.po").symlink_to(folder / "missing.po")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/far.po").write_text("", encoding="utf-8")
    (folder / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    expected = sorted(path.relative_to(folder).with_suffix("").as_posix() for path in folder.rglob("*.po"))
    assert listed_slugs(folder, ".po") == expected
    assert "a-b/x" in expected and "dangling" in expected and "linked/far" not in expected
    assert listed_slugs(tmp_path / "nothing", ".po") == []
    # The files among them, in the order of sorted Paths (by their parts), as check takes them.
    files = [path.relative_to(folder).as_posix() for path in sorted(folder.rglob("*.po")) if path.is_file()]
    assert [relative for relative, is_file in listed_files(folder, ".po") if is_file] == files


def test_a_file_named_by_its_absolute_path_does_not_change_how_the_tree_check_shows_it(
    run_cli, sample_tree: Path,
) -> None:
    catalog = sample_tree / "locales/ru/LC_MESSAGES/ui.po"  # a file of no article: its result is the file's
    with catalog.open("a", encoding="utf-8") as stream:  # something to report, at the catalog's path
        stream.write('\n#, python-format\nmsgid "Extra %(name)s"\nmsgstr "Лишнее"\n')
    named = run_cli("check", str(catalog.resolve()), "--jobs", "1", project=sample_tree)
    assert str(catalog.resolve()) in named.output
    tree = run_cli("check", "--jobs", "1", project=sample_tree)
    assert str(catalog.resolve()) not in tree.output
    shutil.rmtree(sample_tree / CACHE_FOLDER)
    assert tree.output == run_cli("check", "--jobs", "1", project=sample_tree).output
    assert run_cli("check", str(catalog.resolve()), "--jobs", "1", project=sample_tree).output == named.output


@pytest.mark.parametrize("command", ["check", "status"])
def test_no_cache_reads_every_catalog_and_says_the_same(
    run_cli, sample_tree: Path, monkeypatch: pytest.MonkeyPatch, command: str,
) -> None:
    first = run_cli(command, "--jobs", "1", project=sample_tree)
    read = catalogs_unread(monkeypatch)
    again = run_cli(command, "--jobs", "1", "--no-cache", project=sample_tree)
    assert read and (again.exit_code, again.output) == (first.exit_code, first.output)


def _files_of_the_tree(tree: Path) -> list[Path]:
    """Every file check and status read: sources, templates, catalogs (articles and ui.po)."""
    return sorted(path for folder in ("source_articles", "locales") for path in (tree / folder).rglob("*")
                  if path.is_file())


@pytest.mark.parametrize("command, formats", [("check", CHECK_FORMATS), ("status", STATUS_FORMATS)])
def test_a_change_to_any_one_file_is_noticed(
    run_cli, sample_tree: Path, command: str, formats: tuple[str, ...],
) -> None:
    """Each file of the tree in turn gets one more line (a comment, so that the files still parse,
    or a paragraph for a source); the run that may use the cache says what a run from nothing says."""
    files = _files_of_the_tree(sample_tree)
    assert any(path.suffix == ".pot" for path in files) and any(path.name == "ui.po" for path in files)
    outputs(run_cli, sample_tree, command, formats)  # the cache filled
    for path in files:
        data = path.read_bytes()
        path.write_bytes(data + (b"\nOne more paragraph.\n" if path.suffix == ".md" else b"\n# one more line\n"))
        after = outputs(run_cli, sample_tree, command, formats)
        assert after == from_nothing(run_cli, sample_tree, command, formats), path
        path.write_bytes(data)


def test_a_catalog_folder_that_becomes_a_link_is_noticed(run_cli, sample_tree: Path) -> None:
    """The folders of a run are resolved once each: a folder made a link between two runs (its
    language then the one it leads to) is seen by the next, as by a run from nothing."""
    first = outputs(run_cli, sample_tree, "check", CHECK_FORMATS)
    articles = sample_tree / "locales/ru/LC_MESSAGES/articles"
    moved = sample_tree / "elsewhere/uk/LC_MESSAGES/articles"
    moved.parent.mkdir(parents=True)
    articles.rename(moved)
    articles.symlink_to(moved, target_is_directory=True)
    cached = outputs(run_cli, sample_tree, "check", CHECK_FORMATS)
    assert cached == from_nothing(run_cli, sample_tree, "check", CHECK_FORMATS)
    assert cached != first  # the catalogs are now uk's, whose header says ru


def test_a_catalog_that_becomes_a_link_is_noticed(run_cli, sample_tree: Path) -> None:
    """A catalog replaced by a link to a copy elsewhere: the listing says it is a link, and its
    result is made again, as by a run from nothing."""
    catalog = sample_tree / "locales/ru/LC_MESSAGES/articles" / f"{SLUG}.po"
    first = outputs(run_cli, sample_tree, "check", CHECK_FORMATS)
    copy = sample_tree / "elsewhere.po"
    copy.write_bytes(catalog.read_bytes().replace("Российские ракеты".encode(), "**Российские** ракеты".encode(), 1))
    catalog.unlink()
    catalog.symlink_to(copy)
    cached = outputs(run_cli, sample_tree, "check", CHECK_FORMATS)
    assert cached == from_nothing(run_cli, sample_tree, "check", CHECK_FORMATS)
    assert cached != first


def test_the_listing_tells_links(tmp_path: Path) -> None:
    """``listed_entries`` is ``listed_files`` with whether each is a symbolic link."""
    from localize.catalog import listed_entries, listed_files

    folder = tmp_path / "articles"
    (folder / "a").mkdir(parents=True)
    (folder / "a/x.po").write_text("", encoding="utf-8")
    (folder / "link.po").symlink_to(folder / "a/x.po")
    (folder / "dangling.po").symlink_to(folder / "missing.po")
    entries = listed_entries(folder, ".po")
    assert [(relative, is_file) for relative, is_file, _ in entries] == listed_files(folder, ".po")
    assert {relative: is_link for relative, _, is_link in entries} == {
        "a/x.po": False, "dangling.po": True, "link.po": True,
    }


@pytest.mark.parametrize("command, formats", [("check", CHECK_FORMATS), ("status", STATUS_FORMATS)])
def test_a_source_that_becomes_a_link_is_noticed(
    run_cli, sample_tree: Path, command: str, formats: tuple[str, ...],
) -> None:
    """The states of the sources come from the listing, trusted only for files that are no links:
    a source replaced by a link to an edited copy (its time and size kept) is read again."""
    source = sample_tree / "source_articles" / f"{SLUG}.md"
    first = outputs(run_cli, sample_tree, command, formats)
    copy = sample_tree / "elsewhere.md"
    data = source.read_bytes()
    edited = data.replace(b"missiles", b"rockets!")  # as many bytes: the state alone cannot tell
    assert edited != data and len(edited) == len(data)
    copy.write_bytes(edited)
    status = source.stat()
    source.unlink()
    source.symlink_to(copy)
    os.utime(copy, ns=(status.st_atime_ns, status.st_mtime_ns))
    cached = outputs(run_cli, sample_tree, command, formats)
    assert cached == from_nothing(run_cli, sample_tree, command, formats)
    assert cached != first


@pytest.mark.parametrize("linked", ["templates", "catalogs"])
def test_orphans_and_an_articles_folder_that_is_a_link_are_seen_as_from_nothing(
    run_cli, sample_tree: Path, linked: str,
) -> None:
    """check takes the orphans' slugs from its own listing of the catalogs, and a template goes with
    its article's catalogs: an orphan template and catalog are reported from the cache as from
    nothing, and so is an ``articles`` folder that is a link (which that listing does not go into)."""
    first = outputs(run_cli, sample_tree, "check", CHECK_FORMATS)
    templates = sample_tree / "locales/templates/articles"
    catalogs = sample_tree / "locales/ru/LC_MESSAGES/articles"
    shutil.copy(templates / f"{SLUG}.pot", templates / "gone.pot")
    shutil.copy(catalogs / f"{SLUG}.po", catalogs / "gone.po")
    outputs(run_cli, sample_tree, "check", CHECK_FORMATS)  # the cache filled
    orphans = outputs(run_cli, sample_tree, "check", CHECK_FORMATS)
    assert orphans == from_nothing(run_cli, sample_tree, "check", CHECK_FORMATS)
    assert orphans != first and all("gone" in output for _, output in orphans)
    folder = templates if linked == "templates" else catalogs
    moved = sample_tree / "elsewhere" / linked
    moved.parent.mkdir(parents=True)
    folder.rename(moved)
    folder.symlink_to(moved, target_is_directory=True)
    (moved / ("extra.pot" if linked == "templates" else "extra.po")).write_bytes(
        (moved / ("gone.pot" if linked == "templates" else "gone.po")).read_bytes())
    cached = outputs(run_cli, sample_tree, "check", CHECK_FORMATS)
    assert cached == from_nothing(run_cli, sample_tree, "check", CHECK_FORMATS)
    assert all("extra" in output for _, output in cached)


def test_the_scan_tells_links(tmp_path: Path) -> None:
    """``cache.scan`` says which files it found are symbolic links (the others' state is their lstat)."""
    from localize.cache import scan

    (tmp_path / "a").mkdir()
    (tmp_path / "a/x.md").write_text("x", encoding="utf-8")
    (tmp_path / "link.md").symlink_to(tmp_path / "a/x.md")
    found = scan(tmp_path, ".md")
    assert set(found.files) == {"a/x.md", "link.md"}
    assert found.links == {str(tmp_path / "link.md")}
    assert found.files["a/x.md"][1] == (os.lstat(tmp_path / "a/x.md").st_size, os.lstat(tmp_path / "a/x.md").st_mtime_ns)


@pytest.mark.parametrize("command", ["check", "status"])
def test_another_version_of_a_library_is_not_answered_from_the_cache(
    run_cli, sample_tree: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str,
) -> None:
    site = tmp_path / "site-packages"
    (site / "markdown_it_py-99.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(localize.cache, "_code_fingerprint", None)
    first = outputs(run_cli, sample_tree, command, ("json",))
    (site / "markdown_it_py-99.0.dist-info").rename(site / "markdown_it_py-99.1.dist-info")
    monkeypatch.setattr(localize.cache, "_code_fingerprint", None)  # as a new process would
    read = catalogs_unread(monkeypatch)
    assert outputs(run_cli, sample_tree, command, ("json",)) == first
    assert read  # made again, not served
    read.clear()
    assert outputs(run_cli, sample_tree, command, ("json",)) == first
    assert read == []
