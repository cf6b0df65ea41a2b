"""The reports of ``localize check`` and ``localize status`` as text for people and machines.

Every function takes a report value and returns a string; nothing here prints.

Check formats: ``text`` (``path:line: CODE message``, grouped by file, then a
summary), ``json`` (``CHECK_JSON_SCHEMA``), ``github`` (workflow commands that
annotate the PO line), ``junit`` (one test case per catalog). Every format says
the same of the configuration's ``[check]``: an error it reports as a warning
is marked so, and what it ignored is counted.
Status formats: ``table``, ``json`` (``STATUS_JSON_SCHEMA``), ``markdown`` (for
a pull-request comment) and ``html`` (a dashboard page).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from localize.statistics import format_percent as percent_text
from localize.model import ERROR, Counts, Finding

if TYPE_CHECKING:
    from localize.steps.check import CheckReport
    from localize.steps.status import ArticleStatus, StatusReport

CHECK_FORMATS = ("text", "json", "github", "junit")
STATUS_FORMATS = ("table", "json", "markdown")

CHECK_JSON_SCHEMA = """\
The JSON of ``localize check --format json`` (version 1; fields are only ever added):

{
  "version": 1,
  "passed": true | false,           # what the exit status says: false exits 1
  "strict": true | false,           # --strict: warnings fail too
  "summary": {"catalogs": int, "errors": int, "warnings": int,
              "translated": int, "fuzzy": int, "untranslated": int, "obsolete": int,
              "ignored": int,       # findings that [check] ignore left out (listed in "ignored")
              "downgraded": int},   # errors that [check] warn reports as warnings (counted in "warnings")
  "catalogs": [                     # every PO and POT file checked, in order
    {
      "path": str,                  # as given, or relative to the project
      "language": str | null,       # null for a template or a file of unknown language
      "template": bool,
      "counts": null | {            # null when the file does not parse
        "translated": int, "fuzzy": int, "untranslated": int, "obsolete": int,
        "total": int,               # translated + fuzzy + untranslated (msgfmt --statistics)
        "percent": float,           # translated / total * 100, two decimals; 100 when total is 0
        "translated_words": int, "fuzzy_words": int, "untranslated_words": int
      },
      "findings": [FINDING, ...]
    }
  ],
  "findings": [FINDING, ...],       # about no file checked: a missing catalog, a bad source article
  "ignored": [FINDING, ...]         # left out by [check] ignore: they neither fail nor count
}

FINDING = {"code": "E201", "severity": "error" | "warning", "path": str,
           "line": int | null, "message": str,
           "downgraded": bool}      # an error that [check] warn reports as a warning
"""

STATUS_JSON_SCHEMA = """\
The JSON of ``localize status --format json`` (version 1; fields are only ever added):

{
  "version": 1,
  "languages": [
    {
      "language": "ru", "name": "Russian", "min_translated": 80.0,
      "articles_total": int, "published": int, "outdated": int,
      "counts": COUNTS,             # the sum over its articles
      "articles": [
        {"slug": str, "path": str, "counts": COUNTS,
         "outdated": bool,          # extract would change its catalog (or it has a problem)
         "published": bool,         # at least min_translated percent translated
         "problem": null | "missing" | "orphan" | str}   # str: why the catalog cannot be read
      ]
    }
  ]
}

COUNTS = {"translated": int, "fuzzy": int, "untranslated": int, "obsolete": int, "total": int,
          "percent": float, "translated_words": int, "fuzzy_words": int, "untranslated_words": int,
          "words": int, "words_percent": float,
          "machine_unreviewed": int}   # of the fuzzy ones: machine translations nobody confirmed yet
