"""`localize pretranslate` against real HTTP servers on 127.0.0.1 that speak each engine's API.

The servers translate by rule (a prefix per language, markup tokens kept as they
came), misbehave on request (429 with Retry-After, 403, 456, a broken link, an
answer that is no JSON), and count what they were asked: the tests assert on
the PO files written (and let gettext judge them), never on timing.
No byte leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import math
import re
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polib
import pytest

from localize.pretranslate.markup import protect, restore
from tests.conftest import gettext_accepts

ARTICLE = """---
title: "Kyiv & Minsk: the war widens"
---

The missiles hit [central Kyiv](https://example.com/kyiv_(city) "Kyiv") on the morning of June 26.

Analysts use `grep -r` and <abbr title="Conflict Intelligence Team">CIT</abbr> data, says the report[^1].

Russia wants a greater engagement from Belarus.

He said it again: Russia wants a greater engagement from Belarus, and soon.

[^1]: The report is online.
"""

SLUG = "2022-06-27-kyiv"
ARTICLES = Path("locales/de/LC_MESSAGES/articles")
PO = ARTICLES / f"{SLUG}.po"
PREFIX = "DE⟩ "
SECRET = "sk-test-SECRET-4242"


@dataclass
class Script:
    """What the server does: ``statuses`` are answered first, one per request (status, headers, body);
    ``mangle`` changes a translation (given the text sent); ``reply`` replaces an LLM's whole content."""

    statuses: list[tuple[int, dict[str, str], object]] = field(default_factory=list)
    mangle: Callable[[str], str] | None = None
    reply: str | None = None
    requests: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def translate_text(text: str, script: Script) -> str:
    answer = PREFIX + text
    return script.mangle(answer) if script.mangle else answer


class EngineHandler(BaseHTTPRequestHandler):
    script: Script

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_POST(self) -> None:  # noqa: N802 - the base class's name
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        with self.script.lock:
            self.script.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            scripted = self.script.statuses.pop(0) if self.script.statuses else None
        if scripted is not None:
            status, headers, answer = scripted
            return self._send(status, answer, headers)
        if self.path == "/v1/chat/completions":
            return self._chat(body)
        if self.path == "/v2/translate":
            return self._deepl(body)
        if self.path == "/translate":
            return self._libretranslate(body)
        self._send(404, {"error": "no such route"})

    def _chat(self, body: dict) -> None:
        request = json.loads(body["messages"][-1]["content"])
        content = self.script.reply
        if content is None:
            content = json.dumps([translate_text(text, self.script) for text in request["segments"]],
                                 ensure_ascii=False)
        self._send(200, {"id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": content}}]})

    def _deepl(self, body: dict) -> None:
        if self.headers.get("Authorization") != f"DeepL-Auth-Key {SECRET}":
            return self._send(403, {"message": "Authorization failure, check auth_key"})
        self._send(200, {"translations": [
            {"detected_source_language": "EN", "text": translate_text(text, self.script)} for text in body["text"]
        ]})

    def _libretranslate(self, body: dict) -> None:
        if body.get("api_key") != SECRET:
            return self._send(403, {"error": "Invalid API key"})
        self._send(200, {"translatedText": [translate_text(text, self.script) for text in body["q"]]})

    def _send(self, status: int, answer: object, headers: dict[str, str] | None = None) -> None:
        data = answer if isinstance(answer, bytes) else json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def engine_server() -> Iterator[tuple[str, Script]]:
    script = Script()
    handler = type("Handler", (EngineHandler,), {"script": script})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", script
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "DEEPL_AUTH_KEY", "LT_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def settings(engine: str, url: str, **more: object) -> str:
    lines = ["[tool.localize.pretranslate]", f'engine = "{engine}"', f'url = "{url}"', "backoff = 0.01",
             "retries = 2", "timeout = 10"]
    if engine == "openai":
        lines.append('model = "test-model"')
    lines += [f"{key} = {json.dumps(value)}" for key, value in more.items()]
    return "\n".join(lines) + "\n"


