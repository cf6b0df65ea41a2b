"""``localize serve``: a real server on 127.0.0.1 (port 0), asked with a real HTTP client.

The content tree is edited on disk as a translator's editor would save it,
and the next request shows the change: pages rebuilt, the reload endpoint's
version moved, the review's states and findings, a broken catalog or article
shown as an error page naming its file and line until it is fixed. The CLI
runs in a subprocess, prints its URL and stops on SIGINT or SIGTERM with exit
status 0. Chromium looks at the review page's DOM.
"""

from __future__ import annotations

import html
import http.client
import json
import re
import signal
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import ProxyHandler, build_opener

import html5lib
import pytest

from localize.catalog import read_catalog, write_catalog
from localize.fetch import is_loopback
from localize.serve import Preview, make_server, server_url
from localize.statistics import format_percent
from tests.test_browser import run_chromium

SLUG = "2022-06-27-kyiv-strike"
ARTICLE = """---
title: Missiles hit Kyiv
date: 2022-06-27T11:43:00+03:00
---

Missiles hit the centre of Kyiv on Sunday morning.

The ministry published [the full report](https://example.org/report) at noon.

Residents went to the shelters.

Officials counted 14 rockets.

The mayor thanked the rescuers.
"""
PO = Path("locales/ru/LC_MESSAGES/articles") / f"{SLUG}.po"
HOSTILE = """<script>alert("x")</script><img src=x onerror=alert(1)>"' & Жители"""

# An HTTP client that never goes through a proxy the environment names: only 127.0.0.1 is asked.
_client = build_opener(ProxyHandler({}))


