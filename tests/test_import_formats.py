"""`localize import` from files, and the pieces it is built of: Markdown, front matter, dates, slugs, languages."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from localize.cli import cli
from localize.importers.dates import DatePolicy, FoundDate, parse_dateline, parse_iso, settle
from localize.importers.detect import detect_language, page_language
from localize.importers.frontmatter import render_article
from localize.importers.markdown import body_to_markdown, paragraph
from localize.importers.model import ImportedArticle
from localize.importers.slug import make_slug, transliterate
from localize.importers.text import import_text, is_site_string

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SEED_TITLE = "With missiles hitting Kyiv, Russia wants to bring Belarus into war – CIT analyst"
COMMONMARK = MarkdownIt("commonmark").enable("table")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.localize]\nsource_language = "en"\nlanguages = ["ru"]\n', encoding="utf-8")
    return tmp_path


def copy_fixture(name: str, folder: Path) -> Path:
    target = folder / name
    shutil.copy(FIXTURES / name, target)
    return target


def run(project: Path, *args: str):
    return CliRunner().invoke(cli, ["-C", str(project), "import", *args])


def split_article(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    match = re.fullmatch(r"---\n(.*?)\n---\n\n(.*)", text, re.DOTALL)
    assert match, text[:200]
    return yaml.safe_load(match.group(1)), match.group(2)


def seed_paragraphs() -> list[str]:
    blocks = [block.strip() for block in (FIXTURES / "seed.txt").read_text(encoding="utf-8").split("\n\n")]
    return [block for block in blocks if block][2:-2]


# -- the seed as plain text ----------------------------------------------------------------

def test_seed_text_gives_dateline_title_and_paragraphs(project: Path, tmp_path: Path) -> None:
    seed = copy_fixture("seed.txt", tmp_path)
    result = run(project, str(seed), "--year", "2022", "--timezone", "Europe/Kyiv")

    assert result.exit_code == 0, result.output
    assert result.output == "source_articles/2022-06-27-missiles-hitting-kyiv-russia-wants-bring.md\n"
    path = project / "source_articles" / "2022-06-27-missiles-hitting-kyiv-russia-wants-bring.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "---\n"
        f'title: "{SEED_TITLE}"\n'
        "date: 2022-06-27T11:43:00+03:00\n"
        "timezone: Europe/Kyiv\n"
        "language: en\n"
        "---\n\n"
        "The Russian missiles that hit central Kyiv"
    )
    meta, body = split_article(path)
    assert meta["date"] == datetime(2022, 6, 27, 11, 43, tzinfo=timezone(timedelta(hours=3)))
    assert body.endswith("killed in the attack.\n") and not body.endswith("\n\n")
    assert body[:-1].split("\n\n") == seed_paragraphs()
    assert "Другие новости" not in text and "Все новости" not in text


def test_dateline_without_year_takes_the_latest_past_day_and_says_so(project: Path, tmp_path: Path) -> None:
    seed = copy_fixture("seed.txt", tmp_path)
    result = run(project, str(seed))

    assert result.exit_code == 0, result.output
    today = date.today()
    year = today.year if (6, 27) <= (today.month, today.day) else today.year - 1
    assert f"Note: the dateline has no year: took {year}" in result.output
    assert "Note: the time 11:43 has no zone and was left out (give one with --timezone)" in result.output
    meta, _ = split_article(project / "source_articles" / f"{year}-06-27-missiles-hitting-kyiv-russia-wants-bring.md")
    assert meta["date"] == date(year, 6, 27)


def test_html_file_import(project: Path, tmp_path: Path) -> None:
    page = copy_fixture("nv_seed.html", tmp_path)
    result = run(project, str(page), "--slug", "2022-06-27-kyiv-missiles-belarus")

    assert result.exit_code == 0, result.output
    meta, body = split_article(project / "source_articles" / "2022-06-27-kyiv-missiles-belarus.md")
    assert meta["source_url"].startswith("https://english.nv.ua/nation/")  # the page's canonical URL
    assert body[:-1].split("\n\n") == seed_paragraphs()


def test_page_with_generated_class_names(tmp_path: Path) -> None:
    # Class names like "b1n2" say nothing: the chrome is told apart by its shape alone.
    (tmp_path / "pyproject.toml").write_text('[tool.localize]\nsource_language = "uk"\n', encoding="utf-8")
    page = copy_fixture("uk_hashed.html", tmp_path)
    result = run(tmp_path, str(page))

    assert result.output == "source_articles/2023-09-14-u-lvovi-vidkryly-novyi-mist-cherez.md\n"
    meta, body = split_article(tmp_path / "source_articles" / "2023-09-14-u-lvovi-vidkryly-novyi-mist-cherez.md")
    assert meta == {
        "title": "У Львові відкрили новий міст через залізницю",
        "date": datetime(2023, 9, 14, 16, 5, tzinfo=timezone(timedelta(hours=3))),
        "author": "Марта Гнатів",
        "source": "Новини Заходу",
        "language": "uk",
    }
    assert len(body.split("\n\n")) == 5
    for chrome in ("Читайте також", "Поширити", "Підписуйтесь", "Популярне", "Усі новини", "#Львів", "©"):
        assert chrome not in body


def test_existing_article_is_kept_without_force(project: Path, tmp_path: Path) -> None:
    seed = copy_fixture("seed.txt", tmp_path)
    args = [str(seed), "--year", "2022", "--slug", "seed"]
    assert run(project, *args).exit_code == 0
    target = project / "source_articles" / "seed.md"
    target.write_text("edited by hand\n", encoding="utf-8")

    refused = run(project, *args)
    assert refused.exit_code == 1
    assert refused.output == "Error: source_articles/seed.md already exists: pass --force to replace it, or --slug to name another\n"
    assert target.read_text(encoding="utf-8") == "edited by hand\n"

    assert run(project, *args, "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: ")


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("Just a headline\n", [], "no article found: expected a headline and at least one paragraph"),
        ("", [], "no article found"),
        ("x " * 200 + "\n\nA paragraph.\n", [], "too long for a headline"),
        ("\n\nДругие новости\n\nВсе новости\n", [], "no article found"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", [], "binary file"),
        ("Title\n\nA paragraph of text.\n", ["--slug", "../escape"], "invalid slug '../escape'"),
        ("Title\n\nA paragraph of text.\n", ["--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    ],
)
def test_bad_file_is_one_line_error(project: Path, tmp_path: Path, content: str | bytes, args: list[str], message: str) -> None:
    source = tmp_path / "input.txt"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        source.write_text(content, encoding="utf-8")
    result = run(project, str(source), *args)

    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert not (project / "source_articles").exists()


def test_page_without_article_names_the_file(project: Path, tmp_path: Path) -> None:
    page = copy_fixture("no_article.html", tmp_path)
    result = run(project, str(page), "--language", "en")

    assert result.exit_code == 1
    assert result.output == f"Error: {page}: no article found: the page has no article text, only links and short lines\n"


def test_missing_file(project: Path) -> None:
    result = run(project, "no-such-article.html")

    assert result.exit_code == 1
    assert result.output == "Error: no such file: no-such-article.html (a URL starts with http:// or https://)\n"


# -- Markdown: what CommonMark reads back is the text ---------------------------------------

def rendered_blocks(markdown: str) -> list[tuple[str, str]]:
    """(block type, plain text) for each leaf block CommonMark parses from ``markdown``."""
    tokens = COMMONMARK.parse(markdown)
    blocks: list[tuple[str, str]] = []
    open_types: list[str] = []
    for token in tokens:
        if token.nesting == 1:
            open_types.append(token.type.removesuffix("_open"))
        elif token.nesting == -1:
            open_types.pop()
        elif token.type == "inline":
            blocks.append(("/".join(open_types), inline_text(token.children or [])))
        elif token.type in ("fence", "code_block", "hr", "html_block"):
            blocks.append((token.type, token.content))
    return blocks


def inline_text(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(inline_text(child.children or []))
        elif child.type == "html_inline":
            parts.append(f"<RAW {child.content}>")
    return "".join(parts)


text_without_controls = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn")), min_size=1
).filter(lambda text: text.strip() != "")


@settings(max_examples=300, deadline=None)
@given(text_without_controls)
def test_escaped_paragraph_reads_back_as_its_text(text: str) -> None:
    expected = " ".join(text.split())
    blocks = rendered_blocks(paragraph(text))
    assert blocks == [("paragraph", expected)]


def element(tag: str, text: str | None = None, tail: str | None = None, children=(), **attributes: str) -> ET.Element:
    node = ET.Element(tag, attributes)
    node.text, node.tail = text, tail
    node.extend(children)
    return node


def test_structures_read_back_as_their_blocks() -> None:
    tricky = "1. Not a list, # not a heading, *not emphasis*, [not a link], <b>not html</b>, a | b, &amp; 100%"
    body = element("body", children=[
        element("head", "The title", rend="h1"),
        element("p", tricky),
        element("head", "Section: 2.", rend="h2"),
        element("p", "Read ", children=[
            element("ref", "the [full] report", tail=" and see ", target="https://example.org/a (b).html"),
            element("graphic", tail=".", src="https://example.org/x.jpg", alt="A *chart*"),
        ]),
        element("list", rend="ol", children=[
            element("item", "- first"),
            element("item", "second", children=[element("list", rend="ul", children=[element("item", "# nested")])]),
        ]),
        element("quote", children=[element("p", "> quoted"), element("p", "second line", children=[element("lb", tail="after break")])]),
        element("table", children=[
            element("row", children=[element("cell", "Name", role="head"), element("cell", "Value | unit", role="head")]),
            element("row", children=[element("cell", "a*b"), element("cell", "1")]),
            element("row", children=[element("cell", "short row")]),
        ]),
    ])
    markdown = body_to_markdown(body, drop_heading="The title")

    assert not markdown.startswith("# The title")
    assert rendered_blocks(markdown) == [
        ("paragraph", tricky),
        ("heading", "Section: 2."),
        ("paragraph", "Read the [full] report and see A *chart*."),
        ("ordered_list/list_item/paragraph", "- first"),
        ("ordered_list/list_item/paragraph", "second"),
        ("ordered_list/list_item/bullet_list/list_item/paragraph", "# nested"),
        ("blockquote/paragraph", "> quoted"),
        ("blockquote/paragraph", "second line\nafter break"),
        ("table/thead/tr/th", "Name"),
        ("table/thead/tr/th", "Value | unit"),
        ("table/tbody/tr/td", "a*b"),
        ("table/tbody/tr/td", "1"),
        ("table/tbody/tr/td", "short row"),
        ("table/tbody/tr/td", ""),
    ]
    link = next(t for t in COMMONMARK.parse(markdown)[7].children if t.type == "link_open")
    assert link.attrs["href"] == "https://example.org/a%20(b).html"


# -- front matter --------------------------------------------------------------------------

@pytest.mark.parametrize(
    "value",
    ['He said "no"', "back\\slash", "yes", "- dash", "key: value", "# hash", "line\nbreak", "тест 😀", "\u2028", "@at", "'single'"],
)
def test_front_matter_strings_load_back(value: str) -> None:
    article = ImportedArticle(title=value, body_markdown="Body.", author=value, site=value, url=value, language=value, timezone=value)
    text = render_article(article)
    front = yaml.safe_load(text.split("---\n")[1])

    assert front == {"title": value, "author": value, "source": value, "source_url": value, "language": value, "timezone": value}


def test_front_matter_keys_in_agreed_order() -> None:
    article = ImportedArticle(
        title="T", body_markdown="B", date=date(2022, 6, 27), timezone="Europe/Kyiv", author="A", site="NV",
        url="https://english.nv.ua/nation/x.html?a=1&b=2", language="en",
    )
    assert render_article(article) == (
        '---\ntitle: "T"\ndate: 2022-06-27\ntimezone: Europe/Kyiv\nauthor: "A"\nsource: NV\n'
        "source_url: https://english.nv.ua/nation/x.html?a=1&b=2\nlanguage: en\n---\n\nB\n"
    )


# -- dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("27 June, 11:43 AM", FoundDate(month=6, day=27, time=datetime(1, 1, 1, 11, 43).time())),
        ("27 June 2022, 11:43 PM", FoundDate(month=6, day=27, year=2022, time=datetime(1, 1, 1, 23, 43).time())),
        ("June 27, 2022", FoundDate(month=6, day=27, year=2022)),
        ("Monday, 27 June 2022", FoundDate(month=6, day=27, year=2022)),
        ("27.06.2022 11:43", FoundDate(month=6, day=27, year=2022, time=datetime(1, 1, 1, 11, 43).time())),
        ("27 июня 2022 г., 11:43", FoundDate(month=6, day=27, year=2022, time=datetime(1, 1, 1, 11, 43).time())),
        ("11:43, 27 червня 2022", FoundDate(month=6, day=27, year=2022, time=datetime(1, 1, 1, 11, 43).time())),
        ("2022-06-27", FoundDate(month=6, day=27, year=2022)),
    ],
)
def test_datelines(line: str, found: FoundDate) -> None:
    assert parse_dateline(line) == found


@pytest.mark.parametrize("line", ["27 June: Russia strikes Kyiv", SEED_TITLE, "Все новости", "32.13.2022", ""])
def test_not_datelines(line: str) -> None:
    assert parse_dateline(line) is None


def test_settle_dates() -> None:
    dateline = FoundDate(month=6, day=27, time=datetime(1, 1, 1, 11, 43).time())
    kyiv = settle(dateline, DatePolicy(today=date(2023, 1, 10), zone="Europe/Kyiv"))
    assert kyiv.value.isoformat() == "2022-06-27T11:43:00+03:00" and kyiv.timezone == "Europe/Kyiv"
    assert settle(dateline, DatePolicy(today=date(2023, 7, 1), year=2021)).value == date(2021, 6, 27)
    aware = parse_iso("2022-06-27T08:43:00Z")
    assert settle(aware, DatePolicy(today=date(2023, 1, 1))).value.isoformat() == "2022-06-27T08:43:00+00:00"
    assert settle(aware, DatePolicy(today=date(2023, 1, 1), zone="Europe/Kyiv")).value.isoformat() == "2022-06-27T11:43:00+03:00"


# -- slugs, languages, text shape ----------------------------------------------------------

@pytest.mark.parametrize(
    ("title", "language", "slug"),
    [
        (SEED_TITLE, "en", "2022-06-27-missiles-hitting-kyiv-russia-wants-bring"),
        ("Ракети над Києвом: Росія хоче втягнути Білорусь у війну", "uk", "2022-06-27-rakety-nad-kyievom-rosiia-khoche-vtiahnuty"),
        ("Щёлковский завод объявил о ремонте", "ru", "2022-06-27-shchelkovskiy-zavod-obyavil-o-remonte"),
        ("Ça coûte 5 € à Zürich", "fr", "2022-06-27-ca-coute-5-a-zurich"),
        ("ალბათ", "ka", "2022-06-27"),
    ],
)
def test_slugs(title: str, language: str, slug: str) -> None:
    assert make_slug(title, day=date(2022, 6, 27), language=language) == slug


def test_transliteration_of_ukrainian_word_starts() -> None:
    assert transliterate("Київ Ялта Євген Їжакевич", language="uk") == "kyiv yalta yevhen yizhakevych"
    assert make_slug("ალბათ", day=None, language=None) == "article"


def test_language_guesses() -> None:
    paragraphs = seed_paragraphs()
    assert detect_language(" ".join(paragraphs)) == "en"
    assert detect_language("Станции были закрыты почти четыре месяца: за это время на них заменили эскалаторы.") == "ru"
    assert detect_language("Станції були закриті майже чотири місяці: за цей час на них замінили ескалатори.") == "uk"
    assert detect_language("Die Bahn hat die Strecke nach dem Unwetter wieder freigegeben und der Verkehr läuft.") == "de"
    assert detect_language("Short.") is None
    # A Russian-language site frame declares "ru"; the article itself is English.
    assert page_language("ru-RU", paragraphs[0]) == "en"
    assert page_language("en-GB", paragraphs[0]) == "en"


def test_site_strings_and_wrapped_paragraphs() -> None:
    assert is_site_string("Другие новости") and is_site_string("Все новости") and is_site_string("Read more")
    assert not is_site_string("He said so.")
    text = "Headline here\n\nA paragraph wrapped\nover two lines.\n\nSecond paragraph.\n\nOther news\n"
    imported = import_text(text, url=None, dates=DatePolicy(today=date(2023, 1, 1)))
    assert imported.article.title == "Headline here"
    assert imported.article.body_markdown == "A paragraph wrapped over two lines.\n\nSecond paragraph."
    assert imported.article.date is None


def test_chinese_text_keeps_its_short_last_paragraph_and_drops_site_strings(tmp_path: Path) -> None:
    """A Chinese paragraph has no spaces: its words are counted in characters, and "。" ends it."""
    (tmp_path / "pyproject.toml").write_text('[tool.localize]\nsource_language = "zh"\nlanguages = ["en"]\n',
                                             encoding="utf-8")
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(
        "杭州亚运村今起向市民开放\n\n"
        "记者从杭州市有关部门获悉，杭州亚运村从今天起正式向市民开放，市民可通过线上预约参观。\n\n"
        "本周末名额已约满。\n\n"
        "更多新闻\n\n返回首页\n",
        encoding="utf-8",
    )
    result = run(tmp_path, str(pasted), "--slug", "hangzhou-asian-games-village")
    assert result.exit_code == 0, result.output
    meta, body = split_article(tmp_path / "source_articles" / "hangzhou-asian-games-village.md")
    assert meta["title"] == "杭州亚运村今起向市民开放"
    assert body.rstrip("\n").split("\n\n") == [
        "记者从杭州市有关部门获悉，杭州亚运村从今天起正式向市民开放，市民可通过线上预约参观。",
        "本周末名额已约满。",
    ]
