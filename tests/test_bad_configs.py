"""Bad settings files, one per case in tests/fixtures/config/ (as Babel keeps its bad configs).

``bad.NAME.toml`` is a localize.toml, ``bad.NAME.pyproject.toml`` a pyproject.toml; the
first line of each says what ``localize`` answers: ``# expect: FILE:LINE: MESSAGE``, the
start of the one-line error after the tree's folder. Adding a case is adding a file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

BAD = sorted((Path(__file__).parent / "fixtures" / "config").glob("bad.*.toml"))
EXPECT = "# expect: "


def settings_name(case: Path) -> str:
    return "pyproject.toml" if case.name.endswith(".pyproject.toml") else "localize.toml"


def test_there_are_cases() -> None:
    assert len(BAD) >= 10 and {settings_name(case) for case in BAD} == {"localize.toml", "pyproject.toml"}


@pytest.mark.parametrize("case", BAD, ids=lambda path: path.name)
@pytest.mark.parametrize("command", ["extract", "check", "merge"])
def test_bad_settings_are_one_line_naming_file_and_line(case: Path, command: str, tmp_path: Path, run_cli) -> None:
    first_line = case.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith(EXPECT), f"{case.name} must start with {EXPECT}FILE:LINE: MESSAGE"
    expected = first_line[len(EXPECT):]
    settings = tmp_path / settings_name(case)
    shutil.copyfile(case, settings)  # and no source folder: the settings are read before it is looked for

    result = run_cli(command, project=tmp_path)

    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {tmp_path}/{expected}"), lines[0]
    assert "Traceback" not in result.output
    assert [path.name for path in tmp_path.iterdir()] == [settings.name]  # nothing made
    assert settings.read_bytes() == case.read_bytes()
