"""Each golden article's template, as ``localize extract`` writes it, is kept beside it as NAME.pot.

po4a keeps ``.md``, ``.pot`` and ``.norm`` per case: a change in what extract
writes for a kind of Markdown then shows in a diff of ``tests/golden/``. When
such a change is meant, regenerate the files with
``.venv/bin/python -m tests.test_golden_templates`` and review the diff.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from localize.cli import cli
from tests.conftest import gettext_accepts

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.md"))
# A fixed creation date, so that the template's bytes are the same at every run.
EPOCH = "1714557600"  # 2024-05-01 10:00 UTC
SETTINGS = '[project]\nname = "golden"\n\n[tool.localize]\nlanguages = ["ru"]\n'


def extracted_template(case: Path, root: Path) -> Path:
    """Run ``localize extract`` on a tree holding ``case`` alone; the template it writes."""
    (root / "source_articles").mkdir(parents=True)
    (root / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    shutil.copyfile(case, root / "source_articles" / case.name)
    result = CliRunner().invoke(cli, ["-C", str(root), "extract"], catch_exceptions=False, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.exit_code == 0, result.output
    return root / "locales" / "templates" / "articles" / f"{case.stem}.pot"


@pytest.mark.parametrize("case", GOLDEN, ids=lambda path: path.name)
def test_extract_writes_the_golden_template(case: Path, tmp_path: Path) -> None:
    golden = case.with_suffix(".pot")
    assert golden.is_file(), f"no {golden.name}: run python -m tests.test_golden_templates"
    written = extracted_template(case, tmp_path / "tree")
    assert written.read_bytes() == golden.read_bytes()


@pytest.mark.parametrize("case", GOLDEN, ids=lambda path: path.name)
def test_golden_templates_are_what_gettext_writes(case: Path, tmp_path: Path) -> None:
    copy = tmp_path / case.with_suffix(".pot").name
    shutil.copyfile(case.with_suffix(".pot"), copy)
    gettext_accepts(copy)


def test_every_golden_template_has_its_article() -> None:
    assert sorted(path.with_suffix(".md") for path in GOLDEN[0].parent.glob("*.pot")) == GOLDEN


if __name__ == "__main__":  # regenerate the golden templates (by hand, after a change that is meant)
    import tempfile

    for case in GOLDEN:
        with tempfile.TemporaryDirectory() as folder:
            shutil.copyfile(extracted_template(case, Path(folder) / "tree"), case.with_suffix(".pot"))
    sys.exit(0)
