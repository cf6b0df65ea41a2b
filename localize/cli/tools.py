"""The translators' tools on the command line: pretranslate, tm, glossary, xliff, pseudo and serve."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from localize.config import check_output_dir
from localize.pseudo import PSEUDO_LOCALES
from localize.xliff import VERSIONS as XLIFF_VERSIONS
from localize.pretranslate.settings import ENGINES
from localize.cli import (
    ProjectContext,
    _change_line,
    _language_options,
    _say,
    _say_waiting,
    cli,
    pass_project,
)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[PATH]...")
@click.option("--lang", "languages", multiple=True, metavar="LANG", help="Only this language (repeatable).")
@click.option("--engine", type=click.Choice(ENGINES), help="Use this engine instead of the configured one.")
@click.option("--dry-run", is_flag=True, help="Ask no engine, write nothing: show what would be sent, per language.")
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="Send at most N segments to the engine in this run.")
@click.option("--include-fuzzy", is_flag=True, help="Replace fuzzy suggestions too (translated entries are never touched).")
@pass_project
def pretranslate(
    project_ctx: ProjectContext, paths: tuple[Path, ...], languages: tuple[str, ...], engine: str | None,
    dry_run: bool, limit: int | None, include_fuzzy: bool,
) -> None:
    """Fill untranslated entries with machine translations, marked fuzzy for a translator to confirm.

    Exact matches of the translation memory come first (no engine is asked);
    answers are cached in .localize-cache/, so a second run costs nothing. The
    engine is set in [tool.localize.pretranslate]; API keys only come from
    OPENAI_API_KEY, DEEPL_AUTH_KEY or LT_API_KEY. A translation whose markup
    does not survive is not written, and the reason is shown.
    """
    from localize.pretranslate.step import PretranslatePolicy
    from localize.pretranslate.step import pretranslate as run_pretranslate

    config = project_ctx.config
    policy = PretranslatePolicy(engine=engine, dry_run=dry_run, limit=limit, include_fuzzy=include_fuzzy)
    report = run_pretranslate(
        config, languages=_language_options(config, languages, configured=True), paths=paths, policy=policy,
        on_wait=_say_waiting,
    )
    for result in report.catalogs:
        parts = [f"{result.machine} machine-translated, fuzzy" if result.machine else "",
                 f"{result.memory} from the translation memory" if result.memory else ""]
        _say(f"{result.path}: {result.status} ({'; '.join(part for part in parts if part)})")
    for rejected in report.rejected:
        where = rejected.path if rejected.line is None else f"{rejected.path}:{rejected.line}"
        click.echo(f"{where}: {rejected.reason}", err=True)
    for cost in report.languages:
        verb = "would be sent" if dry_run else "sent"
        free = [f"{cost.memory} from the translation memory", f"{cost.cached} cached"]
        if cost.held:
            free.append(f"{cost.held} left for another run by --limit")
        _say(
            f"{cost.language}: {cost.segments} segment(s), {cost.characters:,} characters {verb} to "
            f"{cost.engine}; {', '.join(free)}"
        )
    for problem in report.problems:
        click.echo(f"Error: {problem}", err=True)
    if report.error is not None:
        click.echo(f"Error: {report.error}", err=True)
    if report.failed:
        sys.exit(1)


@cli.group()
def tm() -> None:
    """The translation memory, to and from CAT tools (OmegaT, Trados, Okapi) as TMX 1.4b files."""


@tm.command("export")
@click.option("--lang", "languages", multiple=True, metavar="LANG", help="Only this language (repeatable).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_project
def tm_export(project_ctx: ProjectContext, languages: tuple[str, ...], file: Path) -> None:
    """Write every translation of the catalogs (and compendia) to FILE, a TMX file."""
    from localize.steps import memory as memory_step
    report = memory_step.export_memory(project_ctx.config, file, languages=languages, on_wait=_say_waiting)
    for code, count in report.units:
        _say(f"{code}: {count} translation unit(s)")
    if report.dropped:
        click.echo(f"{report.dropped} unit(s) left out: they hold characters XML cannot carry", err=True)
    _say(f"{file}: {'written' if report.written else 'unchanged'}")


@tm.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Name of the memory (default: the file's name without .tmx).")
@pass_project
def tm_import(project_ctx: ProjectContext, file: Path, name: str | None) -> None:
    """Add the translations of FILE, a TMX file, to the translation memory.

    Each language of the configuration found in FILE gets
    locales/LANG/memory/NAME.po, which the memory reads along with the catalogs.
    """
    from localize.steps import memory as memory_step
    report = memory_step.import_memory(project_ctx.config, file, name=name, on_wait=_say_waiting)
    for written in report.catalogs:
        _say(f"{written.path}: {written.status} ({written.units} translation unit(s))")
    for language in report.ignored_languages:
        click.echo(f"{language}: not a language of this project, its translations are left out", err=True)
    if report.conflicts:
        click.echo(
            f"{report.conflicts} text(s) translated more than one way: the first translation is kept", err=True
        )
    if not report.catalogs:
        click.echo(f"{file}: no translations into a language of this project", err=True)


@cli.group()
def glossary() -> None:
    """The newsroom's glossary (glossary/LANG.csv or .tbx), to and from CAT tools as TBX files."""


