"""Catalogs as other editors and tools leave them: rewrapped, in legacy charsets, with CRLF.

extract and check judge a catalog by its entries, not by its line breaks, so
that a file msgcat, polib or Babel rewrapped is neither "out of date" nor
rewrapped back; a catalog extract must write keeps its own wrapping and line
ends and comes out in UTF-8. What gettext cannot read faithfully is refused,
naming the file and line, and left as it was. GNU gettext is the judge.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po, write_po

from tests.conftest import gettext_accepts

pytestmark = pytest.mark.skipif(
    shutil.which("msgcat") is None or shutil.which("msgfmt") is None, reason="GNU gettext is the judge here"
)

REAL_PO = Path(__file__).parent / "fixtures" / "real_po"
SLUG = "2022-06-27-kyiv-missiles-belarus"
RU = f"locales/ru/LC_MESSAGES/articles/{SLUG}.po"
SOURCE = f"source_articles/{SLUG}.md"
GETTEXT_ENVIRONMENT = {**os.environ, "LC_ALL": "C", "LANGUAGE": ""}


def msgcat(*options: str, path: Path) -> None:
    subprocess.run(["msgcat", *options, "-o", str(path), str(path)], check=True, capture_output=True,
                   env=GETTEXT_ENVIRONMENT)


def polib_save(path: Path) -> None:
    polib.pofile(str(path)).save()


def babel_write(path: Path) -> None:
    with path.open("rb") as stream:
        catalog = read_po(stream)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


REWRITERS = {
    "msgcat --no-wrap": lambda path: msgcat("--no-wrap", path=path),
    "msgcat --width=77": lambda path: msgcat("--width=77", path=path),
    "polib save": polib_save,
    "babel write_po": babel_write,
}


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file() and ".localize-cache" not in path.parts}


def edit_source(root: Path) -> None:
    """A correction in the sample's longest paragraphs: one entry of each catalog changes."""
    source = root / SOURCE
    text = source.read_text(encoding="utf-8")
    assert "Russian attempt to respond" in text
    source.write_text(text.replace("Russian attempt to respond", "Russia's attempt to respond"), encoding="utf-8")


def msgfmt_counts(path: Path) -> str:
    result = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, str(path)], capture_output=True, text=True,
                            env=GETTEXT_ENVIRONMENT)
    return result.stderr.strip().splitlines()[-1] if result.returncode == 0 else f"rejected: {result.stderr}"


# -- 1. wrapping ----------------------------------------------------------------------------

@pytest.mark.parametrize("rewrite", REWRITERS.values(), ids=REWRITERS.keys())
def test_a_rewrapped_catalog_is_up_to_date_and_left_alone(sample_tree, run_cli, rewrite):
    root = sample_tree
    path = root / RU
    original = path.read_bytes()
    rewrite(path)
    rewrapped = path.read_bytes()
    assert rewrapped != original  # the tool did rewrap it
    assert polib.pofile(str(path)).translated_entries()  # and kept the translations

    check = run_cli("check", project=root)
    assert "E102" not in check.output and check.exit_code == 0, check.output
    assert run_cli("extract", "--check", project=root).exit_code == 0
    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 0 and "0 file(s) written" in result.output, result.output
    assert path.read_bytes() == rewrapped


@pytest.mark.parametrize("width", ["--no-wrap", "--width=77"])
def test_a_catalog_written_after_a_source_edit_keeps_its_own_wrapping(sample_tree, run_cli, width):
    root = sample_tree
    path = root / RU
    msgcat(width, path=path)
    edit_source(root)
    result = run_cli("--verbose", "extract", project=root)
    assert f"{RU}: updated (1 fuzzy)" in result.output, result.output
    written = path.read_bytes()
    assert b"#| msgid" in written
    msgcat(width, path=path)  # gettext in that style changes nothing
    assert path.read_bytes() == written
    msgcat(path=path)  # and it is not gettext's default style
    assert path.read_bytes() != written


