"""`localize check PATH` on PO files from anywhere, with msgfmt as the judge of counts and lines.

Golden files: every entry of ``fixtures/check/findings/*.po`` that carries a
``# expect: CODE...`` comment must give exactly those codes at its msgid line,
and no other entry any; ``fixtures/check/catalogs/*.po`` are real-world
shaped catalogs whose counts msgfmt must agree with.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localize.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "check"
FINDINGS = sorted((FIXTURES / "findings").glob("*.po"))
CATALOGS = sorted((FIXTURES / "catalogs").glob("*.po"))
MALFORMED = sorted(path for path in (FIXTURES / "malformed").glob("*.po") if path.stat().st_size)

needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")


def run_check(tmp_path: Path, *args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "check", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def copy(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / path.name
    shutil.copyfile(path, target)
    return target


def msgfmt_statistics(path: Path) -> tuple[int, int, int] | None:
    """(translated, fuzzy, untranslated) as msgfmt counts them; None if msgfmt rejects the file."""
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(path)],
        capture_output=True, text=True, env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""},
    )
    if result.returncode != 0:
        return None
    line = result.stderr.strip().splitlines()[-1]

    def number(words: str) -> int:
        match = re.search(rf"(\d+) {words}", line)
        return int(match.group(1)) if match else 0

    return number("translated message"), number("fuzzy translation"), number("untranslated message")


def counts_of(catalog: dict) -> tuple[int, int, int]:
    counts = catalog["counts"]
    return counts["translated"], counts["fuzzy"], counts["untranslated"]


def expected_findings(path: Path) -> set[tuple[int, str]]:
    """(msgid line, code) for every ``# expect:`` comment of a golden file."""
    expected = set()
    codes: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("# expect:"):
            codes = line.split(":", 1)[1].split()
        elif line.startswith("msgid ") and codes:
            expected.update((number, code) for code in codes)
            codes = []
    return expected


@pytest.mark.parametrize("fixture", FINDINGS, ids=lambda path: path.name)
def test_golden_findings(fixture: Path, tmp_path: Path) -> None:
    path = copy(fixture, tmp_path)
    if (fixture.parent / "glossary").is_dir():  # the glossary checks read it from the content tree
        shutil.copytree(fixture.parent / "glossary", tmp_path / "glossary")
    _, report = run_check(tmp_path, str(path))
    (catalog,) = report["catalogs"]
    found = {(finding["line"], finding["code"]) for finding in catalog["findings"]}
    assert found == expected_findings(fixture)


def test_every_check_has_a_golden_case() -> None:
    from localize.checks import CODES

    covered = {code for fixture in FINDINGS for _, code in expected_findings(fixture)}
    entry_codes = {code for code in CODES if code[1] in "23" or code.startswith("W") or code == "E002"}
    assert entry_codes <= covered


@needs_msgfmt
@pytest.mark.parametrize("fixture", CATALOGS + FINDINGS, ids=lambda path: path.name)
def test_counts_agree_with_msgfmt(fixture: Path, tmp_path: Path) -> None:
    path = copy(fixture, tmp_path)
    _, report = run_check(tmp_path, str(path))
    expected = msgfmt_statistics(path)
    if expected is None:
        assert any(f["severity"] == "error" for f in report["catalogs"][0]["findings"]), "msgfmt rejects it"
        return
    assert counts_of(report["catalogs"][0]) == expected


@needs_msgfmt
def test_the_real_world_catalogs_all_compile() -> None:
    # So that the comparison above judges every one of them.
    assert all(msgfmt_statistics(path) is not None for path in CATALOGS)


def test_obsolete_entries_are_counted_apart(tmp_path: Path) -> None:
    _, report = run_check(tmp_path, str(copy(FIXTURES / "catalogs" / "contexts.de.po", tmp_path)))
    assert report["catalogs"][0]["counts"]["obsolete"] == 2


def test_fuzzy_header_plurals_and_contexts_are_read(tmp_path: Path) -> None:
    _, report = run_check(tmp_path, str(copy(FIXTURES / "catalogs" / "msginit.es.po", tmp_path)))
    catalog = report["catalogs"][0]
    assert catalog["language"] == "es"
    assert counts_of(catalog) == (2, 0, 1)
    assert [f["code"] for f in catalog["findings"]] == ["E101"]


