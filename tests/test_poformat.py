"""format_po must write what GNU msgcat writes: msgcat is the judge here.

Every test writes our output to a file, runs the real ``msgcat`` on it and
expects the very same bytes back, then runs ``msgfmt --check`` on it. A few
tests also pin down a normalization on purpose, so that a reader sees what
msgcat does to a catalog.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localize.po.write import format_po, write_alike

pytestmark = pytest.mark.skipif(
    shutil.which("msgcat") is None or shutil.which("msgfmt") is None,
    reason="GNU gettext (msgcat, msgfmt) is the judge of these tests",
)

REPOSITORY = Path(__file__).resolve().parent.parent
THREE_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
# A header msgfmt --check has nothing to say about.
METADATA = {
    "Project-Id-Version": "localize test",
    "Report-Msgid-Bugs-To": "",
    "POT-Creation-Date": "2026-01-01 00:00+0000",
    "PO-Revision-Date": "2026-01-02 00:00+0000",
    "Last-Translator": "Test Translator <translator@example.com>",
    "Language-Team": "Russian <ru@example.com>",
    "Language": "ru",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": THREE_PLURAL_FORMS,
}

LONG_ENGLISH = (
    "The Russian missiles that hit central Kyiv on the morning on June 26 were the "
    "Kremlin's response to Western weapon deliveries to Ukraine, and also an attempt "
    "to engage Belarus into war, an analyst at Conflict Intelligence Team, a group "
    "focused on investigating war crimes, has told NV at 6.20 a.m. on Sunday."
)
RUSSIAN = (
    "Российские ракеты, которые утром 26 июня ударили по центру Киева, стали ответом "
    "Кремля на поставки западного оружия Украине, а также попыткой втянуть в войну "
    "Беларусь, — рассказал NV Кирилл Михайлов, аналитик Conflict Intelligence Team."
)
UKRAINIAN = (
    "Російські ракети, які вранці 26 червня вдарили по центру Києва, стали відповіддю "
    "Кремля на постачання західної зброї Україні, а також спробою втягнути у війну "
    "Білорусь, — розповів NV Кирило Михайлов, аналітик Conflict Intelligence Team."
)
JAPANESE = (
    "６月２６日の朝にキエフ中心部を攻撃したロシアのミサイルは、ウクライナへの西側の武器供与に"
    "対するクレムリンの回答であり、ベラルーシを戦争に引き込む試みでもあったと、アナリストは語った。"
)
CHINESE = (
    "6月26日上午袭击基辅市中心的俄罗斯导弹是克里姆林宫对西方向乌克兰运送武器的回应，"
    "也是试图让白俄罗斯卷入战争的尝试，冲突情报小组的分析师基里尔·米哈伊洛夫告诉记者。"
)
ARABIC = (
    "كانت الصواريخ الروسية التي ضربت وسط كييف صباح يوم 26 يونيو ردًا من الكرملين على "
    "شحنات الأسلحة الغربية إلى أوكرانيا، وكذلك محاولة لجر بيلاروسيا إلى الحرب."
)
MARKDOWN = (
    "Read the **bold** claim in [the full report](https://example.com/a-long/path_with-"
    "hyphens?x=1&y=2) and the *follow-up* at [example.org](https://example.org/news/"
    "2022/06/27/kyiv-missiles-belarus-analysis.html)."
)
LONG_URL = "https://example.com/" + "very-long-path_segment/" * 6 + "index.html?query=1&other=2"
PUNCTUATION = (
    "A well-known, long-standing dispute — the so-called «tank question» — was "
    "“settled” in Brussels… or was it? Ein „Zitat“ and a state-of-the-art, "
    "self-propelled howitzer; 1,000–2,000 troops (approx.) at 50% readiness."
)


def write_and_judge(
    catalog: polib.POFile, tmp_path: Path, *, width: int = 79, wrap: bool = True, msgfmt: bool = True
) -> str:
    """Format ``catalog``, check that msgcat gives the same bytes back and (unless told not to) msgfmt accepts it."""
    text = format_po(catalog, width=width, wrap=wrap)
    path = tmp_path / "catalog.po"
    path.write_bytes(text.encode("utf-8"))
    options = []
    if width != 79:
        options.append(f"--width={max(width, 0)}")
    if not wrap:
        options.append("--no-wrap")
    assert run_msgcat(path, tmp_path, options) == text.encode("utf-8")
    if not msgfmt:
        return text
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    return text


def run_msgcat(path: Path, output_folder: Path, options: list[str] | tuple[str, ...] = ()) -> bytes:
    """What ``msgcat [OPTIONS] PATH -o OUT`` writes, as bytes; OUT goes to ``output_folder``."""
    output = output_folder / "msgcat-output.po"
    # Hypothesis reuses tmp_path, and msgcat writes no file for a catalog without messages.
    output.unlink(missing_ok=True)
    result = subprocess.run(["msgcat", *options, str(path), "-o", str(output)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert output.exists(), "msgcat wrote nothing (a catalog without messages needs --force-po)"
    return output.read_bytes()


def make_catalog(*entries: polib.POEntry, header: str = "", metadata: dict[str, str] | None = None) -> polib.POFile:
    """A polib catalog with a header msgfmt --check accepts, holding ``entries``."""
    catalog = polib.POFile()
    catalog.header = header
    catalog.metadata = dict(METADATA if metadata is None else metadata)
    for entry in entries:
        catalog.append(entry)
    return catalog


def columns(line: str) -> int:
    """How many terminal columns ``line`` takes (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


def blocks(text: str) -> list[str]:
    """The entries of a PO text, header first."""
    return text.split("\n\n")


# --- Strings and how they wrap ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [LONG_ENGLISH, RUSSIAN, UKRAINIAN, JAPANESE, CHINESE, ARABIC, MARKDOWN, LONG_URL, PUNCTUATION],
    ids=["english", "russian", "ukrainian", "japanese", "chinese", "arabic", "markdown", "long-url", "punctuation"],
)
def test_long_paragraphs_wrap_like_msgcat(text: str, tmp_path: Path) -> None:
    catalog = make_catalog(polib.POEntry(msgid=text, msgstr=text, occurrences=[("article.md", "3")]))
    written = write_and_judge(catalog, tmp_path)
    assert '\nmsgid ""\n"' in written  # too long for the keyword's line