@glossary.command("export")
@click.option("--lang", "languages", multiple=True, metavar="LANG", help="Only this language (repeatable).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_project
def glossary_export(project_ctx: ProjectContext, languages: tuple[str, ...], file: Path) -> None:
    """Write the glossary of every language (or of LANG) to FILE, a TBX-Basic file."""
    from localize.steps.glossary import export_glossary
    config = project_ctx.config
    report = export_glossary(config, file, languages=_language_options(config, languages, configured=True))
    for code, count in report.terms:
        _say(f"{code}: {count} term(s)")
    _say(f"{file}: {'written' if report.written else 'unchanged'}")


@glossary.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_project
def glossary_import(project_ctx: ProjectContext, file: Path) -> None:
    """Add the terms of FILE, a TBX file, to glossary/LANG.csv of each language of the project it has.

    Rows already in the CSV stay; a term and translation found in FILE take its status and note.
    """
    from localize.steps.glossary import import_glossary
    report = import_glossary(project_ctx.config, file)
    for written in report.glossaries:
        _say(f"{written.path}: {written.status} ({written.rows} term(s), {written.added} new, "
             f"{written.changed} changed)")
    for language in report.ignored_languages:
        click.echo(f"{language}: not a language of this project, its terms are left out", err=True)
    if not report.glossaries:
        click.echo(f"{file}: no terms in a language of this project", err=True)


@cli.command()
@click.option("--lang", "locales", multiple=True, type=click.Choice(tuple(PSEUDO_LOCALES)), metavar="NAME",
              help="Only this pseudo-locale: en-XA (accented, 30% longer) or ar-XB (mirrored, right to left).")
@click.option("--out", "output_dir", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@pass_project
def pseudo(project_ctx: ProjectContext, locales: tuple[str, ...], output_dir: Path | None) -> None:
    """Publish every article in the pseudo-locales en-XA and ar-XB, to test pages before translations exist.

    Every segment and site string is pseudo-translated in memory, with its
    markup, links and placeholders kept; nothing is written to locales/.
    """
    from localize.steps.pseudo import publish_pseudo
    report = publish_pseudo(project_ctx.config, locales=locales, output_dir=output_dir, on_wait=_say_waiting)
    for change in report.changed:
        _say(_change_line(change))
    for code, published in report.locales:
        _say(f"{code}: {published} article(s) published")


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback lets other machines read unpublished work.")
@click.option("--out", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the pages in this folder (default: a temporary one, removed on exit).")
@click.option("--editor-url", default="", metavar="TEMPLATE",
              help="Link review rows to an editor, {path} and {line} replaced: vscode://file{path}:{line}. "
                   "Default: file:// links.")
@pass_project
def serve(project_ctx: ProjectContext, port: int, host: str, output_dir: Path | None, editor_url: str) -> None:
    """Serve every language's pages for a live preview, rebuilt when an article, a catalog or
    a template changes; open pages reload.

    /__localize/ lists the articles with the percent translated in each language;
    /__localize/review/LANG/SLUG shows the source and the translation side by side, with
    each entry's state and check findings. Stop with Ctrl-C.
    """
    from localize.fetch import is_loopback
    from localize.serve import Preview, make_server, server_url

    config = project_ctx.config
    if output_dir is not None:
        output_dir = check_output_dir(config, output_dir)
    with Preview(config.project_dir, output_dir=output_dir) as preview:
        preview.current()  # the first build, before anyone asks
        server = make_server(preview, host=host, port=port, editor_url=editor_url)
        if not is_loopback(host):
            click.echo(f"Warning: listening on {host}: anyone who can reach this machine can read the "
                       "unpublished translations", err=True)
        click.echo(f"Serving the preview of {config.project_dir} at {server_url(server)} "
                   "(Ctrl-C to stop)")
        _serve_until_stopped(server)


def _serve_until_stopped(server) -> None:
    """Serve until SIGINT (Ctrl-C) or SIGTERM, then close the socket: exit status 0, no traceback."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C while closing would otherwise end in a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        server.server_close()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, previous)
    click.echo("Stopped.")


@cli.group()
def xliff() -> None:
    """A language's catalogs to and from CAT tools that read XLIFF (Trados, memoQ, Phrase)."""


@xliff.command("export")
@click.option("--lang", "language", required=True, metavar="LANG", help="The language whose catalogs to export.")
@click.option("--version", "version", type=click.Choice(XLIFF_VERSIONS), default=XLIFF_VERSIONS[0], show_default=True,
              help="XLIFF 1.2 (Trados, memoQ) or 2.0.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_project
def xliff_export(project_ctx: ProjectContext, language: str, version: str, file: Path) -> None:
    """Write every catalog of LANG (articles and site strings) to FILE, one <file> per catalog."""
    from localize.steps.xliff import export_xliff
    config = project_ctx.config
    code = _language_options(config, (language,), configured=True)[0]
    report = export_xliff(config, file, language=code, version=version, on_wait=_say_waiting)
    for problem in report.problems:
        click.echo(f"{problem}", err=True)
    if report.dropped:
        click.echo(f"{report.dropped} message(s) left out: they hold characters XML cannot carry", err=True)
    units = sum(count for _, count in report.catalogs)
    _say(f"{file}: {report.status} ({len(report.catalogs)} catalog(s), {units} message(s), XLIFF {version})")
    if report.problems:
        sys.exit(1)


@xliff.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", "language", metavar="LANG", help="The language, when FILE names none.")
@pass_project
def xliff_import(project_ctx: ProjectContext, file: Path, language: str | None) -> None:
    """Write the translations of FILE, an XLIFF 1.x or 2.x file, back into the catalogs it came from.

    Only entries whose msgid is still the unit's source are changed; the
    others are listed and left as they are. An empty target erases nothing.
    """
    from localize.steps.xliff import import_xliff
    config = project_ctx.config
    code = _language_options(config, (language,), configured=True)[0] if language else None
    report = import_xliff(config, file, language=code, on_wait=_say_waiting)
    for change in report.changes:
        if change.status != "unchanged":
            _say(_change_line(change))
    for problem in (*report.problems, *report.skipped):
        click.echo(f"{problem}", err=True)
    _say(
        f"{report.language}: {report.translated} translation(s) written, {report.unchanged} unchanged, "
        f"{report.empty} without a translation, {len(report.skipped)} left out"
    )
    if report.problems:
        sys.exit(1)
