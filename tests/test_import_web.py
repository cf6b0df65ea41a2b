"""`localize import` over HTTP: a real server on 127.0.0.1 serves saved pages and misbehaves on purpose.

No test here sends a byte beyond 127.0.0.1. Waits are kept short with small
timeouts and a small retry wait, so the whole file runs in a few seconds.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from localize.cli import cli
from localize.fetch import FetchError, FetchPolicy, fetch, new_session

FIXTURES = Path(__file__).parent / "fixtures" / "import"
FAST = ["--retry-wait", "0.01", "--timeout", "0.5"]
HUGE_BYTES = 50 * 1024 * 1024


def koi8_page() -> bytes:
    """The windows-1251 fixture re-encoded as KOI8-R with its charset declaration removed:
    only detection can read it. KOI8-R has no guillemets or dashes, so those become ASCII."""
    text = (FIXTURES / "ru_news.cp1251.html").read_bytes().decode("windows-1251")
    text = re.sub(r"<meta http-equiv[^>]*>", "", text)
    text = text.translate(str.maketrans({"«": '"', "»": '"', "—": "-", "©": "(c)"}))
    return text.encode("koi8_r")


class Site(BaseHTTPRequestHandler):
    """The routes of the test server. ``hits`` counts requests per path, for the retry tests."""

    hits: Counter[str] = Counter()
    user_agents: list[str] = []
    pages = {
        "/nv": ("nv_seed.html", "text/html; charset=utf-8"),
        "/ru-utf8": ("ru_news.utf8.html", "text/html; charset=UTF-8"),
        "/ru-1251-header": ("ru_news.cp1251.html", "text/html; charset=windows-1251"),
        "/ru-1251-meta": ("ru_news.cp1251.html", "text/html"),
        "/index": ("no_article.html", "text/html; charset=utf-8"),
        "/plain": ("seed.txt", "text/plain; charset=utf-8"),
        "/zh": ("zh_news.html", "text/html; charset=utf-8"),
        "/ja": ("ja_news.html", "text/html; charset=utf-8"),
        "/ar": ("ar_news.html", "text/html; charset=utf-8"),
        "/short": ("short_post.html", "text/html; charset=utf-8"),
        "/zones": ("zones.html", "text/html; charset=utf-8"),
        "/inline-image": ("inline_image.html", "text/html; charset=utf-8"),
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        path = self.path
        self.hits[path] += 1
        self.user_agents.append(self.headers.get("User-Agent", ""))
        route = path.split("?")[0]
        try:
            self._route(route, self.hits[path])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should past a limit

    def _route(self, route: str, hit: int) -> None:
        if route in self.pages:
            name, content_type = self.pages[route]
            return self._send(200, (FIXTURES / name).read_bytes(), content_type)
        if route == "/ru-koi8":
            return self._send(200, koi8_page(), "text/html")
        if route == "/moved":
            return self._redirect("/nv")
        if route == "/loop":
            return self._redirect("/loop")
        if route == "/to-file":
            return self._redirect("file:///etc/passwd")
        if route == "/missing":
            return self._send(404, b"<h1>Not found</h1>", "text/html")
        if route == "/flaky":
            if hit == 1:
                return self._send(500, b"<h1>Internal error</h1>", "text/html")
            return self._send(200, (FIXTURES / "nv_seed.html").read_bytes(), "text/html; charset=utf-8")
        if route == "/busy":
            if hit == 1:
                self.send_response(429)
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            return self._send(200, (FIXTURES / "nv_seed.html").read_bytes(), "text/html; charset=utf-8")
        if route == "/down":
            return self._send(503, b"<h1>Service unavailable</h1>", "text/html")
        if route == "/slow":
            time.sleep(1.5)
            return self._send(200, (FIXTURES / "nv_seed.html").read_bytes(), "text/html")
        if route == "/trickle":
            return self._trickle()
        if route == "/huge":
            return self._huge(declare_length=False)
        if route == "/huge-declared":
            return self._huge(declare_length=True)
        if route == "/pdf":
            return self._send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
        return self._send(404, b"no such route", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _huge(self, *, declare_length: bool) -> None:
        # Generated lazily, a chunk at a time: the server never holds 50 MB,
        # and stops when the client hangs up.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if declare_length:
            self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        for _ in range(HUGE_BYTES // len(chunk)):
            self.wfile.write(chunk)

    def _trickle(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        for _ in range(40):
            self.wfile.write(b"<p>slow</p>")
            self.wfile.flush()
            time.sleep(0.05)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the machine's proxy settings, 127.0.0.1 is reached directly."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.localize]\nsource_language = "en"\nlanguages = ["ru"]\n', encoding="utf-8")
    return tmp_path


@pytest.fixture
def russian_project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.localize]\nsource_language = "ru"\nlanguages = ["uk"]\n', encoding="utf-8")
    return tmp_path


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound, then closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(project: Path, *args: str):
    return CliRunner().invoke(cli, ["-C", str(project), "import", *args])


def written(project: Path) -> list[Path]:
    folder = project / "source_articles"
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def split_article(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    match = re.fullmatch(r"---\n(.*?)\n---\n\n(.*)", text, re.DOTALL)
    assert match, text[:200]
    return yaml.safe_load(match.group(1)), match.group(2)


def assert_one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    for needle in needles:
        assert needle in lines[0]


# -- pages ---------------------------------------------------------------------------------

def test_news_page_becomes_article_without_site_chrome(server: str, project: Path) -> None:
    result = run(project, f"{server}/nv", *FAST)

    assert result.exit_code == 0, result.output
    path = project / "source_articles" / "2022-06-27-missiles-hitting-kyiv-russia-wants-bring.md"
    assert result.output.strip() == "source_articles/2022-06-27-missiles-hitting-kyiv-russia-wants-bring.md"
    meta, body = split_article(path)
    assert list(meta) == ["title", "date", "source", "source_url", "language"]
    assert meta["title"] == "With missiles hitting Kyiv, Russia wants to bring Belarus into war – CIT analyst"
    assert meta["date"].isoformat() == "2022-06-27T11:43:00+03:00"
    assert meta["source"] == "NV"
    assert meta["source_url"] == f"{server}/nv"
    assert meta["language"] == "en"

    seed_paragraphs = (FIXTURES / "seed.txt").read_text(encoding="utf-8").split("\n\n")[2:-2]
    assert body.rstrip("\n").split("\n\n") == [p.strip() for p in seed_paragraphs if p.strip()]
    for chrome in ("Другие новости", "Все новости", "Поделиться", "Комментарии", "Спасибо за материал",
                   "Реклама", "Facebook", "G7 leaders", "cookie", "dataLayer", "Подпишитесь", "©"):
        assert chrome not in body
    assert "# With missiles" not in body  # the headline lives in the front matter only
    assert body.endswith("killed in the attack.\n")


def test_redirect_is_followed_and_final_url_recorded(server: str, project: Path) -> None:
    result = run(project, f"{server}/moved", *FAST)

    assert result.exit_code == 0, result.output
    meta, _ = split_article(written(project)[0])
    assert meta["source_url"] == f"{server}/nv"


@pytest.mark.parametrize("route", ["/ru-utf8", "/ru-1251-header", "/ru-1251-meta"])
def test_russian_page_in_any_declared_charset(server: str, russian_project: Path, route: str) -> None:
    result = run(russian_project, f"{server}{route}", *FAST)

    assert result.exit_code == 0, result.output
    path = russian_project / "source_articles" / "2022-07-04-v-kieve-posle-remonta-otkryli-tri.md"
    meta, body = split_article(path)
    assert meta["title"] == "В Киеве после ремонта открыли три станции метро"
    assert meta["author"] == "Анна Коваленко"
    assert meta["source"] == "Городские вести"
    assert meta["language"] == "ru"
    assert meta["date"].isoformat() == "2022-07-04T09:15:00+03:00"
    assert "«Почтовая площадь»" in body
    assert "[столичного метрополитена](https://metro.example.org/news/reopening)" in body
    assert "## Как будут работать станции" in body
    assert "| Станция | Открытие | Закрытие |\n| --- | --- | --- |\n| Почтовая площадь | 06:00 | 21:00 |" in body
    assert "- оплатить проезд можно картой, смартфоном или QR-билетом;" in body
    assert "> Мы понимаем, что ремонт доставил" in body
    assert "![Новые турникеты на станции «Крещатик»](https://vesti.example.org/images/2022/07/metro-khreshchatyk.jpg)" in body
    for chrome in ("Читайте также", "Другие новости", "Все новости", "Комментарии", "Наконец-то", "Перепечатка", "Поделиться"):
        assert chrome not in body


def test_koi8r_page_without_declared_charset_is_detected(server: str, russian_project: Path) -> None:
    result = run(russian_project, f"{server}/ru-koi8", *FAST)

    assert result.exit_code == 0, result.output
    meta, body = split_article(written(russian_project)[0])
    assert meta["title"] == "В Киеве после ремонта открыли три станции метро"
    assert "пресс-служба" in body


def test_plain_text_url_is_read_as_text(server: str, project: Path) -> None:
    result = run(project, f"{server}/plain", "--year", "2022", "--timezone", "Europe/Kyiv", *FAST)

    assert result.exit_code == 0, result.output
    meta, body = split_article(written(project)[0])
    assert meta["date"].isoformat() == "2022-06-27T11:43:00+03:00"
    assert meta["source_url"] == f"{server}/plain"
    assert "Все новости" not in body


def test_server_error_then_success_is_retried(server: str, project: Path) -> None:
    result = run(project, f"{server}/flaky?cli", *FAST)

    assert result.exit_code == 0, result.output
    assert Site.hits["/flaky?cli"] == 2


def test_user_agent_names_the_tool(server: str, project: Path) -> None:
    Site.user_agents.clear()
    run(project, f"{server}/nv", *FAST)

    assert Site.user_agents and all(agent.startswith("Mozilla/5.0 (compatible; localize/") for agent in Site.user_agents)


# -- failures: one line, exit 1, nothing written -------------------------------------------

@pytest.mark.parametrize(
    ("route", "needles"),
    [
        ("/missing", ["/missing", "HTTP 404"]),
        ("/down", ["/down", "HTTP 503"]),
        ("/slow", ["/slow", "no answer within 0.5 seconds"]),
        ("/huge", ["/huge", "larger than 10 MB"]),
        ("/huge-declared", ["/huge-declared", "larger than 10 MB"]),
        ("/pdf", ["/pdf", "application/pdf, not an HTML page"]),
        ("/index", ["/index", "no article found"]),
        ("/loop", ["/loop", "more than 5 redirects"]),
        ("/to-file", ["/to-file", "redirected to a URL that cannot be fetched: file:///etc/passwd"]),
    ],
)
def test_bad_page_is_one_line_error(server: str, russian_project: Path, route: str, needles: list[str]) -> None:
    started = time.monotonic()
    result = run(russian_project, f"{server}{route}", *FAST)

    assert_one_line_error(result, *needles)
    assert written(russian_project) == []
    assert time.monotonic() - started < 3


def test_unreachable_host(project: Path, closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/article"
    result = run(project, url, *FAST)

    assert_one_line_error(result, url, "cannot connect", "connection refused")
    assert written(project) == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/article.html", "gopher://127.0.0.1/"])
def test_bad_scheme(project: Path, url: str) -> None:
    result = run(project, url)

    assert_one_line_error(result, url, "only http:// and https://")


def test_wrong_language_page(server: str, project: Path) -> None:
    result = run(project, f"{server}/ru-utf8", *FAST)

    assert_one_line_error(result, "/ru-utf8", "in ru, not in the project's source language en")
    assert written(project) == []


# -- fetch on its own ----------------------------------------------------------------------

def test_fetch_stops_reading_at_the_size_limit(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="larger than 1 MB"):
        fetch(f"{server}/huge", session=new_session(), policy=FetchPolicy(max_bytes=1024 * 1024))
    assert time.monotonic() - started < 1.5


def test_fetch_deadline_bounds_a_trickling_download(server: str) -> None:
    with pytest.raises(FetchError, match="took longer than 0.3 seconds"):
        fetch(f"{server}/trickle", session=new_session(), policy=FetchPolicy(timeout=1, deadline=0.3))


def test_fetch_honours_retry_after_and_backs_off(server: str) -> None:
    waits: list[float] = []
    page = fetch(f"{server}/busy?a", session=new_session(), policy=FetchPolicy(backoff=0.25), sleep=waits.append)

    assert page.media_type == "text/html" and page.charset == "utf-8"
    assert waits == [0.25]


def test_fetch_gives_up_after_bounded_retries(server: str) -> None:
    waits: list[float] = []
    with pytest.raises(FetchError, match="HTTP 503"):
        fetch(f"{server}/down?b", session=new_session(), policy=FetchPolicy(retries=3, backoff=1, max_wait=3), sleep=waits.append)

    assert waits == [1, 2, 3]
    assert Site.hits["/down?b"] == 4


def test_fetch_retries_connection_errors(closed_port: int) -> None:
    waits: list[float] = []
    with pytest.raises(FetchError, match="cannot connect"):
        fetch(f"http://127.0.0.1:{closed_port}/", session=new_session(), policy=FetchPolicy(retries=2, backoff=0.5), sleep=waits.append)

    assert waits == [0.5, 1.0]



# -- every script, short posts, dates in two zones, inline images: from a file and over HTTP ------

# What each page holds, read off the page by hand: its headline, the date it says it was published
# (in its own zone), its site, language, first and last paragraph and number of paragraphs.
PAGES = {
    "zh": dict(
        route="/zh", file="zh_news.html", slug="2024-03-05", title="杭州亚运村今起向市民开放",
        date="2024-03-05T09:30:00+08:00", site="江南日报", paragraphs=5,
        first="记者从杭州市有关部门获悉，杭州亚运村从今天起正式向市民开放，市民可通过线上预约参观运动员村和媒体村的部分区域。",
        last="预约平台开通后半天内，本周末的名额已全部约满。有关部门提醒市民合理安排出行，尽量乘坐地铁和公交前往，园区周边停车位有限。",
        chrome=("相关新闻", "西湖景区", "版权所有", "体育"),
    ),
    "ja": dict(
        route="/ja", file="ja_news.html", slug="2024-02-06", title="札幌で記録的な大雪 交通に乱れ",
        date="2024-02-06T18:45:00+09:00", site="北海タイムズ", paragraphs=5,
        first="札幌市では六日、強い冬型の気圧配置の影響で記録的な大雪となり、市内の交通機関に大きな乱れが出ました。",
        last="札幌市の担当者は「屋根からの落雪や車の立ち往生に十分注意してほしい」と話しています。",
        chrome=("アクセスランキング", "函館", "Copyright", "スポーツ"),
    ),
    "ar": dict(
        route="/ar", file="ar_news.html", slug="2024-04-10", title="افتتاح أكبر محطة لتحلية المياه في المنطقة",
        date="2024-04-10T14:20:00+04:00", site="الخليج اليوم", paragraphs=3,
        first="افتتحت الحكومة اليوم أكبر محطة لتحلية مياه البحر في المنطقة، بطاقة إنتاجية تبلغ ستمائة ألف متر مكعب يومياً.",
        last="وأضاف أن المشروع استغرق ثلاث سنوات من العمل، وشارك في تنفيذه أكثر من ألفي عامل ومهندس.",
        chrome=("أخبار ذات صلة", "مهرجان التمور", "جميع الحقوق", "الرئيسية"),
    ),
    "en-short": dict(
        route="/short", file="short_post.html", slug="2024-05-02-bridge-main-street-reopens",
        title="Bridge on Main Street reopens", date="2024-05-02T07:15:00-04:00", site="Riverside Gazette",
        paragraphs=1, first="The Main Street bridge reopened to traffic at 6 a.m. after two weeks of repairs.",
        last="The Main Street bridge reopened to traffic at 6 a.m. after two weeks of repairs.",
        chrome=("Obituaries", "All rights reserved"),
    ),
    # Published at 07:30 in UTC+8, which is the day before in UTC; modified later, in UTC.
    "en-zones": dict(
        route="/zones", file="zones.html", slug="2024-03-05-night-market-returns-harbour",
        title="Night market returns to the harbour", date="2024-03-05T07:30:00+08:00", site="Harbour Herald",
        paragraphs=3,
        first="The night market on the harbour front will reopen on Friday after a four-year break, the city "
              "council announced on Tuesday morning.",
        last="Council officials said extra buses would serve the harbour on market nights and that the nearby "
             "car park would stay open until one in the morning.",
        chrome=("Updated", "18:02", "Business"),
    ),
    "en-images": dict(
        route="/inline-image", file="inline_image.html", slug="2024-09-21-orchard-festival-draws-record-crowd",
        title="Orchard festival draws record crowd", date="2024-09-21T16:00:00+02:00", site="Valley News",
        paragraphs=4,
        first="More than twelve thousand visitors came to the orchard festival on Saturday, the organisers said.",
        last="Next year the festival will last two days, with a market for regional cider and juice on Sunday.",
        chrome=("Region",),
    ),
}


def language_project(tmp_path: Path, language: str) -> Path:
    root = tmp_path / f"project-{language}"
    root.mkdir()
    other = "en" if language != "en" else "ru"
    (root / "pyproject.toml").write_text(
        f'[tool.localize]\nsource_language = "{language}"\nlanguages = ["{other}"]\n', encoding="utf-8")
    return root


@pytest.mark.parametrize("source", ["file", "http"])
@pytest.mark.parametrize("name", PAGES)
def test_pages_in_every_script_are_imported(server: str, tmp_path: Path, name: str, source: str) -> None:
    page = PAGES[name]
    language = name.split("-")[0]
    project = language_project(tmp_path, language)
    where = str(FIXTURES / page["file"]) if source == "file" else f"{server}{page['route']}"
    result = run(project, where, *(FAST if source == "http" else []))

    assert result.exit_code == 0, result.output
    path = project / "source_articles" / f"{page['slug']}.md"
    assert result.output == f"source_articles/{page['slug']}.md\n"
    meta, body = split_article(path)
    assert meta["title"] == page["title"]
    assert meta["date"].isoformat() == page["date"]
    assert meta["source"] == page["site"]
    assert meta["language"] == language
    assert meta.get("source_url") == (None if source == "file" else where)
    paragraphs = body.rstrip("\n").split("\n\n")
    assert len(paragraphs) == page["paragraphs"]
    assert paragraphs[0] == page["first"] and paragraphs[-1] == page["last"]
    for chrome in page["chrome"]:
        assert chrome not in body
    # A second import of the same page changes no byte.
    before = path.read_bytes()
    assert run(project, where, "--force", *(FAST if source == "http" else [])).exit_code == 0
    assert path.read_bytes() == before


@pytest.mark.parametrize("source", ["file", "http"])
def test_text_after_an_inline_image_is_kept(server: str, project: Path, source: str) -> None:
    where = str(FIXTURES / "inline_image.html") if source == "file" else f"{server}/inline-image"
    result = run(project, where, *(FAST if source == "http" else []))
    assert result.exit_code == 0, result.output
    _, body = split_article(project / "source_articles" / "2024-09-21-orchard-festival-draws-record-crowd.md")
    paragraphs = body.rstrip("\n").split("\n\n")
    base = "" if source == "file" else server  # a fetched page's addresses are made absolute
    assert paragraphs[1] == (f"The apple of the year ![A red apple]({base}/img/apple.jpg) was chosen by a jury of "
                             "local growers, who tasted forty varieties in the morning.")
    # An image with only a srcset: trafilatura keeps no address for it, but the sentence stays whole.
    assert paragraphs[2] == ("The cider press drew a queue all afternoon, and the first bottles sold out by three "
                             "o'clock.")