def test_cjk_breaks_between_ideographs_counting_two_columns(tmp_path: Path) -> None:
    catalog = make_catalog(polib.POEntry(msgid="Japanese", msgstr=JAPANESE + CHINESE))
    written = write_and_judge(catalog, tmp_path)
    string_lines = [line for line in blocks(written)[1].splitlines() if line.startswith('"')]
    assert len(string_lines) >= 3
    # Lines are filled up to the page width in columns, not in characters.
    assert all(columns(line) <= 79 for line in string_lines)
    assert max(columns(line) for line in string_lines) >= 75


def test_english_keeps_the_space_at_the_end_of_a_line(tmp_path: Path) -> None:
    written = write_and_judge(make_catalog(polib.POEntry(msgid=LONG_ENGLISH)), tmp_path)
    string_lines = [line for line in blocks(written)[1].splitlines() if line.startswith('"')]
    assert all(line.endswith(' "') for line in string_lines[:-1])
    assert all(len(line) <= 79 for line in string_lines)


@pytest.mark.parametrize(
    "msgid",
    [
        "First line\nsecond line",
        "Ends with a newline\n",
        "\nStarts with a newline",
        "Two\n\nparagraphs\n",
        "\n",
        "   ",
        " ",
        "",
        "Tab\tseparated\tcolumns and a backslash \\ and \"quotes\"",
        'C:\\Users\\editor\\Documents\\"drafts"\\article.md',
        "Bell\a back\b form\f return\r vertical\v tab\t newline\n",
    ],
    ids=repr,
)
def test_escapes_newlines_and_blank_strings(msgid: str, tmp_path: Path) -> None:
    catalog = make_catalog(polib.POEntry(msgctxt="as msgid", msgid=msgid))
    # msgfmt --check wants msgid and msgstr to agree on leading and trailing newlines.
    catalog.append(polib.POEntry(msgid="as msgstr", msgstr=msgid.replace("\n", " ")))
    write_and_judge(catalog, tmp_path)