def extracted_tree(content_tree, run_cli, engine: str, url: str, articles: dict[str, str] | None = None,
                   **more: object) -> Path:
    root = content_tree(articles or {SLUG: ARTICLE}, languages=("de",), settings=settings(engine, url, **more))
    assert run_cli("extract", project=root).exit_code == 0
    return root


def entries(root: Path, path: Path = PO) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in polib.pofile(str(root / path)) if entry.msgid}


def test_llm_fills_every_untranslated_entry_fuzzy_with_its_provenance(content_tree, run_cli, engine_server):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "openai", url, batch=2, concurrency=2)

    result = run_cli("pretranslate", project=root)

    assert result.exit_code == 0, result.output
    found = entries(root)
    assert len(found) == 6  # title, four paragraphs, the footnote
    for msgid, entry in found.items():
        assert entry.msgstr == PREFIX + msgid  # markup restored exactly: link, code, HTML, footnote, "&"
        assert "fuzzy" in entry.flags
        assert entry.tcomment == "Machine translation: openai (test-model)"
    gettext_accepts(root / PO)
    assert f"{PO}: updated (6 machine-translated, fuzzy)" in result.stdout
    # The site's strings too (the plural one is left to a translator).
    ui = entries(root, Path("locales/de/LC_MESSAGES/ui.po"))
    assert {msgid: entry.msgstr for msgid, entry in ui.items() if entry.msgstr} == {
        msgid: PREFIX + msgid for msgid, entry in ui.items() if not entry.msgid_plural
    }
    site_strings = sum(1 for entry in ui.values() if not entry.msgid_plural)
    assert f"locales/de/LC_MESSAGES/ui.po: updated ({site_strings} machine-translated, fuzzy)" in result.stdout
    assert f"de: {6 + site_strings} segment(s)" in result.stdout
    # Batches of two, each with the title and the segments around it; the markup never reaches the model.
    asked = [json.loads(request["body"]["messages"][-1]["content"]) for request in script.requests]
    article = [request for request in asked if request["title"] == "Kyiv & Minsk: the war widens"]
    assert len(article) == 3 and len(asked) == 3 + math.ceil(site_strings / 2)
    assert any(request.get("before") for request in article) and any(request.get("after") for request in article)
    sent = json.dumps(asked)
    assert "https://example.com" not in sent and "grep -r" not in sent and "<abbr" not in sent
    assert all(request["body"]["model"] == "test-model" for request in script.requests)
    assert all("Authorization" not in request["headers"] for request in script.requests)  # no key: none sent


def test_the_glossary_terms_of_a_batch_go_with_it_to_the_llm(content_tree, run_cli, engine_server):
    url, script = engine_server
    root = content_tree({SLUG: ARTICLE}, languages=("de",), settings=settings("openai", url, batch=1))
    (root / "glossary").mkdir()
    (root / "glossary/de.csv").write_text(
        "term,translation,note,status\nKyiv,Kyjiw,,preferred\nKyiv,Kiew,,forbidden\nBelarus,Belarus,,preferred\n",
        encoding="utf-8",
    )
    assert run_cli("extract", project=root).exit_code == 0

    assert run_cli("pretranslate", str(root / ARTICLES), project=root).exit_code == 0

    asked = {request["segments"][0]: request.get("glossary", {}) for request in
             (json.loads(r["body"]["messages"][-1]["content"]) for r in script.requests)}
    kyiv = next(text for text in asked if text.startswith("The missiles hit"))
    belarus = next(text for text in asked if text.startswith("Russia wants"))
    assert asked[kyiv] == {"Kyiv": "Kyjiw"}  # the approved translation only, never the forbidden one
    assert asked[belarus] == {"Belarus": "Belarus"}
    assert all(not terms for text, terms in asked.items() if "Kyiv" not in text and "Belarus" not in text)


def test_a_legacy_catalog_is_written_as_extract_writes_it(content_tree, run_cli, engine_server):
    """CP1251 with CRLF line ends (as an old editor saved it): converted to UTF-8 with its header, CRLF kept."""
    url, _ = engine_server
    root = extracted_tree(content_tree, run_cli, "openai", url)
    path = root / PO
    subprocess.run(["msgconv", "--to-code=CP1251", str(path), "-o", str(path)], check=True)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    result = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert result.exit_code == 0, result.output
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") and b"charset=UTF-8" in data
    assert all(entry.msgstr == PREFIX + msgid for msgid, entry in entries(root).items())
    assert "E001" not in run_cli("check", str(path), project=root).output  # it reads as what it says it is


