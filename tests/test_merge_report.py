"""What ``localize merge`` prints of the files it wrote: with ``--verbose``, a line for each, named
as the project shows paths (relative to it when the output folder is inside it); otherwise one line
that counts them; nothing of them with ``--quiet``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.test_update_scenarios import ARTICLE


def written_files(out: Path) -> set[str]:
    return {Path(folder, name).relative_to(out).as_posix() for folder, _, names in os.walk(out) for name in names
            if not name.startswith(".")}


def changed_lines(output: str) -> set[str]:
    return {line for line in output.splitlines() if line.endswith((": created", ": updated", ": removed"))}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_file_written_is_named_once_relative_to_the_project(content_tree, run_cli, jobs):
    root = content_tree({"kyiv": ARTICLE, "2015/odesa": ARTICLE})
    assert run_cli("extract", "--jobs", "1", project=root).exit_code == 0
    result = run_cli("-v", "merge", "--jobs", jobs, project=root)
    assert result.exit_code == 0, result.output
    files = written_files(root / "build")
    assert "en/2015/odesa.html" in files and "ru/index.html" in files
    assert changed_lines(result.output) == {f"build/{relative}: created" for relative in files}
    assert len(changed_lines(result.output)) == len([line for line in result.output.splitlines()
                                                     if line.endswith(": created")])


def test_an_output_folder_outside_the_project_is_named_as_it_is(content_tree, run_cli, tmp_path):
    root = content_tree({"kyiv": ARTICLE, "2015/odesa": ARTICLE})
    assert run_cli("extract", "--jobs", "1", project=root).exit_code == 0
    out = tmp_path / "elsewhere" / "site"
    result = run_cli("-v", "merge", "--jobs", "1", "--out", str(out), project=root)
    assert result.exit_code == 0, result.output
    files = written_files(out)
    assert changed_lines(result.output) == {f"{out}/{relative}: created" for relative in files}
    # Merged again after an edit: the pages changed are named as updated, and only they.
    source = root / "source_articles/kyiv.md"
    source.write_text(source.read_text(encoding="utf-8").replace("\n\n", "\n\nA new first line.\n\n", 1),
                      encoding="utf-8")
    again = run_cli("-v", "merge", "--jobs", "1", "--out", str(out), project=root)
    assert again.exit_code == 0, again.output
    updated = changed_lines(again.output)
    assert updated and all(line.endswith(": updated") for line in updated)
    assert f"{out}/en/kyiv.html: updated" in updated and not any("odesa" in line for line in updated)


def test_without_verbose_one_line_counts_the_files(content_tree, run_cli):
    # An archive's merge writes tens of thousands of files: they are counted, as extract counts its
    # catalogs, and named only with --verbose.
    root = content_tree({"kyiv": ARTICLE, "2015/odesa": ARTICLE})
    assert run_cli("extract", "--jobs", "1", project=root).exit_code == 0
    result = run_cli("merge", "--jobs", "2", project=root)
    assert result.exit_code == 0, result.output
    assert changed_lines(result.output) == set()
    files = written_files(root / "build")
    assert result.output.splitlines()[-1] == f"build: {len(files)} file(s) written, 0 removed, 0 unchanged"
    # An edited article and a deleted one (untranslated, both are published in the source language alone):
    # the edited one's pages and the listings are written again, the deleted one's three pages removed.
    source = root / "source_articles/kyiv.md"
    source.write_text(source.read_text(encoding="utf-8").replace("\n\n", "\n\nA new first line.\n\n", 1),
                      encoding="utf-8")
    (root / "source_articles/2015/odesa.md").unlink()
    again = run_cli("merge", "--jobs", "1", project=root)
    assert again.exit_code == 0, again.output
    verbose = run_cli("-v", "merge", "--jobs", "1", "--out", str(root / "build"), project=root)
    assert changed_lines(verbose.output) == set()  # (nothing left to change)
    written, removed, unchanged = (int(number) for number in
                                   re.fullmatch(r"build: (\d+) file\(s\) written, (\d+) removed, (\d+) unchanged",
                                                again.output.splitlines()[-1]).groups())
    assert written > 0 and removed == 3 and unchanged > 0
    assert written + unchanged == len(written_files(root / "build"))
    assert verbose.output.splitlines()[-1] == f"build: 0 file(s) written, 0 removed, {written + unchanged} unchanged"


def test_quiet_names_no_file(content_tree, run_cli):
    root = content_tree({"kyiv": ARTICLE})
    assert run_cli("extract", "--jobs", "1", project=root).exit_code == 0
    result = run_cli("-q", "merge", "--jobs", "1", project=root)
    assert result.exit_code == 0, result.output
    assert (root / "build/en/kyiv.html").is_file()
    assert changed_lines(result.output) == set()


@pytest.mark.parametrize("block", [1, 2, 3])
def test_the_lines_are_the_same_however_many_are_written_at_once(content_tree, run_cli, monkeypatch, block):
    """merge writes its lines a block at a time: any block size prints the same text."""
    import localize.cli

    root = content_tree({"kyiv": ARTICLE, "2015/odesa": ARTICLE, "lviv": ARTICLE})
    assert run_cli("extract", "--jobs", "1", project=root).exit_code == 0
    whole = run_cli("-v", "merge", "--jobs", "1", "--out", str(root / "one"), project=root)
    monkeypatch.setattr(localize.cli._say_lines, "__kwdefaults__", {"block": block})
    blocks = run_cli("-v", "merge", "--jobs", "1", "--out", str(root / "two"), project=root)
    assert whole.exit_code == blocks.exit_code == 0
    assert blocks.output.replace("two/", "one/").replace("two:", "one:") == whole.output
    assert len(changed_lines(blocks.output)) == len(written_files(root / "two")) > 3 * block