def test_string_with_inner_newline_starts_on_its_own_line(tmp_path: Path) -> None:
    written = write_and_judge(make_catalog(polib.POEntry(msgid="one\ntwo", msgstr="один\nдва")), tmp_path)
    assert 'msgid ""\n"one\\n"\n"two"\nmsgstr ""\n"один\\n"\n"два"\n' in written


def test_string_ending_in_newline_stays_on_the_keyword_line(tmp_path: Path) -> None:
    written = write_and_judge(make_catalog(polib.POEntry(msgid="Done.\n", msgstr="Готово.\n")), tmp_path)
    assert 'msgid "Done.\\n"\nmsgstr "Готово.\\n"\n' in written


def test_no_break_just_before_a_final_newline_escape(tmp_path: Path) -> None:
    msgid = "x" * 74 + "\n"
    written = write_and_judge(make_catalog(polib.POEntry(msgid=msgid)), tmp_path)
    assert f'"{"x" * 74}\\n"' in written


def test_hyphens_em_dashes_and_quotes(tmp_path: Path) -> None:
    text = " ".join([PUNCTUATION] * 3)
    write_and_judge(make_catalog(polib.POEntry(msgid=text, msgstr=text.upper())), tmp_path)


# --- Entries -----------------------------------------------------------------


def test_plural_entry_with_three_forms(tmp_path: Path) -> None:
    entry = polib.POEntry(
        msgid="%(count)d missile hit the city",
        msgid_plural="%(count)d missiles hit the city",
        msgstr_plural={0: "%(count)d ракета попала в город", 1: "%(count)d ракеты попали в город", 2: "%(count)d ракет попало в город"},
        flags=["python-format"],
    )
    written = write_and_judge(make_catalog(entry), tmp_path)
    assert "msgstr[0]" in written and "msgstr[2]" in written


def test_plural_template_entry_gets_two_empty_forms(tmp_path: Path) -> None:
    metadata = {key: value for key, value in METADATA.items() if key != "Plural-Forms"}
    entry = polib.POEntry(msgid="one file", msgid_plural="%d files", flags=["c-format"])
    written = write_and_judge(make_catalog(entry, metadata=metadata), tmp_path)
    assert 'msgid_plural "%d files"\nmsgstr[0] ""\nmsgstr[1] ""\n' in written


def test_message_context(tmp_path: Path) -> None:
    catalog = make_catalog(
        polib.POEntry(msgctxt="menu", msgid="Open", msgstr="Открыть"),
        polib.POEntry(msgctxt="door " * 20, msgid="Open", msgstr="Открытая"),
    )
    written = write_and_judge(catalog, tmp_path)
    assert 'msgctxt "menu"\nmsgid "Open"\n' in written


def test_fuzzy_entry_with_previous_strings(tmp_path: Path) -> None:
    entry = polib.POEntry(
        msgid=LONG_ENGLISH,
        msgstr=RUSSIAN,
        flags=["fuzzy"],
        previous_msgctxt="article",
        previous_msgid=LONG_ENGLISH.replace("Kyiv", "Kiev"),
        msgctxt="article",
    )
    written = write_and_judge(make_catalog(entry), tmp_path)
    assert '#, fuzzy\n#| msgctxt "article"\n#| msgid ""\n#| "The Russian' in written


def test_obsolete_entries_come_last_with_and_without_previous_msgid(tmp_path: Path) -> None:
    catalog = make_catalog(
        polib.POEntry(msgid="Obsolete and plain", msgstr="Устаревшее", obsolete=True, tcomment="was in the lead"),
        polib.POEntry(msgid="Live", msgstr="Живое"),
        polib.POEntry(
            msgid=LONG_ENGLISH, msgstr=RUSSIAN, obsolete=True, flags=["fuzzy"], previous_msgid=UKRAINIAN, msgctxt="old"
        ),
        polib.POEntry(msgid="Never translated", msgstr="", obsolete=True),
    )
    written = write_and_judge(catalog, tmp_path)
    assert written.index('msgid "Live"') < written.index("#~ msgid")
    assert '# was in the lead\n#~ msgid "Obsolete and plain"\n#~ msgstr "Устаревшее"\n' in written
    assert '#, fuzzy\n#~| msgid ""\n#~| "Російські' in written
    assert '#~ msgctxt "old"\n#~ msgid ""\n#~ "The Russian missiles' in written
    # msgcat drops obsolete entries that were never translated.
    assert "Never translated" not in written