def test_a_second_run_costs_nothing_and_writes_the_same_bytes(content_tree, run_cli, engine_server):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "openai", url)
    before = (root / PO).read_bytes()
    assert run_cli("pretranslate", str(root / ARTICLES), project=root).exit_code == 0
    after = (root / PO).read_bytes()
    asked = len(script.requests)
    assert asked > 0

    (root / PO).write_bytes(before)  # as if the run had been lost: the cache still has every answer
    again = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert again.exit_code == 0, again.output
    assert len(script.requests) == asked
    assert (root / PO).read_bytes() == after
    assert "de: 0 segment(s), 0 characters sent to openai (test-model); 0 from the translation memory, 6 cached" in again.stdout
    # And once filled, nothing is left to do: the file is not touched.
    assert run_cli("pretranslate", str(root / ARTICLES), project=root).exit_code == 0
    assert (root / PO).read_bytes() == after and len(script.requests) == asked


def test_dry_run_shows_the_bill_asks_nothing_and_writes_nothing(content_tree, run_cli, engine_server):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "openai", url)
    before = (root / PO).read_bytes()

    dry = run_cli("pretranslate", "--dry-run", str(root / ARTICLES), project=root)

    assert dry.exit_code == 0, dry.output
    assert script.requests == [] and (root / PO).read_bytes() == before
    texts = [protect(msgid, xml=False).text for msgid in entries(root)]
    characters = sum(len(text) for text in texts)
    assert f"de: 6 segment(s), {characters:,} characters would be sent to openai (test-model)" in dry.stdout
    # The bill is what the real run then sends.
    real = run_cli("pretranslate", str(root / ARTICLES), project=root)
    assert f"de: 6 segment(s), {characters:,} characters sent to openai (test-model)" in real.stdout


def test_extract_keeps_the_provenance_and_status_counts_machine_translations_until_confirmed(
    content_tree, run_cli, engine_server
):
    url, _script = engine_server
    root = extracted_tree(content_tree, run_cli, "openai", url)
    assert run_cli("pretranslate", str(root / ARTICLES), project=root).exit_code == 0
    written = (root / PO).read_bytes()

    assert run_cli("extract", "--no-cache", project=root).exit_code == 0

    assert (root / PO).read_bytes() == written  # comment, flag and translation all kept
    assert "# Machine translation: openai (test-model)" in written.decode("utf-8")
    counts = json.loads(run_cli("status", "--format", "json", project=root).stdout)["languages"][0]["counts"]
    assert (counts["fuzzy"], counts["machine_unreviewed"], counts["translated"]) == (6, 6, 0)
    table = run_cli("status", project=root).stdout
    assert "6 machine, unreviewed" in table

    # A translator confirms one: it counts as translated, and is no longer the machine's.
    catalog = polib.pofile(str(root / PO), wrapwidth=79)
    first = next(entry for entry in catalog if entry.msgid)
    first.flags.remove("fuzzy")
    catalog.save()
    counts = json.loads(run_cli("status", "--format", "json", project=root).stdout)["languages"][0]["counts"]
    assert (counts["fuzzy"], counts["machine_unreviewed"], counts["translated"]) == (5, 5, 1)


