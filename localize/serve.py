"""``localize serve``: a live preview of every language's pages for translators and editors.

The pages are the real merge's (``localize.steps.merge``), written into a
temporary folder (never the tree's ``build/`` unless asked), and built again
when a source article, a catalog, a page template, a glossary or the settings
change. Changes are noticed by comparing the files' sizes and modification
times (one ``stat`` each, as ``localize.cache`` does for extract) when a
request comes, so an idle server does nothing and a page reloads after the
build it shows. Open pages poll ``/__localize/version`` and reload when it moves.

Besides the site: ``/__localize/`` lists the articles and languages with the
percent translated; ``/__localize/review/LANG/SLUG`` is the side-by-side review
(``localize.preview``). Something that cannot be built shows a page naming the
file and line, and the server goes on; fixing the file makes the page work again.

The standard library's ThreadingHTTPServer is enough for one newsroom's
editors on a laptop; this is a preview, not a web server to publish from.
"""

from __future__ import annotations

import json
import mimetypes
import secrets
import shutil
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from localize import preview_html
from localize.article import ARTICLE_SUFFIX
from localize.cache import file_state, files_signature, scan
from localize.catalog import catalog_path
from localize.config import CONFIG_FILE, PYPROJECT, Config, load_config
from localize.errors import LocalizeError
from localize.fetch import is_loopback
from localize.glossary import GLOSSARY_FOLDER
from localize.preview import review
from localize.publish import ArticleState
from localize.site import PAGE_FORMATS
from localize.steps.merge import MergeReport, merge
from localize.steps.status import StatusReport, status
from localize.ui import template_dirs

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


@dataclass(frozen=True)
class Build:
    """The pages as last built: ``version`` moves each time the watched files change.
    ``error`` says why nothing could be built (the previous pages are not shown then)."""

    version: int
    config: Config | None
    report: MergeReport | None = None
    error: LocalizeError | None = None
    # The index's and the reviews' data are made on demand, once per version.
    memo: dict = field(default_factory=dict, compare=False, repr=False)


class Preview:
    """The content tree being previewed, its build folder and the version of its pages.

    Use it as a context manager: a temporary build folder is removed on exit.
    """

    def __init__(self, project_dir: Path, *, output_dir: Path | None = None) -> None:
        self.project_dir = project_dir
        self._asked_output = output_dir
        self.output_dir = output_dir
        self._lock = threading.Lock()
        self._seen: bytes | None = None
        self._build = Build(version=0, config=None)
        self._temporary: Path | None = None

    def __enter__(self) -> Preview:
        if self.output_dir is None:
            self._temporary = Path(tempfile.mkdtemp(prefix="localize-serve-"))
            self.output_dir = self._temporary
        return self

    def __exit__(self, *exc_info) -> None:
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)

    def current(self) -> Build:
        """The build of the files as they are now: built again first if any changed."""
        with self._lock:
            signature = self._signature(self._build.config)
            if signature != self._seen:
                self._build = self._rebuild(self._build.version + 1)
                # The build may have found the folders elsewhere (the settings changed): watch those.
                self._seen = self._signature(self._build.config)
            return self._build

    def _rebuild(self, version: int) -> Build:
        config = None
        try:
            config = load_config(self.project_dir)
            assert self.output_dir is not None, "Preview is used as a context manager"
            # Every format whatever the formats setting says: what is served is the HTML site.
            report = merge(config, output_dir=self.output_dir, formats=PAGE_FORMATS)
            return Build(version=version, config=config, report=report)
        except LocalizeError as error:
            return Build(version=version, config=config, error=error)
        except OSError as error:
            return Build(version=version, config=config, error=LocalizeError(
                error.strerror or str(error), path=error.filename,
            ))

    def _signature(self, config: Config | None) -> bytes:
        """Sizes and modification times of every file a build reads: one stat each."""
        top = self.project_dir
        files: list[tuple[str, tuple]] = []
        for path in (top / CONFIG_FILE, top / PYPROJECT):
            files.append((str(path), file_state(path) or (-1, -1)))
        if config is None:
            folders = [(top / "source_articles", ARTICLE_SUFFIX), (top / "locales", ".po")]
            folders += [(top / "templates", "")]
        else:
            folders = [(config.source_dir, ARTICLE_SUFFIX), (config.locales_dir, ".po")]
            folders += [(folder, "") for folder in template_dirs(config)]
        folders.append((top / GLOSSARY_FOLDER, ""))
        for folder, suffix in folders:
            found = scan(folder, suffix)
            files.extend(found.files.values())
            # A file that cannot be looked at (a link to nothing) counts by its name.
            files.extend((path, (-2, -2)) for path, _ in found.unreadable.values())
        return files_signature(files)

    def status(self, build: Build) -> StatusReport:
        if "status" not in build.memo:
            assert build.config is not None
            build.memo["status"] = status(build.config)
        return build.memo["status"]