def test_references_wrap_at_the_page_width(tmp_path: Path) -> None:
    occurrences = [("docs/README", None), ("docs/GUIDE", ""), ("./src/lead.md", "0012"), ("src/lead.md", "12")]
    occurrences += [(f"source_articles/2022-06-{day:02d}.md", str(day * 7)) for day in range(1, 12)]
    written = write_and_judge(make_catalog(polib.POEntry(msgid="Kyiv", occurrences=occurrences)), tmp_path)
    reference_lines = [line for line in written.splitlines() if line.startswith("#:")]
    assert len(reference_lines) > 2
    assert all(len(line) <= 79 for line in reference_lines)
    # No line number, no "./", and a repeated reference only once.
    assert reference_lines[0].startswith("#: docs/README docs/GUIDE src/lead.md:12 source_articles/")
    assert written.count("src/lead.md:12") == 1


def test_a_reference_longer_than_the_page_stays_whole(tmp_path: Path) -> None:
    occurrences = [("a.md", "1"), ("very/" * 20 + "deep.md", "2"), ("b.md", "3")]
    written = write_and_judge(make_catalog(polib.POEntry(msgid="x", occurrences=occurrences)), tmp_path)
    assert "#: a.md:1\n#: very/" in written and "deep.md:2\n#: b.md:3\n" in written


def test_flags_are_normalized_like_msgcat(tmp_path: Path) -> None:
    catalog = make_catalog(
        polib.POEntry(msgid="Rate: %d%%", msgstr="Ставка: %d%%", flags=["no-wrap", "c-format", "fuzzy"]),
        polib.POEntry(msgid="%(name)s said", msgstr="%(name)s сказал", flags=["fuzzy, python-format, no-wrap"]),
        polib.POEntry(msgid="Untranslated but fuzzy", flags=["fuzzy", "range: 1..5", "unknown-flag"]),
    )
    written = write_and_judge(catalog, tmp_path)
    assert '#, fuzzy, c-format, no-wrap\nmsgid "Rate: %d%%"' in written
    assert '#, fuzzy, python-format, no-wrap\nmsgid "%(name)s said"' in written
    # An empty msgstr loses "fuzzy"; unknown flags are dropped.
    assert '#, range: 1..5\nmsgid "Untranslated but fuzzy"' in written


def test_no_wrap_flag_keeps_strings_on_one_line(tmp_path: Path) -> None:
    entry = polib.POEntry(msgid=LONG_ENGLISH, msgstr=RUSSIAN, flags=["no-wrap"])
    written = write_and_judge(make_catalog(entry), tmp_path)
    assert f'msgid "{LONG_ENGLISH}"\n' in written


def test_comments_of_every_kind_in_gettext_order(tmp_path: Path) -> None:
    entry = polib.POEntry(
        msgid="Kyiv",
        msgstr="Киев",
        tcomment="Checked by the desk.\n\n  Indented note",
        comment="type: heading\nfront matter: title",
        occurrences=[("article.md", "1")],
        flags=["fuzzy"],
        previous_msgid="Kiev",
    )
    written = write_and_judge(make_catalog(entry), tmp_path)
    expected = (
        "# Checked by the desk.\n#\n#   Indented note\n#. type: heading\n#. front matter: title\n"
        '#: article.md:1\n#, fuzzy\n#| msgid "Kiev"\nmsgid "Kyiv"\nmsgstr "Киев"\n'
    )
    assert expected in written


def test_header_with_header_comment(tmp_path: Path) -> None:
    catalog = make_catalog(
        polib.POEntry(msgid="Kyiv", msgstr="Киев"),
        header="Russian translation of the Kyiv article.\nThis file is distributed under the MIT license.\n",
    )
    catalog.metadata_is_fuzzy = True
    written = write_and_judge(catalog, tmp_path)
    assert written.startswith(
        "# Russian translation of the Kyiv article.\n# This file is distributed under the MIT license.\n#\n"
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Project-Id-Version: localize test\\n"\n'
    )
    assert '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "\n' in written


