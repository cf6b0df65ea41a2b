"""Bad input: one line naming the file (and line), exit status 1, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

GOOD = "---\ntitle: Fine\n---\n\nA paragraph.\n"


def snapshot(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.parametrize(
    ("article", "fragments"),
    [
        ("---\ntitle: [unclosed\n---\n\nBody.\n", ("source_articles/bad.md:2:", "invalid YAML front matter")),
        ("---\ntitle: a\n  b: c\n---\n\nBody.\n", ("source_articles/bad.md:3:", "invalid YAML front matter")),
        ("---\n- just\n- a list\n---\n\nBody.\n", ("source_articles/bad.md:2:", "must be a mapping")),
        ("+++\ntitle = \n+++\n\nBody.\n", ("source_articles/bad.md:2:", "invalid TOML front matter")),
        ("Fine line\nSecond \xff line\n".encode("latin-1"), ("source_articles/bad.md:2:", "not UTF-8")),
    ],
    ids=["yaml-syntax", "yaml-indentation", "yaml-not-mapping", "toml-syntax", "latin-1"],
)
def test_bad_source_articles(content_tree, run_cli, article, fragments):
    root = content_tree({"good": GOOD, "bad": article})
    result = run_cli("extract", project=root)
    assert_one_error_among_the_output(result, *fragments)
    assert not (root / "locales/templates/articles/bad.pot").exists()
    # The bad article stops no other: the good one is extracted all the same.
    assert (root / "locales/templates/articles/good.pot").is_file()
    assert (root / "locales/ru/LC_MESSAGES/articles/good.po").is_file()


def assert_one_error_among_the_output(result, *fragments: str) -> None:
    """A step that went on past a bad file: exit status 1, the problem on one line, no traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.output
    for fragment in fragments:
        assert fragment in errors[0], errors[0]


def test_po_file_with_a_syntax_error_is_reported_and_not_overwritten(content_tree, run_cli):
    root = content_tree({"good": GOOD})
    assert run_cli("extract", project=root).exit_code == 0
    path = root / "locales/ru/LC_MESSAGES/articles/good.po"
    broken = path.read_text(encoding="utf-8").replace('msgstr ""\n\n#.', 'msgstr ""\n\n#.', 1)
    broken = broken.replace('msgid "A paragraph."', 'msgid "A paragraph.')
    path.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index('msgid "A paragraph.') + 1
    (root / "source_articles/good.md").write_text(GOOD + "\nAnother paragraph.\n", encoding="utf-8")
    before = path.read_bytes()

    result = run_cli("extract", project=root)
    assert_one_line_error(result, f"locales/ru/LC_MESSAGES/articles/good.po:{line}:", "unterminated string")
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".*.tmp"))


def test_po_file_with_an_unknown_keyword(content_tree, run_cli):
    root = content_tree({"good": GOOD})
    run_cli("extract", project=root)
    path = root / "locales/uk/LC_MESSAGES/articles/good.po"
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgfoo "x"\n', encoding="utf-8")
    result = run_cli("merge", project=root)
    # Like a bad article: reported at its line, its pages left as they were, the rest published.
    line = path.read_text(encoding="utf-8").count("\n")  # msgfoo is the last line
    assert_one_error_among_the_output(result, f"locales/uk/LC_MESSAGES/articles/good.po:{line}:", "syntax error")
    assert not (root / "build/uk/good.html").exists() and (root / "build/uk/index.html").exists()


@pytest.mark.parametrize(
    ("codes", "fragment"),
    [(("ru_RUU",), "malformed language code 'ru_RUU'"), (("xx",), "unknown language code 'xx'"), (("ru", "qq"), "'qq'")],
)
def test_unknown_language_codes(content_tree, run_cli, codes, fragment):
    root = content_tree({"good": GOOD}, languages=())
    before = snapshot(root)
    result = run_cli("init", *codes, project=root)
    assert_one_line_error(result, fragment)
    assert snapshot(root) == before


def test_unknown_language_in_the_configuration(content_tree, run_cli):
    root = content_tree({"good": GOOD}, languages=("ru", "xx"))
    assert_one_line_error(run_cli("extract", project=root), "pyproject.toml:", "unknown language code 'xx'")


