"""The newsroom glossary: checks on real Ukrainian and Russian news text, extracted comments, TBX.

A content tree with an English article about strikes on Kyiv and Kharkiv, a
Ukrainian glossary as CSV and a Russian one as TBX v3 (as a CAT tool writes
it); the catalogs are translated as a news desk would, with inflected names
(Києві, Харкова, Киеве), a few forbidden spellings and one suppressed on purpose.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import polib
import pytest

from localize.config import load_config
from localize.glossary import FORBIDDEN, GlossaryError
from localize.termbase import load_glossary
from tests.conftest import gettext_accepts

FIXTURES = Path(__file__).parent / "fixtures" / "glossary"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

TITLE = "Missiles hit Kyiv and Kharkiv overnight"
ATTACK = ("Russian forces launched a combined missile and drone attack on Kyiv and Kharkiv overnight, "
          "the Ukrainian Air Force said on Monday.")
DEBRIS = ("In Kyiv, debris fell on a residential building in the Shevchenkivskyi district, "
          "Mayor Vitali Klitschko wrote on Telegram.")
PRESIDENT = "President Volodymyr Zelensky called on partners to speed up deliveries of air defence systems."
RADA = "The Verkhovna Rada will consider the mobilisation bill on Thursday, Speaker Ruslan Stefanchuk said."
MAYOR = "Kharkiv's mayor Ihor Terekhov said the city had been shelled for the third night in a row."
QUOTE = "A Russian state TV host promised that Kyiv would fall within three days."
FOLLOW = "Follow us on Telegram."

ARTICLE = f"""---
title: {TITLE}
---

# {TITLE}

{ATTACK}

{DEBRIS}

{PRESIDENT}

{RADA}

{MAYOR}

> {QUOTE}