def test_short_header_stays_on_the_msgstr_line(tmp_path: Path) -> None:
    catalog = make_catalog(metadata={"Content-Type": "text/plain; charset=UTF-8"})
    text = format_po(catalog)
    assert text == 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'
    path = tmp_path / "header.pot"
    path.write_text(text, encoding="utf-8")
    # Without --force-po msgcat writes no file for a catalog without messages.
    assert run_msgcat(path, tmp_path, ["--force-po"]) == text.encode("utf-8")


# --- Page width ----------------------------------------------------------------


@pytest.mark.parametrize("width", [20, 33, 60, 100, 0, -1, 5])
def test_other_page_widths(width: int, tmp_path: Path) -> None:
    occurrences = [(f"articles/{index}.md", str(index)) for index in range(12)]
    catalog = make_catalog(
        *(polib.POEntry(msgid=text, msgstr=text, occurrences=occurrences) for text in (LONG_ENGLISH, JAPANESE, MARKDOWN))
    )
    written = write_and_judge(catalog, tmp_path, width=width)
    if width <= 0:
        assert f'msgid "{LONG_ENGLISH}"' in written


def test_without_string_wrapping_references_still_wrap(tmp_path: Path) -> None:
    occurrences = [(f"articles/{index}.md", str(index)) for index in range(20)]
    catalog = make_catalog(polib.POEntry(msgid=LONG_ENGLISH, msgstr=RUSSIAN, occurrences=occurrences))
    written = write_and_judge(catalog, tmp_path, wrap=False)
    assert f'msgid "{LONG_ENGLISH}"' in written
    assert all(len(line) <= 79 for line in written.splitlines() if line.startswith("#:"))


# --- Format directives gettext keeps unbroken ----------------------------------


@pytest.mark.parametrize(
    ("flag", "directive"),
    [
        ("python-format", "%(user name)s"),
        ("python-format", "% d"),
        ("python-brace-format", "{user.name}"),
        ("python-brace-format", "{value!r}"),
        ("c-format", "%-s"),
        ("c-format", "% d"),
        ("c-format", "%  m"),
    ],
)
def test_format_directives_near_the_line_end(flag: str, directive: str, tmp_path: Path) -> None:
    # Slide the directive across the wrapping column so that, somewhere, a
    # break opportunity inside it is the last one that fits.
    entries = []
    for padding in range(55, 80):
        text = "x" * padding + " " + directive + " and the rest of the sentence"
        entries.append(polib.POEntry(msgid=text, msgstr=text, flags=[flag]))
    # gettext 0.21 does not know "!r" conversions, so msgfmt would reject that one.
    write_and_judge(make_catalog(*entries), tmp_path, msgfmt="!" not in directive)


def test_python_brace_directives_are_protected_with_gettexts_offsets(tmp_path: Path) -> None:
    # gettext 0.21 records brace directives relative to the directive, so the
    # protected stretch sits at the start of the string, counted in bytes.
    text = "日本語\u2028日本語 " + "word " * 12 + "{user.name} and {value} " + "end " * 10
    write_and_judge(make_catalog(polib.POEntry(msgid=text, msgstr=text, flags=["python-brace-format"])), tmp_path)


# --- Real catalogs -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    sorted([*REPOSITORY.glob("locales/**/*.po"), *REPOSITORY.glob("locales/**/*.pot")]),
    ids=lambda path: str(path.relative_to(REPOSITORY)),
)
def test_repository_catalogs_come_out_as_msgcat_writes_them(path: Path, tmp_path: Path) -> None:
    expected = run_msgcat(path, tmp_path)
    assert format_po(polib.pofile(str(path))).encode("utf-8") == expected


# --- Any catalog -----------------------------------------------------------------

WORDS = [
    "Kyiv", "missiles", "analyst", "Belarus", "well-known", "state-of-the-art", "e.g.", "6.20", "a.m.",
    "1,000", "50%", "$5", "(approx.)", "[link](https://example.com/a-long/path_with-hyphens?x=1&y=2)",
    "**bold**", "—", "–", "…", "«цитата»", "“quote”", "„Zitat“", "ракеты", "Київ", "війну", "Беларусь",
    "日本語の文章です", "キエフ", "中文测试句子", "，", "。", "、", "「引用」", "مرحبا", "שלום", "🇺🇦", "👍🏽",
    "and/or", "C++", "#hashtag", "x" * 85, "https://example.com/" + "segment/" * 12, "\\", '"', "'",
]
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,;:!?-–—()[]{}/\\\"'%$#@*_"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЕЖЯіїєґ日本語文章東京中国人、。「」ーカタカナ \t\n"
)
SEPARATORS = [" ", " ", " ", "", "  ", "\n", ", ", ". ", "\t"]