def make_server(preview: Preview, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                editor_url: str = "") -> ThreadingHTTPServer:
    """A server bound to ``host``:``port`` (port 0: any free one), not yet serving.

    ``editor_url`` links each review row to its place, ``{path}`` and ``{line}``
    replaced (``vscode://file{path}:{line}``); empty: a file:// URL.
    """
    # Bound to loopback, the preview answers only to loopback names: a web page the editor
    # visits cannot rebind its own name to 127.0.0.1 and read unpublished translations.
    names = LOOPBACK_NAMES | {host.strip("[]").lower()} if is_loopback(host) else None
    handler = type("PreviewHandler", (_Handler,), {"preview": preview, "editor_url": editor_url, "host_names": names})
    server_class = _IPv6Server if ":" in host else ThreadingHTTPServer
    server = server_class((host.strip("[]"), port), handler)
    server.daemon_threads = True
    return server


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def server_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else str(host)
    return f"http://{shown}:{port}/"


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def _host_name(header: str) -> str:
    """The name of a Host header, without its port: ``[::1]:8000`` is ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    editor_url: str
    host_names: frozenset[str] | None
    server_version = "localize-serve"
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        """Quiet: the terminal shows the URL and problems, not every poll of the version."""

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _respond(self, *, head: bool) -> None:
        if self.host_names is not None and _host_name(self.headers.get("Host", "")) not in self.host_names:
            body = b"This preview answers to localhost only.\n"
            self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8", body, head=head)
            return
        path = unquote(urlsplit(self.path).path)
        build = self.preview.current()
        if path in ("/", preview_html.PREFIX):
            self._redirect(f"{preview_html.PREFIX}/")
        elif path == preview_html.VERSION_PATH:
            body = json.dumps({"version": build.version}).encode()
            self._send(HTTPStatus.OK, "application/json", body, head=head)
        elif path == f"{preview_html.PREFIX}/":
            self._index(build, head=head)
        elif path.startswith(f"{preview_html.PREFIX}/review/"):
            language, _, slug = path[len(f"{preview_html.PREFIX}/review/"):].partition("/")
            self._review(build, language, slug, head=head)
        elif path.startswith(f"{preview_html.PREFIX}/"):
            self._page(build, HTTPStatus.NOT_FOUND, "Not found", preview_html.not_found_body(path), head=head)
        else:
            self._file(build, path, head=head)

    # -- the preview's own pages --

    def _index(self, build: Build, *, head: bool) -> None:
        if build.config is None:
            self._error(build, head=head)
            return
        try:
            status = self.preview.status(build)
        except LocalizeError as error:
            self._error(build, head=head, errors=[error])
            return
        cells = {
            (language.language, article.slug): (article.counts.percent, article.published, article.problem)
            for language in status.languages for article in language.articles
        }
        slugs = sorted({slug for _, slug in cells})
        # The articles merge could not read are status's E104 findings already.
        problems = [*status.problems, *(build.report.warnings if build.report else ())]
        if build.error is not None:
            problems.insert(0, build.error)
        body = preview_html.index_body(
            slugs, [(language.language, language.name) for language in status.languages], cells,
            source_language=build.config.source_language, problems=problems,
        )
        self._page(build, HTTPStatus.OK, "localize: live preview", body, head=head)

    def _review(self, build: Build, language: str, slug: str, *, head: bool) -> None:
        if build.config is None:
            self._error(build, head=head)
            return
        try:
            found = review(build.config, language, slug)
        except LocalizeError as error:
            self._error(build, head=head, errors=[error])
            return
        if found is None:
            self._page(build, HTTPStatus.NOT_FOUND, "Not found", preview_html.not_found_body(
                f"No catalog of {slug} in {language}: is it a language of the project, and has "
                "'localize extract' made the catalog?"), head=head)
            return
        body = preview_html.review_body(found, editor_url=self.editor_url)
        self._page(build, HTTPStatus.OK, f"Review: {slug} ({language})", body, head=head)

    def _error(self, build: Build, *, head: bool, errors: list | None = None) -> None:
        shown = errors or ([build.error] if build.error is not None else [])
        self._page(build, HTTPStatus.INTERNAL_SERVER_ERROR, "localize: cannot build the preview",
                   preview_html.error_body(shown, heading="The preview cannot be built"), head=head)

    def _page(self, build: Build, status: HTTPStatus, title: str, body: str, *, head: bool) -> None:
        nonce = secrets.token_urlsafe(12)
        document = preview_html.page(title, body, version=build.version, nonce=nonce)
        self._send(status, "text/html; charset=utf-8", document.encode("utf-8"), head=head,
                   headers={"Content-Security-Policy": preview_html.content_security_policy(nonce)})

    # -- the site --

    def _file(self, build: Build, path: str, *, head: bool) -> None:
        if build.error is not None or build.config is None:
            self._error(build, head=head)
            return
        root = self.preview.output_dir
        assert root is not None
        parts = [part for part in path.split("/") if part]
        if any(part in (".", "..") or "\x00" in part or "\\" in part for part in parts):
            self._page(build, HTTPStatus.NOT_FOUND, "Not found", preview_html.not_found_body(path), head=head)
            return
        target = root.joinpath(*parts)
        if target.is_dir():
            if not path.endswith("/"):
                self._redirect(path + "/")
                return
            target = target / "index.html"
        broken = self._problems_of(build, parts)
        if broken:
            self._page(build, HTTPStatus.INTERNAL_SERVER_ERROR, "localize: cannot build this page",
                       preview_html.error_body(broken, heading="This article cannot be built"), head=head)
            return
        try:
            inside = target.resolve().is_relative_to(root.resolve())
            data = target.read_bytes() if inside and target.is_file() else None
        except OSError:
            data = None
        if data is None:
            problems = list(build.report.problems) if build.report else []
            body = preview_html.not_found_body(f"No page {path} in the preview.")
            withheld = self._withheld(build, parts)
            if withheld is not None:
                body += "\n" + preview_html.withheld_body(*withheld)
            if problems:
                body += "\n" + preview_html.error_body(problems, heading="Articles that cannot be built")
            self._page(build, HTTPStatus.NOT_FOUND, "Not found", body, head=head)
            return
        if target.suffix == ".html":
            nonce = secrets.token_urlsafe(12)
            text = preview_html.with_reload_script(data.decode("utf-8"), version=build.version, nonce=nonce)
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", text.encode("utf-8"), head=head)
            return
        kind = {".md": "text/markdown", ".txt": "text/plain", ".json": "application/json"}.get(target.suffix)
        kind = kind or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind == "application/json":
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, kind, data, head=head)

    def _withheld(self, build: Build, parts: list[str]) -> tuple[str, ArticleState, float] | None:
        """The article and language of page ``LANG/SLUG.EXT`` when merge held it back."""
        if build.report is None or len(parts) < 2:
            return None
        slug = "/".join(parts[1:]).rsplit(".", 1)[0]
        for summary in build.report.languages:
            if summary.language == parts[0]:
                for article in summary.withheld:
                    if article.slug == slug:
                        return summary.language, article, summary.min_translated
        return None

    def _problems_of(self, build: Build, parts: list[str]) -> list[LocalizeError]:
        """The problems of the article whose page ``LANG/SLUG.EXT`` is: its earlier page
        may still be in the build folder, but it is not what the article now says."""
        if build.report is None or build.config is None or len(parts) < 2:
            return []
        config = build.config
        slug = "/".join(parts[1:]).rsplit(".", 1)[0]
        # The article itself, or one of its catalogs (merge holds the article back for either).
        wanted = {config.source_dir / f"{slug}{ARTICLE_SUFFIX}",
                  *(catalog_path(config, code, slug) for code in config.languages)}
        return [
            problem for problem in build.report.problems
            if problem.path is not None and config.project_dir / problem.path in wanted
        ]

    # -- HTTP --

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, kind: str, body: bytes, *, head: bool,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)