def test_translated_entries_are_never_touched_and_fuzzy_ones_only_when_asked(content_tree, run_cli, engine_server):
    url, _script = engine_server
    root = extracted_tree(content_tree, run_cli, "openai", url)
    catalog = polib.pofile(str(root / PO), wrapwidth=79)
    by_id = {entry.msgid: entry for entry in catalog}
    translated = "Russia wants a greater engagement from Belarus."
    by_id[translated].msgstr = "Russland will Belarus stärker einbinden."
    fuzzy = "He said it again: Russia wants a greater engagement from Belarus, and soon."
    by_id[fuzzy].msgstr = "Er sagte es wieder."
    by_id[fuzzy].flags.append("fuzzy")
    catalog.save()

    assert run_cli("pretranslate", str(root / ARTICLES), project=root).exit_code == 0
    found = entries(root)
    assert found[translated].msgstr == "Russland will Belarus stärker einbinden." and not found[translated].flags
    assert found[fuzzy].msgstr == "Er sagte es wieder."

    assert run_cli("pretranslate", "--include-fuzzy", str(root / ARTICLES), project=root).exit_code == 0
    found = entries(root)
    assert found[fuzzy].msgstr == PREFIX + fuzzy and "fuzzy" in found[fuzzy].flags
    assert found[translated].msgstr == "Russland will Belarus stärker einbinden."
    gettext_accepts(root / PO)


def test_exact_translation_memory_matches_come_first_without_an_engine(content_tree, run_cli, engine_server):
    url, script = engine_server
    other = "---\ntitle: Belarus\n---\n\nRussia wants a greater engagement from Belarus.\n"
    root = extracted_tree(content_tree, run_cli, "openai", url, articles={SLUG: ARTICLE, "other": other})
    other_po = PO.with_name("other.po")
    catalog = polib.pofile(str(root / other_po), wrapwidth=79)
    for entry in catalog:
        entry.msgstr = {"Belarus": "Belarus", "Russia wants a greater engagement from Belarus.":
                        "Russland will Belarus stärker einbinden."}[entry.msgid]
    catalog.save()

    result = run_cli("pretranslate", str(root / PO), project=root)

    assert result.exit_code == 0, result.output
    entry = entries(root)["Russia wants a greater engagement from Belarus."]
    assert entry.msgstr == "Russland will Belarus stärker einbinden." and "fuzzy" not in entry.flags
    assert entry.tcomment == "Translation memory: exact match from articles/other"
    asked = [text for request in script.requests
             for text in json.loads(request["body"]["messages"][-1]["content"])["segments"]]
    assert "Russia wants a greater engagement from Belarus." not in asked and len(asked) == 5
    assert "1 from the translation memory" in result.stdout
    gettext_accepts(root / PO)


def test_a_429_with_retry_after_is_waited_out(content_tree, run_cli, engine_server):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "openai", url)
    script.statuses.append((429, {"Retry-After": "1"}, {"error": {"message": "Rate limit reached", "type": "requests"}}))

    result = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert result.exit_code == 0, result.output
    assert len(script.requests) == 2
    assert all(entry.msgstr == PREFIX + msgid for msgid, entry in entries(root).items())


def test_an_answer_that_is_no_json_array_is_one_line_and_exit_1(content_tree, run_cli, engine_server):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "openai", url)
    before = (root / PO).read_bytes()
    script.reply = "Sure! Here are your translations: first, second."

    result = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: openai: malformed answer from ")
    assert (root / PO).read_bytes() == before


def test_an_unreachable_engine_is_one_line_and_exit_1(content_tree, run_cli):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = extracted_tree(content_tree, run_cli, "openai", f"http://127.0.0.1:{port}")
    before = (root / PO).read_bytes()

    result = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert result.exit_code == 1
    assert result.stderr == f"Error: openai: http://127.0.0.1:{port}/v1/chat/completions: cannot connect (connection refused)\n"
    assert (root / PO).read_bytes() == before


def test_deepl_speaks_v2_with_xml_tags_and_the_key_goes_nowhere_else(content_tree, run_cli, engine_server, monkeypatch):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "deepl", url)
    monkeypatch.setenv("DEEPL_AUTH_KEY", SECRET)

    result = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert result.exit_code == 0, result.output
    found = entries(root)
    assert all(entry.msgstr == PREFIX + msgid for msgid, entry in found.items())
    assert {entry.tcomment for entry in found.values()} == {"Machine translation: deepl"}
    gettext_accepts(root / PO)
    (request,) = script.requests
    body = request["body"]
    assert request["path"] == "/v2/translate"
    assert (body["source_lang"], body["target_lang"], body["tag_handling"], body["ignore_tags"]) == ("EN", "DE", "xml", ["x"])
    assert body["context"] == "Kyiv & Minsk: the war widens"
    assert "Kyiv &amp; Minsk: the war widens" in body["text"]  # XML: the ampersand escaped, and restored after
    assert SECRET not in result.output
    for path in (root / ".localize-cache").iterdir():
        assert SECRET.encode() not in path.read_bytes(), path
    assert SECRET not in (root / PO).read_text(encoding="utf-8")


