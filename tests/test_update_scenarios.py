"""Every edit a newsroom makes to a translated article, through the real CLI on real files.

The article is extracted, its Russian catalog fully translated ("RU " + the
English), the source edited, extract run again; then the entries, flags and
previous msgids of the catalog say what a translator sees. gettext
(msgfmt --check, msgcat) judges every file written.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib

from tests.conftest import gettext_accepts

TITLE = "Missiles hit Kyiv"
FIRST = (
    "The Russian missiles that hit central Kyiv on the morning of June 26 were the Kremlin's "
    "response to Western weapon deliveries to Ukraine."
)
SECOND = "Mihaylov also commented on Belarus and its involvement in Russia's war against Ukraine."
THIRD = "Several explosions did serious damage to at least one residential building in Lukyanivka district."
BOILERPLATE = "Follow us on Telegram."

ARTICLE = f"""---
title: {TITLE}
---

# {TITLE}

{FIRST}

{SECOND}

{THIRD}

{BOILERPLATE}
"""


def catalog(root: Path, slug: str = "kyiv", language: str = "ru") -> polib.POFile:
    return polib.pofile(str(root / f"locales/{language}/LC_MESSAGES/articles/{slug}.po"))


def active(po: polib.POFile) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in po if not entry.obsolete}


def obsolete(po: polib.POFile) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in po.obsolete_entries()}


def translate(path: Path, translation=lambda msgid: "RU " + msgid) -> None:
    """What a translator does in Poedit: fill every empty entry and save."""
    po = polib.pofile(str(path))
    for entry in po:
        if not entry.obsolete and not entry.msgstr:
            entry.msgstr = translation(entry.msgid)
    po.save()


def translated_tree(content_tree, run_cli, articles: dict[str, str] | None = None, **options) -> Path:
    root = content_tree(articles or {"kyiv": ARTICLE}, **options)
    assert run_cli("extract", project=root).exit_code == 0
    for slug in articles or {"kyiv": ARTICLE}:
        translate(root / f"locales/ru/LC_MESSAGES/articles/{slug}.po")
    return root


def edit(root: Path, old: str, new: str, slug: str = "kyiv") -> None:
    source = root / f"source_articles/{slug}.md"
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")


def extract(run_cli, root: Path, *options: str):
    """Run extract; gettext must accept every file it wrote, byte for byte as msgcat would write it."""
    result = run_cli("--verbose", "extract", *options, project=root)
    assert result.exit_code == 0, result.output
    for line in result.output.splitlines():
        path, _, status = line.partition(": ")
        if status.startswith(("created", "updated")):
            gettext_accepts(root / path)
    return result


def assert_translated(entry: polib.POEntry, msgstr: str) -> None:
    assert entry.msgstr == msgstr
    assert not entry.fuzzy
    assert entry.previous_msgid is None


def assert_fuzzy(entry: polib.POEntry, *, msgstr: str, previous: str) -> None:
    assert entry.fuzzy
    assert entry.msgstr == msgstr
    assert entry.previous_msgid == previous


def test_typo_fix_gives_a_fuzzy_entry_with_the_previous_msgid(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    edit(root, "Lukyanivka", "Lukianivka")
    result = extract(run_cli, root)
    assert "locales/ru/LC_MESSAGES/articles/kyiv.po: updated (1 fuzzy)" in result.output

    po = catalog(root)
    fixed = THIRD.replace("Lukyanivka", "Lukianivka")
    assert list(active(po)) == [TITLE, FIRST, SECOND, fixed, BOILERPLATE]
    assert_fuzzy(active(po)[fixed], msgstr="RU " + THIRD, previous=THIRD)
    for msgid in (TITLE, FIRST, SECOND, BOILERPLATE):
        assert_translated(active(po)[msgid], "RU " + msgid)
    # msgmerge's rule: the old entry lives on in the suggestion, it is not also kept as obsolete.
    assert obsolete(po) == {}
    # The untranslated Ukrainian catalog just follows the text.
    assert not active(catalog(root, language="uk"))[fixed].fuzzy


def test_sentence_added_to_a_paragraph(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    longer = SECOND + " He spoke on Radio NV."
    edit(root, SECOND, longer)
    extract(run_cli, root)
    po = catalog(root)
    assert_fuzzy(active(po)[longer], msgstr="RU " + SECOND, previous=SECOND)
    assert obsolete(po) == {}


def test_paragraph_split_in_two_gives_both_parts_the_whole_translation(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    head, tail = "The Russian missiles that hit central Kyiv on the morning of June 26", (
        "were the Kremlin's response to Western weapon deliveries to Ukraine."
    )
    assert f"{head} {tail}" == FIRST
    edit(root, FIRST, f"{head}.\n\nThey {tail}")
    extract(run_cli, root)
    po = catalog(root)
    assert list(active(po))[1:3] == [head + ".", "They " + tail]
    # Each part is a suggestion: the translator keeps the half of the translation that belongs.
    for part in (head + ".", "They " + tail):
        assert_fuzzy(active(po)[part], msgstr="RU " + FIRST, previous=FIRST)
    assert obsolete(po) == {}


def test_two_paragraphs_merged_into_one_join_their_translations(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    edit(root, f"{SECOND}\n\n{THIRD}", f"{SECOND} {THIRD}")
    extract(run_cli, root)
    po = catalog(root)
    merged = f"{SECOND} {THIRD}"
    assert list(active(po)) == [TITLE, FIRST, merged, BOILERPLATE]
    assert_fuzzy(active(po)[merged], msgstr=f"RU {SECOND} RU {THIRD}", previous=f"{SECOND} {THIRD}")
    assert obsolete(po) == {}


def test_paragraph_moved_keeps_its_translation_and_follows_the_article_order(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    edit(root, f"{FIRST}\n\n{SECOND}\n\n{THIRD}", f"{THIRD}\n\n{FIRST}\n\n{SECOND}")
    result = extract(run_cli, root)
    assert "kyiv.po: updated\n" in result.output  # nothing fuzzy, nothing obsolete
    po = catalog(root)
    assert list(active(po)) == [TITLE, THIRD, FIRST, SECOND, BOILERPLATE]
    for msgid, entry in active(po).items():
        assert_translated(entry, "RU " + msgid)
    assert active(po)[THIRD].occurrences == [("source_articles/kyiv.md", "7")]
    assert obsolete(po) == {}


def test_paragraph_deleted_becomes_obsolete_and_comes_back_translated(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    source = root / "source_articles/kyiv.md"
    edit(root, f"{SECOND}\n\n", "")
    result = extract(run_cli, root)
    assert "kyiv.po: updated (1 obsolete)" in result.output
    po = catalog(root)
    assert SECOND not in active(po)
    assert obsolete(po)[SECOND].msgstr == "RU " + SECOND
    assert not obsolete(po)[SECOND].fuzzy

    source.write_text(ARTICLE, encoding="utf-8")  # restored
    result = extract(run_cli, root)
    assert "kyiv.po: updated (1 revived)" in result.output
    po = catalog(root)
    assert list(active(po)) == [TITLE, FIRST, SECOND, THIRD, BOILERPLATE]
    assert_translated(active(po)[SECOND], "RU " + SECOND)
    assert obsolete(po) == {}


def test_heading_changed(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    # A small change to the heading (the title in the front matter stays): a suggestion.
    edit(root, f"# {TITLE}", "# Missiles hit Kyiv again")
    extract(run_cli, root)
    po = catalog(root)
    assert_fuzzy(active(po)["Missiles hit Kyiv again"], msgstr="RU " + TITLE, previous=TITLE)
    assert_translated(active(po)[TITLE], "RU " + TITLE)  # still the title

    # A different heading: nothing similar enough, an empty entry; the old one is kept obsolete.
    edit(root, "# Missiles hit Kyiv again", "# Belarus drawn into the war")
    edit(root, f"title: {TITLE}", "title: Belarus drawn into the war")
    extract(run_cli, root)
    po = catalog(root)
    new = active(po)["Belarus drawn into the war"]
    assert new.msgstr == "" and not new.fuzzy and new.previous_msgid is None
    assert obsolete(po)[TITLE].msgstr == "RU " + TITLE
    # The fuzzy entry had not been reviewed: it is obsolete too, still fuzzy, with what it translates.
    assert obsolete(po)["Missiles hit Kyiv again"].fuzzy


def test_whole_article_rewritten_keeps_the_old_translations_as_obsolete(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    rewritten = (
        "---\ntitle: Air raid alert in Lviv\n---\n\n"
        "Sirens sounded across Lviv region on Tuesday evening.\n\n"
        "Officials asked residents to stay in shelters until the all-clear.\n"
    )
    (root / "source_articles/kyiv.md").write_text(rewritten, encoding="utf-8")
    extract(run_cli, root)
    po = catalog(root)
    assert [(entry.msgid, entry.msgstr, entry.fuzzy) for entry in active(po).values()] == [
        ("Air raid alert in Lviv", "", False),
        ("Sirens sounded across Lviv region on Tuesday evening.", "", False),
        ("Officials asked residents to stay in shelters until the all-clear.", "", False),
    ]
    assert {msgid: entry.msgstr for msgid, entry in obsolete(po).items()} == {
        msgid: "RU " + msgid for msgid in (TITLE, FIRST, SECOND, THIRD, BOILERPLATE)
    }


def test_article_deleted_leaves_orphans_until_pruned(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli, {"kyiv": ARTICLE, "other": "Another article.\n"})
    (root / "source_articles/kyiv.md").unlink()
    files = [
        root / "locales/templates/articles/kyiv.pot",
        root / "locales/ru/LC_MESSAGES/articles/kyiv.po",
        root / "locales/uk/LC_MESSAGES/articles/kyiv.po",
    ]
    before = {path: path.read_bytes() for path in files}
    result = extract(run_cli, root)
    assert "kyiv: templates and catalogs have no source article (orphan)" in result.output
    assert {path: path.read_bytes() for path in files} == before

    assert run_cli("extract", "--check", "--prune-orphans", project=root).exit_code == 1
    assert all(path.exists() for path in files)
    result = extract(run_cli, root, "--prune-orphans")
    for path in files:
        assert f"{path.relative_to(root)}: removed" in result.output
        assert not path.exists()
    assert (root / "locales/ru/LC_MESSAGES/articles/other.po").exists()
    assert run_cli("extract", "--check", project=root).exit_code == 0


def test_article_renamed_its_translations_follow_through_the_memory(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    source = root / "source_articles/kyiv.md"
    source.rename(root / "source_articles/kyiv-missiles.md")
    result = extract(run_cli, root, "--prune-orphans")
    assert "locales/ru/LC_MESSAGES/articles/kyiv-missiles.po: created (5 from the translation memory)" in result.output
    assert "locales/ru/LC_MESSAGES/articles/kyiv.po: removed" in result.output
    po = catalog(root, "kyiv-missiles")
    for msgid, entry in active(po).items():
        assert_translated(entry, "RU " + msgid)
        assert entry.tcomment == "Translation memory: exact match from articles/kyiv"
    assert not active(catalog(root, "kyiv-missiles", "uk"))[FIRST].msgstr
    # The comment is the translator's to delete; the next run keeps the file as it is.
    assert "0 file(s) written" in extract(run_cli, root).output


def test_boilerplate_is_translated_once_per_language(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    (root / "source_articles/next.md").write_text(f"# Next story\n\n{BOILERPLATE}\n", encoding="utf-8")
    extract(run_cli, root)
    entry = active(catalog(root, "next"))[BOILERPLATE]
    assert_translated(entry, "RU " + BOILERPLATE)
    assert entry.tcomment == "Translation memory: exact match from articles/kyiv"
    assert active(catalog(root, "next"))["Next story"].msgstr == ""
    assert active(catalog(root, "next", "uk"))[BOILERPLATE].msgstr == ""


def test_a_new_translation_fills_the_same_untranslated_text_in_other_articles(content_tree, run_cli):
    """msgmerge with a compendium fills an untranslated entry from it; so does the memory."""
    root = content_tree({"kyiv": ARTICLE, "next": f"# Next story\n\n{BOILERPLATE}\n"})
    extract(run_cli, root)
    translate(root / "locales/ru/LC_MESSAGES/articles/kyiv.po")
    # Only kyiv.po changed; next.md and next.po did not, yet next.po gets the translation.
    result = extract(run_cli, root)
    assert "locales/ru/LC_MESSAGES/articles/next.po: updated (1 from the translation memory)" in result.output
    entry = active(catalog(root, "next"))[BOILERPLATE]
    assert_translated(entry, "RU " + BOILERPLATE)
    assert entry.tcomment == "Translation memory: exact match from articles/kyiv"
    assert "0 file(s) written" in extract(run_cli, root).output


def test_fuzzy_suggestion_from_another_article_names_it(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    similar = SECOND.replace("Mihaylov", "Mykhailov")
    (root / "source_articles/next.md").write_text(f"{similar}\n", encoding="utf-8")
    extract(run_cli, root)
    entry = active(catalog(root, "next"))[similar]
    assert_fuzzy(entry, msgstr="RU " + SECOND, previous=SECOND)
    assert entry.tcomment.startswith("Translation memory: 9") and entry.tcomment.endswith("% match from articles/kyiv")


def test_no_fuzzy_and_the_cutoff(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    edit(root, "Lukyanivka", "Lukianivka")
    extract(run_cli, root, "--no-fuzzy")
    po = catalog(root)
    fixed = THIRD.replace("Lukyanivka", "Lukianivka")
    assert active(po)[fixed].msgstr == "" and not active(po)[fixed].fuzzy
    assert obsolete(po)[THIRD].msgstr == "RU " + THIRD

    # A cutoff above the similarity: no suggestion either.
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + "fuzzy_cutoff = 0.999\n", encoding="utf-8")
    edit(root, SECOND, SECOND.replace("Belarus", "Belarus,"))
    extract(run_cli, root)
    assert active(catalog(root))[SECOND.replace("Belarus", "Belarus,")].msgstr == ""


def test_prune_obsolete(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    edit(root, f"{SECOND}\n\n", "")
    extract(run_cli, root)
    assert SECOND in obsolete(catalog(root))
    result = extract(run_cli, root, "--prune-obsolete")
    assert "locales/ru/LC_MESSAGES/articles/kyiv.po: updated (1 pruned)" in result.output
    assert obsolete(catalog(root)) == {}
    assert_translated(active(catalog(root))[FIRST], "RU " + FIRST)


def test_translator_comments_flags_and_order_survive_an_update(content_tree, run_cli):
    root = translated_tree(content_tree, run_cli)
    path = root / "locales/ru/LC_MESSAGES/articles/kyiv.po"
    po = polib.pofile(str(path))
    po.find(FIRST).tcomment = "checked by the desk"
    po.find(SECOND).flags.append("no-wrap")
    po.find(THIRD).tcomment = "district name as in the style guide"
    po.save()
    saved = path.read_bytes()
    extract(run_cli, root)
    assert path.read_bytes() == saved  # the same entries, wrapped by polib: not rewritten
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)  # gettext's layout, as extract writes it
    before = path.read_text(encoding="utf-8")

    edit(root, "Lukyanivka", "Lukianivka")
    extract(run_cli, root)
    po = catalog(root)
    assert po.find(FIRST).tcomment == "checked by the desk"
    assert "no-wrap" in po.find(SECOND).flags
    fixed = po.find(THIRD.replace("Lukyanivka", "Lukianivka"))
    assert fixed.tcomment == "district name as in the style guide"  # it came along with the suggestion
    assert fixed.flags == ["fuzzy"]
    # The diff a reviewer sees: that entry only, and the source line of the header.
    after = path.read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert all("Lukianivka" in line or "fuzzy" in line or line.startswith(("#|", '"')) for line in changed), changed


def test_compendium_named_in_the_configuration(content_tree, run_cli, tmp_path):
    compendium = tmp_path / "content/shared/ru.po"
    compendium.parent.mkdir(parents=True)
    compendium.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "{BOILERPLATE}"\nmsgstr "Подписывайтесь на наш Telegram."\n',
        encoding="utf-8",
    )
    root = content_tree({"kyiv": ARTICLE}, settings='compendia = ["shared/{lang}.po"]\n')
    assert root == compendium.parent.parent
    extract(run_cli, root)
    entry = active(catalog(root))[BOILERPLATE]
    assert_translated(entry, "Подписывайтесь на наш Telegram.")
    assert entry.tcomment == "Translation memory: exact match from shared/ru.po"
    assert active(catalog(root, language="uk"))[BOILERPLATE].msgstr == ""


def test_msgmerge_agrees_on_a_typo_fix(content_tree, run_cli, tmp_path):
    """The same edit through GNU msgmerge: the same entry, flags and previous msgid."""
    import subprocess

    root = translated_tree(content_tree, run_cli)
    old_po = tmp_path / "old.po"
    old_po.write_bytes((root / "locales/ru/LC_MESSAGES/articles/kyiv.po").read_bytes())
    edit(root, "Lukyanivka", "Lukianivka")
    extract(run_cli, root)
    merged = subprocess.run(
        ["msgmerge", "--previous", "--quiet", "-o", "-", str(old_po), str(root / "locales/templates/articles/kyiv.pot")],
        capture_output=True, check=True,
    ).stdout
    (tmp_path / "merged.po").write_bytes(merged)
    theirs = {entry.msgid: entry for entry in polib.pofile(str(tmp_path / "merged.po"))}
    ours = {entry.msgid: entry for entry in catalog(root)}
    assert theirs.keys() == ours.keys()
    for msgid, entry in ours.items():
        assert (entry.msgstr, entry.fuzzy, entry.previous_msgid, entry.obsolete) == (
            theirs[msgid].msgstr, theirs[msgid].fuzzy, theirs[msgid].previous_msgid, theirs[msgid].obsolete
        ), msgid
