"""The command line: the only module that imports click.

Each command builds its options into values, calls one function of
``localize.steps`` and prints the report it returns.
"""

from __future__ import annotations

import gc
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from localize.config import Config, find_project, load_config
from localize.errors import LocalizeError
from localize.files import CREATED, REMOVED, UNCHANGED, UPDATED, write_text_atomic
from localize.language import parse_language
from localize.pool import default_jobs
from localize import progress
from localize.site import PAGE_FORMATS
from localize.report import CHECK_FORMATS, STATUS_FORMATS, format_check, format_status, status_html
from localize.statistics import format_percent

# Each command imports its step when it runs: a command loads only what it uses.


# The name the package is installed under (pip install newsroom-localize): "localize" on PyPI
# is another project. The command and the import package are localize.
DISTRIBUTION = "newsroom-localize"


class LocalizeGroup(click.Group):
    """Shows a LocalizeError (or an OSError from the file system) as one line and exit status 1,
    without a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LocalizeError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(1)
        except OSError as error:
            # A folder that is a file, a full disk, no permission: the user's to fix, not a bug.
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"Error: {where}{error.strerror or error}", err=True)
            ctx.exit(1)


class ProjectContext:
    """The content tree a command works on: the one the folder (-C DIR, else the current
    one) is in, found as Git finds a repository. Its configuration is read on first use."""

    def __init__(self, directory: Path, *, verbosity: int = 0) -> None:
        self.directory = directory
        self.verbosity = verbosity  # -1 with --quiet, 1 with --verbose
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(find_project(self.directory))
        return self._config

    def config_adding(self, languages: tuple[str, ...]) -> Config:
        """The configuration as init reads it: a table for a language it adds is no error."""
        return load_config(find_project(self.directory), adding=languages)


pass_project = click.make_pass_decorator(ProjectContext)


@click.group(cls=LocalizeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C", "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=".",
    help="Work on the content tree in DIR instead of the current folder.", metavar="DIR",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors, warnings and what a command is asked for: "
              "no progress bar, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Print a line for every file written, too.")
@click.version_option(package_name=DISTRIBUTION)
@click.pass_context
def cli(ctx: click.Context, project_dir: Path, quiet: bool, verbose: bool) -> None:
    """Publish every article in many languages through gettext PO catalogs.

    --quiet and --verbose go before the command: localize -v extract.
    """
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    ctx.obj = ProjectContext(project_dir, verbosity=-1 if quiet else 1 if verbose else 0)


def _verbosity() -> int:
    project = click.get_current_context().find_object(ProjectContext)
    return project.verbosity if project is not None else 0


def _say(message: str = "", **options) -> None:
    """A line that tells what a command did: left out with --quiet."""
    if _verbosity() >= 0:
        click.echo(message, **options)


def _say_lines(lines: Iterable[str], *, block: int = 1000) -> None:
    """``_say`` of each line, a block of lines at a time: the tens of thousands of files a merge of
    an archive writes were as many writes (and flushes) of the terminal or pipe, a third of a second."""
    if _verbosity() < 0:
        return
    pending: list[str] = []
    for line in lines:
        pending.append(line)
        if len(pending) >= block:
            click.echo("\n".join(pending))
            pending.clear()
    if pending:
        click.echo("\n".join(pending))


def _detail(message: str, **options) -> None:
    """A line for every file: shown only with --verbose."""
    if _verbosity() > 0:
        click.echo(message, **options)


@contextmanager
def _progress(label: str, *, unit: str = "articles") -> Iterator[Callable[[int, int], None] | None]:
    """The ``on_progress`` of a step: a bar on a terminal (see ``localize.progress``), else None."""
    if not progress.wanted(quiet=_verbosity() < 0):
        yield None
        return
    with progress.ProgressBar(label, unit=unit) as bar:
        yield bar


def _say_waiting(path: Path) -> None:
    click.echo(f"waiting for another localize process (lock file {path})", err=True)


@cli.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any template or catalog is out of date.")
@click.option("--no-fuzzy", is_flag=True, help="Suggest no fuzzy translations for new messages.")
@click.option("--prune-obsolete", is_flag=True, help="Drop obsolete messages (#~) from the catalogs.")
@click.option("--prune-orphans", is_flag=True, help="Delete the templates and catalogs of articles that no longer exist.")
@click.option("--no-cache", is_flag=True, help="Read every article and catalog, even those unchanged since the last run.")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N", help="Processes to run on (default: one per core).")
@pass_project
def extract(
    project_ctx: ProjectContext, check: bool, no_fuzzy: bool, prune_obsolete: bool, prune_orphans: bool,
    no_cache: bool, jobs: int | None,
) -> None:
    """Update the POT templates and every language's PO catalogs from the source articles.

    A new text gets the translation of the same text elsewhere in the language
    (marked with a comment saying where), or else a fuzzy suggestion from the
    most similar translated text, with the text it translates as #| msgid.
    Texts that left an article stay in its catalogs as obsolete entries.
    """
    from localize.steps import extract as extract_step
    policy = extract_step.ExtractPolicy(
        fuzzy=not no_fuzzy, prune_obsolete=prune_obsolete, prune_orphans=prune_orphans, use_cache=not no_cache,
    )
    with _progress("extract") as on_progress:
        report = extract_step.extract(
            project_ctx.config, check=check, policy=policy, on_wait=_say_waiting, jobs=jobs or default_jobs(),
            on_progress=on_progress,
        )
    if _verbosity() > 0:
        # The updates come in the order of the changed files they belong to: matched as both are read
        # (an archive's run changes tens of thousands of files).
        updates = iter(report.updates)
        pending = next(updates, None)
        for change in report.changed:
            summary = None
            if pending is not None and pending.path == change.path:
                summary, pending = pending.summary, next(updates, None)
            verb = change.status if not check else f"would be {change.status}"
            _detail(_change_line(change, verb=verb, details=_update_details(summary)))
    if not prune_orphans:
        for slug in report.orphans:
            click.echo(f"{slug}: templates and catalogs have no source article (orphan)", err=True)
    for path in report.cleaned:
        click.echo(f"{path}: {'would be removed' if check else 'removed'} (left by an interrupted run)", err=True)
    unchanged = len(report.files) - len(report.changed) + report.skipped_files
    totals = _update_details(report.total_update())
    _say(
        f"{report.articles} article(s): {len(report.changed)} file(s) "
        f"{'out of date' if check else 'written'}{totals}, {unchanged} unchanged"
    )
    _say_problems(report.problems)
    if check and report.changed:
        click.echo("Run 'localize extract' to update them.", err=True)
        sys.exit(1)
    if report.problems:
        sys.exit(1)


def _change_line(change, *, verb: str | None = None, details: str = "") -> str:
    """``path: updated (converted from CP1251 to UTF-8)``: one line for a file a step wrote."""
    note = f" ({change.note})" if change.note else ""
    return f"{change.path}: {verb or change.status}{details}{note}"


def _say_problems(problems, warnings=()) -> None:
    """One line for each problem of a step that went on without the files concerned, as a
    compiler lists its errors: ``Error: path:line: message``."""
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)


def _update_details(summary) -> str:
    if summary is None:
        return ""
    parts = [
        f"{count} {label}" for count, label in (
            (summary.reused, "from the translation memory"), (summary.fuzzy, "fuzzy"),
            (summary.revived, "revived"), (summary.obsoleted, "obsolete"), (summary.pruned, "pruned"),
        ) if count
    ]
    return f" ({', '.join(parts)})" if parts else ""


@cli.command()
@click.argument("languages", nargs=-1, required=True)
@click.option("--source", "source_language", metavar="LANG",
              help="The language the articles are written in, for a new content tree (default: en).")
@pass_project
def init(project_ctx: ProjectContext, languages: tuple[str, ...], source_language: str | None) -> None:
    """Add LANGUAGES (such as ru, uk, pt_BR) and create their catalogs for every article.

    In a folder that is no content tree yet, it makes one: localize.toml (or
    [tool.localize] in the folder's pyproject.toml), source_articles/ and locales/.
    """
    from localize.steps import init as init_step
    config = project_ctx.config_adding(languages)
    report = init_step.init_languages(config, languages, source_language=source_language)
    if report.extract.problems:
        _say_problems(report.extract.problems)
        click.echo("Nothing written: fix the articles above and run localize init again.", err=True)
        sys.exit(1)
    settings = config.relative(report.settings)
    source = config.relative(config.source_dir)
    if report.created:
        _say(f"{settings}: created (source language {source_language or config.source_language})")
    for code in report.added:
        _say(f"added language {code} to {settings}")
    for folder in report.folders:
        _say(f"{config.relative(folder)}/: created")
    for code in report.already:
        _say(f"{code}: already a language of this project ({settings})")
    for change in report.extract.changed:
        _say(_change_line(change))
    if report.extract.articles == 0:
        _say(
            f"\nNext: write an article as {source}/SLUG.md (Markdown, front matter optional),\n"
            "run 'localize extract' to make its catalogs, translate them in any PO editor,\n"
            "and run 'localize merge' to publish it."
        )
    else:
        _say(
            f"\nNext: translate the catalogs in {config.relative(config.locales_dir)}/LANG/LC_MESSAGES/articles/\n"
            "in any PO editor (Poedit, Lokalize, Weblate), and run 'localize merge' to publish them."
        )


@cli.command()
@click.option("--lang", "languages", multiple=True, metavar="LANG", help="Only this language (repeatable).")
@click.option("--out", "output_dir", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--use-fuzzy", is_flag=True, help="Publish fuzzy translations too (they count as translated).")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N", help="Processes to run on (default: one per core).")
@click.option("--format", "formats", multiple=True, type=click.Choice(PAGE_FORMATS),
              help="Only pages in this format (repeatable; default: the formats setting, else all). "
                   "Without html, no HTML is made: no index, 404 page, feed or sitemap.")
@click.option("--no-cache", is_flag=True, help="Parse every article and catalog again, even those parsed as they are "
                                               "by an earlier extract, check or merge.")
@pass_project
def merge(
    project_ctx: ProjectContext, languages: tuple[str, ...], output_dir: Path | None, use_fuzzy: bool, jobs: int | None,
    formats: tuple[str, ...], no_cache: bool,
) -> None:
    """Publish the articles in every language into the output folder (build/ by default).

    For each language: SLUG.md, SLUG.html and SLUG.txt for every article
    translated at least min_translated percent (--format md: the Markdown
    alone, for a site generator such as Hugo), index.html and manifest.json.
    """
    from localize.publish import MergePolicy
    from localize.steps import merge as merge_step
    config = project_ctx.config
    with _progress("merge") as on_progress:
        report = merge_step.merge(
            config, languages=_language_options(config, languages, configured=True), output_dir=output_dir,
            policy=MergePolicy(use_fuzzy=use_fuzzy), on_wait=_say_waiting, jobs=jobs, on_progress=on_progress,
            formats=formats or None, use_cache=not no_cache,
        )
    for refused in report.refused:
        click.echo(f"Warning: {refused.path}:{f'{refused.line}:' if refused.line else ''} {refused.code} {refused.message}",
                   err=True)
    if _verbosity() > 0:
        # (made as they are read: a merge of an archive changes tens of thousands of files)
        _say_lines(_change_line(change) for change in report.changed)
    for summary in report.languages:
        if summary.source:
            _say(f"{summary.language}: {len(summary.articles)} article(s), source language")
            continue
        _say(
            f"{summary.language}: {len(summary.articles)} article(s), "
            f"{summary.translated}/{summary.segments} segments translated ({format_percent(summary.percent)}), "
            f"{len(summary.published)} published"
        )
        for article in summary.withheld:
            _say(
                f"{summary.language}: {article.slug}: not published, {format_percent(article.percent)} translated "
                f"(min_translated is {summary.min_translated:g}%)"
            )
    counts = sum((Counter(summary.counts) for summary in report.languages), Counter())
    _say(f"{config.relative(report.output_dir)}: {counts[CREATED] + counts[UPDATED]} file(s) written, "
         f"{counts[REMOVED]} removed, {counts[UNCHANGED]} unchanged")
    _say_problems(report.problems, report.warnings)
    if report.problems:
        sys.exit(1)


@cli.command("import")
@click.argument("source")
@click.option("--slug", help="File name of the article, without .md (default: the date and words of the title).")
@click.option("--force", is_flag=True, help="Replace an article that already has this slug.")
@click.option("--year", type=click.IntRange(1900, 2200), help="Year of a dateline that gives none, such as '27 June, 11:43 AM'.")
@click.option("--timezone", "zone", metavar="ZONE", help="IANA time zone of the source's times, such as Europe/Kyiv.")
@click.option("--language", metavar="LANG", help="The article's language, when the guess from the page or text is wrong.")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=20.0, show_default=True, help="Seconds to wait for the server.")
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True, help="Retries on 429, 5xx and connection errors.")
@click.option("--retry-wait", type=click.FloatRange(min=0), default=1.0, show_default=True, help="Seconds before the first retry, doubled for each next one.")
@pass_project
def import_(
    project_ctx: ProjectContext, source: str, slug: str | None, force: bool, year: int | None, zone: str | None,
    language: str | None, timeout: float, retries: int, retry_wait: float,
) -> None:
    """Import an article from SOURCE: an http(s) URL, an HTML file or a plain-text file.

    Writes SOURCE_DIR/SLUG.md and prints its path. From a page, the article is
    taken without the site's menus, related links, comments and ads; from text,
    the shape is an optional dateline, the headline, then paragraphs separated
    by blank lines (short trailing lines such as "Все новости" are dropped).

    A dateline without a year is read as the latest such day up to today, as
    an editor reads a fresh story: give --year for an older one. A time without
    a zone is left out unless --timezone says which zone it is in.
    """
    from localize.fetch import FetchPolicy
    from localize.importers import DatePolicy
    from localize.steps import importing
    report = importing.import_article(
        project_ctx.config,
        source,
        dates=DatePolicy(today=date.today(), year=year, zone=zone),
        slug=slug,
        force=force,
        language=language,
        fetch_policy=FetchPolicy(timeout=timeout, retries=retries, backoff=retry_wait),
        on_wait=_say_waiting,
    )
    for note in report.notes:
        click.echo(f"Note: {note}", err=True)
    click.echo(project_ctx.config.relative(report.path))


def _language_options(config: Config, languages: tuple[str, ...], *, configured: bool) -> tuple[str, ...]:
    """--lang values as codes; a malformed code, or one the project does not translate into
    when ``configured`` is asked, is a usage error (exit status 2)."""
    codes = []
    for code in languages:
        try:
            codes.append(parse_language(code).code)
        except LocalizeError as error:
            raise click.BadParameter(error.message, param_hint="--lang") from None
        if configured and codes[-1] not in config.languages:
            known = ", ".join(config.languages) or "none"
            raise click.BadParameter(f"{code} is not a language of this project (languages: {known})",
                                     param_hint="--lang")
    return tuple(codes)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[PATH]...")
@click.option("--lang", "languages", multiple=True, metavar="LANG", help="Only this language (repeatable).")
@click.option("--format", "output_format", type=click.Choice(CHECK_FORMATS), default="text",
              show_default=True, help="text (path:line: CODE message), json, github annotations or junit XML.")
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N", help="Processes to run on (default: one per core).")
@click.option("--no-cache", is_flag=True, help="Check every file again, even those unchanged since the last run.")
@pass_project
def check(
    project_ctx: ProjectContext, paths: tuple[Path, ...], languages: tuple[str, ...], output_format: str, strict: bool,
    jobs: int | None, no_cache: bool,
) -> None:
    """Check every catalog of the content tree, or the PO files (and folders) PATH.

    Exits 0 when nothing is wrong, 1 when a check finds an error (or, with
    --strict, a warning). A translator comment "# localize-ignore: W201" on an
    entry silences that check there.
    """
    from localize.steps import check as check_step
    config = project_ctx.config
    codes = _language_options(config, languages, configured=not paths)
    with _progress("check", unit="catalogs") as on_progress:
        result = check_step.check(config, languages=codes, paths=paths, jobs=jobs, on_progress=on_progress,
                                  use_cache=not no_cache)
    click.echo(format_check(result, output_format, strict=strict), nl=False)
    sys.exit(1 if result.failed(strict=strict) else 0)


@cli.command()
@click.option("--lang", "languages", multiple=True, metavar="LANG", help="Only this language (repeatable).")
@click.option("--by-article", is_flag=True, help="A row per article under each language.")
@click.option("--format", "output_format", type=click.Choice(STATUS_FORMATS), default="table",
              show_default=True, help="table, json, or markdown for a pull-request comment.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write a dashboard page to FILE instead (such as build/status.html).")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N", help="Processes to run on (default: one per core).")
@click.option("--no-cache", is_flag=True, help="Read every article and catalog again, even those unchanged since the last run.")
@pass_project
def status(
    project_ctx: ProjectContext, languages: tuple[str, ...], by_article: bool, output_format: str,
    html_path: Path | None, jobs: int | None, no_cache: bool,
) -> None:
    """Show how much of every language is translated: segments, words, percent.

    A catalog or source article that cannot be read is named on stderr as check
    names it (file, line and why), the rest is shown, and the exit status is 1.
    """
    from localize.steps import status as status_step
    config = project_ctx.config
    with _progress("status") as on_progress:
        result = status_step.status(config, languages=_language_options(config, languages, configured=True), jobs=jobs,
                                    on_progress=on_progress, use_cache=not no_cache)
    if html_path is not None or output_format != "json":
        # A file that cannot be read shows in the table only with --by-article: say it here
        # too, as check would. JSON carries it in each article's "problem".
        for problem in result.problems:
            where = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
            click.echo(f"{where}: {problem.code} {problem.message} (cannot be read; counted as untranslated)",
                       err=True)
    if html_path is not None:
        write_text_atomic(html_path, status_html(result))
        click.echo(f"{html_path}: written")
    else:
        click.echo(format_status(result, output_format, by_article=by_article), nl=False)
    if result.problems:
        # The numbers above leave out what could not be read: not a state to report as fine.
        sys.exit(1)


# The translators' tools register their commands on ``cli`` (imported last: they use what is above).
from localize.cli import tools  # noqa: E402,F401


def main() -> None:
    try:
        cli(prog_name="localize")
    finally:
        # The process ends here: what it made (a report of ten thousand catalogs) goes with it,
        # not walked once more by the cyclic collector at exit (~0.08 s at 10,000 articles).
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
