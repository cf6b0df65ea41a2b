"""Killing ``localize extract`` at any moment leaves every catalog old or new, never torn.

A real process on a corpus large enough to take a few seconds, killed with
SIGKILL at several moments; after each kill every template and catalog must
be byte for byte what it was before the run or what a complete run writes,
and gettext must accept it. A last complete run then finishes the job and
leaves no temporary file behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

pytestmark = pytest.mark.slow  # kills processes: left out of `pytest -m "not slow"`

ARTICLES = 60


def article(number: int, edited: bool = False) -> str:
    text = (
        f"---\ntitle: Report {number} from the front line\n---\n\n"
        f"# Report {number} from the front line\n\n"
        f"Officials in region {number} said that air defence shot down {number + 3} drones overnight, "
        f"and that debris damaged {number % 7 + 1} houses on the outskirts.\n\n"
        f"Residents of district {number} were asked to stay in shelters until the all-clear, "
        f"the regional administration wrote on Telegram.\n\n"
        f"Item {number}: the story will be updated.\n"
    )
    if edited:
        text = text.replace("were asked", "had been asked").replace("the story", "this story")
    return text


def run_extract(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "localize", "-C", str(root), "extract"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def catalogs(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / "locales").rglob("*"))
        if path.is_file() and path.suffix in (".po", ".pot")
    }


def temporary_files(root: Path) -> list[Path]:
    return [path for path in (root / "locales").rglob(".*.tmp")]


def test_killed_extract_leaves_every_file_old_or_new(content_tree, tmp_path):
    root = content_tree({f"{number:03d}": article(number) for number in range(ARTICLES)})
    assert subprocess.run([sys.executable, "-m", "localize", "-C", str(root), "extract"],
                          capture_output=True).returncode == 0
    for path in (root / "locales/ru/LC_MESSAGES/articles").glob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = "RU " + entry.msgid
        po.save()
    for number in range(ARTICLES):  # every article corrected: every file will be rewritten
        (root / f"source_articles/{number:03d}.md").write_text(article(number, edited=True), encoding="utf-8")
    (root / "source_articles/new.md").write_text("# A new story\n\nIt has just begun.\n", encoding="utf-8")
    old = catalogs(root)

    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    started = time.monotonic()
    assert subprocess.run([sys.executable, "-m", "localize", "-C", str(reference), "extract"],
                          capture_output=True).returncode == 0
    duration = time.monotonic() - started
    new = catalogs(reference)
    assert all(new[name] != old[name] for name in old if name.endswith(".po") and "/ui." not in name)

    kills = 0
    for fraction in (0.3, 0.45, 0.6, 0.75, 0.9):
        process = run_extract(root)
        time.sleep(duration * fraction)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
        process.stderr.close()
        for name, data in catalogs(root).items():
            assert data in (old.get(name), new.get(name)), f"{name} is neither old nor new after a kill"
            checked = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(root / name)],
                                     capture_output=True, text=True)
            assert checked.returncode == 0, checked.stderr
    assert kills >= 2, "the runs ended before they could be killed: make the corpus larger"

    result = subprocess.run([sys.executable, "-m", "localize", "-C", str(root), "extract"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert catalogs(root) == new
    assert temporary_files(root) == []
    # And the cache a killed run left behind still tells the truth.
    again = subprocess.run([sys.executable, "-m", "localize", "-C", str(root), "extract", "--check"],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stdout + again.stderr