@pytest.mark.parametrize(("setting", "options"), [("po_wrap = false", ("--no-wrap",)), ("po_wrap = 0", ("--no-wrap",)),
                                                  ("po_wrap = 77", ("--width=77",)), ("", ())])
def test_po_wrap_sets_the_style_of_new_files(content_tree, run_cli, setting, options):
    long = "A paragraph long enough to be wrapped by gettext at its default width of seventy-nine columns, " * 2
    root = content_tree({"kyiv": f"# Title\n\n{long.strip()}\n"}, settings=setting + "\n")
    assert run_cli("extract", project=root).exit_code == 0
    for path in [root / "locales/templates/articles/kyiv.pot", root / "locales/ru/LC_MESSAGES/articles/kyiv.po"]:
        written = path.read_bytes()
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], check=True, capture_output=True)
        msgcat(*options, path=path)
        assert path.read_bytes() == written


def test_po_wrap_must_be_a_width(content_tree, run_cli):
    root = content_tree({"kyiv": "# Title\n"}, settings='po_wrap = "wide"\n')
    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 1 and "po_wrap" in result.output and "pyproject.toml" in result.output


def test_a_tree_copied_under_another_name_extracts_as_a_no_op(tmp_path, run_cli):
    first = tmp_path / "newsroom-main"
    (first / "source_articles").mkdir(parents=True)
    (first / "pyproject.toml").write_text('[tool.localize]\nlanguages = ["ru"]\n', encoding="utf-8")
    (first / "source_articles/kyiv.md").write_text("# Missiles hit Kyiv\n\nA paragraph.\n", encoding="utf-8")
    assert run_cli("extract", project=first).exit_code == 0
    template = (first / "locales/templates/articles/kyiv.pot").read_text(encoding="utf-8")
    assert '"Project-Id-Version: PACKAGE VERSION\\n"' in template
    assert "newsroom-main" not in "".join(path.read_text(encoding="utf-8") for path in first.rglob("*.po*"))

    copy = tmp_path / "checkout-elsewhere"
    shutil.copytree(first, copy, ignore=shutil.ignore_patterns(".localize-cache"))
    before = snapshot(copy)
    result = run_cli("--verbose", "extract", project=copy)
    assert result.exit_code == 0 and "0 file(s) written" in result.output, result.output
    assert snapshot(copy) == before
    assert "E102" not in run_cli("check", project=copy).output


def test_a_project_id_written_before_is_kept(tmp_path, run_cli):
    """Trees extracted when the folder's name was the default keep it instead of churning."""
    root = tmp_path / "other-name"
    (root / "source_articles").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.localize]\nlanguages = ["ru"]\n', encoding="utf-8")
    (root / "source_articles/kyiv.md").write_text("# Missiles hit Kyiv\n", encoding="utf-8")
    assert run_cli("extract", project=root).exit_code == 0
    for path in root.rglob("*.po*"):
        path.write_text(path.read_text(encoding="utf-8").replace("PACKAGE VERSION", "old-folder"), encoding="utf-8")
    before = snapshot(root)
    (root / "source_articles/kyiv.md").write_text("# Missiles hit Kyiv\n\nNew text.\n", encoding="utf-8")
    assert run_cli("extract", project=root).exit_code == 0
    assert "Project-Id-Version: old-folder" in (root / "locales/templates/articles/kyiv.pot").read_text("utf-8")
    assert "Project-Id-Version: old-folder" in (root / "locales/ru/LC_MESSAGES/articles/kyiv.po").read_text("utf-8")
    assert snapshot(root) != before


# -- 2. charsets ----------------------------------------------------------------------------

