"""``localize xliff export`` / ``import``, judged by Translate Toolkit (a real XLIFF library) and gettext.

Our files are read with Translate Toolkit's XLIFF 1.2 (``poxliff``) and 2.0
(``xliff2``) stores and edited through them, as a CAT tool would; files that
its po2xliff converter writes from our catalogs are imported back. Every
catalog an import writes passes ``msgfmt --check`` and ``msgcat``.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from translate.storage import poxliff, xliff2

from localize.catalog import read_catalog, write_catalog
from localize.model import Message
from tests.conftest import gettext_accepts
from tests.test_pages_helpers import SAMPLE_SLUG

ARTICLE = f"locales/ru/LC_MESSAGES/articles/{SAMPLE_SLUG}.po"
UI = "locales/ru/LC_MESSAGES/ui.po"
EXTRA = "locales/ru/LC_MESSAGES/extra.po"
THREE_FORMS = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
EXTRA_PO = f"""\
msgid ""
msgstr ""
"Project-Id-Version: newsroom\\n"
"Language: ru\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: {THREE_FORMS}\\n"

# Keep it short.
#. A menu item.
#: menu.html:3
msgctxt "menu"
msgid "Open"
msgstr "Открыть"

#: door.html:9
msgctxt "door"
msgid "Open"
msgstr ""

#, fuzzy
#| msgid "Old text"
msgid "New text"
msgstr "Старый текст"

#, python-format
msgid "%(n)d file"
msgid_plural "%(n)d files"
msgstr[0] "%(n)d файл"
msgstr[1] "%(n)d файла"
msgstr[2] "%(n)d файлов"

msgid "Line one\\nline two with <b>tag</b> & [link](https://example.com/?a=1&b=2)"
msgstr ""
"Строка один\\n"
"строка два с <b>тегом</b> & [ссылкой](https://example.com/?a=1&b=2)"

