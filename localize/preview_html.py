"""The pages of the live preview (``localize serve``) that are not the site's own: the index of
articles and languages, the side-by-side review, the error page; and the reload script that
only preview responses carry.

Every text that comes from a catalog, an article or an error goes through ``_text`` (HTML
escaping, quotes included): a translator's msgstr is data, never markup. The pages are built
with f-strings rather than the site's Jinja2 templates, which another concern owns
(``localize.render``) and a content tree may override.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from localize.errors import LocalizeError
from localize.model import ERROR, Finding
from localize.preview import FAILING, Review, ReviewRow
from localize.publish import ArticleState
from localize.statistics import format_percent

PREFIX = "/__localize"
VERSION_PATH = f"{PREFIX}/version"
# How often an open page asks whether the build changed, in milliseconds.
POLL_MILLISECONDS = 1000

# Sources the reload script needs in a page's Content-Security-Policy: itself, by nonce, and a
# fetch of the version from the server it came from.
_RELOAD_SOURCES = {"script-src": "'nonce-{nonce}'", "connect-src": "'self'"}

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5em; color: #1b1b1b; }
h1 { font-size: 1.35em; margin: 0 0 .3em; }
nav a { margin-right: 1em; }
table { border-collapse: collapse; width: 100%; margin-top: 1em; }
th, td { border: 1px solid #d0d0d0; padding: .4em .5em; vertical-align: top; text-align: start; }
th { background: #f3f3f3; }
table.review { table-layout: fixed; }
table.review th:nth-child(1), table.review th:nth-child(2) { width: 36%; }
table.review th:nth-child(3) { width: 16%; }
td.text { white-space: pre-wrap; }
td.where, a.where { overflow-wrap: anywhere; }
.state-translated td.state { color: #1d6b2c; }
.state-fuzzy { background: #fff7dc; }
.state-untranslated { background: #f6f6f6; }
.state-failing { background: #fde8e8; }
.state-warning { background: #fdf3e6; }
ul.findings { margin: .3em 0 0; padding-left: 1.1em; }
.finding.error code { color: #b00020; }
.finding.warning code { color: #9a5b00; }
.where, .kind { font-size: .85em; color: #555; }
.notice { padding: .6em .8em; border-left: 4px solid #b00020; background: #fde8e8; margin: 1em 0; }
.percent { font-variant-numeric: tabular-nums; }
pre { white-space: pre-wrap; }
"""


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def page(title: str, body: str, *, version: int, nonce: str) -> str:
    """A complete preview page with the reload script."""
    return (
        '<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n"
        f"{reload_script(version, nonce)}\n</body>\n</html>\n"
    )


def content_security_policy(nonce: str) -> str:
    """The policy of the preview's own pages: no scripts but the reload script, styles inline."""
    return (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'"
    )


def reload_script(version: int, nonce: str) -> str:
    """A script that reloads the page once the server says its build changed.

    It polls rather than holding a Server-Sent Events stream open, so that a
    threaded server stops at once and a tab left open costs one small request a second.
    """
    return (
        f'<script nonce="{_text(nonce)}" data-localize-preview>'
        f"(function(){{var seen={json.dumps(str(version))};"
        f"setInterval(function(){{fetch({json.dumps(VERSION_PATH)},{{cache:'no-store'}})"
        ".then(function(r){return r.json();})"
        ".then(function(d){if(String(d.version)!==seen){location.reload();}})"
        f".catch(function(){{}});}},{POLL_MILLISECONDS});}})();</script>"
    )


_CSP_META = re.compile(
    r"""<meta\s[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>""", re.IGNORECASE,
)
_CONTENT = re.compile(r"""(\scontent\s*=\s*)("[^"]*"|'[^']*')""", re.IGNORECASE)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


def with_reload_script(document: str, *, version: int, nonce: str) -> str:
    """A published page as the preview serves it: the reload script before ``</body>``, and
    the page's own Content-Security-Policy opened to that script alone.

    Only the response changes: the file in the build stays as merge wrote it.
    """
    document = _CSP_META.sub(lambda match: _open_policy(match.group(0), nonce), document)
    script = reload_script(version, nonce)
    ends = list(_BODY_END.finditer(document))
    if not ends:
        return document + script
    at = ends[-1].start()
    return document[:at] + script + document[at:]


