"""Killing ``localize merge`` at any moment leaves every published file old or new, never torn.

Pages are replaced in one rename but not synced (``files.write_output``: the
output folder can be made again from its sources), which kill -9 cannot tell
apart from a synced write. A real process on a corpus large enough to take a
few seconds, killed with SIGKILL at several moments; after each kill every
file under ``build/`` must be byte for byte what it was before the run or what
a complete run writes. A last complete run leaves no temporary file behind
and the permissions a page was given.
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

ARTICLES = 150


def article(number: int) -> str:
    return (
        f"---\ntitle: Report {number} from the front line\ndate: 2024-03-{number % 28 + 1:02d}\n---\n\n"
        f"Officials in region {number} said that air defence shot down {number + 3} drones overnight, "
        f"and that debris damaged {number % 7 + 1} houses on the outskirts.\n\n"
        f"Residents of district {number} were asked to stay in shelters until the all-clear, "
        f"the regional administration wrote on Telegram.\n\n"
        f"Item {number}: the story will be updated.\n"
    )


def localize(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "localize", "-C", str(root), *args]


def published(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / "build").rglob("*"))
        if path.is_file() and not path.name.endswith(".tmp")
    }


def test_killed_merge_leaves_every_page_old_or_new(content_tree, tmp_path):
    root = content_tree({f"{number:03d}": article(number) for number in range(ARTICLES)}, languages=("ru",),
                        settings='base_url = "https://news.example/"\n')
    assert subprocess.run(localize(root, "extract"), capture_output=True).returncode == 0
    for path in (root / "locales/ru/LC_MESSAGES/articles").glob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = "RU " + entry.msgid
        po.save()
    assert subprocess.run(localize(root, "merge"), capture_output=True).returncode == 0
    old = published(root)
    kept_mode = root / "build/ru/007.html"
    kept_mode.chmod(0o640)
    for path in (root / "locales/ru/LC_MESSAGES/articles").glob("*.po"):  # every translated page changes
        path.write_text(path.read_text(encoding="utf-8").replace('msgstr "RU ', 'msgstr "RU: '), encoding="utf-8")

    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    started = time.monotonic()
    assert subprocess.run(localize(reference, "merge"), capture_output=True).returncode == 0
    duration = time.monotonic() - started
    new = published(reference)
    assert sum(new[name] != old.get(name) for name in new) >= ARTICLES * 3

    kills = 0
    for fraction in (0.3, 0.45, 0.6, 0.75, 0.9):
        process = subprocess.Popen(localize(root, "merge"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
        for name, data in published(root).items():
            assert data in (old.get(name), new.get(name)), f"{name} is neither old nor new after a kill"
    assert kills >= 2, "the runs ended before they could be killed: make the corpus larger"

    result = subprocess.run(localize(root, "merge"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert published(root) == new
    assert [path for path in (root / "build").rglob("*.tmp")] == []
    assert kept_mode.stat().st_mode & 0o777 == 0o640
