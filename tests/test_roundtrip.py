"""The property that defines a correct merge.

With an empty catalog, or one that translates every segment to itself, merge
gives back the source byte for byte; with a pseudo-translation the merged
article renders to the same HTML element structure as the source.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localize.splice import merge_document
from localize.model import Article, Document
from localize.segment import segment_article
from localize.segment.frontmatter import split_front_matter
from tests.pseudo import html_structure, pseudo_translate

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.md"))
KEYS = ("title", "summary", "description", "tags")


def segment(text: str) -> Document:
    return segment_article(Article("case", Path("case.md"), text), front_matter_keys=KEYS)


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def body_of(text: str) -> str:
    block = split_front_matter(text, path=Path("case.md"))
    return text[block.end:] if block else text


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: path.name)
def test_empty_catalog_gives_back_the_source(path: Path):
    text = read(path)
    assert merge_document(segment(text), {}).text == text


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: path.name)
def test_identity_translation_gives_back_the_source(path: Path):
    text = read(path)
    document = segment(text)
    assert document.segments, "every golden case has something to translate"
    merged = merge_document(document, {item.text: item.text for item in document.segments})
    assert merged.text == text
    assert merged.translated == merged.segments


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: path.name)
def test_pseudo_translation_keeps_the_structure(path: Path):
    text = read(path)
    document = segment(text)
    translations = {item.text: pseudo_translate(item.text) for item in document.segments}
    merged = merge_document(document, translations).text
    assert merged != text
    assert html_structure(body_of(merged)) == html_structure(body_of(text))
    # Every translation is found again where its segment was.
    again = segment(merged)
    assert [item.text for item in again.segments] == [translations[item.text] for item in document.segments]


@pytest.mark.parametrize("path", [path for path in GOLDEN if path.name.startswith("frontmatter")], ids=lambda p: p.name)
def test_front_matter_keeps_everything_but_the_translated_values(path: Path):
    text = read(path)
    document = segment(text)
    merged = merge_document(document, {item.text: pseudo_translate(item.text) for item in document.segments}).text
    block, merged_block = split_front_matter(text, path=path), split_front_matter(merged, path=path)
    assert text[: block.content_start] == merged[: merged_block.content_start]
    untouched_lines = [line for line in text[block.content_start:block.content_end].splitlines()
                       if not any(line.lstrip().startswith(key) for key in KEYS) and line.startswith(("#", "date", "author", "draft"))]
    for line in untouched_lines:
        assert line in merged



TRICKY_FRONT_MATTER = [
    '---\ntitle: "Ракета \\"влучила\\" 🚀"\r\nsummary: >\r\n  Folded\r\n  over lines.\r\ntags: [війна, "Київ"]\r\n---\r\nBody.\r\n',
    "---\ntitle: 'It''s here'\ndescription: |\n  A literal\n    block\ntags:\n  - 日本\n  - ''\ndate: 2022-13-45\n---\n",
    "---\n# comment\ntitle: plain, with a comma #not a comment\nsummary: \"\\u00e9\\x41\\/\"\n...\nBody\n",
]


@pytest.mark.parametrize("text", [read(path) for path in GOLDEN if read(path).startswith("---")] + TRICKY_FRONT_MATTER)
def test_libyaml_and_the_python_parser_find_the_same_segments(text: str, monkeypatch):
    """libyaml reads front matter where PyYAML has it; the Python parser is the reference."""
    from localize.segment import frontmatter

    fast = segment(text).segments
    monkeypatch.setattr(frontmatter, "_CLoader", None)
    assert fast == segment(text).segments


def test_a_tab_inside_a_plain_value_is_read_as_jekyll_and_hugo_read_it():
    document = segment("---\ntitle: Kyiv\tat night\n---\nBody.\n")
    assert [item.text for item in document.segments][:1] == ["Kyiv\tat night"]


# -- generated documents ---------------------------------------------------------------------

WORDS = st.sampled_from(
    ["Kyiv", "missile", "the", "war", "Київ", "ракета", "analyst", "said", "2022", "news", "a", "B", "日本", "NV"]
)
INLINE_MARKUP = st.sampled_from(
    ["*{}*", "**{}**", "_{}_", "~~{}~~", "`{}`", "[{}](https://example.com/x)", "![{}](i.png)",
     "<span>{}</span>", "{}[^1]", "&amp; {}", "\\*{}", "{}  \n{}", "{}\n{}", "[{}][ref]"]
)


@st.composite
def inline_text(draw) -> str:
    words = draw(st.lists(WORDS, min_size=1, max_size=8))
    pieces = []
    for word in words:
        if draw(st.booleans()):
            template = draw(INLINE_MARKUP)
            pieces.append(template.format(word, word))
        else:
            pieces.append(word)
    return " ".join(pieces).replace("\n ", "\n")


@st.composite
def block(draw, depth: int = 0) -> list[str]:
    choices = ["paragraph", "heading", "setext", "code", "fence", "html", "table", "rule"]
    if depth < 2:
        choices += ["bullets", "ordered", "quote"]
    kind = draw(st.sampled_from(choices))
    if kind == "paragraph":
        return draw(inline_text()).split("\n")
    if kind == "heading":
        return ["#" * draw(st.integers(1, 6)) + " " + draw(inline_text()).replace("\n", " ")]
    if kind == "setext":
        return [draw(inline_text()).replace("\n", " ").replace("  ", " "), draw(st.sampled_from(["===", "---"]))]
    if kind == "code":
        return ["    code " + draw(WORDS)]
    if kind == "fence":
        return ["```", draw(WORDS), "```"]
    if kind == "html":
        return ["<div>", draw(WORDS), "</div>"]
    if kind == "rule":
        return ["***"]
    if kind == "table":
        cells = draw(st.lists(WORDS, min_size=2, max_size=3))
        return ["| " + " | ".join(cells) + " |", "|" + "---|" * len(cells), "| " + " | ".join(reversed(cells)) + " |"]
    children = draw(st.lists(block(depth + 1), min_size=1, max_size=3))
    lines: list[str] = []
    if kind == "quote":
        for child in children:
            if lines:
                lines.append(">")
            lines.extend(("> " + line).rstrip() if line else ">" for line in child)
        return lines
    for number, child in enumerate(children, start=1):
        marker = "- " if kind == "bullets" else f"{number}. "
        lines.append(marker + child[0])
        lines.extend((" " * len(marker) + line) if line else "" for line in child[1:])
    return lines


@st.composite
def document_text(draw) -> str:
    blocks = draw(st.lists(block(), min_size=1, max_size=6))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    front = ""
    if draw(st.booleans()):
        front = ending.join(["---", f"title: {draw(inline_text()).splitlines()[0]!r}", "date: 2022-06-27", "---", ""])
    text = ending.join(ending.join(lines) + ending for lines in blocks)
    text += ending + "[ref]: https://example.com/ref" + ending + ending + "[^1]: A note." + ending
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return front + text


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(document_text())
def test_generated_documents_round_trip(text: str):
    document = segment(text)
    assert merge_document(document, {}).text == text
    assert merge_document(document, {item.text: item.text for item in document.segments}).text == text
    translations = {item.text: pseudo_translate(item.text) for item in document.segments}
    merged = merge_document(document, translations).text
    assert html_structure(body_of(merged)) == html_structure(body_of(text))
    if split_front_matter(text, path=Path("x")):
        assert isinstance(yaml.safe_load(merged.split("---")[1]), dict)


@given(st.lists(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=5)
    | st.sampled_from(list("*_`[]()<>!#>-+|\\\n\r\t ") + ["\r\n", "    ", "---", "```", "1. ", "> ", "| a |", "|-|"]),
    max_size=80,
).map("".join))
def test_any_text_segments_into_ordered_regions(text: str):
    """Whatever the input, segments are disjoint regions in order, and merging an empty catalog is identity."""
    try:
        document = segment(text)
    except Exception as error:  # front matter that does not parse is a user error, not a crash
        from localize.errors import SourceError

        assert isinstance(error, SourceError)
        return
    previous_end = 0
    for item in document.segments:
        assert previous_end <= item.start <= item.end <= len(text)
        previous_end = item.end
    assert merge_document(document, {}).text == text
    assert merge_document(document, {item.text: item.text for item in document.segments}).text == text


# -- constructs found wanting: each with the msgids it must give ----------------------------------

EDGE_CASES = {
    # markdown-it trims a heading, a paragraph and a table cell of no-break spaces too.
    "heading-after-no-break-space": ("# \u00a0Kyiv said\n", ["Kyiv said"]),
    "paragraph-ending-in-no-break-space": ("The war\u00a0\n", ["The war"]),
    "table-cells-with-no-break-spaces": (
        "| \u00a0Kyiv | war\u00a0|\n| - | - |\n| a | b |\n", ["Kyiv", "war", "a", "b"]
    ),
    # A table row on a line that opens several containers starts after all of them.
    "table-in-quote-in-list": ("- > | Kyiv | war |\n  > | - | - |\n  > | a | b |\n", ["Kyiv", "war", "a", "b"]),
    "table-in-list-in-list": ("1. - | Kyiv | war |\n     | - | - |\n", ["Kyiv", "war"]),
    "table-in-list-in-quote-after-tab": ("> 1. >\t| Kyiv | war |\n>    >\t| - | - |\n", ["Kyiv", "war"]),
    "table-row-like-a-footnote-label": ("| a | b |\n| - | - |\n[^x]: c | d\n", ["a", "b", "[^x]: c", "d"]),
    # A footnote defined before it is referred to comes first in the source, and in the document.
    "footnote-before-its-reference": ("[^1]: The note.\n\nKyiv said[^1] today.\n", ["The note.", "Kyiv said[^1] today."]),
    # The footnote plugin leaves closes without opens for a footnote defined inside itself.
    "footnote-defined-inside-itself": ("\n[^1]: 1. [^1]: Kyiv\n", []),
    "table-in-footnote": ("[^1]: | Kyiv | war |\n    | - | - |\n\nx[^1]\n", ["Kyiv", "war", "x[^1]"]),
    # Trimming a paragraph removes lines of no-break spaces at its start from its content.
    "paragraph-after-a-line-of-no-break-space": ("\u00a0\nKyiv said\n", ["Kyiv said"]),
    "list-item-after-a-line-of-no-break-space": ("- \u00a0\n  Kyiv said\n", ["Kyiv said"]),
    # An image's alt text, like any inline text, may run over several lines.
    "image-alt-over-two-lines": ("![Kyiv\nat night](a.png)\n", ["Kyiv at night"]),
    "linked-image-alt-in-quote": ("> [![Kyiv\n> at night](a.png)](x)\n", ["Kyiv at night"]),
    "image-alt-after-a-line-break": ("![\nKyiv](a.png)\n", ["Kyiv"]),
    # No link: a destination in pointy brackets holds no line ending, but may hold a space.
    "line-break-in-pointy-destination": ("Kyiv [said](<a\nb>) today\n", ["Kyiv [said](<a\nb>) today"]),
    "line-break-in-pointy-destination-in-quote": ("> Kyiv [said](<a\n> b>)\n", ["Kyiv [said](<a\nb>)"]),
    # After a hard line break, a line indented four columns continues the paragraph; at the
    # container's own indentation it would start a list, a fence, a footnote, a block quote.
    "hard-break-before-a-list-marker": ("Kyiv said\\\n    + war\n", ["Kyiv said\\\n+ war"]),
    "hard-break-on-a-third-line-before-a-list-marker": ("Kyiv\nsaid  \n    + war\n", ["Kyiv said  \n+ war"]),
    "hard-break-before-a-fence-in-quote": ("> Kyiv said  \n>     ```war\n", ["Kyiv said  \n```war"]),
    "hard-break-before-a-footnote-label": (
        "Kyiv said  \n\t[^1]: war[^1]\n\n[^1]: Note.\n", ["Kyiv said  \n[^1]: war[^1]", "Note."]
    ),
    "hard-break-before-a-lazy-marker": ("> Kyiv said  \n    - war\n", ["Kyiv said  \n- war"]),
    "hard-break-before-a-marker-in-list": ("- Kyiv said  \n      - war\n", ["Kyiv said  \n- war"]),
    # After '>' with no space the next lines' indentation counts from after the space they have.
    "hard-break-in-list-in-quote-without-space": (">1.  Kyiv said\\\n=\n", ["Kyiv said\\\n="]),
    "hard-break-before-a-footnote-label-in-quote-without-space": (
        ">Kyiv  \n   [^1]: war\n", ["Kyiv  \n[^1]: war"]
    ),
    # markdown-it lets a backslash escape a line ending in a destination: no indentation there.
    "escaped-line-break-in-a-destination": ("Kyiv ![war](a\\\n^)\n", ["Kyiv ![war](a\\\n^)"]),
    "escaped-line-break-in-a-destination-before-a-hash": ("Kyiv ![war](a\\\n#)\n", ["Kyiv ![war](a\\\n#)"]),
    # Tabs after nested containers' markers count as markdown-it counts them: the lines after keep
    # the second line's prefix, lazy as it is here.
    "hard-break-in-containers-opened-with-tabs": (
        ">\t> -\t> 1. > Kyiv  \n>\t>\t  > said\n", ["Kyiv  \nsaid"]
    ),
    # Joined onto the line above '---', a pipe would make a table of a setext heading.
    "setext-heading-with-a-pipe": ("| Kyiv\nsaid\n---\n", ["| Kyiv\nsaid"]),
    # A '>' in a footnote's label is no block-quote marker for the lines after.
    "footnote-label-with-a-greater-than-sign": ("[^>]: Kyiv  \nsaid\n\nx[^>]\n", ["Kyiv  \nsaid", "x[^>]"]),
    # A paragraph whose content starts on a continuation line keeps its lines apart:
    # joined, '1.' and the next line would be a list item interrupting the paragraph.
    "content-after-a-line-of-no-break-space": ("\u00a0\n1. \nKyiv said\n", ["1.\nKyiv said"]),
}


@pytest.mark.parametrize("text, msgids", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_edge_cases_round_trip(text: str, msgids: list[str]):
    for source in (text, text.replace("\n", "\r\n")):
        document = segment(source)
        assert [item.text for item in document.segments] == msgids
        assert merge_document(document, {}).text == source
        assert merge_document(document, {item.text: item.text for item in document.segments}).text == source
        translations = {item.text: pseudo_translate(item.text) for item in document.segments}
        merged = merge_document(document, translations).text
        assert html_structure(merged) == html_structure(source)
        assert [item.text for item in segment(merged).segments] == [translations[item] for item in msgids]
