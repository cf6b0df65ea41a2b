"""``merge --format`` and the ``formats`` setting: only the chosen pages of each article are written
(the Markdown alone for a site generator that renders it), byte for byte those of a full merge, and
the output folder pruned of the pages an earlier merge wrote in another format."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.test_pages_helpers import translate

BASE = "https://news.example.org/"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100"
    "05fe02fea70000000049454e44ae426082"
)
PORT = """---
title: Port reopens
date: 2024-03-01T09:30:00+02:00
image: images/cover.png
---

The port reopened on Friday, see [the harbour](harbour.md).

![The map](images/map.png)

<figure>
<img src="images/dawn.png" alt="Dawn">
</figure>

The mayor spoke to reporters.

Untranslated closing paragraph.
"""
HARBOUR = """---
title: The harbour
date: 2024-02-01
---

The harbour is old.
"""
HOSTILE = {"The mayor spoke to reporters.": "Мэр поговорил с [журналистами](https://evil.example/phish)."}


def newsroom(tmp_path: Path, name: str = "content", *, settings: str = "") -> Path:
    """Two articles with three local images, translated into Russian and half into Ukrainian."""
    root = tmp_path / name
    images = root / "source_articles" / "images"
    images.mkdir(parents=True)
    for image in ("cover", "map", "dawn"):
        (images / f"{image}.png").write_bytes(PNG + image.encode())
    (root / "source_articles" / "port.md").write_text(PORT, encoding="utf-8")
    (root / "source_articles" / "harbour.md").write_text(HARBOUR, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "newsroom"\n\n[tool.localize]\nlanguages = ["ru", "uk"]\nbase_url = "{BASE}"\n'
        f"min_translated = 50\n{settings}", encoding="utf-8")
    return root


def extracted(root: Path, run_cli, *, hostile: bool = False) -> Path:
    assert run_cli("extract", project=root).exit_code == 0
    for slug in ("port", "harbour"):
        translate(root, "ru", slug, lambda msgid: HOSTILE.get(msgid) if hostile and msgid in HOSTILE
                  else None if msgid.startswith("Untranslated") else f"[ru] {msgid}")
    translate(root, "uk", "harbour", lambda msgid: f"[uk] {msgid}")
    return root


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


RECORD = ".localize-written.json"


def test_markdown_only_writes_the_markdown_pages_of_a_full_merge_with_manifest_and_images(tmp_path, run_cli):
    root = extracted(newsroom(tmp_path), run_cli)
    assert run_cli("merge", project=root).exit_code == 0
    full = files_in(root / "build")
    shutil.rmtree(root / "build")

    result = run_cli("merge", "--format", "md", project=root)

    assert result.exit_code == 0, result.output
    markdown = files_in(root / "build")
    images = {name for name in full if name.endswith(".png")}
    manifests = {name for name in full if name.endswith("/manifest.json")}
    pages = {name for name in full if name.endswith(".md")}
    assert images == {f"{folder}/images/{image}.png" for folder in ("en", "ru", "uk")
                      for image in ("cover", "map", "dawn") if folder != "uk"}
    assert set(markdown) == pages | images | manifests | {RECORD}
    assert {"en/port.md", "ru/port.md", "uk/harbour.md"} <= pages and "uk/port.md" not in pages
    for name in pages | images:
        assert markdown[name] == full[name], name
    for name in manifests:
        written, complete = json.loads(markdown[name]), json.loads(full[name])
        assert [article["html"] for article in written["articles"]] == [None] * len(complete["articles"])
        assert [article["text"] for article in written["articles"]] == [None] * len(complete["articles"])
        assert [article["markdown"] for article in written["articles"]] == \
            [article["markdown"] for article in complete["articles"]]
        for article, other in zip(written["articles"], complete["articles"]):
            assert article["source"] == other["source"].removesuffix(".html") + ".md"
            assert {key: value for key, value in article.items() if key not in ("html", "text", "source")} == \
                {key: value for key, value in other.items() if key not in ("html", "text", "source")}
        assert {key: value for key, value in written.items() if key != "articles"} == \
            {key: value for key, value in complete.items() if key != "articles"}
    # The links in the Markdown lead to files that are there.
    assert (root / "build" / "ru" / json.loads(markdown["ru/manifest.json"])["articles"][0]["source"]).is_file()
    assert run_cli("merge", "--format", "md", project=root).exit_code == 0
    assert files_in(root / "build") == markdown


def test_switching_to_markdown_only_removes_the_other_pages_merge_wrote_and_keeps_a_persons_files(tmp_path, run_cli):
    root = extracted(newsroom(tmp_path), run_cli)
    assert run_cli("merge", project=root).exit_code == 0
    full = files_in(root / "build")
    assert {"sitemap.xml", "robots.txt", "ru/index.html", "ru/404.html", "ru/feed.atom", "ru/port.html",
            "ru/port.txt"} <= set(full)
    (root / "build" / "CNAME").write_text("news.example.org\n", encoding="utf-8")
    (root / "build" / "ru" / "about.html").write_text("<p>Written by hand</p>\n", encoding="utf-8")

    result = run_cli("-v", "merge", "--format", "md", project=root)

    assert result.exit_code == 0, result.output
    left = files_in(root / "build")
    assert set(left) == {name for name in full if name.endswith((".md", ".png", "manifest.json"))} | {
        RECORD, "CNAME", "ru/about.html"}
    assert "build/ru/port.html: removed" in result.output
    assert left["CNAME"] == b"news.example.org\n" and left["ru/about.html"] == b"<p>Written by hand</p>\n"
    assert sorted(json.loads(left[RECORD])) == sorted(set(left) - {RECORD, "CNAME", "ru/about.html"})
    # And back: every format again, as a full merge from nothing writes it.
    assert run_cli("merge", project=root).exit_code == 0
    assert files_in(root / "build") == {**full, "CNAME": b"news.example.org\n",
                                        "ru/about.html": b"<p>Written by hand</p>\n"}


def test_the_formats_setting_chooses_the_pages_and_the_option_overrides_it(tmp_path, run_cli):
    reference = extracted(newsroom(tmp_path, "reference"), run_cli)
    assert run_cli("merge", project=reference).exit_code == 0
    full = files_in(reference / "build")
    root = extracted(newsroom(tmp_path, settings='formats = ["txt", "md"]\n'), run_cli)

    assert run_cli("merge", project=root).exit_code == 0

    written = files_in(root / "build")
    assert {name for name in written if name.endswith((".md", ".txt"))} == \
        {name for name in full if name.endswith((".md", ".txt")) and name != "robots.txt"}
    assert not any(name.endswith((".html", ".atom", ".xml")) or name == "robots.txt" for name in written)
    for name in written:
        if name.endswith((".md", ".txt", ".png")):
            assert written[name] == full[name], name

    result = run_cli("merge", "--format", "html", project=root)

    assert result.exit_code == 0, result.output
    written = files_in(root / "build")
    assert not any(name.endswith((".md", ".txt")) and name != "robots.txt" for name in written)
    assert {name for name in written if name.endswith(".html")} == {name for name in full if name.endswith(".html")}
    for name in written:
        if name not in (RECORD,) and not name.endswith("manifest.json"):
            assert written[name] == full[name], name


def test_an_unknown_format_in_the_settings_is_an_error_at_its_line(tmp_path, run_cli):
    root = extracted(newsroom(tmp_path), run_cli)
    with root.joinpath("pyproject.toml").open("a", encoding="utf-8") as settings:
        settings.write('page_size = 10\nformats = ["md", "pdf"]\n')
    line = root.joinpath("pyproject.toml").read_text(encoding="utf-8").splitlines().index(
        'formats = ["md", "pdf"]') + 1

    result = run_cli("merge", project=root)

    assert result.exit_code == 1
    assert re.search(rf"pyproject\.toml:{line}: .*'pdf'", result.output), result.output
    assert not (root / "build").exists()
    # Not even the option saves a tree whose settings are wrong; and an unknown --format is a usage error.
    assert run_cli("merge", "--format", "md", project=root).exit_code == 1
    root.joinpath("pyproject.toml").write_text(
        root.joinpath("pyproject.toml").read_text(encoding="utf-8").replace('"pdf"', '"txt"'), encoding="utf-8")
    assert run_cli("merge", "--format", "pdf", project=root).exit_code == 2
    assert not (root / "build").exists()
    root.joinpath("pyproject.toml").write_text(
        root.joinpath("pyproject.toml").read_text(encoding="utf-8").replace('["md", "txt"]', "[]"), encoding="utf-8")
    result = run_cli("merge", project=root)
    assert result.exit_code == 1 and re.search(rf"pyproject\.toml:{line}: formats", result.output), result.output


def test_markdown_only_is_the_same_on_one_process_and_on_two(tmp_path, run_cli):
    one = extracted(newsroom(tmp_path, "one"), run_cli)
    two = extracted(newsroom(tmp_path, "two"), run_cli)

    assert run_cli("merge", "--format", "md", "--jobs", "1", project=one).exit_code == 0
    assert run_cli("merge", "--format", "md", "--jobs", "2", project=two).exit_code == 0

    assert files_in(one / "build") == files_in(two / "build")
    assert "ru/port.md" in files_in(one / "build")


def test_a_hostile_translation_is_refused_in_markdown_only_as_in_a_full_merge(tmp_path, run_cli):
    reference = extracted(newsroom(tmp_path, "reference"), run_cli, hostile=True)
    root = extracted(newsroom(tmp_path), run_cli, hostile=True)

    full = run_cli("merge", project=reference)
    result = run_cli("merge", "--format", "md", project=root)

    assert full.exit_code == result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if " E201 " in line]
    assert warnings and warnings == [line for line in full.output.splitlines() if " E201 " in line]
    page = (root / "build" / "ru" / "port.md").read_bytes()
    assert page == (reference / "build" / "ru" / "port.md").read_bytes()
    assert b"evil.example" not in page and b"The mayor spoke to reporters." in page