#~ msgid "Gone"
#~ msgstr "Ушло"
"""


@pytest.fixture
def tree(sample_tree: Path) -> Path:
    (sample_tree / EXTRA).write_text(EXTRA_PO, encoding="utf-8")
    write_catalog(sample_tree / EXTRA, read_catalog(sample_tree / EXTRA))  # in msgcat's layout
    gettext_accepts(sample_tree / EXTRA)
    return sample_tree


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted((root / "locales").rglob("*.po"))}


def _by_source(units) -> dict[str, object]:
    return {unit.source if not unit.hasplural() else unit.source.strings[0]: unit for unit in units}


def test_export_1_2_is_read_by_translate_toolkit(tree, run_cli):
    result = run_cli("xliff", "export", "--lang", "ru", tree / "ru.xlf", project=tree)
    assert result.exit_code == 0, result.output
    assert "3 catalog(s)" in result.output and "XLIFF 1.2" in result.output
    store = poxliff.PoXliffFile.parsefile(str(tree / "ru.xlf"))
    assert store.getfilenames() == [f"articles/{SAMPLE_SLUG}.po", "extra.po", "ui.po"]
    catalog = read_catalog(tree / ARTICLE)
    units = [unit for unit in store.units if not unit.isheader()]
    sources = _by_source(units)
    for message in catalog.active:
        unit = sources[message.msgid]
        assert unit.target == message.msgstr
        assert unit.isfuzzy() == message.fuzzy
        assert unit.getlocations() == [f"{path}:{line}" for path, line in message.occurrences]
        assert unit.getnotes("developer") == message.comment
    # Two messages share the msgid "Open", in two contexts; the untranslated one has no target.
    opens = [unit for unit in units if unit.source == "Open"]
    assert sorted(unit.target or "" for unit in opens) == ["", "Открыть"]
    assert _by_source(units)["New text"].isfuzzy()
    plural = _by_source(units)["%(n)d file"]
    assert plural.hasplural()
    assert plural.target.strings == ["%(n)d файл", "%(n)d файла", "%(n)d файлов"]
    assert "Gone" not in sources  # obsolete entries stay in the catalog alone
    assert sources["Line one\nline two with <b>tag</b> & [link](https://example.com/?a=1&b=2)"].target.startswith("Строка один\n")
    assert [unit.getnotes("translator") for unit in opens] == ["Keep it short.", ""]

    # A second export writes no byte.
    before = (tree / "ru.xlf").stat().st_mtime_ns
    again = run_cli("xliff", "export", "--lang", "ru", tree / "ru.xlf", project=tree)
    assert "unchanged" in again.output and (tree / "ru.xlf").stat().st_mtime_ns == before


def test_export_2_0_is_read_by_translate_toolkit(tree, run_cli):
    result = run_cli("xliff", "export", "--lang", "ru", "--version", "2.0", tree / "ru.xlf", project=tree)
    assert result.exit_code == 0, result.output
    store = xliff2.Xliff2File.parsefile(str(tree / "ru.xlf"))
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == "ru"
    catalog = read_catalog(tree / ARTICLE)
    sources = {unit.source: unit for unit in store.units}
    for message in catalog.active:
        assert sources[message.msgid].target == message.msgstr
        assert sources[message.msgid].isfuzzy() == message.fuzzy
    assert sources["New text"].isfuzzy() and sources["New text"].target == "Старый текст"
    plural = [unit for unit in store.units if unit.source in ("%(n)d file", "%(n)d files")]
    assert [unit.target for unit in plural] == ["%(n)d файл", "%(n)d файла", "%(n)d файлов"]
    assert [unit.source for unit in plural] == ["%(n)d file", "%(n)d files", "%(n)d files"]
    text = (tree / "ru.xlf").read_text(encoding="utf-8")
    assert '<note category="msgctxt">menu</note>' in text and '<note category="location">menu.html:3</note>' in text
    assert '<group id="g4" type="gettext:plurals">' in text


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_translations_made_in_translate_toolkit_come_back(tree, run_cli, version):
    run_cli("xliff", "export", "--lang", "ru", "--version", version, tree / "ru.xlf", project=tree)
    store_class = poxliff.PoXliffFile if version == "1.2" else xliff2.Xliff2File
    store = store_class.parsefile(str(tree / "ru.xlf"))
    for unit in store.units:
        if unit.source == "Open" and not unit.target:
            unit.target = "Открыть дверь"
            unit.markfuzzy(False)
        elif unit.source == "New text":
            unit.target = "Новый текст"
            unit.markfuzzy(False)
        elif unit.source == "Other news":
            unit.target = "Прочие новости"
            unit.markfuzzy(True)
    store.savefile(str(tree / "ru.xlf"))
    before = _snapshot(tree)

    result = run_cli("xliff", "import", tree / "ru.xlf", project=tree)
    assert result.exit_code == 0, result.output
    assert "3 translation(s) written" in result.output and "0 left out" in result.output
    after = _snapshot(tree)
    assert sorted(name for name in after if after[name] != before[name]) == [EXTRA, UI]
    extra = {message.key: message for message in read_catalog(tree / EXTRA).messages}
    assert extra[("door", "Open")].msgstr == "Открыть дверь" and not extra[("door", "Open")].fuzzy
    assert extra[("menu", "Open")].msgstr == "Открыть"
    assert extra[(None, "New text")].msgstr == "Новый текст"
    assert not extra[(None, "New text")].fuzzy and extra[(None, "New text")].previous_msgid is None
    assert extra[(None, "Gone")].obsolete
    ui = {message.msgid: message for message in read_catalog(tree / UI).messages}
    assert ui["Other news"].msgstr == "Прочие новости" and ui["Other news"].fuzzy
    for name in (EXTRA, UI):
        gettext_accepts(tree / name)

    again = run_cli("xliff", "import", tree / "ru.xlf", project=tree)
    assert "0 translation(s) written" in again.output and _snapshot(tree) == after


def _po2xliff(po: Path, out: Path, cwd: Path) -> None:
    converted = subprocess.run(
        [sys.executable, "-m", "translate.convert.po2xliff", "--progress=none", str(po.relative_to(cwd)), str(out)],
        capture_output=True, text=True, cwd=cwd,
    )
    assert converted.returncode == 0, converted.stderr


@pytest.mark.parametrize("name", [ARTICLE, UI, EXTRA])
def test_files_from_po2xliff_are_imported(tree, run_cli, name):
    original = (tree / name).read_bytes()
    _po2xliff(tree / name, tree / "converted.xlf", cwd=tree / "locales" / "ru" / "LC_MESSAGES")
    # The catalog loses its translations and fuzzy marks; the file from po2xliff brings them back.
    catalog = read_catalog(tree / name)
    emptied = tuple(
        message if message.obsolete else replace(
            message, msgstr="", msgstr_plural={index: "" for index in message.msgstr_plural},
            flags=tuple(flag for flag in message.flags if flag != "fuzzy"))
        for message in catalog.messages
    )
    write_catalog(tree / name, replace(catalog, messages=emptied))
    result = run_cli("xliff", "import", "--lang", "ru", tree / "converted.xlf", project=tree)
    assert result.exit_code == 0, result.output
    restored = read_catalog(tree / name)
    expected = {message.key: message for message in catalog.messages}
    for message in restored.messages:
        if message.msgid == "Open":
            continue
        want = expected[message.key]
        assert (message.msgstr, message.msgstr_plural, message.fuzzy) == (want.msgstr, want.msgstr_plural, want.fuzzy)
    if name == EXTRA:
        # po2xliff drops msgctxt: "Open" is in two contexts, so it is left out and said so.
        assert "source text in several contexts" in result.output
        assert {message.key: message.msgstr for message in restored.messages}[("menu", "Open")] == ""
    else:
        assert (tree / name).read_bytes() == original
    gettext_accepts(tree / name)


def test_units_whose_source_changed_are_left_out(tree, run_cli):
    run_cli("xliff", "export", "--lang", "ru", tree / "ru.xlf", project=tree)
    text = (tree / "ru.xlf").read_text(encoding="utf-8")
    (tree / "ru.xlf").write_text(text.replace("<target state=\"translated\">Открыть</target>",
                                              "<target state=\"translated\">ОТКРЫТЬ</target>")
                                 .replace("Строка один", "СТРОКА ОДИН"), encoding="utf-8")
    # Meanwhile the source of one message changed and its catalog was updated.
    catalog = read_catalog(tree / EXTRA)
    messages = tuple(replace(message, msgid="Line one, edited") if message.msgid.startswith("Line one") else message
                     for message in catalog.messages)
    write_catalog(tree / EXTRA, replace(catalog, messages=messages))
    result = run_cli("xliff", "import", tree / "ru.xlf", project=tree)
    assert result.exit_code == 0, result.output
    assert "source text no longer in the catalog: 'Line one\\nline two" in result.output
    assert "ru.xlf:" in result.output and "1 left out" in result.output
    extra = {message.key: message.msgstr for message in read_catalog(tree / EXTRA).messages}
    assert extra[("menu", "Open")] == "ОТКРЫТЬ"
    assert extra[(None, "Line one, edited")].startswith("Строка один")


def test_an_empty_target_erases_nothing(tree, run_cli):
    run_cli("xliff", "export", "--lang", "ru", "--version", "2.0", tree / "ru.xlf", project=tree)
    store = xliff2.Xliff2File.parsefile(str(tree / "ru.xlf"))
    for unit in store.units:
        unit.target = ""
    store.savefile(str(tree / "ru.xlf"))
    before = _snapshot(tree)
    result = run_cli("xliff", "import", tree / "ru.xlf", project=tree)
    assert result.exit_code == 0, result.output
    assert _snapshot(tree) == before


def test_an_empty_plural_form_erases_nothing(tree, run_cli):
    run_cli("xliff", "export", "--lang", "ru", tree / "ru.xlf", project=tree)
    store = poxliff.PoXliffFile.parsefile(str(tree / "ru.xlf"))
    (unit,) = [unit for unit in store.units if unit.hasplural() and unit.source.strings[0] == "%(n)d file"]
    unit.target = ["%(n)d файл", "", "%(n)d файлов!"]  # a CAT tool that left the second form empty
    store.savefile(str(tree / "ru.xlf"))
    assert run_cli("xliff", "import", tree / "ru.xlf", project=tree).exit_code == 0
    (message,) = [message for message in read_catalog(tree / EXTRA).messages if message.msgid == "%(n)d file"]
    assert message.msgstr_plural == {0: "%(n)d файл", 1: "%(n)d файла", 2: "%(n)d файлов!"}
    gettext_accepts(tree / EXTRA)


def test_an_import_keeps_a_legacy_catalogs_line_ends_and_converts_its_charset(tree, run_cli):
    """Written as extract writes catalogs: converted to UTF-8 with its header, CRLF kept."""
    path = tree / ARTICLE
    subprocess.run(["msgconv", "--to-code=CP1251", str(path), "-o", str(path)], check=True)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    run_cli("xliff", "export", "--lang", "ru", tree / "ru.xlf", project=tree)
    store = poxliff.PoXliffFile.parsefile(str(tree / "ru.xlf"))
    (unit,) = [unit for unit in store.units if unit.source == "He also emphasized that the Russians are still using "
               "Soviet intelligence data."]
    unit.target = "Он также подчеркнул это."
    store.savefile(str(tree / "ru.xlf"))

    result = run_cli("xliff", "import", tree / "ru.xlf", project=tree)

    assert result.exit_code == 0, result.output
    assert "converted from CP1251 to UTF-8" in result.output
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") and b"charset=UTF-8" in data
    assert "Он также подчеркнул это." in data.decode("utf-8")
    unix = tree / "unix.po"
    unix.write_bytes(data.replace(b"\r\n", b"\n"))
    gettext_accepts(unix)
    assert run_cli("check", str(path), project=tree).exit_code == 0


HOSTILE = {
    "billion-laughs.xlf": (
        '<?xml version="1.0"?>\n<!DOCTYPE xliff [\n <!ENTITY a "aaaaaaaaaa">\n <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        ' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n<xliff version="1.2"><file original="ui.po" target-language="ru">'
        "<body><trans-unit id=\"1\"><source>All news</source><target>&c;</target></trans-unit></body></file></xliff>\n",
        3, "entity declarations are not allowed",
    ),
    "external.xlf": (
        '<?xml version="1.0"?>\n<!DOCTYPE xliff SYSTEM "file:///etc/passwd">\n<xliff version="1.2">'
        '<file original="ui.po" target-language="ru"><body>\n<trans-unit id="1"><source>All news</source>'
        "<target>&passwd;</target></trans-unit></body></file></xliff>\n",
        4, "undefined entity &passwd;",
    ),
    "torn.xlf": (
        '<?xml version="1.0"?>\n<xliff version="1.2">\n<file original="ui.po" target-language="ru"><body>\n'
        '<trans-unit id="1"><source>All news</source><target>Все</source></trans-unit>\n',
        4, "not well-formed XML",
    ),
    "not-xliff.xlf": ('<?xml version="1.0"?>\n<tmx version="1.4"><body/></tmx>\n', 2, "not an XLIFF file"),
    "no-source.xlf": (
        '<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
        '<file original="ui.po" target-language="ru"><body>\n<trans-unit id="1"><target>Все</target></trans-unit>\n'
        "</body></file></xliff>\n",
        4, "without <source>",
    ),
    "not-utf8.xlf": (b'<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2">\xff</xliff>\n', 2, "not well-formed XML"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_malformed_or_hostile_files_are_one_line_and_change_nothing(tree, run_cli, name):
    content, line, message = HOSTILE[name]
    path = tree / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = _snapshot(tree)
    result = run_cli("xliff", "import", path, project=tree)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {name}:{line}: ") and message in lines[0], result.output
    assert _snapshot(tree) == before


def test_languages_and_usage(tree, run_cli):
    assert run_cli("xliff", "export", "--lang", "de", tree / "de.xlf", project=tree).exit_code == 2
    assert run_cli("xliff", "export", "--lang", "ru", "--version", "1.0", tree / "x.xlf", project=tree).exit_code == 2
    run_cli("xliff", "export", "--lang", "uk", tree / "uk.xlf", project=tree)
    text = (tree / "uk.xlf").read_text(encoding="utf-8").replace('target-language="uk"', 'target-language="de-DE"')
    (tree / "uk.xlf").write_text(text, encoding="utf-8")
    result = run_cli("xliff", "import", tree / "uk.xlf", project=tree)
    assert result.exit_code == 1 and "'de-DE', not a language of this project" in result.output
    # A region the project does not name is its language: uk-UA is uk.
    (tree / "uk.xlf").write_text(text.replace("de-DE", "uk-UA"), encoding="utf-8")
    assert run_cli("xliff", "import", tree / "uk.xlf", project=tree).exit_code == 0


def test_an_unreadable_catalog_is_reported_and_the_others_imported(tree, run_cli):
    run_cli("xliff", "export", "--lang", "ru", tree / "ru.xlf", project=tree)
    (tree / "ru.xlf").write_text((tree / "ru.xlf").read_text(encoding="utf-8").replace(
        "Все новости", "Все-все новости"), encoding="utf-8")
    (tree / EXTRA).write_text('msgid "broken\n', encoding="utf-8")
    result = run_cli("xliff", "import", tree / "ru.xlf", project=tree)
    assert result.exit_code == 1
    assert f"{EXTRA}:1:" in result.output
    assert {message.msgid: message.msgstr for message in read_catalog(tree / UI).messages}["All news"] == "Все-все новости"


def test_export_reports_an_unreadable_catalog_and_writes_the_others(tree, run_cli):
    (tree / EXTRA).write_text('msgid "broken\n', encoding="utf-8")
    catalog = read_catalog(tree / UI)
    control = Message(msgid="Bell \x07 here", msgstr="Звонок \x07 тут")
    write_catalog(tree / UI, replace(catalog, messages=catalog.messages + (control,)))
    result = run_cli("xliff", "export", "--lang", "ru", tree / "ru.xlf", project=tree)
    assert result.exit_code == 1
    assert f"{EXTRA}:1:" in result.output and "1 message(s) left out" in result.output
    store = poxliff.PoXliffFile.parsefile(str(tree / "ru.xlf"))
    assert store.getfilenames() == [f"articles/{SAMPLE_SLUG}.po", "ui.po"]