# -- malformed input -----------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", MALFORMED, ids=lambda path: path.name)
def test_a_malformed_file_is_one_error_with_its_line(fixture: Path, tmp_path: Path) -> None:
    path = copy(fixture, tmp_path)
    code, report = run_check(tmp_path, str(path))
    assert code == 1
    (catalog,) = report["catalogs"]
    assert catalog["counts"] is None
    (finding,) = catalog["findings"]
    assert finding["code"] == "E001" and finding["severity"] == "error"
    assert isinstance(finding["line"], int) and finding["line"] >= 1


@needs_msgfmt
@pytest.mark.parametrize("fixture", MALFORMED, ids=lambda path: path.name)
def test_the_line_of_a_syntax_error_is_near_msgfmts(fixture: Path, tmp_path: Path) -> None:
    path = copy(fixture, tmp_path)
    result = subprocess.run(["msgfmt", "-o", os.devnull, str(path)], capture_output=True, text=True,
                            env={**os.environ, "LC_ALL": "C"})
    lines = [int(number) for number in re.findall(rf"{re.escape(str(path))}:(\d+)", result.stderr)]
    _, report = run_check(tmp_path, str(path))
    assert min(abs(report["catalogs"][0]["findings"][0]["line"] - line) for line in lines) <= 1


def test_the_other_files_are_still_checked(tmp_path: Path) -> None:
    for fixture in MALFORMED + [FIXTURES / "catalogs" / "header_only.po"]:
        copy(fixture, tmp_path)
    code, report = run_check(tmp_path, str(tmp_path))
    assert code == 1
    by_name = {Path(catalog["path"]).name: catalog for catalog in report["catalogs"]}
    assert set(by_name) == {path.name for path in MALFORMED} | {"header_only.po"}
    assert by_name["header_only.po"]["findings"] == []
    assert counts_of(by_name["header_only.po"]) == (0, 0, 0)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300) | st.text(alphabet='msgidtrx_[]0"\\#~|,. \n\tфз', max_size=300).map(str.encode))
def test_no_input_crashes_the_check(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.po"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "check", str(path)])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- lines -----------------------------------------------------------------------------------------

@needs_msgfmt
def test_a_finding_is_on_the_msgid_line_as_msgfmt_reports_it(tmp_path: Path) -> None:
    path = tmp_path / "lines.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "# A translator's note.\n#. An extracted comment.\n#: src/a.py:1\n#, fuzzy\n#| msgid \"Old\"\n"
        'msgid "Open"\nmsgstr "Ouvrir"\n\n'
        "# The same message again.\n#: src/b.py:2\n"
        'msgid "Open"\nmsgstr "Ouvrir"\n',
        encoding="utf-8",
    )
    result = subprocess.run(["msgfmt", "-o", os.devnull, str(path)], capture_output=True, text=True,
                            env={**os.environ, "LC_ALL": "C"})
    duplicate_line = int(re.search(r":(\d+): duplicate message definition", result.stderr).group(1))
    _, report = run_check(tmp_path, str(path))
    (duplicate,) = [f for f in report["catalogs"][0]["findings"] if f["code"] == "E002"]
    assert duplicate["line"] == duplicate_line == 15
    assert "first at line 10" in duplicate["message"]


@needs_msgfmt
def test_an_obsolete_duplicate_is_a_duplicate_too(tmp_path: Path) -> None:
    path = tmp_path / "obsolete.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "a"\nmsgstr "x"\n\n#~ msgid "a"\n#~ msgstr "y"\n', encoding="utf-8")
    assert msgfmt_statistics(path) is None
    _, report = run_check(tmp_path, str(path))
    assert [(f["code"], f["line"]) for f in report["catalogs"][0]["findings"]] == [("E002", 8)]


def test_header_findings_are_on_the_header_line(tmp_path: Path) -> None:
    path = copy(FIXTURES / "catalogs" / "latin1.fr.po", tmp_path)
    _, report = run_check(tmp_path, str(path))
    (charset,) = [f for f in report["catalogs"][0]["findings"] if f["code"] == "E013"]
    assert charset["line"] == 2 and "ISO-8859-1" in charset["message"]


