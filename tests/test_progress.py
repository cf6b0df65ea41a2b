"""The progress bar shows on a terminal only, and --quiet / --verbose say how much a command prints."""

from __future__ import annotations

import io
import os

import pytest

from localize import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bar_shows_only_after_the_delay_then_counts_rate_and_time_left():
    screen, clock = Terminal(), Clock()
    bar = progress.ProgressBar("extract", stream=screen, clock=clock, delay=1.5)
    clock.now += 1.0
    bar(10, 100)
    assert screen.getvalue() == ""  # a quick step prints nothing
    clock.now += 1.0  # 2 s in: 20 of 100 done, 10 a second, 8 s left
    bar(20, 100)
    shown = screen.getvalue()
    assert shown.startswith("\rextract  20/100 articles")
    assert " 20%" in shown and "10.0/s" in shown and "0:08 left" in shown
    bar.close()
    assert screen.getvalue().endswith("\r") and screen.getvalue().count("\r") == 3


def test_redraws_are_spaced_but_the_last_one_is_always_drawn():
    screen, clock = Terminal(), Clock()
    bar = progress.ProgressBar("merge", stream=screen, clock=clock, delay=0)
    clock.now += 1
    bar(1, 3)
    bar(2, 3)  # same instant: not redrawn
    assert screen.getvalue().count("\r") == 1
    bar(3, 3)
    assert "3/3 articles" in screen.getvalue()


def test_no_bar_in_ci_when_piped_or_quiet(monkeypatch):
    main, other = os.openpty()
    terminal = os.fdopen(other, "w")
    try:
        monkeypatch.delenv("CI", raising=False)
        assert progress.wanted(terminal)
        assert not progress.wanted(terminal, quiet=True)
        assert not progress.wanted(io.StringIO())
        monkeypatch.setenv("CI", "true")
        assert not progress.wanted(terminal)
    finally:
        terminal.close()
        os.close(main)


@pytest.fixture
def tree(content_tree):
    return content_tree({"kyiv": "# Kyiv\n\nSirens sounded.\n", "lviv": "# Lviv\n\nTrams run again.\n"})


def test_extract_prints_a_summary_and_the_files_only_with_verbose(tree, run_cli):
    result = run_cli("extract", project=tree)
    assert result.exit_code == 0
    # Two articles in two languages, and the site strings' template and catalogs: one line in all.
    assert result.output == "2 article(s): 9 file(s) written, 0 unchanged\n"
    (tree / "source_articles" / "kyiv.md").write_text("# Kyiv\n\nSirens sounded twice.\n")
    verbose = run_cli("--verbose", "extract", project=tree)
    assert "locales/ru/LC_MESSAGES/articles/kyiv.po: updated" in verbose.output
    assert verbose.output.splitlines()[-1].startswith("2 article(s): 3 file(s) written")


def test_quiet_prints_only_errors(tree, run_cli):
    result = run_cli("--quiet", "extract", project=tree)
    assert result.exit_code == 0 and result.output == ""
    (tree / "source_articles" / "bad.md").write_bytes(b"# Bad \xff\n")
    failed = run_cli("-q", "extract", project=tree)
    assert failed.exit_code == 1
    assert "bad.md" in failed.output and failed.output.startswith("Error:")


def test_quiet_and_verbose_together_is_a_usage_error(tree, run_cli):
    result = run_cli("--quiet", "--verbose", "extract", project=tree)
    assert result.exit_code == 2 and "cannot be used together" in result.output
