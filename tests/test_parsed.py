"""Merge reads what extract and an earlier merge parsed (``localize.parsed``), and never a stale parse.

Every test that reads from the cache also checks that the pages are the bytes
``merge --no-cache`` writes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

import localize.po.read
import localize.segment
import localize.steps.merge
from localize.cache import CACHE_FOLDER
from localize.config import load_config
from localize.errors import SourceError
from localize.article import read_article
from localize.parsed import DATABASE, _pack, _unpack, decode_catalog, decode_document, encode_catalog, encode_document
from localize.po.read import read_catalog
from localize.segment import segment_article
from tests.test_update_scenarios import ARTICLE, BOILERPLATE, FIRST, translate

TESTS = Path(__file__).parent
SECOND_ARTICLE = "---\ntitle: Port news\n---\n\n# Port news\n\nThe port of Odesa reopened.\n"


@pytest.fixture
def parses(monkeypatch):
    """The articles segmented and the article catalogs parsed in this process, by name."""
    seen: dict[str, list[str]] = {"documents": [], "catalogs": []}
    segment, parse = localize.segment.segment_article, localize.po.read.parse_catalog

    def counting_segment(article, **options):
        seen["documents"].append(article.slug)
        return segment(article, **options)

    def counting_parse(raw, shown):
        if "articles" in shown.parts:
            seen["catalogs"].append(shown.as_posix())
        return parse(raw, shown)

    monkeypatch.setattr(localize.segment, "segment_article", counting_segment)
    monkeypatch.setattr(localize.po.read, "parse_catalog", counting_parse)
    return seen


def pages(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def merged(run_cli, root: Path, folder: str, *options: str) -> dict[str, bytes]:
    result = run_cli("merge", "--jobs", "1", "--out", str(root / folder), *options, project=root)
    assert result.exit_code == 0, result.output
    return pages(root / folder)


def without_cache(run_cli, root: Path) -> dict[str, bytes]:
    """What a merge that parses everything writes."""
    written = merged(run_cli, root, "nocache", "--no-cache")
    shutil.rmtree(root / "nocache")
    return written


def rows(root: Path, kind: str) -> dict[str, bytes]:
    with sqlite3.connect(root / CACHE_FOLDER / DATABASE) as connection:
        return dict(connection.execute("SELECT name, value FROM parsed WHERE kind = ?", (kind,)))


@pytest.fixture
def translated(content_tree, run_cli) -> Path:
    root = content_tree({"kyiv": ARTICLE, "odesa": SECOND_ARTICLE})
    assert run_cli("extract", "--jobs", "1", project=root).exit_code == 0
    for slug in ("kyiv", "odesa"):
        translate(root / f"locales/ru/LC_MESSAGES/articles/{slug}.po")
    return root


def test_merge_parses_no_source_extract_parsed_and_no_catalog_twice(translated, run_cli, parses):
    root = translated
    first = merged(run_cli, root, "build")
    # extract kept the segments of both sources; the catalogs it wrote (and the translator then saved) are new.
    assert parses["documents"] == []
    assert sorted(parses["catalogs"]) == [f"locales/{code}/LC_MESSAGES/articles/{slug}.po"
                                          for code in ("ru", "uk") for slug in ("kyiv", "odesa")]
    parses["catalogs"].clear()
    second = merged(run_cli, root, "again")
    assert parses == {"documents": [], "catalogs": []}
    assert second == first
    assert "RU " + FIRST in first["ru/kyiv.md"].decode("utf-8")
    assert without_cache(run_cli, root) == first
    assert set(parses["documents"]) == {"kyiv", "odesa"}  # --no-cache parses everything


def test_merge_after_check_parses_nothing(translated, run_cli, parses):
    """The gate CI runs before it publishes reads every catalog: the merge that follows reads none again."""
    root = translated
    assert run_cli("check", "--jobs", "1", project=root).exit_code in (0, 1)
    assert {f"locales/{code}/LC_MESSAGES/articles/{slug}.po" for code in ("ru", "uk")
            for slug in ("kyiv", "odesa")} <= set(parses["catalogs"])
    parses["catalogs"].clear()
    written = merged(run_cli, root, "build")
    assert parses == {"documents": [], "catalogs": []}
    assert written == without_cache(run_cli, root)


def test_check_no_cache_parses_every_catalog_again(translated, run_cli, parses):
    root = translated
    assert run_cli("check", "--jobs", "1", project=root).exit_code in (0, 1)
    parses["catalogs"].clear()
    assert run_cli("check", "--no-cache", "--jobs", "1", project=root).exit_code in (0, 1)
    assert {f"locales/{code}/LC_MESSAGES/articles/{slug}.po" for code in ("ru", "uk")
            for slug in ("kyiv", "odesa")} <= set(parses["catalogs"])


def test_a_catalog_edited_with_the_same_size_and_time_is_parsed_again(translated, run_cli, parses):
    root = translated
    merged(run_cli, root, "build")
    catalog = root / "locales/ru/LC_MESSAGES/articles/kyiv.po"
    status = catalog.stat()
    text = catalog.read_text(encoding="utf-8")
    assert "RU " + BOILERPLATE in text
    catalog.write_text(text.replace("RU " + BOILERPLATE, "UA " + BOILERPLATE), encoding="utf-8")
    os.utime(catalog, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert catalog.stat().st_size == status.st_size
    parses["catalogs"].clear()
    written = merged(run_cli, root, "build")
    assert parses["catalogs"] == ["locales/ru/LC_MESSAGES/articles/kyiv.po"]
    assert "UA " + BOILERPLATE in written["ru/kyiv.md"].decode("utf-8")
    assert "RU " + BOILERPLATE not in written["ru/kyiv.md"].decode("utf-8")
    assert written == without_cache(run_cli, root)


def test_an_edited_source_is_segmented_again(translated, run_cli, parses):
    root = translated
    merged(run_cli, root, "build")
    source = root / "source_articles/odesa.md"
    source.write_text(SECOND_ARTICLE.replace("reopened", "reclosed"), encoding="utf-8")
    written = merged(run_cli, root, "build")
    assert parses["documents"] == ["odesa"]
    assert "The port of Odesa reclosed." in written["en/odesa.md"].decode("utf-8")
    assert written == without_cache(run_cli, root)


def test_other_front_matter_keys_segment_the_source_again(translated, run_cli, parses):
    root = translated
    before = merged(run_cli, root, "build")
    config = root / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'front_matter_keys = ["summary"]\n', encoding="utf-8")
    written = merged(run_cli, root, "build")
    assert sorted(parses["documents"]) == ["kyiv", "odesa"]
    # The title is no longer translated: the source's stands.
    assert "title: RU " in before["ru/kyiv.md"].decode("utf-8")
    assert "title: Missiles hit Kyiv" in written["ru/kyiv.md"].decode("utf-8")
    assert written == without_cache(run_cli, root)


def test_a_damaged_parse_is_parsed_again(translated, run_cli, parses):
    root = translated
    first = merged(run_cli, root, "build")
    with sqlite3.connect(root / CACHE_FOLDER / DATABASE) as connection:
        # Two sources' segments and places in the order by date, four catalogs.
        assert connection.execute("UPDATE parsed SET value = x'00ff'").rowcount == 8
    parses["documents"].clear(), parses["catalogs"].clear()
    assert merged(run_cli, root, "again") == first
    assert sorted(parses["documents"]) == ["kyiv", "odesa"]
    assert len(parses["catalogs"]) == 4


def test_a_kept_segment_with_a_field_missing_is_segmented_again(translated, run_cli, parses):
    """A value that decodes but whose placements lack a field (as a damaged or foreign row could):
    never a segment made of part of its fields."""
    root = translated
    first = merged(run_cli, root, "build")
    with sqlite3.connect(root / CACHE_FOLDER / DATABASE) as connection:
        for name, value in list(connection.execute("SELECT name, value FROM parsed WHERE kind = 'document'")):
            short = tuple((*segment[:6], segment[6][:-1]) for segment in _unpack(value))
            connection.execute("UPDATE parsed SET value = ? WHERE kind = 'document' AND name = ?", (_pack(short), name))
    parses["documents"].clear()
    assert merged(run_cli, root, "again") == first
    assert sorted(parses["documents"]) == ["kyiv", "odesa"]


def test_a_parse_database_that_is_not_one_is_made_again(translated, run_cli):
    root = translated
    first = merged(run_cli, root, "build")
    database = root / CACHE_FOLDER / DATABASE
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.write_bytes(b"not a database\n" * 100)
    assert merged(run_cli, root, "again") == first
    assert set(rows(root, "document")) == {"source_articles/kyiv.md", "source_articles/odesa.md"}


def test_a_removed_article_takes_its_parses_with_it(translated, run_cli):
    root = translated
    merged(run_cli, root, "build")
    assert set(rows(root, "document")) == {"source_articles/kyiv.md", "source_articles/odesa.md"}
    (root / "source_articles/odesa.md").unlink()
    for code in ("ru", "uk"):
        (root / f"locales/{code}/LC_MESSAGES/articles/odesa.po").unlink()
    merged(run_cli, root, "build")
    assert set(rows(root, "document")) == {"source_articles/kyiv.md"}
    assert set(rows(root, "catalog")) == {f"locales/{code}/LC_MESSAGES/articles/kyiv.po" for code in ("ru", "uk")}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_parses_kept_are_exactly_those_of_the_articles_left(content_tree, run_cli, jobs):
    """Articles in folders, and removed ones whose names begin or end another's: merge asks each
    kept parse's name of the articles found, and keeps those of every one left, and no other."""
    slugs = ["kyiv", "kyiv-2", "2015/kyiv", "2015/kyiv.md", "news/2015/kyiv", "odesa"]
    root = content_tree({slug: ARTICLE for slug in slugs})
    assert run_cli("extract", "--jobs", "1", project=root).exit_code == 0
    merged(run_cli, root, "build", "--jobs", jobs)
    catalogs = {f"locales/{code}/LC_MESSAGES/articles/{slug}.po" for code in ("ru", "uk") for slug in slugs}
    assert set(rows(root, "document")) == set(rows(root, "order")) == {f"source_articles/{slug}.md" for slug in slugs}
    assert set(rows(root, "catalog")) == catalogs
    for slug in ("kyiv", "2015/kyiv", "news/2015/kyiv"):
        (root / f"source_articles/{slug}.md").unlink()
    merged(run_cli, root, "build", "--jobs", jobs)
    left = ["kyiv-2", "2015/kyiv.md", "odesa"]
    assert set(rows(root, "document")) == set(rows(root, "order")) == {f"source_articles/{slug}.md" for slug in left}
    assert set(rows(root, "catalog")) == {f"locales/{code}/LC_MESSAGES/articles/{slug}.po"
                                         for code in ("ru", "uk") for slug in left}