{FOLLOW}
"""

UKRAINIAN = {
    TITLE: "Ракети вночі влучили в Київ і Харків",
    ATTACK: ("Вночі російські війська завдали комбінованого удару ракетами й дронами по Києву та Харкову, "
             "повідомили в понеділок Повітряні сили ЗСУ."),
    # The Russian spelling slipped in: forbidden, and the approved Київ is missing.
    DEBRIS: ("У Киеві уламки впали на житловий будинок у Шевченківському районі, "
             "написав у Telegram мер Віталій Кличко."),
    PRESIDENT: "Президент Володимир Зеленський закликав партнерів пришвидшити постачання систем ППО.",
    RADA: "Верховна Рада розгляне законопроєкт про мобілізацію в четвер, повідомив спікер Руслан Стефанчук.",
    MAYOR: "Мер Харкова Ігор Терехов заявив, що місто обстрілюють уже третю ніч поспіль.",
    # The host's own words, quoted as he said them: the translator silences both checks.
    QUOTE: "Ведучий російського державного телебачення пообіцяв, що «Киев падёт за три дня».",
    FOLLOW: "Підписуйтесь на нас у Telegram.",
}

RUSSIAN = {
    TITLE: "Ракеты ночью ударили по Киеву и Харькову",
    ATTACK: ("Ночью российские войска нанесли комбинированный удар ракетами и дронами по Киеву и Харькову, "
             "сообщили в понедельник Воздушные силы ВСУ."),
    DEBRIS: ("В Киеве обломки упали на жилой дом в Шевченковском районе, "
             "написал в Telegram мэр Виталий Кличко."),
    PRESIDENT: "Президент Владимир Зеленский призвал партнеров ускорить поставки систем ПВО.",
    # The Soviet name of the parliament: forbidden, and Верховная Рада is missing.
    RADA: "Верховный Совет рассмотрит законопроект о мобилизации в четверг, сообщил спикер Руслан Стефанчук.",
    # The Ukrainian transliteration in Russian copy: forbidden, and Харьков is missing.
    MAYOR: "Мэр Харкива Игорь Терехов заявил, что город обстреливают уже третью ночь подряд.",
    QUOTE: "Ведущий российского государственного телевидения пообещал, что Киев падет за три дня.",
    FOLLOW: "Подписывайтесь на нас в Telegram.",
}

GLOSSARY_CODES = {"E401", "E402", "W401"}


def catalog_path(root: Path, language: str) -> Path:
    return root / f"locales/{language}/LC_MESSAGES/articles/strikes.po"


def glossary_tree(content_tree, *, ukrainian: str | None = None, russian: str | None = None) -> Path:
    root = content_tree({"strikes": ARTICLE})
    folder = root / "glossary"
    folder.mkdir()
    (folder / "uk.csv").write_text(ukrainian or (FIXTURES / "uk.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "ru.tbx").write_text(russian or (FIXTURES / "ru.tbx").read_text(encoding="utf-8"), encoding="utf-8")
    return root


def extract(run_cli, root: Path) -> str:
    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 0, result.output
    for language in ("ru", "uk"):
        gettext_accepts(catalog_path(root, language))
    return result.output


def translate(root: Path, language: str, translations: dict[str, str], *, ignore: dict[str, str] = {}) -> None:
    """What a translator does in Poedit: fill the entries (and perhaps silence a check) and save."""
    po = polib.pofile(str(catalog_path(root, language)))
    for entry in po:
        entry.msgstr = translations[entry.msgid]
        if entry.msgid in ignore:
            entry.tcomment = f"localize-ignore: {ignore[entry.msgid]}"
    po.save()


def glossary_findings(run_cli, root: Path) -> tuple[int, dict[str, set[tuple[str, str]]]]:
    """The exit status of check, and per language the (msgid, code) of each glossary finding."""
    result = run_cli("check", "--format", "json", project=root)
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.output)
    found: dict[str, set[tuple[str, str]]] = {}
    for checked in report["catalogs"]:
        if "/articles/" not in checked["path"] or checked["path"].endswith(".pot"):
            continue
        path = root / checked["path"]
        lines = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if line.startswith("msgid ")]
        msgids = dict(zip(lines[1:], (entry.msgid for entry in polib.pofile(str(path)))))  # after the header
        found[checked["language"]] = {
            (msgids[item["line"]], item["code"]) for item in checked["findings"] if item["code"] in GLOSSARY_CODES
        }
    return result.exit_code, found


def comments(root: Path, language: str) -> dict[str, str]:
    return {entry.msgid: entry.comment for entry in polib.pofile(str(catalog_path(root, language)))}


def test_forbidden_terms_are_flagged_and_inflected_approved_forms_accepted(content_tree, run_cli):
    root = glossary_tree(content_tree)
    extract(run_cli, root)
    translate(root, "uk", UKRAINIAN, ignore={QUOTE: "E401, W401"})
    translate(root, "ru", RUSSIAN)

    status, found = glossary_findings(run_cli, root)
    assert status == 1
    assert found["uk"] == {(DEBRIS, "E401"), (DEBRIS, "W401")}
    assert found["ru"] == {(RADA, "E401"), (RADA, "W401"), (MAYOR, "E401"), (MAYOR, "W401")}

    text = run_cli("check", "--lang", "uk", project=root).output
    assert "E401 'Киеві' must not be used (glossary: Kyiv → Київ)" in text
    assert "W401 'Kyiv' is translated as Київ (glossary)" in text


def test_suppression_is_per_entry_and_per_code(content_tree, run_cli):
    root = glossary_tree(content_tree)
    extract(run_cli, root)
    translate(root, "uk", UKRAINIAN)  # nothing silenced
    _, found = glossary_findings(run_cli, root)
    assert {(QUOTE, "E401"), (QUOTE, "W401")} <= found["uk"]

    translate(root, "uk", UKRAINIAN, ignore={QUOTE: "E401", DEBRIS: "W401"})
    _, found = glossary_findings(run_cli, root)
    assert found["uk"] == {(QUOTE, "W401"), (DEBRIS, "E401")}


def test_a_forbidden_word_the_source_has_too_is_left_alone(content_tree, run_cli):
    # "Chicken Kiev" is a dish, and the Latin Kiev is forbidden in Ukrainian copy: kept as the
    # source writes it, it is no slip of the translator's.
    root = glossary_tree(content_tree)
    source = root / "source_articles/strikes.md"
    source.write_text(ARTICLE.replace(FOLLOW, "The Chicken Kiev cafe on Khreshchatyk reopened."), encoding="utf-8")
    extract(run_cli, root)
    translations = dict(UKRAINIAN)
    del translations[FOLLOW]
    translations["The Chicken Kiev cafe on Khreshchatyk reopened."] = "Кафе Chicken Kiev на Хрещатику знову відкрилося."
    translate(root, "uk", translations, ignore={QUOTE: "E401, W401"})
    _, found = glossary_findings(run_cli, root)
    assert found["uk"] == {(DEBRIS, "E401"), (DEBRIS, "W401")}


def test_extract_shows_the_terms_of_each_entry_and_is_stable(content_tree, run_cli):
    root = glossary_tree(content_tree)
    extract(run_cli, root)
    ukrainian, russian = comments(root, "uk"), comments(root, "ru")
    assert ukrainian[ATTACK] == (
        "type: paragraph\nGlossary: Kyiv → Київ (preferred), Kiev ✗, Киев ✗ (Russian spelling); "
        "Kharkiv → Харків (preferred), Харьков ✗ (Russian spelling)"
    )
    assert ukrainian[PRESIDENT].endswith("Zelensky → Зеленський (preferred: Volodymyr Zelensky, President)")
    assert russian[MAYOR].endswith(
        "Glossary: Kharkiv → Харьков (preferred), Харкив ✗ (Ukrainian transliteration: not in Russian copy)"
    )
    assert russian[RADA].endswith("Glossary: Verkhovna Rada → Верховная Рада (preferred), Верховный Совет ✗")
    assert "Glossary" not in ukrainian[FOLLOW]
    # The template is every language's: no language's terms in it.
    template = (root / "locales/templates/articles/strikes.pot").read_text(encoding="utf-8")
    assert "Glossary" not in template

    files = sorted((root / "locales").rglob("*.po*"))
    before = {path: path.read_bytes() for path in files}
    second = extract(run_cli, root)
    assert "0 file(s) written" in second
    assert {path: path.read_bytes() for path in files} == before
    # check agrees that the catalogs are up to date (extract --check runs the same code).
    assert run_cli("extract", "--check", project=root).exit_code == 0
    assert "E102" not in run_cli("check", project=root).output
    _, found = glossary_findings(run_cli, root)
    assert found == {"ru": set(), "uk": set()}  # nothing translated yet: nothing to hold against it

    # Translated entries keep their translation and get the comment all the same.
    translate(root, "uk", UKRAINIAN)
    extract(run_cli, root)
    entry = next(entry for entry in polib.pofile(str(catalog_path(root, "uk"))) if entry.msgid == RADA)
    assert entry.msgstr == UKRAINIAN[RADA]
    assert entry.comment.endswith("Glossary: Verkhovna Rada → Верховна Рада (preferred: parliament of Ukraine)")


def test_the_comments_change_when_the_glossary_does(content_tree, run_cli):
    root = glossary_tree(content_tree)
    extract(run_cli, root)
    russian = catalog_path(root, "ru").read_bytes()
    csv = root / "glossary/uk.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "Air Force,Повітряні сили,,preferred\n", encoding="utf-8")

    output = extract(run_cli, root)
    assert "locales/uk/LC_MESSAGES/articles/strikes.po: updated" in output
    assert "locales/ru" not in output
    assert catalog_path(root, "ru").read_bytes() == russian
    assert comments(root, "uk")[ATTACK].endswith("; Air Force → Повітряні сили (preferred)")

    csv.unlink()
    extract(run_cli, root)
    assert "Glossary" not in catalog_path(root, "uk").read_text(encoding="utf-8")
    assert "Glossary" in catalog_path(root, "ru").read_text(encoding="utf-8")


def test_terms_in_gives_pretranslation_the_terms_of_a_segment(content_tree):
    root = glossary_tree(content_tree)
    glossary = load_glossary(load_config(root), "uk")
    terms = glossary.terms_in(MAYOR + " " + ATTACK)
    # In the order the terms first occur; a term's rows preferred first, forbidden last.
    assert [(term.term, term.translation, term.status) for term in terms] == [
        ("Kharkiv", "Харків", "preferred"), ("Kharkiv", "Харьков", FORBIDDEN),
        ("Kyiv", "Київ", "preferred"), ("Kyiv", "Kiev", FORBIDDEN), ("Kyiv", "Киев", FORBIDDEN),
    ]
    assert terms[2].translation_forms == ("Київ", "Києва", "Києві", "Києву", "Київом")
    assert glossary.terms_in(FOLLOW) == []
    # A link's target is no text: kyiv in a URL is not the city.
    assert glossary.terms_in("Read the [report](https://example.org/kyiv-kharkiv).") == []
    # The Russian glossary comes from the TBX file, for ru-RU.
    russian = load_glossary(load_config(root), "ru")
    assert [term.translation for term in russian.terms_in(RADA)] == ["Верховная Рада", "Верховный Совет"]


def test_tbx_round_trip_gives_back_the_same_csv(content_tree, run_cli, tmp_path):
    root = glossary_tree(content_tree)
    exported = tmp_path / "newsroom.tbx"
    result = run_cli("glossary", "export", str(exported), project=root)
    assert result.exit_code == 0, result.output
    assert "uk: 7 term(s)" in result.output and "ru: 6 term(s)" in result.output

    document = ElementTree.parse(exported).getroot()
    assert document.tag == "martif" and document.get("type") == "TBX-Basic"
    entries = document.findall("text/body/termEntry")
    kyiv = next(entry for entry in entries if entry.findtext("langSet/tig/term") == "Kyiv")
    by_language = {language_set.get(XML_LANG): language_set for language_set in kyiv.findall("langSet")}
    assert set(by_language) == {"en", "ru", "uk"}
    statuses = [
        (tig.findtext("term"), tig.findtext("termNote[@type='administrativeStatus']"))
        for tig in by_language["uk"].findall("tig")
    ]
    assert statuses[0] == ("Київ", "preferredTerm-admn-sts")
    assert ("Киев", "deprecatedTerm-admn-sts") in statuses

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "pyproject.toml").write_text('[tool.localize]\nlanguages = ["ru", "uk"]\n', encoding="utf-8")
    result = run_cli("glossary", "import", str(exported), project=fresh)
    assert result.exit_code == 0, result.output
    assert "glossary/uk.csv: created (7 term(s), 7 new, 0 changed)" in result.output
    assert (fresh / "glossary/uk.csv").read_bytes() == (FIXTURES / "uk.csv").read_bytes()

    # The Russian glossary came as TBX v3 and went back as CSV: exported again, the same TBX.
    again = tmp_path / "again.tbx"
    assert run_cli("glossary", "export", str(again), project=fresh).exit_code == 0
    assert again.read_bytes() == exported.read_bytes()
    # A second import changes no byte.
    result = run_cli("glossary", "import", str(exported), project=fresh)
    assert "glossary/uk.csv: unchanged (7 term(s), 0 new, 0 changed)" in result.output


def test_import_keeps_rows_the_file_does_not_have_and_takes_its_statuses(content_tree, run_cli, tmp_path):
    root = glossary_tree(content_tree)
    exported = tmp_path / "uk.tbx"
    assert run_cli("glossary", "export", "--lang", "uk", str(exported), project=root).exit_code == 0
    text = exported.read_text(encoding="utf-8")
    # A terminologist demotes Харьков from forbidden to admitted in a CAT tool.
    marker = "<term>Харьков</term>\n            <termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts"
    assert marker in text
    exported.write_text(text.replace(marker, marker.replace("deprecated", "admitted")), encoding="utf-8")
    csv = root / "glossary/uk.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "Rada,Рада|Ради|Раді|Радою,,preferred\n", encoding="utf-8")

    result = run_cli("glossary", "import", str(exported), project=root)
    assert result.exit_code == 0, result.output
    assert "glossary/uk.csv: updated (8 term(s), 0 new, 1 changed)" in result.output
    rows = csv.read_text(encoding="utf-8").splitlines()
    assert "Kharkiv,Харьков,Russian spelling,admitted" in rows
    assert "Rada,Рада|Ради|Раді|Радою,,preferred" in rows
    assert rows == [rows[0], *sorted(rows[1:], key=lambda row: row.split(",")[0].casefold())]


@pytest.mark.parametrize(("name", "text", "where", "message"), [
    ("uk.csv", "term,translation,note,status\nKyiv,Київ,,preferred\nKharkiv,Харків,,prefered\n",
     "glossary/uk.csv:3", "unknown status 'prefered'"),
    ("uk.csv", "term,translation,note,status\nKyiv,Київ,,preferred\nKharkiv,\"Харків,,preferred\n",
     "glossary/uk.csv:3", "not valid CSV"),
    ("uk.csv", "term,translation\nKyiv,Київ\nKharkiv,Харків,extra\n", "glossary/uk.csv:3", "3 field(s)"),
    ("uk.csv", "term,translation\nKyiv,Київ\nKyiv,Київ\n", "glossary/uk.csv:3", "already at line 2"),
    ("uk.csv", "word,meaning\n", "glossary/uk.csv:1", "the header must name the columns"),
    ("uk.tbx", "<martif><text><body>\n<termEntry>\n</body></text></martif>\n", "glossary/uk.tbx:3", "invalid XML"),
    ("uk.tbx", "<?xml version='1.0'?>\n<!DOCTYPE martif [\n<!ENTITY lol 'lol'>\n"
     "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>\n]>\n<martif>&lol2;</martif>\n",
     "glossary/uk.tbx:3", "entity declarations are not allowed"),
    ("uk.tbx", "<?xml version='1.0'?>\n<!DOCTYPE martif [\n<!ENTITY secret SYSTEM 'file:///etc/passwd'>\n]>\n"
     "<martif>&secret;</martif>\n", "glossary/uk.tbx:3", "entity declarations are not allowed"),
    ("uk.tbx", '<tbx xml:lang="en"><text><body><conceptEntry><langSec xml:lang="uk">\n<termSec><term>Київ</term>'
     '<termNote type="administrativeStatus">favouriteTerm-admn-sts</termNote></termSec></langSec></conceptEntry>'
     "</body></text></tbx>", "glossary/uk.tbx:2", "unknown administrativeStatus"),
])
def test_a_malformed_glossary_is_one_line_naming_file_and_line(content_tree, run_cli, name, text, where, message):
    root = content_tree({"strikes": ARTICLE})
    (root / "glossary").mkdir()
    (root / "glossary" / name).write_text(text, encoding="utf-8")
    shutil.copyfile(FIXTURES / "ru.tbx", root / "glossary" / "ru.tbx")

    result = run_cli("--verbose", "extract", project=root)
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: {where}: ") and message in line
    assert not (root / "locales").exists()  # nothing written

    # check reports it and checks everything else: the Russian catalog is still compared.
    (root / "glossary" / name).rename(root / name)
    extract(run_cli, root)
    (root / name).rename(root / "glossary" / name)
    translate(root, "ru", RUSSIAN)
    result = run_cli("check", project=root)
    assert result.exit_code == 1
    assert f"{where}: E402 " in result.output and message in result.output
    assert "'Харкива' must not be used" in result.output  # the other language's glossary still checks
    result = run_cli("check", "--lang", "ru", project=root)
    assert "E402" not in result.output and "'Харкива' must not be used" in result.output

    result = run_cli("glossary", "export", str(root / "out.tbx"), project=root)
    assert result.exit_code == 1 and result.output.startswith(f"Error: {where}: ")
    assert not (root / "out.tbx").exists()


def test_a_csv_from_a_spreadsheet_reads_the_same(content_tree, tmp_path):
    # Excel saves with a byte order mark and CRLF, and in its own column order.
    root = glossary_tree(content_tree)
    lines = (FIXTURES / "uk.csv").read_text(encoding="utf-8").splitlines()
    reordered = ["status,term,translation,note"]
    import csv as csv_module
    import io

    for row in list(csv_module.reader(io.StringIO("\n".join(lines[1:])))):
        term, translation, note, status = row
        output = io.StringIO()
        csv_module.writer(output, lineterminator="").writerow(["" if status == "preferred" else status,
                                                               term, translation, note])
        reordered.append(output.getvalue())
    (root / "glossary/uk.csv").write_bytes(("\ufeff" + "\r\n".join(reordered) + "\r\n").encode("utf-8"))
    expected = load_glossary(load_config(root), "uk").terms
    assert len(expected) == 7

    (root / "glossary/uk.csv").write_bytes((FIXTURES / "uk.csv").read_bytes())
    assert load_glossary(load_config(root), "uk").terms == expected


def test_a_glossary_that_is_not_utf8_names_its_line(content_tree):
    root = glossary_tree(content_tree)
    (root / "glossary/uk.csv").write_bytes("term,translation\nKyiv,Київ\n".encode("cp1251"))
    with pytest.raises(GlossaryError) as raised:
        load_glossary(load_config(root), "uk")
    assert str(raised.value) == "glossary/uk.csv:2: not UTF-8: save the glossary as UTF-8"


def test_the_sample_tree_without_a_glossary_is_unchanged(sample_tree, run_cli):
    before = {path: path.read_bytes() for path in sorted((sample_tree / "locales").rglob("*.po*"))}
    result = run_cli("--verbose", "extract", project=sample_tree)
    assert result.exit_code == 0, result.output
    assert {path: path.read_bytes() for path in before} == before


def test_a_glossary_linked_from_outside_the_tree_is_not_read(content_tree, run_cli, tmp_path):
    root = content_tree({"kyiv": "# Kyiv\n\nKyiv was hit.\n"}, languages=("uk",))
    secret = tmp_path / "secret.csv"
    secret.write_text("term,translation,note,status\nKyiv,СЕКРЕТ,,preferred\n", encoding="utf-8")
    (root / "glossary").mkdir()
    (root / "glossary/uk.csv").symlink_to(secret)
    result = run_cli("extract", project=root)
    assert result.exit_code == 1
    assert "glossary/uk.csv:1: a symbolic link to a file outside the content tree: not read" in result.output
    assert not any("СЕКРЕТ" in path.read_text(encoding="utf-8") for path in (root / "locales").rglob("*.po"))
