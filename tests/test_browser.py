"""The pages as a reader sees them: rendered by headless Chromium (Debian's ``chromium``).

Chromium loads each page from a server on 127.0.0.1 inside an iframe of a
harness page, which reads what a reader would: the visible text, ``lang``
and ``dir``, and where every link goes. Without Chromium these tests skip,
except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.test_pages_helpers import ARABIC_MINUTES, ARABIC_UI, SAMPLE_SLUG, translate, translate_ui

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
)
# A page that opens each page in an iframe as wide as a phone and writes, as JSON, what a report
# (the body of a JavaScript function of the page's ``doc``, ``win`` and ``main``) finds in each.
HARNESS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>harness</title></head><body><pre id="out"></pre>
<script>
const pages = PAGES;
const results = {};
let pending = pages.length;
for (const url of pages) {
  const frame = document.createElement("iframe");
  frame.style.width = "412px";
  frame.style.height = "915px";
  frame.onload = () => {
    const doc = frame.contentDocument, win = frame.contentWindow, main = doc.querySelector("main");
    results[url] = (() => { REPORT })();
    if (--pending === 0) document.getElementById("out").textContent = JSON.stringify(results);
  };
  frame.src = url;
  document.body.appendChild(frame);
}
</script></body></html>
"""
# What a reader sees of a page: its language and direction, text, links and the scripts that run.
READER_REPORT = """
  return {
    lang: doc.documentElement.getAttribute("lang"),
    dir: doc.documentElement.getAttribute("dir"),
    computedDirection: win.getComputedStyle(doc.body).direction,
    title: doc.title,
    text: doc.body.innerText,
    links: [...doc.querySelectorAll("a[href], link[href]")].map(link => link.href),
    marked: [...doc.querySelectorAll("main [lang]")].map(element => element.getAttribute("lang") + "/" + (element.getAttribute("dir") || "")),
    // Scripts that run: a JSON-LD block is data, not a script.
    scripts: [...doc.scripts].filter(script => script.type !== "application/ld+json").length,
  };
"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "headless Chromium is needed for the browser tests: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def run_chromium(*arguments: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments],
        capture_output=True, text=True, timeout=120,
    )


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def pages_in_chromium(root: Path, pages: list[str], report: str, *, profile: Path) -> dict[str, dict]:
    """What ``report`` (see ``HARNESS``) finds in each of ``pages`` (paths under ``root``), served
    from ``root`` on 127.0.0.1 and opened in headless Chromium; by page."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        urls = json.dumps([f"{base}/{page}" for page in pages])
        (root / "harness.html").write_text(HARNESS.replace("PAGES", urls).replace("REPORT", report), encoding="utf-8")
        result = run_chromium("--virtual-time-budget=15000", "--dump-dom", f"{base}/harness.html", profile=profile)
    finally:
        server.shutdown()
        server.server_close()
    match = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.DOTALL)
    assert match and match.group(1), f"Chromium did not report on the pages:\n{result.stderr[-2000:]}"
    return {url.removeprefix(f"{base}/"): page for url, page in json.loads(html.unescape(match.group(1))).items()}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The sample merged in ru, uk and Arabic, served on 127.0.0.1; yields (root, base URL)."""
    from click.testing import CliRunner

    from localize.cli import cli
    from tests.conftest import TESTS

    root = tmp_path_factory.mktemp("browser") / "sample"
    root.mkdir()
    shutil.copy(TESTS.parent / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(TESTS.parent / "source_articles", root / "source_articles")
    shutil.copytree(TESTS.parent / "locales", root / "locales")
    runner = CliRunner()
    assert runner.invoke(cli, ["-C", str(root), "init", "ar"]).exit_code == 0
    # Arabic: every segment but one paragraph, which falls back to the English source.
    translate(root, "ar", SAMPLE_SLUG, lambda msgid: None if msgid.startswith("He also emphasized") else f"بالعربية: {msgid}")
    translate_ui(root, "ar", ARABIC_UI, ARABIC_MINUTES)
    result = runner.invoke(cli, ["-C", str(root), "merge"])
    assert result.exit_code == 0, result.output

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def seen(served, tmp_path_factory) -> dict[str, dict]:
    """What Chromium shows of every page, by path under build/."""
    root, _ = served
    pages = [f"{language}/{name}" for language in ("en", "ru", "uk", "ar") for name in (f"{SAMPLE_SLUG}.html", "index.html")]
    found = pages_in_chromium(root, [f"build/{page}" for page in pages], READER_REPORT,
                              profile=tmp_path_factory.mktemp("chromium-profile"))
    return {page.removeprefix("build/"): result for page, result in found.items()}


def visible(page: dict) -> str:
    return page["text"].replace("\u202f", " ").replace("\xa0", " ")


def test_russian_page_as_read(seen):
    page = seen[f"ru/{SAMPLE_SLUG}.html"]
    assert (page["lang"], page["dir"], page["computedDirection"]) == ("ru", "ltr", "ltr")
    text = visible(page)
    for expected in (
        "27 июня 2022 г., 11:43", "Ракетными ударами по Киеву", "3 минуты чтения",
        "Все новости", "Русский", "English", "Українська",
    ):
        assert expected in text
    # The sample is one article: no "Другие новости" heading over an empty list.
    assert "Другие новости" not in text
    assert text.index("27 июня 2022 г., 11:43") < text.index("Ракетными ударами") < text.rindex("Все новости")
    assert page["scripts"] == 0


def test_ukrainian_page_as_read(seen):
    page = seen[f"uk/{SAMPLE_SLUG}.html"]
    assert (page["lang"], page["dir"]) == ("uk", "ltr")
    text = visible(page)
    for expected in ("27 червня 2022 р., 11:43", "Усі новини", "3 хвилини читання"):
        assert expected in text


def test_right_to_left_page_as_read(seen):
    page = seen[f"ar/{SAMPLE_SLUG}.html"]
    assert (page["lang"], page["dir"], page["computedDirection"]) == ("ar", "rtl", "rtl")
    text = visible(page)
    # Partly translated, never translated from an earlier source: incomplete, not out of date.
    for expected in ("كل الأخبار", "بالعربية: With missiles hitting Kyiv", "هذه الترجمة غير مكتملة."):
        assert expected in text
    assert "هذه الترجمة قديمة." not in text and "أخبار أخرى" not in text  # one article: no other news
    # The paragraph that stayed English is marked so, for screen readers and for the direction.
    assert "en/ltr" in page["marked"]
    assert "He also emphasized that the Russians are still using Soviet intelligence data." in text


def test_index_pages_as_read(seen):
    assert "Все новости" in visible(seen["ru/index.html"])
    assert "Ракетными ударами по Киеву" in visible(seen["ru/index.html"])
    assert "27 июня 2022 г." in visible(seen["ru/index.html"])
    assert seen["ar/index.html"]["dir"] == "rtl"


def test_every_internal_link_resolves_to_a_file_in_build(seen, served):
    root, _ = served
    checked = 0
    for name, page in seen.items():
        for link in page["links"]:
            if urlsplit(link).hostname != "127.0.0.1":  # the pages were served from there
                continue
            path = unquote(urlsplit(link).path).lstrip("/")
            assert path.startswith("build/"), f"{name} links outside build/: {link}"
            assert (root / path).is_file(), f"{name} links to a missing page: {link}"
            checked += 1
    assert checked >= 40


def test_phone_screenshot(served, tmp_path):
    root, base = served
    shot = tmp_path / "ru-page.png"
    result = run_chromium(
        f"--screenshot={shot}", "--window-size=412,915", f"{base}/build/ru/{SAMPLE_SLUG}.html",
        profile=tmp_path / "profile",
    )
    assert shot.is_file(), result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (412, 915)