# -- header ------------------------------------------------------------------------------------------

def write_catalog(path: Path, *, language: str | None, plural_forms: str | None, charset: str = "UTF-8",
                  entries: str = 'msgid "Open"\nmsgstr "Открыть"\n') -> Path:
    header = ['msgid ""', 'msgstr ""', f'"Content-Type: text/plain; charset={charset}\\n"']
    if language is not None:
        header.append(f'"Language: {language}\\n"')
    if plural_forms is not None:
        header.append(f'"Plural-Forms: {plural_forms}\\n"')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(header) + "\n\n" + entries, encoding="utf-8")
    return path


RU_PLURALS = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
              "(n%100<10 || n%100>=20) ? 1 : 2);")


def header_codes(tmp_path: Path, path: Path) -> list[str]:
    _, report = run_check(tmp_path, str(path))
    return [f["code"] for f in report["catalogs"][0]["findings"]]


def test_language_must_agree_with_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locales" / "uk" / "LC_MESSAGES"
    assert header_codes(tmp_path, write_catalog(folder / "a.po", language="ru", plural_forms=RU_PLURALS)) == ["E010"]
    assert header_codes(tmp_path, write_catalog(folder / "b.po", language=None, plural_forms=RU_PLURALS)) == ["E010"]
    assert header_codes(tmp_path, write_catalog(folder / "c.po", language="uk", plural_forms=RU_PLURALS)) == []
    assert header_codes(tmp_path, write_catalog(tmp_path / "po" / "uk.po", language="ru", plural_forms=RU_PLURALS)) \
        == ["E010"]


def test_plural_forms_must_agree_with_cldr(tmp_path: Path) -> None:
    # The same rule written differently is no disagreement.
    same = "nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2"
    assert header_codes(tmp_path, write_catalog(tmp_path / "a.po", language="ru", plural_forms=same)) == []
    four = "nplurals=4; plural=(n==1) ? 0 : (n%10==1 && n%100!=11) ? 3 : (n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20)) ? 1 : 2;"
    assert header_codes(tmp_path, write_catalog(tmp_path / "b.po", language="ru", plural_forms=four)) == ["E011"]
    english = "nplurals=2; plural=(n != 1);"
    assert header_codes(tmp_path, write_catalog(tmp_path / "c.po", language="ru", plural_forms=english)) == ["E011"]
    assert header_codes(tmp_path, write_catalog(tmp_path / "d.po", language="de", plural_forms=english)) == []
    assert header_codes(tmp_path, write_catalog(tmp_path / "e.po", language="ru", plural_forms="nplurals=three")) \
        == ["E012"]


def test_plural_forms_are_needed_by_plural_messages_only(tmp_path: Path) -> None:
    assert header_codes(tmp_path, write_catalog(tmp_path / "a.po", language="ru", plural_forms=None)) == []
    plural = 'msgid "%d day"\nmsgid_plural "%d days"\nmsgstr[0] "%d день"\nmsgstr[1] "%d дня"\nmsgstr[2] "%d дней"\n'
    assert header_codes(tmp_path, write_catalog(tmp_path / "b.po", language="ru", plural_forms=None,
                                                entries=plural)) == ["E012"]


def test_charset_must_be_utf8(tmp_path: Path) -> None:
    assert header_codes(tmp_path, write_catalog(tmp_path / "a.po", language="ru", plural_forms=RU_PLURALS,
                                                charset="utf-8")) == []
    assert header_codes(tmp_path, write_catalog(tmp_path / "b.po", language="ru", plural_forms=RU_PLURALS,
                                                charset="CHARSET")) == ["E013"]


# -- suppression and coverage -------------------------------------------------------------------------