def test_missing_source_folder_says_how_to_configure_it(tmp_path, run_cli):
    (tmp_path / "pyproject.toml").write_text('[tool.localize]\nlanguages = ["ru"]\nsource_dir = "articles"\n')
    assert_one_line_error(run_cli("extract", project=tmp_path), "no source folder articles", "source_dir")


def test_usage_errors_exit_with_2(content_tree, run_cli):
    root = content_tree({"good": GOOD})
    assert run_cli("extract", "--no-such-option", project=root).exit_code == 2
    assert run_cli("no-such-command", project=root).exit_code == 2
    assert run_cli("init", project=root).exit_code == 2


def test_po_file_defining_a_message_twice_is_refused_not_silently_merged(content_tree, run_cli):
    root = content_tree({"good": GOOD})
    run_cli("extract", project=root)
    path = root / "locales/ru/LC_MESSAGES/articles/good.po"
    text = path.read_text(encoding="utf-8").replace('msgid "A paragraph."\nmsgstr ""', 'msgid "A paragraph."\nmsgstr "Абзац."')
    text += '\nmsgid "A paragraph."\nmsgstr "Другой перевод абзаца."\n'
    path.write_text(text, encoding="utf-8")
    (root / "source_articles/good.md").write_text(GOOD + "\nMore.\n", encoding="utf-8")
    line = text.splitlines().index('msgid "A paragraph."', text.splitlines().index('msgid "A paragraph."') + 1) + 1
    before = path.read_bytes()
    result = run_cli("extract", project=root)
    assert_one_line_error(result, f"locales/ru/LC_MESSAGES/articles/good.po:{line}:", "defined twice")
    assert path.read_bytes() == before


def test_po_file_with_a_byte_order_mark(content_tree, run_cli):
    root = content_tree({"good": GOOD})
    run_cli("extract", project=root)
    path = root / "locales/uk/LC_MESSAGES/articles/good.po"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert_one_line_error(run_cli("extract", project=root), "good.po:1:", "byte order mark")


def test_invalid_date_in_front_matter_names_its_line(content_tree, run_cli):
    # Only the dateline needs the date: extract goes on, check fails, merge publishes without it.
    root = content_tree({"bad": "---\ntitle: A\ndate: 2022-13-45\n---\n\nBody.\n"})
    assert run_cli("extract", project=root).exit_code == 0
    checked = run_cli("check", project=root)
    assert checked.exit_code == 1
    assert "source_articles/bad.md:3: E104 front matter: date '2022-13-45' is not a date (month must be in 1..12)" in checked.output
    merged = run_cli("merge", project=root)
    assert merged.exit_code == 0, merged.output
    warnings = [line for line in merged.output.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 1 and warnings[0].startswith("Warning: source_articles/bad.md:3: ")
    assert "month must be in 1..12" in warnings[0]


def test_output_folder_that_is_a_file_is_one_line(content_tree, run_cli):
    root = content_tree({"good": GOOD})
    (root / "taken").write_text("a file, not a folder")
    assert_one_line_error(run_cli("merge", "--out", str(root / "taken" / "sub"), project=root), "taken", "Not a directory")


def test_init_refuses_the_source_language_and_duplicate_spellings(content_tree, run_cli):
    root = content_tree({"good": GOOD}, languages=("pt-BR",))
    before = snapshot(root)
    assert_one_line_error(run_cli("init", "en", project=root), "en is the source language")
    assert snapshot(root) == before
    result = run_cli("init", "pt_BR", project=root)
    assert result.exit_code == 0, result.output
    assert 'languages = ["pt-BR"]' in (root / "pyproject.toml").read_text(encoding="utf-8")


def test_init_writes_no_configuration_when_an_article_is_broken(content_tree, run_cli):
    root = content_tree({"bad": "---\ntitle: [unclosed\n---\n"}, languages=("ru",))
    before = (root / "pyproject.toml").read_bytes()
    assert run_cli("init", "de", project=root).exit_code == 1
    assert (root / "pyproject.toml").read_bytes() == before