def fetch(url: str) -> tuple[int, str]:
    try:
        with _client.open(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except HTTPError as error:
        return error.code, error.read().decode("utf-8")


def version(base: str) -> int:
    status, body = fetch(f"{base}/__localize/version")
    assert status == 200
    return json.loads(body)["version"]


def edit_catalog(root: Path, translations: dict[str, tuple[str, bool]]) -> None:
    """Set msgstr (and fuzzy) of the entries whose msgid is given, as a PO editor saves them."""
    path = root / PO
    catalog = read_catalog(path)
    messages = []
    for message in catalog.messages:
        if message.msgid in translations:
            text, fuzzy = translations[message.msgid]
            flags = tuple(sorted({*message.flags, "fuzzy"})) if fuzzy else tuple(f for f in message.flags if f != "fuzzy")
            message = replace(message, msgstr=text, flags=flags)
        messages.append(message)
    write_catalog(path, replace(catalog, messages=tuple(messages)))


@pytest.fixture
def tree(content_tree, run_cli) -> Path:
    """An article in ru and uk, extracted; ru translated but for a few entries of every state."""
    root = content_tree({SLUG: ARTICLE}, settings="min_translated = 50\n")
    assert run_cli("extract", project=root).exit_code == 0
    edit_catalog(root, {
        "Missiles hit Kyiv": ("Ракеты ударили по Киеву", False),
        "Missiles hit the centre of Kyiv on Sunday morning.": ("Ракеты ударили по центру Киева утром в воскресенье.", False),
        # E201: the link's URL changed (merge refuses it, check fails it).
        "The ministry published [the full report](https://example.org/report) at noon.":
            ("Министерство опубликовало [полный отчёт](https://evil.example/report) в полдень.", False),
        "Residents went to the shelters.": ("Жители ушли в укрытия.", True),  # fuzzy
        # W102: the number is missing.
        "Officials counted 14 rockets.": ("Чиновники насчитали много ракет.", False),
        # "The mayor thanked the rescuers." stays untranslated.
    })
    return root


@pytest.fixture
def served(tree):
    """The preview of ``tree`` on 127.0.0.1, any free port, in a thread; yields the base URL."""
    with Preview(tree, output_dir=tree.parent / "preview-out") as preview:
        server = make_server(preview, host="127.0.0.1", port=0)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield server_url(server).rstrip("/")
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


def rows(page: str) -> dict[str, dict]:
    """The review table's rows by source text: state, translation, finding codes, place."""
    document = html5lib.parse(page, namespaceHTMLElements=False)
    found = {}
    for row in document.iter("tr"):
        if row.get("data-state") is None:
            continue
        cells = row.findall("td")
        source = cells[0].text or ""
        found[source] = {
            "state": row.get("data-state"),
            "line": int(row.get("data-line")),
            "translation": "".join(cells[1].itertext()),
            "codes": [item.get("data-code") for item in cells[2].iter("li") if item.get("data-code")],
            "findings": ["".join(item.itertext()) for item in cells[2].iter("li")],
            "where": "".join(cells[3].itertext()),
            "href": cells[3].find("a").get("href"),
        }
    return found


def test_serves_every_language_from_a_temporary_build(served, tree):
    for language, expected in (("en", "Missiles hit Kyiv"), ("ru", "Ракеты ударили по Киеву")):
        status, page = fetch(f"{served}/{language}/{SLUG}.html")
        assert status == 200
        assert expected in page
    status, text = fetch(f"{served}/ru/{SLUG}.md")
    assert status == 200 and "Ракеты ударили по центру Киева" in text
    # The project's own build/ is not touched.
    assert not (tree / "build").exists()


def test_a_withheld_page_says_why(served, tree):
    edit_catalog(tree, {"Missiles hit Kyiv": ("", False)})
    status, page = fetch(f"{served}/ru/{SLUG}.html")
    assert status == 404
    assert "not published in ru" in page and "min_translated is 50%" in page
    assert f"/__localize/review/ru/{SLUG}" in page


def test_page_rebuilt_after_a_catalog_edit_and_version_moves(served, tree):
    before = version(served)
    assert version(served) == before  # nothing changed: nothing rebuilt
    _, page = fetch(f"{served}/ru/{SLUG}.html")
    assert "Ракеты ударили по центру Киева" in page
    assert f'var seen="{before}"' in page

    edit_catalog(tree, {"Missiles hit the centre of Kyiv on Sunday morning.": ("Ракеты попали в самый центр Киева.", False)})

    after = version(served)
    assert after != before
    _, page = fetch(f"{served}/ru/{SLUG}.html")
    assert "Ракеты попали в самый центр Киева." in page
    assert "Ракеты ударили по центру Киева утром" not in page
    assert f'var seen="{after}"' in page


def test_article_and_template_edits_rebuild_too(served, tree):
    before = version(served)
    article = tree / "source_articles" / f"{SLUG}.md"
    article.write_text(ARTICLE.replace("The mayor thanked the rescuers.", "The mayor thanked every rescuer."),
                       encoding="utf-8")
    middle = version(served)
    assert middle != before
    _, page = fetch(f"{served}/en/{SLUG}.html")
    assert "The mayor thanked every rescuer." in page

    templates = tree / "templates"
    templates.mkdir()
    shipped = Path(__file__).parent.parent / "localize" / "templates" / "base.html"
    (templates / "base.html").write_text(
        shipped.read_text(encoding="utf-8").replace("<main>", '<main data-edited="yes">'), encoding="utf-8")
    assert version(served) != middle
    _, page = fetch(f"{served}/en/{SLUG}.html")
    assert 'data-edited="yes"' in page


def test_reload_script_only_in_responses_not_in_the_build(served, tree):
    _, page = fetch(f"{served}/ru/{SLUG}.html")
    # One script runs: the reload script (the page's JSON-LD is data, not code).
    live = page.count("<script") - page.count('<script type="application/ld+json"')
    assert live == 1 and "/__localize/version" in page
    nonce = re.search(r'<script nonce="([^"]+)"', page).group(1)
    # The page's own policy lets that script (and its fetch of the version) run, nothing else.
    policy = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))
    assert f"script-src 'nonce-{nonce}'" in policy and "connect-src 'self'" in policy
    built = list((tree.parent / "preview-out").rglob("*.*"))
    assert any(path.suffix == ".html" for path in built)
    for path in built:
        text = path.read_text(encoding="utf-8")
        assert "__localize" not in text and "nonce-" not in text, path


def test_review_shows_states_findings_and_places(served, tree):
    status, page = fetch(f"{served}/__localize/review/ru/{SLUG}")
    assert status == 200
    found = rows(page)
    catalog = read_catalog(tree / PO)
    lines = {message.msgid: message.linenum for message in catalog.active}
    link = "The ministry published [the full report](https://example.org/report) at noon."
    assert found["Missiles hit Kyiv"]["state"] == "translated"
    assert found[link]["state"] == "failing"
    assert found[link]["codes"] == ["E201"]
    assert any("https://example.org/report" in text for text in found[link]["findings"])
    assert any("not published" in text for text in found[link]["findings"])
    assert found["Residents went to the shelters."]["state"] == "fuzzy"
    assert found["Officials counted 14 rockets."]["state"] == "warning"
    assert found["Officials counted 14 rockets."]["codes"] == ["W102"]
    assert found["The mayor thanked the rescuers."]["state"] == "untranslated"
    for msgid, row in found.items():
        assert row["line"] == lines[msgid]
        assert row["where"] == f"{PO.as_posix()}:{lines[msgid]}"
        assert row["href"] == (tree / PO).resolve().as_uri()
    # localize check agrees on the place of each finding.
    checked = subprocess.run([sys.executable, "-m", "localize", "-C", str(tree), "check", "--lang", "ru"],
                             capture_output=True, text=True)
    assert f"{PO.as_posix()}:{lines[link]}: E201" in checked.stdout
    assert f"{PO.as_posix()}:{lines['Officials counted 14 rockets.']}: W102" in checked.stdout


