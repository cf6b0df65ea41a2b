"""How well does `localize import` find the article in a page? trafilatura against a simple extractor of our own.

Each page comes with its reference: the headline and the text blocks of the
element that holds the article (a ``tag.class`` chosen by hand), which is
what an editor would copy. Both extractors are scored on the words they return, as
trafilatura's own evaluation does: precision (how much of the output is
article), recall (how much of the article is in the output), and F1. The
page chrome that must never come through is checked by name.

    .venv/bin/python benchmarks/import_extraction.py [PAGE.html CONTAINER]...

Without arguments it runs on the fixture pages in tests/fixtures/import/.
Extra pages are given as a file and its article container, such as
``saved.html div.article-body``.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import lxml.html
import trafilatura

_WORD = re.compile(r"\w+")
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"
PAGES = [
    ("nv_seed.html", "div.article-content"),
    ("ru_news.utf8.html", "div.post-text"),
    ("uk_hashed.html", "div.b1n2"),
]
CHROME = (
    "Другие новости", "Все новости", "Поделиться", "Комментарии", "Читайте также", "Реклама", "Facebook", "©",
    "Читайте також", "Поширити", "Підписуйтесь", "Популярне", "Усі новини",
)

_CHROME_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "iframe", "noscript", "button")
_CHROME_NAMES = re.compile(
    r"share|social|comment|related|other|sidebar|footer|menu|banner|\bads?\b|advert|cookie|subscribe|tags|breadcrumb|promo",
    re.IGNORECASE,
)


def reference_text(html: str, container: str) -> str:
    """The headline and the text blocks (paragraphs, headings, list items, cells, quotes) of the container."""
    tag, _, name = container.partition(".")
    tree = lxml.html.fromstring(html)
    headline = " ".join(" ".join(h1.itertext()) for h1 in tree.iter("h1"))
    for element in tree.iter(tag):
        if name in (element.get("class") or "").split():
            blocks = element.iter("p", "h2", "h3", "h4", "li", "td", "th")
            return " ".join([headline, *(" ".join(block.itertext()) for block in blocks)])
    raise SystemExit(f"no {container} in the page")


def with_trafilatura(html: str) -> str:
    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def with_own_heuristic(html: str) -> str:
    """Readability in miniature: drop the obvious chrome, keep the element with the most paragraph text."""
    tree = lxml.html.fromstring(html)
    for element in list(tree.iter(*_CHROME_TAGS)):
        element.drop_tree()
    for element in list(tree.iter()):
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element.getparent() is not None and _CHROME_NAMES.search(names):
            element.drop_tree()
    best, best_score = None, 0
    for element in tree.iter():
        score = sum(len(child.text_content()) for child in element if child.tag == "p")
        if score > best_score:
            best, best_score = element, score
    return " ".join(best.text_content().split()) if best is not None else ""


def scores(output: str, reference: str) -> tuple[float, float, float]:
    produced, expected = Counter(_WORD.findall(output.lower())), Counter(_WORD.findall(reference.lower()))
    overlap = sum((produced & expected).values())
    precision = overlap / max(sum(produced.values()), 1)
    recall = overlap / max(sum(expected.values()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main(arguments: list[str]) -> None:
    pages = [(FIXTURES / name, container) for name, container in PAGES]
    pages += [(Path(arguments[i]), arguments[i + 1]) for i in range(0, len(arguments) - 1, 2)]
    extractors: dict[str, Callable[[str], str]] = {"trafilatura": with_trafilatura, "own heuristic": with_own_heuristic}
    print(f"{'page':28} {'extractor':14} {'precision':>9} {'recall':>7} {'F1':>6} {'chrome':>6} {'ms':>6}")
    for path, container in pages:
        html = path.read_text(encoding="utf-8")
        reference = reference_text(html, container)
        for name, extract in extractors.items():
            started = time.perf_counter()
            output = extract(html)
            elapsed = (time.perf_counter() - started) * 1000
            precision, recall, f1 = scores(output, reference)
            leaked = sum(chrome in output for chrome in CHROME)
            print(f"{path.name[:28]:28} {name:14} {precision:9.3f} {recall:7.3f} {f1:6.3f} {leaked:6} {elapsed:6.1f}")
    index = (FIXTURES / "no_article.html").read_text(encoding="utf-8")
    for name, extract in extractors.items():
        print(f"{'no_article.html':28} {name:14} returned {len(extract(index).split())} words (should be refused)")


if __name__ == "__main__":
    main(sys.argv[1:])