"""

BAR_WIDTH = 20


def _sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line is not None, f.line or 0))


def _location(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}" if finding.line is not None else f"{finding.path}"


def _plural(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


# -- check -------------------------------------------------------------------------------------

def format_check(report: CheckReport, output_format: str, *, strict: bool = False) -> str:
    formatter = {"text": check_text, "json": check_json, "github": check_github, "junit": check_junit}
    return formatter[output_format](report, strict=strict)


def check_summary(report: CheckReport, *, strict: bool = False) -> str:
    """The verdict, and what is left for translators even when nothing is wrong; before it, a
    line saying what the configuration's [check] ignored or reported as warnings, if anything."""
    verdict = "failed" if report.failed(strict=strict) else "passed"
    translations = [catalog.counts for catalog in report.catalogs if catalog.counts is not None and not catalog.template]
    fuzzy = sum(counts.fuzzy for counts in translations)
    untranslated = sum(counts.untranslated for counts in translations)
    left = f"; {fuzzy} fuzzy, {untranslated} untranslated" if fuzzy or untranslated else ""
    configured = policy_summary(report)
    return (configured + "\n" if configured else "") + (
        f"{_plural(len(report.catalogs), 'catalog')} checked: {_plural(report.errors, 'error')}, "
        f"{_plural(report.warnings, 'warning')}{left} ({verdict}{', strict' if strict else ''})"
    )


def _by_code(findings: Iterable[Finding]) -> str:
    counts = Counter(f.code for f in findings)
    return ", ".join(f"{code} ×{count}" for code, count in sorted(counts.items()))


def policy_summary(report: CheckReport) -> str:
    """What [check] ignore and warn did, such as ``By configuration: 2 errors reported as
    warnings (E101 ×2); 3 findings ignored (W204 ×3)``; empty when they did nothing."""
    parts = []
    if report.downgraded:
        count = len(report.downgraded)
        parts.append(f"{_plural(count, 'error')} reported as {'a warning' if count == 1 else 'warnings'} "
                     f"({_by_code(report.downgraded)})")
    if report.ignored:
        parts.append(f"{_plural(len(report.ignored), 'finding')} ignored ({_by_code(report.ignored)})")
    return "By configuration: " + "; ".join(parts) if parts else ""


DOWNGRADED = " (a warning by configuration)"


def _message(finding: Finding) -> str:
    """The finding's message, saying so when the configuration downgraded it."""
    return finding.message + (DOWNGRADED if finding.downgraded else "")


def check_text(report: CheckReport, *, strict: bool = False) -> str:
    """``path:line: CODE message``, one file after another, then a summary line."""
    groups = [catalog.findings for catalog in report.catalogs if catalog.findings]
    groups += [[f for f in report.findings if f.path == path] for path in dict.fromkeys(f.path for f in report.findings)]
    blocks = [
        "\n".join(f"{_location(f)}: {f.code} {_message(f)}" for f in _sorted_findings(group)) for group in groups
    ]
    return "".join(block + "\n\n" for block in blocks) + check_summary(report, strict=strict) + "\n"


def _counts_json(counts: Counts | None) -> dict | None:
    if counts is None:
        return None
    return {
        "translated": counts.translated, "fuzzy": counts.fuzzy, "untranslated": counts.untranslated,
        "obsolete": counts.obsolete, "total": counts.total, "percent": round(counts.percent, 2),
        "translated_words": counts.translated_words, "fuzzy_words": counts.fuzzy_words,
        "untranslated_words": counts.untranslated_words,
    }


def _finding_json(finding: Finding) -> dict:
    return {
        "code": finding.code, "severity": finding.severity, "path": finding.path.as_posix(),
        "line": finding.line, "message": finding.message, "downgraded": finding.downgraded,
    }


