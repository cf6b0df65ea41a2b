"""merge, check and status on several processes (``--jobs``) give what one process gives, byte for byte."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from localize.config import load_config
from localize.steps.check import check
from localize.steps.merge import merge
from localize.steps.status import status
from tests.test_pages_helpers import translate

LANGUAGES = ("ru", "uk", "de")
ARTICLES = 36
SETTINGS = 'base_url = "https://news.example/"\npage_size = 10\n'


def _article(number: int) -> str:
    """Articles with and without dates (some on the same day), links to others, an image, a table."""
    date = f"date: 2024-{1 + number % 12:02d}-{1 + number % 5:02d} 1{number % 10}:00:00 +0200\n" if number % 7 else ""
    other = (number * 5 + 3) % ARTICLES
    return (
        f"---\ntitle: Story number {number} of the day\n{date}summary: What happened, part {number}.\n---\n\n"
        f"# Story number {number} of the day\n\n"
        f"The council met on Monday and *voted* on item {number}; see [the earlier story]"
        f"(../{'b' if other % 2 else 'a'}/story-{other:02d}.md) and [the archive](https://news.example/archive).\n\n"
        f"![A street in the rain](images/street-{number % 3}.jpg)\n\n"
        "| Day | Votes |\n| --- | ----- |\n| Monday | 12 |\n\n"
        "Follow us on Telegram.\n"
    )


def _translation(language: str, number: int):
    """Most articles translated in full; some in part (below or at min_translated), one with a
    link the translator changed (which merge refuses), one left untranslated."""
    def translated(msgid: str) -> str | None:
        if number % 11 == 4:
            return None
        if number % 6 == 1 and language != "ru" and not msgid.startswith(("Story", "The council")):
            return None
        if number == 9 and language == "uk" and "](" in msgid:
            return f"[{language}] " + msgid.replace("https://news.example/archive", "https://elsewhere.example/")
        return f"[{language}] {msgid}"
    return translated


@pytest.fixture
def tree(content_tree, run_cli) -> Path:
    """A few dozen articles in three languages, extracted and translated; one article cannot be
    read (not UTF-8), as in an archive that grew for years."""
    articles: dict[str, str | bytes] = {
        f"{'b' if number % 2 else 'a'}/story-{number:02d}": _article(number) for number in range(ARTICLES)
    }
    articles["a/broken"] = b"---\ntitle: Caf\xe9\n---\n\nNot UTF-8.\n"
    root = content_tree(articles, languages=LANGUAGES, settings=SETTINGS)
    images = root / "source_articles"
    for folder in ("a", "b"):
        for index in range(3):
            (images / folder / "images").mkdir(parents=True, exist_ok=True)
            (images / folder / "images" / f"street-{index}.jpg").write_bytes(b"\xff\xd8\xff" + bytes([index]) * 64)
    extracted = run_cli("extract", project=root)
    assert extracted.exit_code == 1 and "broken" in extracted.output, extracted.output  # the article not in UTF-8
    for number in range(ARTICLES):
        slug = f"{'b' if number % 2 else 'a'}/story-{number:02d}"
        for language in LANGUAGES:
            translate(root, language, slug, _translation(language, number))
    return root


def _break_a_catalog(root: Path) -> None:
    broken = root / "locales" / "de" / "LC_MESSAGES" / "articles" / "a" / "story-10.po"
    broken.write_text(broken.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_merge_on_two_processes_writes_what_one_writes(tree: Path, run_cli):
    one = run_cli("-v", "merge", "--jobs", "1", "--out", tree / "out-1", project=tree)
    two = run_cli("-v", "merge", "--jobs", "2", "--out", tree / "out-2", project=tree)
    assert one.exit_code == two.exit_code == 1  # the article that is not UTF-8
    assert one.output.replace("out-1", "out-2") == two.output
    written = _files(tree / "out-1")
    assert written == _files(tree / "out-2")
    assert len([name for name in written if name.endswith(".html")]) > 3 * ARTICLES  # the tree is not trivial
    assert any(name.endswith(".jpg") for name in written)
    # A second run on two processes changes nothing.
    again = run_cli("-v", "merge", "--jobs", "2", "--out", tree / "out-2", project=tree)
    assert ": created" not in again.output and ": updated" not in again.output
    assert _files(tree / "out-2") == written


def test_merge_on_two_processes_withdraws_what_one_withdraws(tree: Path, run_cli):
    for out in ("out-1", "out-2"):
        run_cli("merge", "--out", tree / out, project=tree)
    (tree / "source_articles" / "a" / "story-00.md").unlink()
    for number in (2, 3):
        translate(tree, "ru", f"{'b' if number % 2 else 'a'}/story-{number:02d}", lambda msgid: "")
    one = run_cli("-v", "merge", "--jobs", "1", "--out", tree / "out-1", project=tree)
    two = run_cli("-v", "merge", "--jobs", "2", "--out", tree / "out-2", project=tree)
    assert one.output.replace("out-1", "out-2") == two.output
    assert "removed" in one.output
    assert _files(tree / "out-1") == _files(tree / "out-2")


def test_check_and_status_on_two_processes_report_what_one_reports(tree: Path, run_cli):
    _break_a_catalog(tree)
    for command in (("check", "--format", "json"), ("status", "--format", "json"), ("status", "--by-article")):
        one = run_cli(*command, "--jobs", "1", project=tree)
        two = run_cli(*command, "--jobs", "2", project=tree)
        assert one.exit_code == two.exit_code == 1, command  # the article and the catalog that cannot be read
        assert one.output == two.output, command
    found = json.loads(run_cli("check", "--format", "json", "--jobs", "2", project=tree).output)
    assert "E001" in json.dumps(found) and "E104" in json.dumps(found)


def test_a_catalog_that_cannot_be_read_holds_back_only_its_article(tree: Path, run_cli):
    _break_a_catalog(tree)
    outputs = {}
    for jobs in ("1", "2"):
        out = tree / f"out-{jobs}"
        result = run_cli("merge", "--jobs", jobs, "--out", out, project=tree)
        assert result.exit_code == 1
        assert re.search(r"locales/de/LC_MESSAGES/articles/a/story-10\.po:\d+: ", result.output)
        for language in ("en", *LANGUAGES):
            assert not (out / language / "a" / "story-10.html").exists(), language  # held back in every language
            assert (out / language / "a" / "story-12.html").exists(), language  # every other article published
        outputs[jobs] = (result.output.replace(f"out-{jobs}", "out"), _files(out))
    assert outputs["1"] == outputs["2"]


def test_a_catalog_broken_after_a_merge_leaves_the_pages_as_they_were(tree: Path, run_cli):
    run_cli("merge", project=tree)
    before = _files(tree / "build")
    _break_a_catalog(tree)
    (tree / "source_articles" / "b" / "story-13.md").unlink()  # the pages of others are pruned as usual
    assert run_cli("merge", project=tree).exit_code == 1
    after = _files(tree / "build")
    held_back = {name for name in before if "/a/story-10." in name}
    assert held_back and {name: after.get(name) for name in held_back} == {name: before[name] for name in held_back}
    assert [name for name in before if "/b/story-13." in name] and not [name for name in after if "/b/story-13." in name]


def test_progress_is_reported_after_each_article_or_catalog(tree: Path):
    config = load_config(tree)
    for step in (merge, check, status):
        seen: list[tuple[int, int]] = []
        step(config, jobs=2, on_progress=lambda done, total: seen.append((done, total)))
        assert seen, step.__name__
        total = seen[-1][1]
        assert seen == [(done, total) for done in range(1, total + 1)], step.__name__
        assert total >= ARTICLES