def test_a_cp1251_catalog_is_read_and_converted_to_utf8(sample_tree, run_cli):
    root = sample_tree
    path = root / RU
    original = path.read_bytes()
    subprocess.run(["msgconv", "--to-code=CP1251", "-o", str(path), str(path)], check=True, capture_output=True)
    legacy = path.read_bytes()
    assert b"charset=CP1251" in legacy and legacy != original
    counts = msgfmt_counts(path)

    assert run_cli("extract", "--check", project=root).exit_code == 1  # a write is due: the conversion
    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 0
    assert f"{RU}: updated (converted from CP1251 to UTF-8)" in result.output
    assert path.read_bytes() == original  # every translation as it was, in UTF-8, the header saying so
    assert msgfmt_counts(path) == counts
    gettext_accepts(path)


@pytest.mark.parametrize(("fixture", "charset", "spelling"), [
    ("polib-tests-iso-8859-15-fr.po", "ISO_8859-15", None),
    ("django-2005-ru-djangojs-koi8r.po", "koi8-r", None),
    ("django-2005-ru-djangojs-koi8r.po", "koi8-r", b"charset= KOI8-R"),
])
def test_a_real_legacy_catalog_comes_out_in_utf8_with_its_translations(content_tree, run_cli, fixture, charset,
                                                                       spelling):
    """A whole real catalog under an article: its entries become obsolete, translations kept."""
    root = content_tree({"kyiv": "# Title\n"}, languages=("ru",))
    path = root / "locales/ru/LC_MESSAGES/articles/kyiv.po"
    path.parent.mkdir(parents=True)
    data = (REAL_PO / fixture).read_bytes()
    if spelling is not None:
        data = data.replace(f"charset={charset}".encode(), spelling)
        assert spelling in data
    path.write_bytes(data)
    expected = {entry.msgid: entry.msgstr for entry in polib.pofile(str(REAL_PO / fixture))
                if entry.msgstr and not entry.msgid_plural}
    assert expected and any(not text.isascii() for text in expected.values())

    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 0, result.output
    assert f"converted from {spelling.split()[-1].decode() if spelling else charset} to UTF-8" in result.output
    written = path.read_bytes()
    written.decode("utf-8")
    assert b"charset=UTF-8" in written
    subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], check=True, capture_output=True)
    kept = {entry.msgid: entry.msgstr for entry in polib.pofile(str(path)).obsolete_entries()}
    assert {msgid: kept.get(msgid) for msgid in expected} == expected
    assert run_cli("extract", project=root).output.count("0 file(s) written") == 1


def test_a_latin1_header_over_utf8_bytes_is_refused(sample_tree, run_cli):
    """msgfmt takes it and reads every Cyrillic letter as two Latin-1 ones; we do not guess."""
    root = sample_tree
    path = root / RU
    data = path.read_bytes().replace(b"charset=UTF-8", b"charset=ISO-8859-1")
    path.write_bytes(data)
    assert subprocess.run(["msgfmt", "-o", os.devnull, str(path)], capture_output=True).returncode == 0
    line = data[:data.index(b"charset=")].count(b"\n") + 1
    before = snapshot(root)

    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 1
    assert f"Error: {RU}:{line}: the header says charset=ISO-8859-1 but the file is UTF-8" in result.output
    assert snapshot(root) == before
    check = run_cli("check", project=root)
    assert f"{RU}:{line}: E001" in check.output and check.exit_code == 1


def test_bytes_invalid_in_the_declared_charset_are_refused_at_their_line(sample_tree, run_cli):
    root = sample_tree
    path = root / RU
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1251"))  # the header still says UTF-8
    assert subprocess.run(["msgfmt", "-o", os.devnull, str(path)], capture_output=True).returncode != 0
    line = next(number for number, line in enumerate(text.split("\n"), start=1)
                if not line.isascii() and not line.startswith("#"))
    before = snapshot(root)
    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 1 and f"Error: {RU}:{line}: byte 0x" in result.output, result.output
    assert snapshot(root) == before


# -- 3. line ends ---------------------------------------------------------------------------