def test_extract_on_several_processes_keeps_every_source_parsed(content_tree, run_cli):
    articles = {f"story-{number:02}": SECOND_ARTICLE.replace("Odesa", f"Odesa {number}") for number in range(12)}
    root = content_tree(articles)
    assert run_cli("extract", "--jobs", "2", project=root).exit_code == 0
    assert set(rows(root, "document")) == {f"source_articles/{slug}.md" for slug in articles}


def test_a_cold_extract_parses_each_catalog_once(translated, run_cli, parses):
    """The translation memory reads every catalog first; the update of its article takes that parse."""
    root = translated
    shutil.rmtree(root / CACHE_FOLDER)
    parses["catalogs"].clear()
    assert run_cli("extract", "--jobs", "1", project=root).exit_code == 0
    assert sorted(parses["catalogs"]) == sorted([f"locales/{code}/LC_MESSAGES/articles/{slug}.po"
                                                 for code in ("ru", "uk") for slug in ("kyiv", "odesa")]
                                                + ["locales/templates/articles/kyiv.pot",
                                                   "locales/templates/articles/odesa.pot"])


@pytest.mark.parametrize("name", sorted(path.name for path in (TESTS / "fixtures/real_po").glob("*.po")))
def test_a_kept_catalog_is_the_catalog_read(name):
    catalog = read_catalog(TESTS / "fixtures/real_po" / name)
    assert catalog.messages, name
    assert decode_catalog(encode_catalog(catalog)) == catalog
    assert decode_catalog(encode_catalog(catalog)).header_msgstrs == catalog.header_msgstrs