texts = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(alphabet=ALPHABET, max_size=12), st.sampled_from(SEPARATORS)),
    max_size=40,
).map("".join)
references = st.lists(
    st.tuples(
        st.sampled_from(["src/a.py", "./docs/guide.md", "source_articles/2022-06-27-kyiv.md", "статьи/киев.md", "README"]),
        st.one_of(st.none(), st.just(""), st.integers(min_value=0, max_value=99999).map(str)),
    ),
    max_size=10,
)


def like_newlines(text: str, model: str) -> str:
    """``text`` with the leading and trailing newlines of ``model``, as msgfmt --check demands."""
    if not text:
        return text
    core = text.strip("\n") or "x"
    return ("\n" if model.startswith("\n") else "") + core + ("\n" if model.endswith("\n") else "")


@st.composite
def entries(draw: st.DrawFn, index: int) -> polib.POEntry:
    msgid = draw(texts) or f"entry {index}"
    entry = polib.POEntry(
        msgid=msgid,
        msgctxt=draw(st.one_of(st.none(), texts)),
        tcomment=draw(st.sampled_from(["", "Translator note", "Two lines\nof notes", "First\n\nthird", " indented"])),
        comment=draw(st.sampled_from(["", "type: paragraph", "front matter: title\nsecond"])),
        occurrences=draw(references),
        flags=draw(st.lists(st.sampled_from(["fuzzy", "no-wrap", "wrap", "unknown"]), max_size=2, unique=True)),
        # The first entry is live: msgcat writes no file for a catalog without messages.
        obsolete=index > 0 and draw(st.booleans()) and draw(st.booleans()),
    )
    if draw(st.booleans()):
        entry.previous_msgid = draw(texts)
    if draw(st.integers(0, 4)) == 0:
        entry.msgid_plural = like_newlines(draw(texts) or "plural", msgid)
        # msgfmt --check compares every form with the msgid once one is translated.
        translated = draw(st.booleans())
        entry.msgstr_plural = {
            form: like_newlines(draw(texts) or "form", msgid) if translated else "" for form in range(3)
        }
    else:
        entry.msgstr = like_newlines(draw(texts), msgid)
    return entry


@st.composite
def catalogs(draw: st.DrawFn) -> polib.POFile:
    catalog = make_catalog(header=draw(st.sampled_from(["", "Article translation.\nSecond line", "One\n\nThree"])))
    catalog.metadata_is_fuzzy = draw(st.booleans())
    seen: set[tuple[str | None, str]] = set()
    for index in range(draw(st.integers(1, 6))):
        entry = draw(entries(index))
        if (entry.msgctxt, entry.msgid) not in seen:
            seen.add((entry.msgctxt, entry.msgid))
            catalog.append(entry)
    return catalog


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(catalog=catalogs(), width=st.sampled_from([79, 79, 79, 40, 0]), wrap=st.booleans())
def test_any_catalog_is_a_msgcat_fixed_point(catalog: polib.POFile, width: int, wrap: bool, tmp_path: Path) -> None:
    write_and_judge(catalog, tmp_path, width=width, wrap=wrap)


@settings(max_examples=200, deadline=None)
@given(first=catalogs(), second=catalogs(), width=st.sampled_from([79, 40, 0]), wrap=st.booleans(),
       same=st.booleans())
def test_write_alike_is_comparing_the_whole_texts(first: polib.POFile, second: polib.POFile, width: int, wrap: bool,
                                                   same: bool) -> None:
    # Half the pairs are one catalog and a copy with its entries' comments or order changed (or none).
    if same:
        second = polib.pofile(str(first))
        if len(second) > 1 and width:
            second[0].tcomment, second[-1].tcomment = second[-1].tcomment, second[0].tcomment
    expected = format_po(first, width=width, wrap=wrap) == format_po(second, width=width, wrap=wrap)
    assert write_alike(first, second, width=width, wrap=wrap) == expected


