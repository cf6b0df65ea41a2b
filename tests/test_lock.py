"""Two localize processes on one tree never write at the same time: the second waits, and says so."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from localize.lock import hold_lock, lock_path

pytestmark = pytest.mark.slow  # waits on locks: left out of `pytest -m "not slow"`

HOLDER = """
import sys
from pathlib import Path
from localize.lock import hold_lock
with hold_lock(Path(sys.argv[1]), shared=sys.argv[2] == "shared"):
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def holder():
    """Another process that holds the tree's lock until told to stop."""
    processes = []

    def hold(root: Path, *, shared: bool = False) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(lock_path(root)), "shared" if shared else "exclusive"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert process.stdout.readline() == "locked\n"
        processes.append(process)
        return process

    yield hold
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait()


def start(root: Path, *args: str, stderr: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "localize", "-C", str(root), *args],
        stdout=subprocess.PIPE, stderr=stderr.open("w"), text=True,
    )


def test_second_process_waits_and_says_so(content_tree, holder, tmp_path):
    root = content_tree({"kyiv": "# Kyiv\n\nA paragraph.\n"})
    other = holder(root)
    errors = tmp_path / "stderr.txt"
    process = start(root, "--verbose", "extract", stderr=errors)
    deadline = time.monotonic() + 30
    while "waiting" not in errors.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert errors.read_text() == f"waiting for another localize process (lock file {lock_path(root)})\n"
    time.sleep(0.5)
    assert process.poll() is None, "extract ran while another process held the lock"
    assert not (root / "locales/ru/LC_MESSAGES/articles/kyiv.po").exists()

    other.stdin.close()  # the other process finishes
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "locales/ru/LC_MESSAGES/articles/kyiv.po: created" in output
    assert errors.read_text().count("waiting") == 1


def test_checks_run_together_but_not_during_a_write(content_tree, holder, tmp_path):
    root = content_tree({"kyiv": "# Kyiv\n\nA paragraph.\n"})
    assert subprocess.run([sys.executable, "-m", "localize", "-C", str(root), "extract"],
                          capture_output=True).returncode == 0
    reader = holder(root, shared=True)
    errors = tmp_path / "check.txt"
    check = start(root, "extract", "--check", stderr=errors)
    assert check.wait(timeout=60) == 0
    assert "waiting" not in errors.read_text()

    writer_errors = tmp_path / "writer.txt"
    writer = start(root, "extract", stderr=writer_errors)
    deadline = time.monotonic() + 30
    while "waiting" not in writer_errors.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "waiting for another localize process" in writer_errors.read_text()
    reader.stdin.close()
    assert writer.wait(timeout=60) == 0


def test_two_extracts_at_once_give_the_same_tree_as_one(content_tree, tmp_path):
    articles = {f"{number:02d}": f"# Story {number}\n\nParagraph {number} of the story.\n" for number in range(30)}
    root = content_tree(articles)
    first = start(root, "extract", stderr=tmp_path / "first.txt")
    second = start(root, "extract", stderr=tmp_path / "second.txt")
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    for path in (root / "locales").rglob("*.po*"):
        checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
    check = subprocess.run([sys.executable, "-m", "localize", "-C", str(root), "extract", "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_the_lock_is_reentrant_within_a_process(tmp_path):
    path = lock_path(tmp_path)
    with hold_lock(path):
        with hold_lock(path):
            pass
        with hold_lock(path, shared=True):
            pass
    with hold_lock(path, shared=True):
        with pytest.raises(RuntimeError):
            with hold_lock(path):
                pass