def test_a_translator_comment_silences_one_check_on_one_entry(tmp_path: Path) -> None:
    entries = ('msgid "Is the shelter open?"\nmsgstr "Укрытие открыто."\n\n'
               '# localize-ignore: W202\nmsgid "Is the airport open?"\nmsgstr "Аэропорт открыт."\n\n'
               '# localize-ignore: W201\nmsgid "Is the metro open?"\nmsgstr "Метро открыто."\n')
    path = write_catalog(tmp_path / "a.po", language="ru", plural_forms=RU_PLURALS, entries=entries)
    _, report = run_check(tmp_path, str(path))
    assert [(f["code"], f["line"]) for f in report["catalogs"][0]["findings"]] == [("W202", 7), ("W202", 15)]


def test_coverage_counts_missing_and_fuzzy_apart(tmp_path: Path) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru", "Plural-Forms": RU_PLURALS}
    for number in range(10):
        po.append(polib.POEntry(msgid=f"Message {number}", msgstr=f"Сообщение {number}" if number < 7 else "",
                                flags=["fuzzy"] if number == 0 else []))
    path = tmp_path / "a.po"
    po.save(str(path))
    code, report = run_check(tmp_path, str(path))
    (coverage,) = report["catalogs"][0]["findings"]
    assert code == 1 and coverage["code"] == "E101" and coverage["line"] is None
    assert "60% translated (6 of 10 messages; 1 fuzzy, 3 untranslated)" in coverage["message"]
    (tmp_path / "pyproject.toml").write_text("[tool.localize]\nmin_translated = 60\n", encoding="utf-8")
    assert run_check(tmp_path, str(path))[0] == 0


def test_the_quotes_of_a_language_can_be_configured(tmp_path: Path) -> None:
    entries = 'msgid "He said “no”."\nmsgstr "Он сказал “нет”."\n'
    path = write_catalog(tmp_path / "a.po", language="ru", plural_forms=RU_PLURALS, entries=entries)
    assert header_codes(tmp_path, path) == ["W204"]
    (tmp_path / "pyproject.toml").write_text('[tool.localize.quotes]\nru = "«»„“”"\n', encoding="utf-8")
    assert header_codes(tmp_path, path) == []


# -- msgfmt on generated catalogs ------------------------------------------------------------------

TEXT = st.text(alphabet="abc xyz", min_size=1, max_size=8)


@st.composite
def entries(draw) -> list[polib.POEntry]:
    made = []
    keys = set()
    for _ in range(draw(st.integers(0, 8))):
        msgid = draw(TEXT)
        msgctxt = draw(st.none() | st.sampled_from(["menu", "verb"]))
        obsolete = draw(st.booleans())
        if (msgctxt, msgid) in keys:  # msgfmt rejects a duplicate, even an obsolete one
            continue
        keys.add((msgctxt, msgid))
        flags = ["fuzzy"] if draw(st.booleans()) else []
        if draw(st.booleans()):
            forms = {index: draw(st.sampled_from(["", "f"])) for index in range(3)}
            entry = polib.POEntry(msgid=msgid, msgid_plural=msgid + "s", msgstr_plural=forms, msgctxt=msgctxt,
                                  flags=flags, obsolete=obsolete)
        else:
            entry = polib.POEntry(msgid=msgid, msgstr=draw(st.sampled_from(["", "x", "long text " * 9])),
                                  msgctxt=msgctxt, flags=flags, obsolete=obsolete)
        if flags and draw(st.booleans()):
            entry.previous_msgid = msgid + " old"
        made.append(entry)
    return made


@needs_msgfmt
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=entries(), wrap=st.sampled_from([0, 20, 79]), charset=st.sampled_from(["UTF-8", "ISO-8859-5"]))
def test_counts_agree_with_msgfmt_on_generated_catalogs(tmp_path: Path, made, wrap: int, charset: str) -> None:
    po = polib.POFile(wrapwidth=wrap, encoding=charset)
    po.metadata = {"Content-Type": f"text/plain; charset={charset}", "Language": "ru", "Plural-Forms": RU_PLURALS}
    for entry in made:
        po.append(entry)
    path = tmp_path / "generated.po"
    po.save(str(path))
    expected = msgfmt_statistics(path)
    assert expected is not None, path.read_text(encoding="utf-8", errors="replace")
    _, report = run_check(tmp_path, str(path))
    assert counts_of(report["catalogs"][0]) == expected


