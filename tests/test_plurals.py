"""Plural-Forms as the gettext ecosystem writes it: new catalogs get msginit's formula,
and catalogs from msginit, Poedit and Weblate check clean whatever Babel release is installed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from localize.plurals import parse_plural_forms

needs_msginit = pytest.mark.skipif(shutil.which("msginit") is None, reason="GNU gettext's msginit is not installed")

TEMPLATE = """\
msgid ""
msgstr ""
"Project-Id-Version: newsroom\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"

msgid "%d minute to read"
msgid_plural "%d minutes to read"
msgstr[0] ""
msgstr[1] ""
"""

# Languages whose catalogs in the wild have two forms where recent CLDR has three (a
# "many" form for millions), or where CLDR and gettext number the forms otherwise.
LANGUAGES = ("fr", "es", "it", "pt", "pt_BR", "ca", "he", "de", "ru", "uk", "pl", "cs", "sl", "lt", "lv", "ro",
             "ga", "ja", "ar")


def msginit(tmp_path: Path, language: str) -> Path | None:
    """The catalog GNU msginit creates for ``language``; None where its table has no formula."""
    template = tmp_path / "messages.pot"
    template.write_text(TEMPLATE, encoding="utf-8")
    output = tmp_path / "msginit" / f"{language}.po"
    output.parent.mkdir(exist_ok=True)
    subprocess.run(
        ["msginit", "--no-translator", f"--locale={language}.UTF-8", "-i", str(template), "-o", str(output)],
        check=True, capture_output=True,
    )
    return output if "nplurals=INTEGER" not in output.read_text(encoding="utf-8") else None


def plural_forms_of(path: Path) -> str:
    """The Plural-Forms value of a catalog, with gettext's continuation lines joined."""
    text = path.read_text(encoding="utf-8")
    header = text.split("\n\n")[0]
    joined = "".join(line[1:-1] for line in header.splitlines() if line.startswith('"'))
    (field,) = [part for part in joined.split("\\n") if part.startswith("Plural-Forms:")]
    return field.removeprefix("Plural-Forms:").strip()


def check_json(run_cli, *paths: Path) -> dict:
    result = run_cli("check", "--format", "json", *map(str, paths))
    return json.loads(result.output)


def codes_of(report: dict) -> list[str]:
    return [found["code"] for catalog in report["catalogs"] for found in catalog["findings"]]


@needs_msginit
def test_init_writes_the_formula_msginit_writes(tmp_path: Path, content_tree, run_cli) -> None:
    root = content_tree({"a": "---\ntitle: A\ndate: 2024-01-01\n---\n\nHello.\n"}, languages=())
    compared = []
    for language in LANGUAGES:
        reference = msginit(tmp_path, language)
        if reference is None:
            continue
        assert run_cli("init", language, project=root).exit_code == 0
        ours = root / "locales" / language / "LC_MESSAGES" / "ui.po"
        assert plural_forms_of(ours) == plural_forms_of(reference), language
        compared.append(language)
    # Whatever gettext release is installed, its table has these.
    assert {"fr", "pt_BR", "es", "it", "he", "ru", "pl"} <= set(compared)


@needs_msginit
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogs_msginit_creates_check_clean(tmp_path: Path, run_cli, language: str) -> None:
    created = msginit(tmp_path, language)
    if created is None:
        pytest.skip(f"this msginit has no formula for {language}")
    assert "E011" not in codes_of(check_json(run_cli, created))


def weblate_or_poedit_catalog(path: Path, language: str, plural_forms: str, generator: str) -> Path:
    path.write_text(
        'msgid ""\nmsgstr ""\n'
        '"Project-Id-Version: newsroom\\n"\n'
        f'"Language: {language}\\n"\n'
        '"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n'
        f'"Plural-Forms: {plural_forms}\\n"\n'
        f'"X-Generator: {generator}\\n"\n\n'
        'msgid "Hello"\nmsgstr "Bonjour"\n',
        encoding="utf-8",
    )
    return path


