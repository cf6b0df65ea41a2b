"""Real PO files from public projects, with GNU gettext as the judge.

``fixtures/real_po/*.po`` are catalogs written by msgmerge, Poedit, Lokalize,
Transifex, Weblate, Babel and scripts, in a dozen languages, six scripts and
four charsets (see its README.md for where each comes from). On every one of them:

* ``format_po`` of the catalog ``read_catalog`` reads is what ``msgcat`` writes,
  byte for byte, in the file's own charset;
* the counts are ``msgfmt --statistics``'s;
* ``localize check`` exits 0 or 1 with JSON, and finds only what is listed in
  ``FINDINGS`` below, each one looked at by hand;
* ``read_catalog`` keeps every message polib reads.

``fixtures/real_po/broken/*.po`` are files msgcat rejects: each is one E001
finding at the line msgcat names.
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

from localize.catalog import read_catalog
from localize.cli import cli
from localize.po.write import format_po
from localize.statistics import count_messages

pytestmark = pytest.mark.skipif(
    shutil.which("msgcat") is None or shutil.which("msgfmt") is None,
    reason="GNU gettext (msgcat, msgfmt) is the judge of these tests",
)

CORPUS = Path(__file__).parent / "fixtures" / "real_po"
CATALOGS = sorted(CORPUS.glob("*.po"))
BROKEN = sorted((CORPUS / "broken").glob("*.po"))
GETTEXT_ENVIRONMENT = {**os.environ, "LC_ALL": "C", "LANGUAGE": ""}

# What polib alone loses, so that only read_catalog gives msgcat's output back.
POLIB_LOSES = {
    "gcal-de-latin1.po": '"#." lines without text (xgettext keeps the blank lines of a TRANSLATORS comment)',
    "kid3-qt-uk.po": "the second X-Qt-Contexts field of the header (Lokalize writes it twice)",
    "oca-report_xlsx-es.crlf.po": "the \\r that msgcat keeps at the end of comment lines",
    "po4a-pod-uk.po": 'the trailing blank of the comment "#.  .br "',
    "prusa-lang_pl.po": "the \\x1b escapes, which polib leaves undecoded",
    "weblate-djangojs-pl.po": "the #~| previous strings of obsolete entries",
}

# Every finding of `localize check` on the corpus, as (code, line), and why it stays.
FINDINGS: dict[str, list[tuple[str, int | None]]] = {
    # E013: localize writes catalogs in UTF-8, so a KOI8-R or Latin-1 catalog would
    # end up labelled wrongly after a write; msgconv first.
    "django-2005-ru-djangojs-koi8r.po": [("E013", 7)],
    "gcal-de-latin1.po": [("E013", 5)],
    # E013 as above; W202: "using other one..." became a sentence without the dots.
    "polib-tests-iso-8859-15-fr.po": [("E013", 2), ("W202", 33)],
    # E101: partly translated catalogs are below the 80% a merge needs to publish.
    "django-humanize-ar.po": [("E101", None)],
    "django-humanize-en.po": [("E101", None)],
    "prusa-lang_pl.po": [("E101", None)],
    # E101 as above; W202: "About these documents" gained an ellipsis.
    "sphinx-2011-ru.po": [("E101", None), ("W202", 145)],
    # W201: msgstr[0] " %(value)s クァドリリオン" has a stray leading space.
    "django-humanize-ja.po": [("W201", 71)],
    # W201: three translations gained a trailing space; W202: the colon after
    # "by %s:" and the full stop of "(Do not perform merge test.)" were dropped.
    "git-gui-ru.po": [("W201", 33), ("W201", 55), ("W201", 174), ("W202", 109), ("W202", 159)],
    # W202: "... unit conversions." lost its full stop; two translations end with
    # 。 where the English has no full stop.
    "gnome-calculator-ja.po": [("W202", 49), ("W202", 118), ("W202", 158)],
    # E011: git gives Chinese two plural forms (CLDR has one), KDE gives Ukrainian a
    # fourth form for 1 alone; both rules tell apart numbers CLDR does not, which
    # tests/test_check_catalogs.py pins as a disagreement.
    "git-zh_CN.po": [("E011", 22)],
    "kid3-qt-uk.po": [("E011", 7)],
}


def msgcat(path: Path, tmp_path: Path) -> bytes:
    """What msgcat writes for ``path``, written into ``tmp_path``, never next to the fixture."""
    output = tmp_path / "msgcat.po"
    subprocess.run(["msgcat", "-o", str(output), str(path)], check=True, env=GETTEXT_ENVIRONMENT,
                   capture_output=True)
    return output.read_bytes()


def msgfmt_statistics(path: Path) -> tuple[int, int, int]:
    """(translated, fuzzy, untranslated) from "N translated messages, M fuzzy translations, K untranslated messages."."""
    result = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, str(path)],
                            capture_output=True, text=True, env=GETTEXT_ENVIRONMENT, check=True)
    line = result.stderr.strip().splitlines()[-1]

    def number(words: str) -> int:
        match = re.search(rf"(\d+) {words}", line)
        return int(match.group(1)) if match else 0

    return number("translated messages?"), number("fuzzy translations?"), number("untranslated messages?")


def check(path: Path, tmp_path: Path) -> tuple[int, dict]:
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "check", "--format", "json", str(copy)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def test_the_corpus_is_there() -> None:
    assert len(CATALOGS) >= 15 and BROKEN
    assert set(FINDINGS) <= {path.name for path in CATALOGS}
    assert set(POLIB_LOSES) <= {path.name for path in CATALOGS}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_format_po_writes_what_msgcat_writes(path: Path, tmp_path: Path) -> None:
    expected = msgcat(path, tmp_path)
    written = format_po(read_catalog(path)).encode(polib.detect_encoding(str(path)))
    assert written.decode("latin-1").splitlines() == expected.decode("latin-1").splitlines()
    assert written == expected


@pytest.mark.parametrize("path", [path for path in CATALOGS if path.name not in POLIB_LOSES],
                         ids=lambda path: path.name)
def test_format_po_of_polib_alone_where_polib_loses_nothing(path: Path, tmp_path: Path) -> None:
    parsed = polib.pofile(str(path), wrapwidth=0)
    assert format_po(parsed).encode(parsed.encoding) == msgcat(path, tmp_path)


@pytest.mark.parametrize("name", sorted(POLIB_LOSES))
def test_polib_alone_loses_what_is_listed(name: str, tmp_path: Path) -> None:
    """When polib learns to keep it, the entry of POLIB_LOSES can go."""
    parsed = polib.pofile(str(CORPUS / name), wrapwidth=0)
    assert format_po(parsed).encode(parsed.encoding) != msgcat(CORPUS / name, tmp_path)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_counts_are_msgfmts(path: Path) -> None:
    counts = count_messages(read_catalog(path))
    assert (counts.translated, counts.fuzzy, counts.untranslated) == msgfmt_statistics(path)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_check_finds_only_what_was_looked_at(path: Path, tmp_path: Path) -> None:
    exit_code, report = check(path, tmp_path)
    (catalog,) = report["catalogs"]
    found = sorted(((finding["code"], finding["line"]) for finding in catalog["findings"]),
                   key=lambda finding: (finding[0], finding[1] or 0))
    assert found == sorted(FINDINGS.get(path.name, []), key=lambda finding: (finding[0], finding[1] or 0))
    counts = catalog["counts"]
    assert (counts["translated"], counts["fuzzy"], counts["untranslated"]) == msgfmt_statistics(path)
    assert exit_code == (1 if any(code.startswith("E") for code, _ in found) else 0)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_read_catalog_keeps_every_message(path: Path) -> None:
    catalog = read_catalog(path)
    parsed = polib.pofile(str(path), wrapwidth=0)
    assert len(catalog.messages) == len(parsed)
    assert [(message.msgctxt, message.obsolete) for message in catalog.messages] == [
        (entry.msgctxt, bool(entry.obsolete)) for entry in parsed
    ]


@pytest.mark.parametrize("path", BROKEN, ids=lambda path: path.name)
def test_a_file_msgcat_rejects_is_one_e001_at_its_line(path: Path, tmp_path: Path) -> None:
    result = subprocess.run(["msgcat", "-o", str(tmp_path / "out.po"), str(path)], capture_output=True, text=True,
                            env=GETTEXT_ENVIRONMENT)
    assert result.returncode != 0
    line = int(re.search(rf"{re.escape(str(path))}:(\d+):", result.stderr).group(1))
    exit_code, report = check(path, tmp_path)
    (catalog,) = report["catalogs"]
    assert exit_code == 1 and catalog["counts"] is None
    assert [(finding["code"], finding["line"]) for finding in catalog["findings"]] == [("E001", line)]


# -- what the corpus showed, in small -------------------------------------------------------------

def test_comments_without_a_space_read_as_gettext_reads_them(tmp_path: Path) -> None:
    """polib rejects "#,fuzzy" and "#foo" (hand-edited files have them); msgcat does not."""
    path = tmp_path / "source" / "cramped.po"
    path.parent.mkdir()
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    '#foo\n#.bar\n#:a.c:1\n#,fuzzy\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    assert format_po(read_catalog(path)).encode() == msgcat(path, tmp_path)
    counts = count_messages(read_catalog(path))
    assert (counts.translated, counts.fuzzy, counts.untranslated) == msgfmt_statistics(path)


def test_an_escape_msgfmt_rejects_is_one_e001_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "source" / "escape.po"
    path.parent.mkdir()
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "a\\x41"\nmsgstr "b\\q"\n', encoding="utf-8")
    assert subprocess.run(["msgfmt", "-o", os.devnull, str(path)], capture_output=True).returncode != 0
    _, report = check(path, tmp_path)
    assert [(finding["code"], finding["line"]) for finding in report["catalogs"][0]["findings"]] == [("E001", 5)]


HEADER = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
SMALL_CASES = {
    # gettext 0.21 keeps the flags of an entry's last "#," line only: msgfmt counts this translated.
    "two flag lines": HEADER + b'\n#, fuzzy\n#, c-format\nmsgid "%d a"\nmsgstr "%d b"\n',
    # A lone \r inside a reference is part of the file name for gettext; polib splits there.
    "lone carriage return": HEADER + b'\n#: src/a.c:1\r2 b.c:3\nmsgid "a"\nmsgstr "b"\n',
    # Blank lines may come between the strings of the header.
    "blank line in the header": HEADER + b'\n"Language: de\\n"\n\n#: a.c:1\nmsgid "a"\nmsgstr "b"\n',
    # A blank line does not end a comment: the later "#," line still wins.
    "flag lines apart": HEADER + b'\n#, fuzzy\n\n#, python-format\nmsgid "%s a"\nmsgstr "%s b"\n',
    # A tab after the marker: polib drops the first two characters after "#." and "#,".
    "tab after the marker": HEADER + b'\n#.\tfor the tab\n#,\tfuzzy\nmsgid "a"\nmsgstr "b"\n',
    # gettext reads "a.c: 12" and "b.c :7" as file and line.
    "spaced references": HEADER + b'\n#: a.c: 12 b.c :7 c.c : 9 d.c:1 e.c: x\nmsgid "a"\nmsgstr "b"\n',
    # A line of the header without the space after its colon.
    "cramped header field": b'msgid ""\nmsgstr ""\n"Project-Id-Version:x: \\n"\n"Content-Type: text/plain; '
                            b'charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n',
}


@pytest.mark.parametrize("content", SMALL_CASES.values(), ids=SMALL_CASES.keys())
def test_small_cases_read_as_gettext_reads_them(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "source" / "small.po"
    path.parent.mkdir()
    path.write_bytes(content)
    assert format_po(read_catalog(path)).encode() == msgcat(path, tmp_path)
    counts = count_messages(read_catalog(path))
    assert (counts.translated, counts.fuzzy, counts.untranslated) == msgfmt_statistics(path)


def test_an_undecodable_comment_is_no_error(tmp_path: Path) -> None:
    """msgfmt reads comments as bytes: a Latin-1 name in a UTF-8 file's comment is fine (the
    writer puts U+FFFD in its place); in a string it is E001."""
    path = tmp_path / "source" / "latin1-name.po"
    path.parent.mkdir()
    path.write_bytes(HEADER + b'\n# J\xf6ran\nmsgid "a"\nmsgstr "b"\n')
    assert msgfmt_statistics(path) == (1, 0, 0)
    _, report = check(path, tmp_path)
    assert report["catalogs"][0]["findings"] == []
    path.write_bytes(HEADER + b'\nmsgid "a"\nmsgstr "J\xf6ran"\n')
    _, report = check(path, tmp_path)
    assert [(finding["code"], finding["line"]) for finding in report["catalogs"][0]["findings"]] == [("E001", 6)]
