"""Translation memories to and from CAT tools: ``localize tm export`` and ``tm import`` (TMX 1.4b)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import polib
import pytest

from localize.tmx import TmxError, read_tmx
from tests.conftest import gettext_accepts
from tests.test_update_scenarios import ARTICLE, BOILERPLATE, SECOND, active, catalog, translated_tree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# What OmegaT writes (TMX 1.1 spells the language "lang"), with an inline code for <b>.
OMEGAT = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
          creationtoolversion="6.0.0" segtype="sentence" srclang="EN-US"/>
  <body>
    <tu>
      <tuv lang="EN-US"><seg>Follow us on Telegram.</seg></tuv>
      <tuv lang="RU"><seg>Подписывайтесь на нас в Telegram.</seg></tuv>
    </tu>
    <tu>
      <tuv lang="EN-US"><seg>Read <bpt i="1">**</bpt>more<ept i="1">**</ept> &amp; share.</seg></tuv>
      <tuv lang="RU"><seg>Читайте <bpt i="1">**</bpt>больше<ept i="1">**</ept> и делитесь.</seg></tuv>
      <tuv lang="DE"><seg>Mehr lesen.</seg></tuv>
    </tu>
    <tu>
      <tuv lang="EN-US"><seg>Follow us on Telegram.</seg></tuv>
      <tuv lang="RU"><seg>Следите за нами в Telegram.</seg></tuv>
    </tu>
    <tu>
      <tuv lang="RU"><seg>Без исходного текста.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_export_writes_tmx_14b_with_every_translation(content_tree, run_cli, tmp_path):
    root = translated_tree(content_tree, run_cli)
    target = tmp_path / "ru.tmx"
    result = run_cli("tm", "export", "--lang", "ru", str(target), project=root)
    assert result.exit_code == 0, result.output
    assert "ru: 5 translation unit(s)" in result.output

    document = ElementTree.parse(target).getroot()
    assert document.tag == "tmx" and document.get("version") == "1.4"
    header = document.find("header")
    for attribute in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attribute), attribute  # the attributes TMX 1.4b requires
    assert header.get("srclang") == "en"
    units = document.findall("body/tu")
    pairs = {
        tuple((variant.get(XML_LANG), variant.findtext("seg")) for variant in unit.findall("tuv")) for unit in units
    }
    assert (("en", SECOND), ("ru", "RU " + SECOND)) in pairs
    assert len(pairs) == 5
    assert units[0].find("prop").text == "articles/kyiv"
    # Sorted and complete: the same memory gives the same bytes.
    first = target.read_bytes()
    assert "unchanged" in run_cli("tm", "export", "--lang", "ru", str(target), project=root).output
    assert target.read_bytes() == first


def test_export_and_import_round_trip(content_tree, run_cli, tmp_path):
    root = translated_tree(content_tree, run_cli)
    target = tmp_path / "newsroom.tmx"
    assert run_cli("tm", "export", str(target), project=root).exit_code == 0

    other = tmp_path / "other"
    other.mkdir()
    (other / "source_articles").mkdir()
    (other / "pyproject.toml").write_text('[tool.localize]\nlanguages = ["ru"]\n', encoding="utf-8")
    (other / "source_articles/kyiv.md").write_text(ARTICLE, encoding="utf-8")
    result = run_cli("tm", "import", str(target), project=other)
    assert result.exit_code == 0, result.output
    assert "locales/ru/memory/newsroom.po: created (5 translation unit(s))" in result.output
    gettext_accepts(other / "locales/ru/memory/newsroom.po")

    # The imported memory translates the article at once.
    assert run_cli("extract", project=other).exit_code == 0
    entry = active(catalog(other))[SECOND]
    assert entry.msgstr == "RU " + SECOND and not entry.fuzzy
    assert entry.tcomment == "Translation memory: exact match from memory/newsroom"
    assert "unchanged" in run_cli("tm", "import", str(target), project=other).output


def test_import_reads_what_cat_tools_write(content_tree, run_cli, tmp_path):
    root = content_tree({"kyiv": ARTICLE}, languages=("ru", "uk"))
    source = tmp_path / "omegat.tmx"
    source.write_text(OMEGAT, encoding="utf-8")
    result = run_cli("tm", "import", str(source), project=root)
    assert result.exit_code == 0, result.output
    assert "DE: not a language of this project" in result.output
    assert "1 text(s) translated more than one way: the first translation is kept" in result.output
    memory = {entry.msgid: entry.msgstr for entry in polib.pofile(str(root / "locales/ru/memory/omegat.po"))}
    assert memory == {
        BOILERPLATE: "Подписывайтесь на нас в Telegram.",
        "Read **more** & share.": "Читайте **больше** и делитесь.",
    }
    assert not (root / "locales/uk/memory/omegat.po").exists()

    assert run_cli("extract", project=root).exit_code == 0
    assert active(catalog(root))[BOILERPLATE].msgstr == "Подписывайтесь на нас в Telegram."


def test_utf16_and_units_without_a_source(tmp_path):
    path = tmp_path / "utf16.tmx"
    path.write_bytes(OMEGAT.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    memory = read_tmx(path)
    assert memory.source_language == "EN-US"
    assert len(memory.units) == 4 and memory.skipped == 1


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("<html><body/></html>", "not a TMX file"),
        ("<tmx><body><tu>", "invalid XML"),
        ('<?xml version="1.0"?>\n<!DOCTYPE tmx [\n <!ENTITY a "aaaaaaaaaa">\n <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
         '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&b;</seg></tuv></tu></body></tmx>',
         "entity declarations are not allowed"),
        ('<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>\n'
         '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&passwd;</seg></tuv></tu></body></tmx>',
         "entity declarations are not allowed"),
    ],
    ids=["not-tmx", "truncated", "billion-laughs", "external-entity"],
)
def test_bad_tmx_files(tmp_path, run_cli, content_tree, text, fragment):
    path = tmp_path / "bad.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TmxError, match=fragment):
        read_tmx(path)
    root = content_tree({"kyiv": ARTICLE})
    result = run_cli("tm", "import", str(path), project=root)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and fragment in result.output


def test_memory_from_another_source_language_is_refused(content_tree, run_cli, tmp_path):
    path = tmp_path / "de.tmx"
    path.write_text(OMEGAT.replace('srclang="EN-US"', 'srclang="DE"'), encoding="utf-8")
    result = run_cli("tm", "import", str(path), project=content_tree({"kyiv": ARTICLE}))
    assert result.exit_code == 1
    assert "the memory translates from DE, the articles are written in en" in result.output


def test_characters_xml_cannot_carry_are_left_out(content_tree, run_cli, tmp_path):
    root = translated_tree(content_tree, run_cli)
    path = root / "locales/ru/LC_MESSAGES/articles/kyiv.po"
    po = polib.pofile(str(path))
    po.find(SECOND).msgstr = "bell \x07 inside"
    po.save()
    target = tmp_path / "out.tmx"
    result = run_cli("tm", "export", "--lang", "ru", str(target), project=root)
    assert "1 unit(s) left out" in result.output
    ElementTree.parse(target)  # still well-formed
    assert Path(target).read_text(encoding="utf-8").count("<tu>") == 4