def test_index_lists_articles_and_languages_with_percent(served, tree):
    status, page = fetch(f"{served}/__localize/")
    assert status == 200
    document = html5lib.parse(page, namespaceHTMLElements=False)
    cells = {cell.get("data-lang"): "".join(cell.itertext()) for cell in document.iter("td") if cell.get("data-lang")}
    catalog = read_catalog(tree / PO)
    translated = sum(1 for message in catalog.active if message.msgid and message.translated())
    total = sum(1 for message in catalog.active if message.msgid)
    assert cells["ru"].startswith(format_percent(100 * translated / total) + " ")  # as localize status shows it
    assert cells["uk"].startswith("0%")
    links = [link.get("href") for link in document.iter("a")]
    assert f"/__localize/review/ru/{SLUG}" in links and f"/__localize/review/uk/{SLUG}" in links


def test_a_hostile_translation_is_escaped(served, tree):
    edit_catalog(tree, {"Residents went to the shelters.": (HOSTILE, False)})
    _, page = fetch(f"{served}/__localize/review/ru/{SLUG}")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert html.escape(HOSTILE, quote=True) in page
    row = rows(page)["Residents went to the shelters."]
    assert row["translation"] == HOSTILE  # the DOM's text is the msgstr, character for character
    assert row["state"] == "failing" and "E205" in row["codes"]
    assert page.count("<script") == 1  # the reload script alone
    _, published = fetch(f"{served}/ru/{SLUG}.html")
    assert "alert" not in published and "Residents went to the shelters." in published


def test_a_broken_catalog_shows_its_file_and_line_then_recovers(served, tree):
    path = tree / PO
    good = path.read_bytes()
    broken = good + b'\nmsgid "unterminated\nmsgstr ""\n'
    path.write_bytes(broken)
    line = broken.count(b"\n", 0, broken.index(b'msgid "unterminated')) + 1

    for url in (f"{served}/ru/{SLUG}.html", f"{served}/__localize/review/ru/{SLUG}"):
        status, page = fetch(url)
        assert status == 500
        assert re.search(rf"{re.escape(PO.as_posix())}:{line}: ", html.unescape(page)), page
        assert "Traceback" not in page
    status, page = fetch(f"{served}/__localize/")
    assert status == 200 and f"{PO.as_posix()}:{line}" in html.unescape(page)

    path.write_bytes(good)
    status, page = fetch(f"{served}/ru/{SLUG}.html")
    assert status == 200 and "Ракеты ударили по центру Киева" in page
    assert fetch(f"{served}/__localize/review/ru/{SLUG}")[0] == 200


def test_a_broken_article_shows_its_file_and_line_then_recovers(served, tree):
    article = tree / "source_articles" / f"{SLUG}.md"
    article.write_text(ARTICLE.replace("title: Missiles hit Kyiv", "title: [unclosed"), encoding="utf-8")
    shown = f"source_articles/{SLUG}.md"
    for url in (f"{served}/ru/{SLUG}.html", f"{served}/en/{SLUG}.html", f"{served}/__localize/review/ru/{SLUG}"):
        status, page = fetch(url)
        assert status == 500, url
        assert re.search(rf"{re.escape(shown)}:\d+: ", html.unescape(page)), page
    article.write_text(ARTICLE, encoding="utf-8")
    status, page = fetch(f"{served}/ru/{SLUG}.html")
    assert status == 200 and "Ракеты ударили по Киеву" in page


def test_broken_settings_show_their_line_then_recover(served, tree):
    settings = tree / "pyproject.toml"
    good = settings.read_text(encoding="utf-8")
    settings.write_text(good.replace("min_translated = 50", "min_translated = 'many'"), encoding="utf-8")
    status, page = fetch(f"{served}/ru/{SLUG}.html")
    assert status == 500 and re.search(r"pyproject\.toml:\d+: ", html.unescape(page)), page
    settings.write_text(good, encoding="utf-8")
    assert fetch(f"{served}/ru/{SLUG}.html")[0] == 200