@pytest.mark.parametrize(("status", "said"), [
    (403, "Error: deepl: authentication refused; check DEEPL_AUTH_KEY (HTTP 403 from {url}/v2/translate): Forbidden"),
    (456, "Error: deepl: quota exhausted (HTTP 456 from {url}/v2/translate): Quota exceeded"),
])
def test_deepl_refusals_are_one_line_and_exit_1(content_tree, run_cli, engine_server, monkeypatch, status, said):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "deepl", url)
    monkeypatch.setenv("DEEPL_AUTH_KEY", SECRET)
    script.statuses.append((status, {}, {"message": "Forbidden" if status == 403 else "Quota exceeded"}))
    before = (root / PO).read_bytes()

    result = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert result.exit_code == 1
    assert result.stderr == said.format(url=url) + "\n"
    assert (root / PO).read_bytes() == before
    assert len(script.requests) == 1  # neither is retried


def test_deepl_without_a_key_says_which_variable_to_set(content_tree, run_cli, engine_server):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "deepl", url)
    result = run_cli("pretranslate", str(root / ARTICLES), project=root)
    assert result.exit_code == 1
    assert "set DEEPL_AUTH_KEY in the environment" in result.stderr
    assert script.requests == []


def test_what_was_translated_before_the_quota_ran_out_is_kept(content_tree, run_cli, engine_server, monkeypatch):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "deepl", url, batch=1, concurrency=1)
    monkeypatch.setenv("DEEPL_AUTH_KEY", SECRET)
    handler_deepl = EngineHandler._deepl
    answered = []

    def two_then_quota(self, body):
        if len(answered) == 2:
            return self._send(456, {"message": "Quota exceeded"})
        answered.append(body["text"][0])
        return handler_deepl(self, body)

    monkeypatch.setattr(EngineHandler, "_deepl", two_then_quota)

    result = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert result.exit_code == 1
    assert "quota exhausted" in result.stderr
    found = entries(root)
    filled = [msgid for msgid, entry in found.items() if entry.msgstr]
    assert len(filled) == 2
    assert all(found[msgid].msgstr == PREFIX + msgid and "fuzzy" in found[msgid].flags for msgid in filled)
    gettext_accepts(root / PO)


def test_libretranslate_with_a_link_broken_by_the_engine(content_tree, run_cli, engine_server, monkeypatch):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "libretranslate", url)
    monkeypatch.setenv("LT_API_KEY", SECRET)
    # The engine swaps the tokens around the link's text: every token survives, the link does not.
    script.mangle = lambda text: re.sub(r'(<x id="1"/>)(.*?)(<x id="2"/>)', r"\3\2\1", text) if "missiles" in text else text

    result = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert result.exit_code == 0, result.output
    found = entries(root)
    broken = next(msgid for msgid in found if "missiles" in msgid)
    assert found[broken].msgstr == "" and "fuzzy" not in found[broken].flags
    assert re.search(rf"{re.escape(str(PO))}:\d+: not written: E201 link URLs differ", result.stderr)
    assert all(entry.msgstr == PREFIX + msgid for msgid, entry in found.items() if msgid != broken)
    gettext_accepts(root / PO)
    (request,) = script.requests
    body = request["body"]
    assert (body["source"], body["target"], body["format"], body["api_key"]) == ("en", "de", "html", SECRET)
    assert isinstance(body["q"], list) and len(body["q"]) == 6


