"""Shared test helpers: content trees in temporary folders and the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings


from localize.cli import cli

TESTS = Path(__file__).parent

# Property tests run a few hundred examples in the suite; HYPOTHESIS_PROFILE=stress runs many more by hand.
settings.register_profile("default", max_examples=300, deadline=None)
settings.register_profile("stress", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    # Catalog headers must not depend on the hour a test runs.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture
def run_cli():
    """Run ``localize ARGS`` in-process, the way a user would from a shell."""
    runner = CliRunner()

    def run(*args: str, project: Path | None = None):
        arguments = (["-C", str(project)] if project is not None else []) + [str(arg) for arg in args]
        return runner.invoke(cli, arguments, catch_exceptions=False)

    return run


@pytest.fixture
def content_tree(tmp_path: Path):
    """A content tree with ``languages`` configured and the given articles; returns its folder."""

    def make(articles: dict[str, str | bytes], *, languages=("ru", "uk"), settings: str = "") -> Path:
        root = tmp_path / "content"
        (root / "source_articles").mkdir(parents=True)
        listed = ", ".join(f'"{code}"' for code in languages)
        (root / "pyproject.toml").write_text(
            f'[project]\nname = "newsroom"\n\n[tool.localize]\nlanguages = [{listed}]\n{settings}', encoding="utf-8"
        )
        for slug, text in articles.items():
            path = root / "source_articles" / f"{slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return root

    return make


@pytest.fixture
def sample_tree(tmp_path: Path) -> Path:
    """A copy of this repository's own sample content."""
    root = tmp_path / "sample"
    repository = TESTS.parent
    root.mkdir()
    shutil.copy(repository / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(repository / "source_articles", root / "source_articles")
    shutil.copytree(repository / "locales", root / "locales")
    return root


def gettext_accepts(path: Path) -> None:
    """gettext's own judges: msgfmt --check accepts the file and msgcat writes it back unchanged."""
    checked = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    rewritten = subprocess.run(["msgcat", str(path)], capture_output=True)
    assert rewritten.returncode == 0, rewritten.stderr
    assert rewritten.stdout == path.read_bytes(), f"msgcat would rewrite {path}"