def check_json(report: CheckReport, *, strict: bool = False) -> str:
    """The report as ``CHECK_JSON_SCHEMA`` describes it."""
    total = Counts.total_of(catalog.counts for catalog in report.catalogs if catalog.counts and not catalog.template)
    data = {
        "version": 1,
        "passed": not report.failed(strict=strict),
        "strict": strict,
        "summary": {
            "catalogs": len(report.catalogs), "errors": report.errors, "warnings": report.warnings,
            "translated": total.translated, "fuzzy": total.fuzzy, "untranslated": total.untranslated,
            "obsolete": total.obsolete, "ignored": len(report.ignored), "downgraded": len(report.downgraded),
        },
        "catalogs": [
            {
                "path": catalog.path.as_posix(), "language": catalog.language, "template": catalog.template,
                "counts": _counts_json(catalog.counts),
                "findings": [_finding_json(f) for f in _sorted_findings(catalog.findings)],
            }
            for catalog in report.catalogs
        ],
        "findings": [_finding_json(f) for f in report.findings],
        "ignored": [_finding_json(f) for f in report.ignored],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def check_github(report: CheckReport, *, strict: bool = False) -> str:
    """GitHub Actions workflow commands: an annotation on the PO line of every finding."""
    lines = []
    for finding in report.all_findings:
        command = "error" if finding.severity == ERROR or strict else "warning"
        properties = [f"file={_github_property(finding.path.as_posix())}"]
        if finding.line is not None:
            properties.append(f"line={finding.line}")
        properties.append(f"title={_github_property(finding.code)}")
        lines.append(f"::{command} {','.join(properties)}::{_github_data(_message(finding))}")
    lines.append(check_summary(report, strict=strict))
    return "\n".join(lines) + "\n"


# Characters XML 1.0 cannot hold, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def check_junit(report: CheckReport, *, strict: bool = False) -> str:
    """JUnit XML: one test case per catalog, failing with its findings (warnings only with strict)."""
    import xml.etree.ElementTree as ET  # (loaded by this report alone)

    cases: list[tuple[str, str, list[Finding]]] = [
        (catalog.language or ("template" if catalog.template else "catalog"), catalog.path.as_posix(),
         list(catalog.findings))
        for catalog in report.catalogs
    ]
    if report.findings:
        cases.append(("content tree", "content tree", list(report.findings)))
    suite = ET.Element("testsuite", name="localize check")
    failures = 0
    for classname, name, findings in cases:
        case = ET.SubElement(suite, "testcase", classname=_xml_text(classname), name=_xml_text(name))
        failing = [f for f in findings if f.severity == ERROR or strict]
        lines = "\n".join(f"{_location(f)}: {f.code} {_message(f)}" for f in _sorted_findings(findings))
        if failing:
            failures += 1
            failure = ET.SubElement(
                case, "failure", type=failing[0].code,
                message=_xml_text(f"{_plural(len(failing), 'problem')}: {failing[0].code} {failing[0].message}"),
            )
            failure.text = _xml_text(lines)
        elif findings:
            ET.SubElement(case, "system-out").text = _xml_text(lines)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    if configured := policy_summary(report):
        properties = ET.Element("properties")
        for name, value in (("ignored", len(report.ignored)), ("downgraded", len(report.downgraded))):
            ET.SubElement(properties, "property", name=name, value=str(value))
        suite.insert(0, properties)
        ET.SubElement(suite, "system-out").text = _xml_text(configured)
    root = ET.Element("testsuites", name="localize check", tests=str(len(cases)), failures=str(failures))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- status ------------------------------------------------------------------------------------

def format_status(report: StatusReport, output_format: str, *, by_article: bool = False) -> str:
    if output_format == "json":
        return status_json(report)
    if output_format == "markdown":
        return status_markdown(report, by_article=by_article)
    return status_table(report, by_article=by_article)


def bar(counts: Counts, width: int = BAR_WIDTH) -> str:
    """``█`` translated, ``▒`` fuzzy, ``░`` untranslated, in proportion to the messages."""
    if not counts.total:
        return "█" * width
    translated = math.floor(width * counts.translated / counts.total)
    fuzzy = math.floor(width * (counts.translated + counts.fuzzy) / counts.total) - translated
    return "█" * translated + "▒" * fuzzy + "░" * (width - translated - fuzzy)


def _state(article: ArticleStatus) -> str:
    notes = []
    if article.problem:
        notes.append(article.problem)
    elif article.outdated:
        notes.append("outdated")
    if not article.published:
        notes.append("unpublished")
    return ", ".join(notes)


def status_table(report: StatusReport, *, by_article: bool = False) -> str:
    """A table for the terminal: message ("segment") and word counts, percent and a bar."""
    header = ("", "translated", "fuzzy", "untranslated", "translated", "fuzzy", "untranslated", "", "")
    rows: list[tuple[str, ...]] = []

    def row(name: str, counts: Counts, note: str = "") -> tuple[str, ...]:
        return (
            name, str(counts.translated), str(counts.fuzzy), str(counts.untranslated),
            str(counts.translated_words), str(counts.fuzzy_words), str(counts.untranslated_words),
            percent_text(counts.percent), bar(counts) + (f"  {note}" if note else ""),
        )

    def with_machine(note: str, counts: Counts) -> str:
        machine = f"{counts.machine} machine, unreviewed" if counts.machine else ""
        return ", ".join(part for part in (note, machine) if part)

    for language in report.languages:
        note = f"{language.published}/{len(language.articles)} published"
        rows.append(row(f"{language.language} {language.name}", language.counts, with_machine(note, language.counts)))
        if by_article:
            rows.extend(row(f"  {article.slug}", article.counts, with_machine(_state(article), article.counts))
                        for article in language.articles)
    widths = [max(len(line[column]) for line in [header, *rows]) for column in range(len(header))]
    widths[0] = max(widths[0], len("language"))
    segments_width = widths[1] + widths[2] + widths[3] + 4
    words_width = widths[4] + widths[5] + widths[6] + 4
    title = "language" if not by_article else "language / article"
    widths[0] = max(widths[0], len(title))
    lines = [
        f"{'':<{widths[0]}}  {'segments':^{segments_width}}  {'words':^{words_width}}".rstrip(),
        "  ".join(
            [f"{title:<{widths[0]}}"] + [f"{header[c]:>{widths[c]}}" for c in range(1, 7)] + ["done"]
        ),
    ]
    for line in rows:
        cells = [f"{line[0]:<{widths[0]}}"] + [f"{line[c]:>{widths[c]}}" for c in range(1, 8)] + [line[8]]
        lines.append("  ".join(cells).rstrip())
    if not report.languages:
        lines.append("no languages: add some with localize init LANG")
    return "\n".join(lines) + "\n"


def _status_counts_json(counts: Counts) -> dict:
    data = _counts_json(counts) or {}
    data["words"] = counts.words
    data["words_percent"] = round(counts.words_percent, 2)
    data["machine_unreviewed"] = counts.machine
    return data


def status_json(report: StatusReport) -> str:
    """The report as ``STATUS_JSON_SCHEMA`` describes it."""
    data = {
        "version": 1,
        "languages": [
            {
                "language": language.language, "name": language.name, "min_translated": language.min_translated,
                "articles_total": len(language.articles), "published": language.published,
                "outdated": language.outdated, "counts": _status_counts_json(language.counts),
                "articles": [
                    {
                        "slug": article.slug, "path": article.path.as_posix(),
                        "counts": _status_counts_json(article.counts), "outdated": article.outdated,
                        "published": article.published, "problem": article.problem,
                    }
                    for article in language.articles
                ],
            }
            for language in report.languages
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def status_markdown(report: StatusReport, *, by_article: bool = False) -> str:
    """GitHub-flavoured Markdown tables, for a pull-request comment."""
    lines = [
        "| Language | Translated | Fuzzy | Untranslated | Words translated | Published | Progress |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for language in report.languages:
        counts = language.counts
        lines.append(
            f"| {_markdown_cell(language.language)} ({_markdown_cell(language.name)}) | {counts.translated} "
            f"| {_fuzzy_cell(counts)} | {counts.untranslated} | {counts.translated_words} / {counts.words} "
            f"| {language.published} / {len(language.articles)} | `{bar(counts)}` {percent_text(counts.percent)} |"
        )
    if by_article:
        for language in report.languages:
            lines += [
                "",
                f"#### {_markdown_cell(language.language)} ({_markdown_cell(language.name)})",
                "",
                "| Article | Translated | Fuzzy | Untranslated | Words translated | Progress | State |",
                "| --- | ---: | ---: | ---: | ---: | --- | --- |",
            ]
            for article in _dashboard_order(language.articles):
                counts = article.counts
                lines.append(
                    f"| {_markdown_cell(article.slug)} | {counts.translated} | {_fuzzy_cell(counts)} | {counts.untranslated} "
                    f"| {counts.translated_words} / {counts.words} | `{bar(counts)}` {percent_text(counts.percent)} "
                    f"| {_markdown_cell(_state(article)) or 'ok'} |"
                )
    return "\n".join(lines) + "\n"


def _fuzzy_cell(counts: Counts) -> str:
    return f"{counts.fuzzy} ({counts.machine} machine, unreviewed)" if counts.machine else str(counts.fuzzy)


def _dashboard_order(articles: Iterable[ArticleStatus]) -> list[ArticleStatus]:
    """Outdated and unpublished articles first, then the rest, each by slug."""
    return sorted(articles, key=lambda a: (a.published and not a.outdated, a.slug))


_PAGE_STYLE = """
body { font: 15px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .3em .6em; text-align: left; border-bottom: 1px solid #ddd; vertical-align: middle; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: flex; width: 12em; height: .9em; background: #e5e5e5; border-radius: 2px; overflow: hidden; }
.bar span { display: block; height: 100%; }
.translated { background: #2e7d32; } .fuzzy { background: #f9a825; }
.state { font-size: .85em; color: #b71c1c; }
"""


def _html_bar(counts: Counts) -> str:
    if not counts.total:
        return '<div class="bar" title="nothing to translate"><span class="translated" style="width:100%"></span></div>'
    translated = 100 * counts.translated / counts.total
    fuzzy = 100 * counts.fuzzy / counts.total
    title = f"{counts.translated} translated, {counts.fuzzy} fuzzy, {counts.untranslated} untranslated"
    return (
        f'<div class="bar" title="{html.escape(title)}">'
        f'<span class="translated" style="width:{translated:.2f}%"></span>'
        f'<span class="fuzzy" style="width:{fuzzy:.2f}%"></span></div>'
    )


def _html_row(name: str, counts: Counts, state: str = "") -> str:
    cells = [
        f"<td>{html.escape(name)}</td>",
        f'<td class="number">{counts.translated}</td>', f'<td class="number">{counts.fuzzy}</td>',
        f'<td class="number">{counts.untranslated}</td>',
        f'<td class="number">{counts.translated_words}&nbsp;/&nbsp;{counts.words}</td>',
        f'<td class="number">{percent_text(counts.percent)}</td>', f"<td>{_html_bar(counts)}</td>",
        f'<td class="state">{html.escape(state)}</td>',
    ]
    return "<tr>" + "".join(cells) + "</tr>"


_HTML_HEAD = (
    "<tr><th>{}</th><th>Translated</th><th>Fuzzy</th><th>Untranslated</th><th>Words</th>"
    "<th>Done</th><th></th><th></th></tr>"
)


def status_html(report: StatusReport, *, title: str = "Translation status") -> str:
    """A self-contained dashboard page: a bar per language, then per article of each language,
    the outdated and unpublished ones first."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        f'<head><meta charset="utf-8"><title>{html.escape(title)}</title><style>{_PAGE_STYLE}</style></head>',
        "<body>",
        f"<h1>{html.escape(title)}</h1>",
        "<table>", _HTML_HEAD.format("Language"),
    ]
    for language in report.languages:
        note = f"{language.published}/{len(language.articles)} published"
        if language.outdated:
            note += f", {language.outdated} outdated"
        parts.append(_html_row(f"{language.language} – {language.name}", language.counts, note))
    parts.append("</table>")
    for language in report.languages:
        parts += [
            f'<h2 id="{html.escape(language.language)}">{html.escape(language.name)} ({html.escape(language.language)})'
            f" – publishes at {language.min_translated:g}%</h2>",
            "<table>", _HTML_HEAD.format("Article"),
        ]
        parts += [_html_row(a.slug, a.counts, _state(a)) for a in _dashboard_order(language.articles)]
        parts.append("</table>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