def test_nothing_outside_the_build_is_served(served, tree):
    host, port = urlsplit(served).netloc.split(":")
    for path in ("/../pyproject.toml", "/%2e%2e/pyproject.toml", "/ru/..%2f..%2fpyproject.toml",
                 "/__localize/review/ru/..%2f..%2f..%2fpyproject", "/__localize/review/xx/" + SLUG):
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        connection.close()
        assert response.status == 404, path
        assert "[tool.localize]" not in body


@pytest.mark.parametrize(("host", "status"), [
    ("attacker.example", 421), ("attacker.example:8000", 421), ("127.0.0.1.attacker.example", 421), ("", 421),
    ("localhost", 200), ("127.0.0.1:{port}", 200), ("LOCALHOST:{port}", 200), ("[::1]:{port}", 200),
])
def test_only_loopback_names_are_answered(served, host, status):
    """A page elsewhere that rebinds its own name to 127.0.0.1 (DNS rebinding) reads nothing."""
    address, port = urlsplit(served).netloc.split(":")
    connection = http.client.HTTPConnection(address, int(port), timeout=60)
    connection.putrequest("GET", f"/ru/{SLUG}.html", skip_host=True)
    if host:
        connection.putheader("Host", host.format(port=port))
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    connection.close()
    assert response.status == status, host
    if status == 421:
        assert "Жители" not in body and "Missiles" not in body


def test_loopback_hosts():
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.org"):
        assert not is_loopback(host), host


def start_cli(root: Path, *arguments: str) -> tuple[subprocess.Popen, str]:
    """``localize serve --port 0`` in a subprocess; returns it and the URL it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "localize", "-C", str(root), "serve", "--port", "0", *arguments],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if match is None:
        process.kill()
        pytest.fail(f"no URL printed: {line!r} {process.stderr.read()}")
    return process, match.group(0).rstrip("/")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_cli_serves_on_loopback_and_stops_cleanly(tree, stop):
    process, base = start_cli(tree)
    try:
        status, page = fetch(f"{base}/ru/{SLUG}.html")
        assert status == 200 and "Ракеты ударили по Киеву" in page
        edit_catalog(tree, {"The mayor thanked the rescuers.": ("Мэр поблагодарил спасателей.", False)})
        _, page = fetch(f"{base}/__localize/review/ru/{SLUG}")
        assert rows(page)["The mayor thanked the rescuers."]["state"] == "translated"
    finally:
        process.send_signal(stop)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Warning" not in err
    assert out.strip().endswith("Stopped.")
    assert not (tree / "build").exists()


def test_cli_keeps_the_build_where_asked(tree):
    out = tree.parent / "kept"
    process, base = start_cli(tree, "--out", str(out))
    try:
        _, page = fetch(f"{base}/ru/{SLUG}.html")
        assert "data-localize-preview" in page
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
    assert process.returncode == 0
    kept = (out / "ru" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "Ракеты ударили по Киеву" in kept and "data-localize-preview" not in kept


def test_chromium_review_page(served, tree, tmp_path):
    edit_catalog(tree, {"Residents went to the shelters.": (HOSTILE, False)})
    url = f"{served}/__localize/review/ru/{SLUG}"
    result = run_chromium("--virtual-time-budget=3000", "--window-size=1280,900", "--dump-dom", url,
                          profile=tmp_path / "profile")
    assert "<table" in result.stdout, result.stderr[-2000:]
    document = html5lib.parse(result.stdout, namespaceHTMLElements=False)
    # What Chromium made of the page: one script (the reload script), no image, the msgstr as text.
    assert len(list(document.iter("script"))) == 1
    assert not list(document.iter("img"))
    found = rows(result.stdout)
    assert found["Residents went to the shelters."]["translation"] == HOSTILE
    assert {row["state"] for row in found.values()} == {"translated", "failing", "warning", "untranslated"}
    translation_cells = [cell for cell in document.iter("td") if "translation" in (cell.get("class") or "")]
    assert translation_cells and all(cell.get("lang") == "ru" for cell in translation_cells)

    shot = tmp_path / "review.png"
    result = run_chromium(f"--screenshot={shot}", "--window-size=1280,900", url, profile=tmp_path / "profile2")
    assert shot.is_file(), result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1280, 900)


def test_editor_links(tmp_path):
    from localize.preview_html import editor_href

    path = tmp_path / "a b" / "x.po"
    assert editor_href("", path, 12) == path.resolve().as_uri()
    assert editor_href("vscode://file{path}:{line}", path, 12) == f"vscode://file{path.resolve().as_posix().replace(' ', '%20')}:12"
    assert editor_href("editor://{path}?{0}{x}", path, None).endswith("?{0}{x}")  # no other field is filled