# -- msgfmt --check as the judge of placeholders, headers and domains ------------------------------

FORMAT_FLAGS = re.compile(r"^#,.*\b(?:c|python|python-brace)-format\b", re.MULTILINE)


def msgfmt_check(path: Path, *options: str) -> subprocess.CompletedProcess:
    """msgfmt --check on ``path``, run in its own folder: with ``domain`` directives msgfmt writes
    one DOMAIN.mo per domain, as it does for a real build."""
    return subprocess.run(["msgfmt", "--check", *options, path.name], cwd=path.parent, capture_output=True,
                          text=True, env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""})


@needs_msgfmt
@pytest.mark.parametrize("fixture", FINDINGS, ids=lambda path: path.name)
def test_msgfmt_rejects_exactly_the_golden_entries_with_placeholder_errors(fixture: Path, tmp_path: Path) -> None:
    """Each entry with a format flag, alone after the file's header: msgfmt --check rejects it if
    and only if the golden file expects E301 or E302 there (entries expecting other errors aside)."""
    blocks = re.split(r"\n\s*\n", fixture.read_text(encoding="utf-8"))
    header = next(block for block in blocks if re.search(r'^msgid ""$', block, re.MULTILINE))
    judged = 0
    for number, block in enumerate(blocks):
        if block is header or not FORMAT_FLAGS.search(block):
            continue
        path = tmp_path / f"entry{number}.po"
        path.write_text(f"{header}\n\n{block}\n", encoding="utf-8")
        rejected = msgfmt_check(path, "-o", os.devnull).returncode != 0
        expected = {code for _, code in expected_findings(path)}
        if any(code.startswith("E") and code not in ("E301", "E302") for code in expected):
            continue
        assert rejected == bool(expected & {"E301", "E302"}), block
        _, report = run_check(tmp_path, str(path))
        found = {finding["code"] for finding in report["catalogs"][0]["findings"]} & {"E301", "E302"}
        assert found == expected & {"E301", "E302"}, block
        judged += 1
    assert judged >= 4 or "placeholders" not in fixture.name


@needs_msgfmt
def test_a_placeholder_dropped_from_one_plural_form_is_e301(tmp_path: Path) -> None:
    entries = ('#, c-format\nmsgid "%d day left"\nmsgid_plural "%d days left"\n'
               'msgstr[0] "Остался %d день"\nmsgstr[1] "Осталось дня"\nmsgstr[2] "Осталось %d дней"\n')
    path = write_catalog(tmp_path / "a.po", language="ru", plural_forms=RU_PLURALS, entries=entries)
    result = msgfmt_check(path, "-o", os.devnull)
    assert result.returncode == 1 and "msgstr[1]" in result.stderr
    # msgfmt names the msgstr[1] line; check names the entry's msgid line, as for every finding.
    msgfmt_line = int(re.search(r"a\.po:(\d+): .*msgstr\[1\]", result.stderr).group(1))
    line = path.read_text(encoding="utf-8").splitlines().index('msgid "%d day left"') + 1
    assert line < msgfmt_line <= line + 4
    code, report = run_check(tmp_path, str(path))
    assert code == 1
    assert [(f["code"], f["line"], f["message"]) for f in report["catalogs"][0]["findings"]] == [
        ("E301", line, "placeholder(s) missing from msgstr[1]: %d")
    ]


@needs_msgfmt
def test_unnumbered_placeholders_are_shown_as_the_translator_wrote_them(tmp_path: Path) -> None:
    entries = '#, c-format\nmsgid "%d new messages in %s"\nmsgstr "Новые сообщения в папке %s"\n'
    path = write_catalog(tmp_path / "a.po", language="ru", plural_forms=RU_PLURALS, entries=entries)
    assert msgfmt_check(path).returncode == 1
    _, report = run_check(tmp_path, str(path))
    (problem,) = report["catalogs"][0]["findings"]
    assert problem["code"] == "E301" and "$" not in problem["message"]
    assert "%d %s in the msgid, %s in the translation" in problem["message"]