def _open_policy(meta: str, nonce: str) -> str:
    def replace(match: re.Match) -> str:
        policy = html.unescape(match.group(2)[1:-1])
        return f'{match.group(1)}"{_text(allow_reload(policy, nonce))}"'

    return _CONTENT.sub(replace, meta, count=1)


def allow_reload(policy: str, nonce: str) -> str:
    """``policy`` with the reload script's sources added to (or set as) its script-src and connect-src."""
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    wanted = {name: source.format(nonce=nonce) for name, source in _RELOAD_SOURCES.items()}
    result = []
    for directive in directives:
        name, _, value = directive.partition(" ")
        name = name.lower()
        if name in wanted:
            sources = [source for source in value.split() if source.lower() != "'none'"]
            directive = " ".join([name, *sources, wanted.pop(name)])
        result.append(directive)
    result.extend(f"{name} {source}" for name, source in wanted.items())
    return "; ".join(result)


# -- the pages -----------------------------------------------------------------------------

def index_body(
    articles: Iterable[str], languages: Iterable[tuple[str, str]], cells: dict[tuple[str, str], tuple[float, bool, str | None]],
    *, source_language: str, problems: Iterable[LocalizeError | Finding],
) -> str:
    """The table of articles and languages: each cell the percent translated, linked to the review.

    ``cells`` maps (language, slug) to (percent, published, problem).
    """
    languages = list(languages)
    parts = ["<h1>Live preview</h1>", _problems(problems)]
    parts.append(
        "<p>Each percent is the article's messages translated in that language (as <code>localize status</code> "
        "counts them); it leads to the side-by-side review. Pages are rebuilt when an article, a catalog or a "
        "template changes, and open pages reload.</p>"
    )
    head = "".join(f'<th scope="col">{_text(name)} ({_text(code)})</th>' for code, name in languages)
    rows = []
    for slug in articles:
        cells_html = []
        for code, _ in languages:
            cell = cells.get((code, slug))
            if cell is None:
                cells_html.append('<td class="percent">–</td>')
                continue
            percent, published, problem = cell
            page_link = (f' · <a href="/{_url(code)}/{_url(slug)}.html">page</a>' if published else " · not published")
            note = f'<div class="where">{_text(problem)}</div>' if problem else ""
            cells_html.append(
                f'<td class="percent" data-lang="{_text(code)}"><a href="{PREFIX}/review/{_url(code)}/{_url(slug)}">'
                f"{_text(format_percent(percent))}</a>{page_link}{note}</td>"
            )
        rows.append(
            f'<tr data-slug="{_text(slug)}"><th scope="row"><a href="/{_url(source_language)}/{_url(slug)}.html">'
            f"{_text(slug)}</a></th>{''.join(cells_html)}</tr>"
        )
    parts.append(
        f'<table class="articles"><thead><tr><th scope="col">Article</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return "\n".join(parts)


def review_body(review: Review, *, editor_url: str) -> str:
    """The side-by-side table: source | translation | state | where, one row per entry."""
    language = review.language
    source = review.source_language
    title = f"{review.slug} in {language.english_name} ({language.code})"
    parts = [
        f'<nav><a href="{PREFIX}/">All articles</a>'
        f'<a href="/{_url(language.code)}/{_url(review.slug)}.html">The page in {_text(language.english_name)}</a>'
        f'<a href="/{_url(source.code)}/{_url(review.slug)}.html">The source page</a></nav>',
        f"<h1>{_text(title)}</h1>",
    ]
    counts = review.counts
    covered = (
        f"{_text(format_percent(review.coverage.percent))} of its segments"
        f" ({'published' if review.coverage.publishes(review.min_translated) else 'not published'}:"
        f" min_translated is {review.min_translated:g}%)"
        if review.coverage is not None else "its source article is gone"
    )
    parts.append(
        f'<p class="summary">{_link(review.path, None, review.shown, editor_url)}: {counts.translated} translated, '
        f"{counts.fuzzy} fuzzy, {counts.untranslated} untranslated; {covered}.</p>"
    )
    if review.findings:
        parts.append(f'<ul class="findings file">{"".join(_finding(found) for found in review.findings)}</ul>')
    rows = "".join(_row(row, review, editor_url) for row in review.rows)
    parts.append(
        '<table class="review"><thead><tr>'
        f'<th scope="col">Source ({_text(source.code)})</th><th scope="col">Translation ({_text(language.code)})</th>'
        '<th scope="col">State</th><th scope="col">In the catalog</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    return "\n".join(parts)


def _row(row: ReviewRow, review: Review, editor_url: str) -> str:
    language, source = review.language, review.source_language
    source_text = row.msgid if not row.msgid_plural else f"{row.msgid}\n{row.msgid_plural}"
    forms = "".join(
        f'<div class="form">{f"[{index}] " if len(row.forms) > 1 else ""}{_text(form)}</div>'
        for index, form in enumerate(row.forms)
    )
    findings = "".join(_finding(found) for found in row.findings)
    if not row.published:
        findings += '<li class="finding error">not published: the page shows the source text</li>'
    context = f'<div class="kind">context: {_text(row.msgctxt)}</div>' if row.msgctxt is not None else ""
    kind = f'<div class="kind">{_text(row.kind)}</div>' if row.kind else ""
    label = "failing a check" if row.state == FAILING else row.state
    return (
        f'<tr class="state-{_text(row.state)}" data-state="{_text(row.state)}" data-line="{row.line}">'
        f'<td class="text source" lang="{_text(source.code)}" dir="{_text(source.direction)}">{_text(source_text)}'
        f"{context}{kind}</td>"
        f'<td class="text translation" lang="{_text(language.code)}" dir="{_text(language.direction)}">{forms}</td>'
        f'<td class="state">{_text(label)}{f"<ul class=findings>{findings}</ul>" if findings else ""}</td>'
        f'<td class="where">{_link(review.path, row.line, review.shown, editor_url)}</td></tr>'
    )


def _finding(found: Finding) -> str:
    severity = "error" if found.severity == ERROR else "warning"
    return (
        f'<li class="finding {severity}" data-code="{_text(found.code)}"><code>{_text(found.code)}</code> '
        f"{_text(found.message)}</li>"
    )


def _link(path: Path, line: int | None, shown: Path, editor_url: str) -> str:
    """``shown:line``, linked to the file: a file:// URL, or an editor's (``vscode://file{path}:{line}``)."""
    text = f"{shown}:{line}" if line else str(shown)
    href = editor_href(editor_url, path, line)
    return f'<a class="where" href="{_text(href)}">{_text(text)}</a>'


def editor_href(template: str, path: Path, line: int | None) -> str:
    """The link to a place in a file; ``{path}`` and ``{line}`` in ``template`` are replaced
    (plain replacement, not str.format, so that a template holds no other fields)."""
    absolute = path.resolve()
    if not template:
        return absolute.as_uri()
    return template.replace("{path}", quote(absolute.as_posix())).replace("{line}", str(line or 1))


def error_body(errors: Iterable[LocalizeError | Finding], *, heading: str) -> str:
    """What the preview shows instead of a page it cannot build: each problem at its file and line."""
    return "\n".join([
        f'<nav><a href="{PREFIX}/">All articles</a></nav>',
        f"<h1>{_text(heading)}</h1>",
        _problems(errors, always=True),
        "<p>Fix the file and save it: this page reloads by itself.</p>",
    ])


def withheld_body(language: str, article: ArticleState, min_translated: float) -> str:
    """Why merge publishes no page of an article in a language."""
    return (
        f"<p>{_text(article.slug)} is not published in {_text(language)}: "
        f"{_text(format_percent(article.percent))} of its segments translated, min_translated is "
        f"{min_translated:g}%. <a href=\"{PREFIX}/review/{_url(language)}/{_url(article.slug)}\">Review it</a>.</p>"
    )


def not_found_body(what: str) -> str:
    return f'<nav><a href="{PREFIX}/">All articles</a></nav>\n<h1>Not found</h1>\n<p>{_text(what)}</p>'


def _problems(problems: Iterable[LocalizeError | Finding], *, always: bool = False) -> str:
    items = [f'<li class="problem"><pre>{_text(describe(problem))}</pre></li>' for problem in problems]
    if not items and not always:
        return ""
    return f'<div class="notice" role="alert"><ul class="problems">{"".join(items)}</ul></div>'


def describe(problem: LocalizeError | Finding) -> str:
    """A problem as the command line shows it: ``path:line: message`` (``CODE`` for a finding)."""
    if isinstance(problem, Finding):
        where = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
        return f"{where}: {problem.code} {problem.message}"
    return str(problem)


def _url(text: str) -> str:
    return quote(text)