def test_a_dropped_token_is_not_written_and_said(content_tree, run_cli, engine_server, monkeypatch):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "libretranslate", url)
    monkeypatch.setenv("LT_API_KEY", SECRET)
    script.mangle = lambda text: text.replace('<x id="3"/>', "")

    result = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"{re.escape(str(PO))}:\d+: not written: the engine dropped markup: '</abbr>'\n", result.stderr)
    found = entries(root)
    assert found[next(msgid for msgid in found if "</abbr>" in msgid)].msgstr == ""
    assert sum(1 for entry in found.values() if entry.msgstr) == 5


def test_the_limit_leaves_the_rest_for_another_run(content_tree, run_cli, engine_server):
    url, _script = engine_server
    root = extracted_tree(content_tree, run_cli, "openai", url)

    result = run_cli("pretranslate", "--limit", "2", str(root / ARTICLES), project=root)

    assert result.exit_code == 0, result.output
    assert sum(1 for entry in entries(root).values() if entry.msgstr) == 2
    assert "4 left for another run by --limit" in result.stdout


def test_markup_protection_round_trips_what_articles_hold():
    text = ('See [the **report**](https://x.org/a_(b) "T"), `code [x](y)`, <b>bold</b>, {name}, %(n)s, %s, '
            "[^1], <https://a.b> & 5 < 6, ![alt](img.png) and [ref][label].")
    for xml in (False, True):
        protected = protect(text, xml=xml)
        assert "https://" not in protected.text and "code" not in protected.text and "{name}" not in protected.text
        assert "the **report**" in protected.text and "alt" in protected.text
        assert restore(protected.text, protected) == text
    assert restore(protected.text.replace('"/>', '"></x>'), protected) == text


@pytest.mark.parametrize(("status", "error", "said"), [
    (401, {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"},
     "authentication refused; check OPENAI_API_KEY (HTTP 401 from {url}/v1/chat/completions): "
     "Incorrect API key provided"),
    (429, {"message": "You exceeded your current quota", "type": "insufficient_quota", "code": "insufficient_quota"},
     "quota exhausted (HTTP 429 from {url}/v1/chat/completions): You exceeded your current quota"),
])
def test_openai_refusals_are_one_line_and_the_key_is_sent_only_as_a_header(
    content_tree, run_cli, engine_server, monkeypatch, status, error, said
):
    url, script = engine_server
    root = extracted_tree(content_tree, run_cli, "openai", url)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    script.statuses.extend([(status, {}, {"error": error})] * 3)  # a 429 is retried (twice here), a 401 is not

    result = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert result.exit_code == 1
    assert result.stderr == "Error: openai: " + said.format(url=url) + "\n"
    assert SECRET not in result.output
    assert {request["headers"]["Authorization"] for request in script.requests} == {f"Bearer {SECRET}"}
    assert len(script.requests) == (1 if status == 401 else 3)


@pytest.mark.parametrize("variable", ["OPENAI_API_KEY", "DEEPL_AUTH_KEY", "LT_API_KEY"])
def test_a_key_is_never_sent_in_clear_text_to_another_machine(content_tree, run_cli, monkeypatch, variable):
    """The URL comes from the content tree, which takes pull requests: http:// elsewhere gets no key."""
    engine = {"OPENAI_API_KEY": "openai", "DEEPL_AUTH_KEY": "deepl", "LT_API_KEY": "libretranslate"}[variable]
    # A name that is never resolved: the run stops before any request.
    root = extracted_tree(content_tree, run_cli, engine, "http://llm.newsroom.invalid:8080")
    monkeypatch.setenv(variable, SECRET)
    before = (root / PO).read_bytes()

    result = run_cli("pretranslate", str(root / ARTICLES), project=root)

    assert result.exit_code == 1
    assert f"{variable} is set, and http://llm.newsroom.invalid:8080 is plain http on another machine" in result.stderr
    assert SECRET not in result.output and (root / PO).read_bytes() == before


def test_a_wrong_setting_is_one_line_naming_pyproject(content_tree, run_cli):
    root = content_tree({SLUG: ARTICLE}, languages=("de",),
                        settings='[tool.localize.pretranslate]\nengine = "babelfish"\n')
    result = run_cli("pretranslate", project=root)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {root / 'pyproject.toml'}: [tool.localize.pretranslate] engine must be one of "
                             "openai, deepl, libretranslate, not 'babelfish'\n")