# As Weblate (no parentheses, its own spacing) and Poedit write them; the three-form
# rules are what Weblate writes for CLDR's "many" form.
ACCEPTED = [
    ("fr", "nplurals=2; plural=n > 1;", "Weblate 4.17"),
    ("fr", "nplurals=2; plural=(n > 1);", "Poedit 3.4.2"),
    ("fr", "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;", "Weblate 5.8"),
    ("es", "nplurals=2; plural=n != 1;", "Weblate 4.17"),
    ("es", "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;", "Weblate 5.8"),
    ("it", "nplurals=2; plural=(n != 1);", "Poedit 3.4.2"),
    ("pt_BR", "nplurals=2; plural=n > 1;", "Weblate 4.17"),
    ("pt_BR", "nplurals=2; plural=(n > 1);", "Lokalize 23.08.5"),
    ("ca", "nplurals=2; plural=(n != 1);", "Poedit 3.4.2"),
    ("he", "nplurals=2; plural=(n != 1);", "Poedit 3.4.2"),
    ("he", "nplurals=4; plural=(n == 1) ? 0 : ((n == 2) ? 1 : ((n > 10 && n % 10 == 0) ? 2 : 3));", "Weblate 4.17"),
    ("he", "nplurals=3; plural=(n == 1) ? 0 : ((n == 2) ? 1 : 2);", "Weblate 5.8"),
    ("ar", "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;",
     "Weblate 4.17"),
    ("ru", "nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;",
     "Weblate 4.17"),
]


@pytest.mark.parametrize(("language", "plural_forms", "generator"), ACCEPTED,
                         ids=[f"{language}-{generator}-{n}" for n, (language, _, generator) in enumerate(ACCEPTED)])
def test_formulas_of_other_editors_are_accepted(tmp_path: Path, run_cli, language, plural_forms, generator) -> None:
    path = weblate_or_poedit_catalog(tmp_path / f"{language}.po", language, plural_forms, generator)
    report = check_json(run_cli, path)
    assert "E011" not in codes_of(report)
    assert "E012" not in codes_of(report)


WRONG = [
    ("ru", "nplurals=2; plural=(n != 1);"),   # English's rule for Russian
    ("uk", "nplurals=1; plural=0;"),
    ("fr", "nplurals=2; plural=(n != 1);"),   # zero is singular in French
    ("pt_BR", "nplurals=2; plural=(n != 1);"),
    ("ja", "nplurals=2; plural=(n != 1);"),
    ("pl", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"),
    ("ru", "nplurals=3; plural=(n%10==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);"),  # 11 and 12 misplaced
    ("de", "nplurals=2; plural=(n != 1 ? 5 : 0);"),  # a form past nplurals
]


@pytest.mark.parametrize(("language", "plural_forms"), WRONG, ids=[f"{l}-{n}" for n, (l, _) in enumerate(WRONG)])
def test_a_formula_wrong_for_the_language_is_caught(tmp_path: Path, run_cli, language, plural_forms) -> None:
    path = weblate_or_poedit_catalog(tmp_path / f"{language}.po", language, plural_forms, "Poedit 3.4.2")
    report = check_json(run_cli, path)
    assert codes_of(report) == ["E011"]
    assert report["catalogs"][0]["findings"][0]["line"] == 1


def test_formulas_are_compared_by_what_they_do() -> None:
    written = parse_plural_forms("nplurals=2; plural=(n > 1);")
    spaced = parse_plural_forms("nplurals = 2 ; plural = n>1")
    reordered = parse_plural_forms("nplurals=2; plural=(n == 0 || n == 1) ? 0 : 1;")
    english = parse_plural_forms("nplurals=2; plural=n != 1;")
    assert written is not None and spaced is not None and reordered is not None and english is not None
    assert written.behaves_like(spaced) and written.behaves_like(reordered)
    assert not written.behaves_like(english)
    assert parse_plural_forms("nplurals=2; plural=n >") is None