def test_kept_segments_are_the_segments_made(tmp_path):
    """Every CommonMark example, with front matter in YAML and TOML: every kind of placement."""
    examples = json.loads((TESTS / "fixtures/commonmark/spec-examples.json").read_text(encoding="utf-8"))
    (tmp_path / "source_articles").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.localize]\nlanguages = ["ru"]\n', encoding="utf-8")
    config = load_config(tmp_path)
    fronts = ('---\ntitle: "A \\"quoted\\" title"\nsummary: |\n  Two\n  lines\n---\n',
              "+++\ntitle = 'literal'\nsummary = \"\"\"\nmulti\nline\"\"\"\n+++\n", "")
    kinds = set()
    for number, example in enumerate(examples):
        path = tmp_path / "source_articles" / f"example-{number}.md"
        path.write_text(fronts[number % 3] + example["markdown"], encoding="utf-8")
        try:
            document = segment_article(read_article(config, path), front_matter_keys=config.front_matter_keys)
        except SourceError:  # an example that starts with "---" and has no front matter above it
            continue
        assert decode_document(encode_document(document), document.text) == document
        kinds.update(type(segment.placement).__name__ for segment in document.segments)
    assert kinds == {"MarkdownPlacement", "YamlPlacement", "TomlPlacement", "HtmlPlacement"}


def dated(title: str, when: str) -> str:
    return f"---\ntitle: {title}\ndate: {when}\n---\n\n{title} happened today.\n"


