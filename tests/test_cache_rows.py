"""What extract keeps compactly between lookups (issue 12: its peak memory) answers as the plain values did.

A scan's listing names each file by the path the folder listing gives, and the cache's rows, once
let go after a commit, are looked up in the database with the same answers.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from localize.cache import content_digest, file_state, open_cache, scan

OLD_NS = 1_600_000_000 * 10**9  # long before any run: a state that can be trusted at once


def _tree(root: Path) -> None:
    for relative in ("a.md", "2019/b.md", "2019/deep/с пробелом.md", "x.txt", ".hidden.md"):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"text of {relative}\n", encoding="utf-8")


def _walked(folder: str) -> dict[str, tuple[str, tuple[int, int]]]:
    """Every visible ``.md`` file under ``folder`` as ``os.scandir`` names it, with its lstat."""
    found = {}
    for directory, _folders, names in os.walk(folder):
        for name in names:
            if name.endswith(".md") and not name.startswith("."):
                with os.scandir(directory) as entries:
                    path = next(entry.path for entry in entries if entry.name == name)
                status = os.lstat(path)
                found[os.path.relpath(path, folder).replace(os.sep, "/")] = (path, (status.st_size, status.st_mtime_ns))
    return found


@pytest.mark.parametrize("shown", ["absolute", "relative"])
def test_a_listing_gives_each_file_the_path_and_state_of_the_folder_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: str,
) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    folder = str(tmp_path) if shown == "absolute" else "."
    files = scan(Path(folder), ".md").files
    expected = _walked(folder)
    assert dict(files.items()) == expected
    assert sorted(files) == sorted(expected) and len(files) == len(expected)
    assert {relative: files[relative] for relative in expected} == expected
    assert files.get("2019/b.md") == expected["2019/b.md"] and files.get("missing.md") is None
    assert "a.md" in files and "x.txt" not in files
    assert files.pop("a.md") == expected.pop("a.md")
    assert dict(files.items()) == expected and "a.md" not in files


def test_rows_let_go_after_a_commit_are_looked_up_in_the_database(tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    article.write_bytes(b"first text\n")
    os.utime(article, ns=(OLD_NS, OLD_NS))
    with open_cache(tmp_path) as cache:
        assert cache.digest("article.md", article, file_state(article)) == content_digest(b"first text\n")
        cache.commit(release=True)
        # Same size, same time, other bytes: a row, found in the database, is what answers (nothing re-read).
        article.write_bytes(b"other text\n")
        os.utime(article, ns=(OLD_NS, OLD_NS))
        assert cache.digest("article.md", article, file_state(article)) == content_digest(b"first text\n")
        assert cache.trusted_state("article.md") == file_state(article)
        # Another size: read again, and the new row kept like the first.
        article.write_bytes(b"a longer text\n")
        os.utime(article, ns=(OLD_NS, OLD_NS))
        assert cache.digest("article.md", article, file_state(article)) == content_digest(b"a longer text\n")
        cache.forget_file("gone.md")  # a file never seen: nothing to forget
        cache.commit(release=True)
        assert cache.trusted_state("article.md") == file_state(article)
        cache.forget_file("article.md")
        assert cache.trusted_state("article.md") is None
        cache.commit(release=True)
    with open_cache(tmp_path) as cache:
        assert cache.trusted_state("article.md") is None


def test_a_signature_of_many_files_is_their_set_of_names_and_states_in_any_order():
    from localize.cache import files_signature

    files = [(f"locales/ru/LC_MESSAGES/articles/{number:04d}.po", (100 + number, OLD_NS + number)) for number in range(500)]
    files.append(("locales/ru/LC_MESSAGES/articles/\udcff.po", (1, OLD_NS)))  # a name not in UTF-8
    signature = files_signature(files)
    assert len(signature) == 16
    assert files_signature(reversed(files)) == files_signature(iter(sorted(files))) == signature
    moved = [(name, state) for name, state in files]
    moved[7] = (moved[7][0], (moved[7][1][0], moved[7][1][1] + 1))  # touched
    resized = list(files)
    resized[7] = (files[7][0], (files[7][1][0] + 1, files[7][1][1]))
    renamed = list(files)
    renamed[7] = (files[7][0].replace("0007", "7000"), files[7][1])
    swapped = list(files)  # two files' states exchanged: the same states, not the same files
    swapped[7], swapped[8] = (files[7][0], files[8][1]), (files[8][0], files[7][1])
    others = [files[1:], files + [("locales/ru/LC_MESSAGES/articles/new.po", (1, OLD_NS))], moved, resized, renamed,
              swapped, []]
    assert len({signature, *(files_signature(changed) for changed in others)}) == 1 + len(others)