def test_a_crlf_catalog_keeps_crlf(sample_tree, run_cli):
    root = sample_tree
    path = root / RU
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    assert run_cli("check", project=root).exit_code == 0
    assert "0 file(s) written" in run_cli("extract", project=root).output
    assert path.read_bytes() == crlf

    edit_source(root)
    result = run_cli("--verbose", "extract", project=root)
    assert f"{RU}: updated (1 fuzzy)" in result.output
    written = path.read_bytes()
    assert written.count(b"\n") == written.count(b"\r\n") > 100 and b"\r\r" not in written
    assert b"#| msgid" in written
    lf = root / "lf.po"
    lf.write_bytes(written.replace(b"\r\n", b"\n"))
    gettext_accepts(lf)
    assert "0 file(s) written" in run_cli("extract", project=root).output


def test_a_real_crlf_catalog_comes_out_crlf_without_stray_returns(content_tree, run_cli):
    root = content_tree({"kyiv": "# Title\n"}, languages=("es",))
    path = root / "locales/es/LC_MESSAGES/articles/kyiv.po"
    path.parent.mkdir(parents=True)
    shutil.copy(REAL_PO / "oca-report_xlsx-es.crlf.po", path)
    assert run_cli("extract", project=root).exit_code == 0
    written = path.read_bytes()
    assert written.count(b"\n") == written.count(b"\r\n") and b"\r\r" not in written
    assert b"\r\n#~ msgid" in written  # the translations, kept as obsolete entries
    assert len(polib.pofile(str(path)).obsolete_entries()) >= 5


def test_a_catalog_with_cr_line_ends_is_refused(sample_tree, run_cli):
    root = sample_tree
    path = root / RU
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    assert "0 translated" in msgfmt_counts(path)  # gettext sees no message in it at all
    before = snapshot(root)
    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 1 and f"Error: {RU}:1: its lines end with CR alone" in result.output, result.output
    assert snapshot(root) == before
    check = run_cli("check", project=root)
    assert f"{RU}:1: E001" in check.output


# -- 4. article names -----------------------------------------------------------------------

def test_an_article_name_with_a_newline_is_refused_and_the_others_extracted(content_tree, run_cli):
    root = content_tree({"good": "# Good\n\nFine.\n", "bad\nnewline": "# Bad\n\nName.\n"})
    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 1
    assert "Error: source_articles/bad\\nnewline.md:1: the file name has a control character" in result.output
    assert (root / "locales/ru/LC_MESSAGES/articles/good.po").is_file()
    assert not any("bad" in path.name for path in (root / "locales").rglob("*"))
    for path in (root / "locales").rglob("*.po*"):
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], check=True, capture_output=True)
    # merge, like extract, publishes the others and names the one it left out.
    merged = run_cli("merge", project=root)
    assert merged.exit_code == 1 and "source_articles/bad\\nnewline.md:1: the file name" in merged.output
    assert (root / "build/en/good.html").is_file()
    check = run_cli("check", project=root)
    assert check.exit_code == 1 and "source_articles/bad\\nnewline.md:1: E104" in check.output


# -- 5. NUL ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("nul", "message"), [(b"\0", "a NUL byte"), (b"\\0", "the escape '\\\\0' is a NUL"),
                                              (b"\\x00", "the escape '\\\\x00' is a NUL")])
def test_a_nul_in_a_msgstr_is_refused(sample_tree, run_cli, nul, message):
    """gettext takes it and cuts the translation there (msgcat drops the rest of it)."""
    root = sample_tree
    path = root / RU
    data = path.read_bytes()
    at = data.index("Ракетными".encode())
    path.write_bytes(data[:at] + nul + data[at:])
    line = data[:at].count(b"\n") + 1
    before = snapshot(root)
    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 1 and f"Error: {RU}:{line}: {message}" in result.output, result.output
    assert snapshot(root) == before
    assert f"{RU}:{line}: E001" in run_cli("check", project=root).output