@pytest.fixture
def order_reads(monkeypatch) -> list[str]:
    """The articles merge read in this process to find their place in the newest-first order."""
    read: list[str] = []
    original = localize.steps.merge._order_time_of

    def counting(slug: str) -> float:
        read.append(slug)
        return original(slug)

    monkeypatch.setattr(localize.steps.merge, "_order_time_of", counting)
    return read


def aged(*paths: Path, seconds: int = 60) -> None:
    """The files last changed ``seconds`` ago: past the clock tick in which a change could hide."""
    for path in paths:
        when = path.stat().st_mtime_ns - seconds * 1_000_000_000
        os.utime(path, ns=(when, when))


def sources(root: Path) -> list[Path]:
    return [path for path in (root / "source_articles").rglob("*.md") if not path.is_symlink()]


def index_order(written: dict[str, bytes], folder: str = "en") -> list[str]:
    """The articles the index page lists, in its order (each link followed by its date)."""
    return re.findall(r'<li><a href="([^"]+)\.html"[^>]*>[^<]*</a> <time', written[f"{folder}/index.html"].decode("utf-8"))


def test_merge_orders_the_articles_by_what_extract_read_of_their_dates(content_tree, run_cli, order_reads):
    """Extract keeps each source's place in the order by date under its file's state: merge reads
    no article for it until the file changes, and then that one alone."""
    root = content_tree({"a": dated("A", "2022-01-01"), "b": dated("B", "2022-03-01"), "c": dated("C", "2022-02-01")})
    aged(*sources(root))
    assert run_cli("extract", "--jobs", "1", project=root).exit_code == 0
    assert set(rows(root, "order")) == {f"source_articles/{slug}.md" for slug in "abc"}
    first = merged(run_cli, root, "build")
    assert order_reads == []
    assert index_order(first) == ["b", "c", "a"]
    assert first == without_cache(run_cli, root)

    # The same size, a new time: read again, and A comes first.
    source = root / "source_articles/a.md"
    source.write_text(dated("A", "2022-04-01"), encoding="utf-8")
    order_reads.clear()
    written = merged(run_cli, root, "build")
    assert order_reads == ["a"]
    assert index_order(written) == ["a", "b", "c"]
    assert written == without_cache(run_cli, root)

    # Another size, its time given back as it was: read again, as its state is not the one kept.
    aged(source)
    merged(run_cli, root, "build")
    order_reads.clear()
    merged(run_cli, root, "build")
    assert order_reads == []
    state = source.stat()
    source.write_text(dated("A", "2021-12-31 23:00"), encoding="utf-8")
    os.utime(source, ns=(state.st_atime_ns, state.st_mtime_ns))
    order_reads.clear()
    written = merged(run_cli, root, "build")
    assert order_reads == ["a"]
    assert index_order(written) == ["b", "c", "a"]
    assert written == without_cache(run_cli, root)


def test_an_article_changed_in_the_tick_its_order_was_kept_is_read_again(content_tree, run_cli, order_reads):
    """Files written just before extract read them: another write within the same clock tick would
    leave their state as kept (Git's racy rule), so their order is not trusted."""
    root = content_tree({"a": dated("A", "2022-01-01"), "b": dated("B", "2022-03-01")})
    assert run_cli("extract", "--jobs", "1", project=root).exit_code == 0
    merged(run_cli, root, "build")
    assert sorted(order_reads) == ["a", "b"]


def test_an_article_that_is_a_link_is_read_for_its_order_every_time(content_tree, run_cli, order_reads):
    """A symbolic link keeps its own state when its target changes or it is pointed elsewhere."""
    root = content_tree({"a": dated("A", "2022-01-01"), "b": dated("B", "2022-03-01")})
    (root / "drafts").mkdir()
    (root / "drafts/c.md").write_text(dated("C", "2022-02-01"), encoding="utf-8")
    (root / "drafts/d.md").write_text(dated("D", "2022-05-01"), encoding="utf-8")
    (root / "source_articles/c.md").symlink_to(root / "drafts/c.md")
    aged(*sources(root), root / "drafts/c.md", root / "drafts/d.md")
    assert run_cli("extract", "--jobs", "1", project=root).exit_code == 0
    first = merged(run_cli, root, "build")
    assert order_reads == ["c"]
    assert index_order(first) == ["b", "c", "a"]
    (root / "source_articles/c.md").unlink()
    (root / "source_articles/c.md").symlink_to(root / "drafts/d.md")
    order_reads.clear()
    written = merged(run_cli, root, "build")
    assert order_reads == ["c"]
    assert index_order(written) == ["c", "b", "a"]
    assert written == without_cache(run_cli, root)
