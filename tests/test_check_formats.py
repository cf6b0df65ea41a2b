"""The output formats of `localize check`: text, json, github and junit."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from localize.checks import CODES
from localize.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "check"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """Three catalogs: one with errors and a warning, one clean, one that does not parse."""
    shutil.copyfile(FIXTURES / "findings" / "markup.ru.po", tmp_path / "markup.ru.po")
    shutil.copyfile(FIXTURES / "catalogs" / "header_only.po", tmp_path / "header_only.po")
    shutil.copyfile(FIXTURES / "malformed" / "unterminated.po", tmp_path / "unterminated.po")
    warning = tmp_path / "warning.po"
    warning.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '# A comment.\nmsgid "Done: 100%, really?"\nmsgstr "Готово: 100%, правда."\n',
        encoding="utf-8",
    )
    return tmp_path


def run(directory: Path, *args: str):
    return CliRunner().invoke(cli, ["-C", str(directory), "check", *args])


def test_text_is_path_line_code_message_grouped_by_file(files: Path) -> None:
    result = run(files, str(files))
    assert result.exit_code == 1
    blocks = result.output.rstrip("\n").split("\n\n")
    summary = blocks.pop()
    assert summary == "4 catalogs checked: 10 errors, 1 warning (failed)"
    for block in blocks:
        paths = {re.match(r"(.*?):(\d+:)? [EW]\d{3} ", line).group(1) for line in block.splitlines()}
        assert len(paths) == 1
    assert f"{files / 'warning.po'}:7: W202 final punctuation differs: ? in the msgid, . in the translation" \
        in result.output
    assert f"{files / 'unterminated.po'}:5: E001 unterminated string" in result.output


def test_text_of_a_clean_run_is_the_summary(files: Path) -> None:
    result = run(files, str(files / "header_only.po"))
    assert (result.exit_code, result.output) == (0, "1 catalog checked: 0 errors, 0 warnings (passed)\n")


def test_json_follows_the_documented_schema(files: Path) -> None:
    from localize.report import CHECK_JSON_SCHEMA

    result = run(files, "--format", "json", str(files))
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert set(report) == {"version", "passed", "strict", "summary", "catalogs", "findings", "ignored"}
    assert report["version"] == 1 and report["passed"] is False and report["strict"] is False
    assert report["summary"] == {
        "catalogs": 4, "errors": 10, "warnings": 1, "translated": 17, "fuzzy": 0, "untranslated": 0, "obsolete": 0,
        "ignored": 0, "downgraded": 0,
    }
    for catalog in report["catalogs"]:
        assert set(catalog) == {"path", "language", "template", "counts", "findings"}
        if catalog["counts"] is not None:
            assert set(catalog["counts"]) == {
                "translated", "fuzzy", "untranslated", "obsolete", "total", "percent",
                "translated_words", "fuzzy_words", "untranslated_words",
            }
        for finding in catalog["findings"]:
            assert set(finding) == {"code", "severity", "path", "line", "message", "downgraded"}
            assert finding["severity"] == CODES[finding["code"]][0]
            assert finding["path"] == catalog["path"]
    by_name = {Path(catalog["path"]).name: catalog for catalog in report["catalogs"]}
    assert by_name["unterminated.po"]["counts"] is None
    assert by_name["markup.ru.po"]["language"] == "ru"
    assert by_name["header_only.po"]["counts"]["percent"] == 100.0
    for key in ('"version"', '"passed"', '"summary"', '"catalogs"', '"findings"', '"counts"', '"percent"'):
        assert key in CHECK_JSON_SCHEMA


def test_json_strict_fails_on_warnings(files: Path) -> None:
    result = run(files, "--format", "json", "--strict", str(files / "warning.po"))
    report = json.loads(result.output)
    assert result.exit_code == 1 and report["passed"] is False and report["strict"] is True
    assert json.loads(run(files, "--format", "json", str(files / "warning.po")).output)["passed"] is True


def test_github_annotations_point_at_the_po_line(files: Path) -> None:
    result = run(files, "--format", "github", str(files / "warning.po"), str(files / "unterminated.po"))
    lines = result.output.splitlines()
    assert lines[0] == (
        f"::warning file={files / 'warning.po'},line=7,title=W202::"
        "final punctuation differs: ? in the msgid, . in the translation"
    )
    assert lines[1] == f"::error file={files / 'unterminated.po'},line=5,title=E001::unterminated string"
    assert lines[-1].startswith("2 catalogs checked")


def test_github_escapes_what_workflow_commands_require(tmp_path: Path) -> None:
    folder = tmp_path / "a,b:c%d"
    folder.mkdir()
    path = folder / "x.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "100%% of %(total)s lines"\nmsgstr "100%% строк"\n',
        encoding="utf-8",
    )
    result = run(tmp_path, "--format", "github", str(path))
    (annotation,) = [line for line in result.output.splitlines() if line.startswith("::")]
    shown = str(tmp_path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert annotation == (
        f"::error file={shown}/a%2Cb%3Ac%25d/x.po,line=7,title=E301::"
        "placeholder(s) missing from the translation: %25(total)s"
    )


def test_github_escapes_line_breaks_in_messages() -> None:
    from localize.model import Finding
    from localize.steps.check import CatalogCheck, CheckReport
    from localize.report import check_github

    finding = Finding("E001", "error", "50% done\r\nnext", Path("x.po"), None)
    report = CheckReport(catalogs=(CatalogCheck(Path("x.po"), None, False, None, (finding,)),))
    assert check_github(report).splitlines()[0] == "::error file=x.po,title=E001::50%25 done%0D%0Anext"


def test_junit_is_xml_with_one_test_case_per_catalog(files: Path) -> None:
    result = run(files, "--format", "junit", str(files))
    assert result.exit_code == 1
    root = ET.fromstring(result.output.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root
    cases = suite.findall("testcase")
    assert len(cases) == 4 == int(suite.get("tests"))
    by_name = {Path(case.get("name")).name: case for case in cases}
    assert by_name["header_only.po"].find("failure") is None
    # A warning does not fail a test case unless --strict; it is reported in its output.
    assert by_name["warning.po"].find("failure") is None
    assert "W202" in by_name["warning.po"].find("system-out").text
    failure = by_name["markup.ru.po"].find("failure")
    assert failure.get("type") == "E201" and failure.text.count("markup.ru.po:") == 9
    assert by_name["unterminated.po"].find("failure").get("type") == "E001"
    assert suite.get("failures") == root.get("failures") == "2"
    strict = ET.fromstring(run(files, "--format", "junit", "--strict", str(files)).output.encode("utf-8"))
    assert strict.get("failures") == "3"


def test_junit_survives_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "control.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. type: paragraph\nmsgid "Run `a\x01b` now."\nmsgstr "Запустите `ab` сейчас."\n',
        encoding="utf-8",
    )
    result = run(tmp_path, "--format", "junit", str(path))
    root = ET.fromstring(result.output.encode("utf-8"))
    assert root.find("testsuite/testcase/failure").get("type") == "E203"
