"""Files written piece by piece (``files.Pieces``: an archive's manifest, the record of written
files) come out as the same bytes, and are left alone when unchanged, as files written whole."""

from __future__ import annotations

import json

import pytest

from localize.files import CREATED, UNCHANGED, UPDATED, write_output

# More than one block of ``files._blocks`` (64 Ki characters), with characters of 1 to 4 bytes.
PIECES = [f"{number}: Київ, 東京, 🌍 — line {number}\n" for number in range(6000)]


def written(tmp_path, name: str, pieces: list[str], *, streamed: bool):
    path = tmp_path / name
    return write_output(path, (lambda: iter(pieces)) if streamed else "".join(pieces)).status, path


@pytest.mark.parametrize("change", [
    lambda pieces: pieces,  # the same text
    lambda pieces: pieces[:-1] + [pieces[-1] + "x"],  # longer by the last piece
    lambda pieces: pieces[:-1],  # shorter: the file holds more
    lambda pieces: ["!" + pieces[0]] + pieces[1:],  # differs in the first block
    lambda pieces: pieces[:3000] + ["Львів\n"] + pieces[3001:],  # differs past the first block
    lambda pieces: [],  # nothing
], ids=["same", "longer", "shorter", "first-block", "later-block", "empty"])
def test_a_text_written_in_pieces_is_the_text_written_whole_and_says_the_same(tmp_path, change):
    first = [written(tmp_path, f"{kind}.txt", PIECES, streamed=kind == "streamed") for kind in ("whole", "streamed")]
    assert [status for status, _ in first] == [CREATED, CREATED]
    assert first[1][1].read_bytes() == first[0][1].read_bytes() == "".join(PIECES).encode("utf-8")
    before = first[1][1].stat()

    again = [written(tmp_path, f"{kind}.txt", change(PIECES), streamed=kind == "streamed")
             for kind in ("whole", "streamed")]

    assert again[1][0] == again[0][0]
    assert again[1][1].read_bytes() == again[0][1].read_bytes() == "".join(change(PIECES)).encode("utf-8")
    if again[1][0] == UNCHANGED:
        assert change(PIECES) == PIECES
        after = again[1][1].stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    else:
        assert again[1][0] == UPDATED
    assert sorted(path.name for path in tmp_path.iterdir()) == ["streamed.txt", "whole.txt"]  # no temporary left


def test_a_merge_writes_the_manifest_and_the_record_as_json_writes_them_and_leaves_them_alone_after(
    content_tree, run_cli,
):
    root = content_tree({f"{year}/story-{number:03d}": (
        f"---\ntitle: Story {number} «в Києві»\ndate: {year}-03-{number % 28 + 1:02d}\n---\n\nText {number}.\n"
    ) for year in (2023, 2024) for number in range(40)})
    assert run_cli("extract", project=root).exit_code == 0
    assert run_cli("merge", project=root).exit_code == 0
    files = [root / "build" / folder / "manifest.json" for folder in ("en", "ru", "uk")]
    record = root / "build" / ".localize-written.json"
    manifest = json.loads(files[1].read_text(encoding="utf-8"))
    assert len(manifest["articles"]) == 80
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    paths = json.loads(record.read_text(encoding="utf-8"))
    assert paths == sorted(paths) and "en/2024/story-039.html" in paths
    assert record.read_text(encoding="utf-8") == json.dumps(paths, ensure_ascii=False, indent=1) + "\n"
    before = [(path.stat().st_ino, path.stat().st_mtime_ns) for path in [*files, record]]

    assert run_cli("merge", project=root).exit_code == 0
    assert [(path.stat().st_ino, path.stat().st_mtime_ns) for path in [*files, record]] == before

    last = root / "source_articles" / "2024" / "story-039.md"  # the manifest's last article
    last.write_text(last.read_text(encoding="utf-8").replace("Story 39", "Story 39, updated"), encoding="utf-8")
    assert run_cli("extract", project=root).exit_code == 0
    assert run_cli("merge", project=root).exit_code == 0
    titles = [article["title"] for article in json.loads(files[0].read_text(encoding="utf-8"))["articles"]]
    assert titles[-1] == "Story 39, updated «в Києві»" and titles[:-1] == [
        article["title"] for article in manifest["articles"][:-1]]


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_a_file_known_to_be_new_is_written_into_folders_made_for_it(tmp_path, streamed):
    # ``new``: the caller knows nothing is there (a merge into a folder that did not exist), so the file
    # is not looked for; the folders are made, the bytes are the text's, and no temporary is left.
    path = tmp_path / "ru" / "2024" / "a.html"
    text = "".join(PIECES)

    change = write_output(path, (lambda: iter(PIECES)) if streamed else text, new=True)

    assert change.status == CREATED
    assert path.read_bytes() == text.encode("utf-8")
    assert sorted(entry.name for entry in path.parent.iterdir()) == ["a.html"]
    assert write_output(path, text).status == UNCHANGED


def test_the_record_lists_every_file_written_in_sorted_order_whatever_the_names(content_tree, run_cli):
    # Names whose pages sort otherwise than their slugs ("a-b.md" before "a.md", "a/…" after "a-b…"),
    # beyond ASCII, in folders and beside them: the record is kept in sorted runs of UTF-8 bytes.
    slugs = ["a", "a-b", "a/b", "a/b-c", "a0", "ä", "z/ü", "z/u", "z-", "Z"]
    root = content_tree({slug: f"---\ntitle: {slug}\ndate: 2024-01-02\n---\n\nText of {slug}.\n" for slug in slugs})
    assert run_cli("extract", project=root).exit_code == 0
    assert run_cli("merge", project=root).exit_code == 0
    build = root / "build"
    record = build / ".localize-written.json"
    on_disk = sorted(path.relative_to(build).as_posix() for path in build.rglob("*")
                     if path.is_file() and path != record)
    paths = json.loads(record.read_text(encoding="utf-8"))
    assert paths == on_disk and "en/a-b.html" in paths and "en/z/ü.txt" in paths
    assert record.read_text(encoding="utf-8") == json.dumps(paths, ensure_ascii=False, indent=1) + "\n"

    (root / "source_articles" / "a-b.md").unlink()
    (root / "source_articles" / "z" / "ü.md").unlink()
    assert run_cli("extract", project=root).exit_code == 0
    assert run_cli("merge", project=root).exit_code == 0
    left = sorted(path.relative_to(build).as_posix() for path in build.rglob("*") if path.is_file() and path != record)
    assert json.loads(record.read_text(encoding="utf-8")) == left
    assert set(on_disk) - set(left) == {f"en/{slug}{suffix}" for slug in ("a-b", "z/ü") for suffix in (".md", ".html", ".txt")}
