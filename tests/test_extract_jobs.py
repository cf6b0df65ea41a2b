"""Extract on several processes writes what it writes on one, byte for byte.

A tree of a few dozen articles in three languages whose catalogs translators
have partly filled, so that the update finds exact and fuzzy matches in the
translation memory; then the same edits extracted with ``--jobs 1`` in one copy
and ``--jobs 2`` in another: every file of locales/ must be equal.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

ARTICLES = 36
LANGUAGES = ("ru", "uk", "de")
SHARED = "Subscribe to our newsletter to get the main news of the day."


def article(number: int, *, edited: bool = False) -> str:
    second = (
        f"Residents of district {number} were asked to stay in shelters until the all-clear, "
        f"the regional administration wrote on Telegram."
    )
    if edited:
        # Nearly the same sentence as in other articles: a fuzzy match from the memory.
        second = second.replace("were asked", "had been asked")
    return (
        f"---\ntitle: Report {number} from the front line\n---\n\n"
        f"Officials in region {number} said that air defence shot down {number + 3} drones overnight.\n\n"
        f"{second}\n\n"
        f"{SHARED}\n"
    )


def translate(root: Path, *, every: int) -> None:
    """Translate every ``every``-th catalog of each language, all its entries."""
    for code in LANGUAGES:
        folder = root / "locales" / code / "LC_MESSAGES" / "articles"
        for index, path in enumerate(sorted(folder.glob("*.po"))):
            if index % every:
                continue
            catalog = polib.pofile(str(path))
            for entry in catalog:
                entry.msgstr = f"[{code}] {entry.msgid}"
            catalog.save()


def locales(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / "locales").rglob("*")) if path.is_file()
    }


def test_two_jobs_write_what_one_writes(content_tree, run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = content_tree({f"story-{number:02d}": article(number) for number in range(ARTICLES)},
                        languages=LANGUAGES)
    first = run_cli("extract", "--jobs", "1", project=root)
    assert first.exit_code == 0, first.output
    translate(root, every=3)
    # New articles and edits: exact matches (the shared line, whole sentences) and fuzzy ones.
    for number in range(ARTICLES):
        if number % 3 == 1:
            (root / "source_articles" / f"story-{number:02d}.md").write_text(article(number, edited=True))
    for number in range(ARTICLES, ARTICLES + 6):
        (root / "source_articles" / f"story-{number:02d}.md").write_text(article(number - ARTICLES, edited=True))

    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    one = run_cli("--verbose", "extract", "--jobs", "1", project=root)
    two = run_cli("--verbose", "extract", "--jobs", "2", project=copy)
    assert one.exit_code == 0 and two.exit_code == 0, (one.output, two.output)
    assert one.output == two.output
    assert locales(root) == locales(copy)
    # The memory was asked and answered: the test compares real suggestions.
    texts = b"".join(locales(root).values())
    assert b"#, fuzzy" in texts and b"#| msgid" in texts
    assert "from the translation memory" in one.output

    # Cold, with no cache: the same again.
    for tree in (root, copy):
        shutil.rmtree(tree / "locales" / "templates")
        shutil.rmtree(tree / ".localize-cache")
    assert run_cli("extract", "--no-cache", "--jobs", "1", project=root).exit_code == 0
    assert run_cli("extract", "--no-cache", "--jobs", "3", project=copy).exit_code == 0
    assert locales(root) == locales(copy)


def test_rewritten_files_keep_their_permissions_and_leave_no_temporaries(content_tree, run_cli):
    # The workers write the files they change beside them; the step's process puts them in place.
    root = content_tree({f"story-{number:02d}": article(number) for number in range(12)}, languages=("ru",))
    assert run_cli("extract", "--jobs", "2", project=root).exit_code == 0
    catalogs = sorted((root / "locales" / "ru" / "LC_MESSAGES" / "articles").glob("*.po"))
    private, shared = catalogs[0], catalogs[1]
    private.chmod(0o600)
    shared.chmod(0o664)
    default = shared.parent.joinpath("new.po")
    default.write_bytes(b"")
    default_mode = default.stat().st_mode & 0o777  # what the umask gives a new file
    default.unlink()
    for number in range(12):  # every article edited: every file rewritten
        (root / "source_articles" / f"story-{number:02d}.md").write_text(article(number, edited=True), encoding="utf-8")
    (root / "source_articles" / "story-new.md").write_text(article(99), encoding="utf-8")
    assert run_cli("extract", "--jobs", "2", project=root).exit_code == 0
    assert "had been asked" in private.read_text(encoding="utf-8")
    assert private.stat().st_mode & 0o777 == 0o600
    assert shared.stat().st_mode & 0o777 == 0o664
    assert (shared.parent / "story-new.po").stat().st_mode & 0o777 == default_mode
    assert not [path for path in (root / "locales").rglob("*") if path.name.endswith(".tmp")]


def test_batches_put_in_place_on_a_thread_write_what_one_batch_writes(content_tree, run_cli, tmp_path, monkeypatch):
    # A few files a batch: each is put in place on a thread while the next results come in.
    from localize.steps import extract as extract_step

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = content_tree({f"story-{number:02d}": article(number) for number in range(ARTICLES)}, languages=LANGUAGES)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    assert run_cli("extract", "--jobs", "2", project=root).exit_code == 0
    monkeypatch.setattr(extract_step, "_BATCH_FILES", 5)
    small = run_cli("--verbose", "extract", "--jobs", "2", project=copy)
    assert small.exit_code == 0, small.output
    assert locales(root) == locales(copy)
    assert not [path for path in (copy / "locales").rglob("*") if path.name.endswith(".tmp")]
    # The cache was told of every article: the next run finds each as it left it.
    from localize.config import load_config

    again = extract_step.extract(load_config(copy), jobs=2)
    assert again.skipped == ARTICLES and not again.changed


def test_a_run_stopped_midway_leaves_no_temporaries_of_its_workers(content_tree, run_cli):
    # Ctrl-C after the first article: the workers have written the files of the articles they
    # were given meanwhile; the run removes them as it stops, and the files stay as they were.
    from localize.config import load_config
    from localize.steps import extract as extract_step

    root = content_tree({f"story-{number:02d}": article(number) for number in range(ARTICLES)}, languages=LANGUAGES)
    assert run_cli("extract", "--jobs", "2", project=root).exit_code == 0
    before = locales(root)
    for number in range(ARTICLES):
        (root / "source_articles" / f"story-{number:02d}.md").write_text(article(number, edited=True), encoding="utf-8")

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        extract_step.extract(load_config(root), jobs=2, on_progress=interrupt)
    assert not [path for path in root.rglob("*") if path.name.endswith(".tmp")]
    assert locales(root) == before  # the first article's files were only staged: not put in place