directive_texts = st.lists(
    st.one_of(
        st.sampled_from(["%s", "%d", "%(name)s", "% d", "%-s", "%  m", "%%", "{name}", "{user.name}", "{0:>10}",
                         "{x!r}", "{{", "}}", "{", "%(a b)s", "%1$s", "%<PRId64>"]),
        st.sampled_from(WORDS),
        st.sampled_from(SEPARATORS),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts_and_flags=st.lists(
        st.tuples(directive_texts, st.sampled_from(["python-format", "python-brace-format", "c-format"])),
        min_size=1,
        max_size=6,
        unique_by=lambda pair: pair[0],
    )
)
def test_format_strings_wrap_like_msgcat(texts_and_flags: list[tuple[str, str]], tmp_path: Path) -> None:
    catalog = make_catalog()
    for index, (text, flag) in enumerate(texts_and_flags):
        catalog.append(polib.POEntry(msgid=f"{index} {text}", msgstr=text, flags=[flag]))
    # msgfmt would judge the format strings themselves, which are random here.
    text = format_po(catalog)
    path = tmp_path / "formats.po"
    path.write_bytes(text.encode("utf-8"))
    assert run_msgcat(path, tmp_path) == text.encode("utf-8")


# The fast path of the line breaker (text of one-column letters, digits, ASCII marks and spaces)
# must break where the full UAX #14 rules do, and where msgcat does.
FAST_PATH_ALPHABET = (
    "".join(chr(code) for code in range(0x20, 0x7F)) + "éèàüößçčřžłőñÉÀÜČŘŽΑβγδЖжщЁёїєґ" + " " * 12
)
fast_path_texts = st.text(alphabet=FAST_PATH_ALPHABET, max_size=200)


@settings(max_examples=300, deadline=None)
@given(text=fast_path_texts, width=st.integers(1, 90), start=st.integers(0, 12))
def test_the_fast_path_breaks_where_the_full_rules_do(text: str, width: int, start: int) -> None:
    from localize.po import linebreak

    positions = linebreak.simple_break_positions(text)
    assert positions is not None
    opportunities = linebreak.break_opportunities(text)
    assert positions == [index for index, kind in enumerate(opportunities) if kind == linebreak.MAY_BREAK]
    assert linebreak.simple_line_breaks(positions, len(text), width, start) == linebreak.line_breaks(
        text, opportunities, width, start
    )


# Prose: words and spaces with a mark now and then, which the fast path's shortcuts (no break
# between two characters, none forbidden after a run of spaces) are for.
prose_texts = st.lists(
    st.tuples(
        st.one_of(st.text(alphabet="abcXYZжéß", min_size=1, max_size=8), st.sampled_from(list("()[]{}!?.,;:/-'\"%$+#"))),
        st.sampled_from(["", " ", " ", "  "]),
    ),
    max_size=30,
).map(lambda parts: "".join(token + separator for token, separator in parts))


@settings(max_examples=400, deadline=None)
@given(text=prose_texts)
def test_the_fast_path_finds_the_breaks_of_prose_the_full_rules_find(text: str) -> None:
    from localize.po import linebreak

    positions = linebreak.simple_break_positions(text)
    opportunities = linebreak.break_opportunities(text)
    assert positions == [index for index, kind in enumerate(opportunities) if kind == linebreak.MAY_BREAK]


def test_the_fast_path_leaves_other_scripts_and_marks_to_the_full_rules() -> None:
    from localize.po import linebreak

    for text in ("日本語", "a\u0301", "שלום", "🇺🇦", "a\u00a0b", "a\u200bb", "tab\there"):
        assert linebreak.simple_break_positions(text) is None, text


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(strings=st.lists(fast_path_texts.filter(str.strip), min_size=1, max_size=6, unique=True))
def test_fast_path_strings_wrap_like_msgcat(strings: list[str], tmp_path: Path) -> None:
    catalog = make_catalog()
    for index, text in enumerate(strings):
        catalog.append(polib.POEntry(msgid=f"{index} {text}", msgstr=text[::-1], previous_msgid=text))
    text = format_po(catalog)
    path = tmp_path / "fast.po"
    path.write_bytes(text.encode("utf-8"))
    assert run_msgcat(path, tmp_path) == text.encode("utf-8")