HEADERLESS = {
    # What an editor or a script leaves when it writes no header at all.
    "no header": '#: src/main.c:12\nmsgid "Open"\nmsgstr "Öffnen"\n\n#: src/main.c:13\nmsgid "Close"\nmsgstr ""\n',
    # msginit's header with every field deleted: msgfmt counts it as an untranslated message.
    "empty header": '# German translation.\nmsgid ""\nmsgstr ""\n\nmsgid "Open"\nmsgstr "Öffnen"\n',
    "nothing at all": "",
}


@needs_msgfmt
@pytest.mark.parametrize("content", HEADERLESS.values(), ids=HEADERLESS.keys())
def test_a_catalog_without_a_header_is_e014_as_msgfmt_check_rejects_it(content: str, tmp_path: Path) -> None:
    path = tmp_path / "de.po"
    path.write_text(content, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.localize]\nmin_translated = 0\n", encoding="utf-8")
    result = msgfmt_check(path, "-o", os.devnull)
    assert result.returncode == 1 and "header missing" in result.stderr
    code, report = run_check(tmp_path, str(path))
    assert code == 1
    assert [finding["code"] for finding in report["catalogs"][0]["findings"]] == ["E014"]
    if content:
        assert counts_of(report["catalogs"][0]) == msgfmt_statistics(path)


@needs_msgfmt
def test_an_empty_header_counts_as_an_untranslated_message(tmp_path: Path) -> None:
    path = tmp_path / "de.po"
    path.write_text(HEADERLESS["empty header"], encoding="utf-8")
    _, report = run_check(tmp_path, str(path))
    assert counts_of(report["catalogs"][0]) == msgfmt_statistics(path) == (1, 0, 1)


DOMAINS = '''# Two programs' messages in one file, as gettext's "domain" directive allows.
msgid ""
msgstr ""
"Project-Id-Version: tools 1.0\\n"
"Language: de\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Quit"
msgstr "Beenden"

domain "viewer"

msgid ""
msgstr ""
"Project-Id-Version: viewer 1.0\\n"
"Language: de\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Quit"
msgstr "Schließen"

#, c-format
msgid "%d page"
msgid_plural "%d pages"
msgstr[0] "%d Seite"
msgstr[1] "%d Seiten"

#, fuzzy
msgid "Zoom in"
msgstr "Vergrößern"

domain "editor"

msgid "Quit"
msgstr ""
'''


@needs_msgfmt
def test_domain_directives_are_read_as_msgfmt_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "tools.de.po"
    path.write_text(DOMAINS, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.localize]\nmin_translated = 50\n", encoding="utf-8")
    result = msgfmt_check(path, "--statistics")
    assert result.returncode == 0, result.stderr
    assert sorted(file.name for file in tmp_path.glob("*.mo")) == ["messages.mo", "viewer.mo"]
    code, report = run_check(tmp_path, str(path))
    (catalog,) = report["catalogs"]
    assert code == 0 and catalog["findings"] == []
    assert counts_of(catalog) == (3, 1, 1)
    assert "3 translated messages, 1 fuzzy translation, 1 untranslated message." in result.stderr


@needs_msgfmt
def test_a_message_twice_in_one_domain_is_e002_at_msgfmts_line(tmp_path: Path) -> None:
    path = tmp_path / "tools.de.po"
    path.write_text(DOMAINS + '\nmsgid "Quit"\nmsgstr "Verlassen"\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.localize]\nmin_translated = 50\n", encoding="utf-8")
    result = msgfmt_check(path)
    assert result.returncode == 1
    line = int(re.search(r"tools\.de\.po:(\d+): duplicate message definition", result.stderr).group(1))
    code, report = run_check(tmp_path, str(path))
    assert code == 1
    assert [(f["code"], f["line"]) for f in report["catalogs"][0]["findings"]] == [("E002", line)]


@needs_msgfmt
@pytest.mark.parametrize("fixture", CATALOGS + FINDINGS, ids=lambda path: path.name)
def test_what_msgfmt_check_rejects_fails_the_check(fixture: Path, tmp_path: Path) -> None:
    path = copy(fixture, tmp_path)
    if msgfmt_check(path, "-o", os.devnull).returncode != 0:
        assert run_check(tmp_path, str(path))[0] == 1
