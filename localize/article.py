"""Reading source articles: the files under the source folder, as text, with their slugs."""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timezone, tzinfo
from functools import lru_cache
from pathlib import Path

from localize.cache import DANGLING_LINK, Listing, scan
from localize.config import Config
from localize.dateline import EXAMPLES as DATE_EXAMPLES
from localize.dateline import DateError, parse_date, parse_zone
from localize.errors import ConfigError, SourceError
from localize.model import Article

ARTICLE_SUFFIX = ".md"
# The line of a problem with the whole file (one that cannot be opened): where an editor opens it.
WHOLE_FILE = 1


@dataclass(frozen=True)
class Sources:
    """The articles under the source folder, found in one walk.

    ``files``: slug to (path, state), sorted by slug. ``problems``: what has
    the article suffix but cannot be opened (a symbolic link in a loop or to
    nothing), or a folder that cannot be listed. ``unreadable`` holds the
    slugs of such articles, and ``unlisted`` the slug prefixes of such
    folders: their templates and catalogs are no orphans. ``links``: the paths
    of ``files`` that are symbolic links (``Scan.links``).
    """

    files: Listing  # (a Mapping)
    problems: tuple[SourceError, ...] = ()
    unreadable: frozenset[str] = frozenset()
    unlisted: tuple[str, ...] = ()
    links: frozenset[str] = frozenset()

    def known(self, slug: str) -> bool:
        """Whether ``slug`` is an article of the tree, readable or not."""
        return slug in self.files or slug in self.unreadable or slug.startswith(self.unlisted)


def find_articles(config: Config) -> Sources:
    """Every source article, sorted by slug so that reports and catalogs come in a stable order."""
    source_dir = config.source_dir
    if not source_dir.is_dir():
        raise ConfigError(
            f"no source folder {config.relative(source_dir)}: create it, or set source_dir in "
            f"{config.settings_place}",
            path=config.project_dir,
        )
    found = scan(source_dir, ARTICLE_SUFFIX)
    suffix = len(ARTICLE_SUFFIX)
    files = Listing(found.files.prefix, ARTICLE_SUFFIX)
    for relative in sorted(found.files, key=lambda name: name[:-suffix]):
        files.add(relative[:-suffix], *found.files.state(relative))
    problems = []
    unreadable, unlisted = set(), []
    for relative, (path, error) in sorted(found.unreadable.items()):
        shown = config.relative(Path(path))
        if relative.endswith("/"):
            unlisted.append(relative)
            problems.append(SourceError(f"the folder cannot be read: {_reason(error)}", path=shown))
        else:
            unreadable.add(relative[:-suffix])
            problems.append(SourceError(f"cannot be read: {_reason(error)}", path=shown, line=WHOLE_FILE))
    for slug in [slug for slug in files if _unreferable(slug)]:
        path, _ = files.pop(slug)
        unreadable.add(slug)
        problems.append(SourceError(
            "the file name has a control character (newline, tab, CR), which a PO reference cannot hold: "
            "rename the article", path=Path(_escaped(config.relative(Path(path)).as_posix())), line=WHOLE_FILE,
        ))
    return Sources(files, tuple(problems), frozenset(unreadable), tuple(unlisted), found.links)


def _unreferable(slug: str) -> bool:
    """Whether an article's name has a control character: a PO reference cannot hold it,
    and neither gettext nor polib would read the catalog back."""
    return _CONTROL_CHARACTER.search(slug) is not None


_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f]")


def _escaped(name: str) -> str:
    """``name`` with its control characters escaped, so that an error about it stays on one line."""
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return "".join(
        named.get(char, f"\\x{ord(char):02x}") if ord(char) < 0x20 or ord(char) == 0x7F else char for char in name
    )


def article_paths(config: Config) -> list[Path]:
    """The paths of the articles that can be opened, sorted by slug (``find_articles`` says which cannot)."""
    return [Path(path) for path, _ in find_articles(config).files.values()]


def slug_for(config: Config, path: Path) -> str:
    """The article's slug: its path under the source folder, without ``.md``, with ``/``."""
    text, top = os.fspath(path), os.fspath(config.source_dir)
    if os.sep == "/" and text.startswith(top + "/") and top != "/":
        # As the Path methods below say it, without making three paths (twice an article in a merge).
        relative = text[len(top) + 1:]
        if relative.endswith(ARTICLE_SUFFIX) and len(relative.rpartition("/")[2]) > len(ARTICLE_SUFFIX):
            return relative[:-len(ARTICLE_SUFFIX)]
    return path.relative_to(config.source_dir).with_suffix("").as_posix()


def read_article(config: Config, path: Path) -> Article:
    """Read one article; it must be UTF-8 and its front matter must parse.

    Its date and time zone are read too, but one that cannot be is no error
    here (see ``Article.date_problem`` and ``zone_problem``): only the dateline needs them.
    A symbolic link may lead to another file of the content tree (or of the
    source folder), never out of it: the tree takes contributions from people
    who must not publish the machine's files (``ln -s /etc/passwd``).
    """
    shown = config.relative(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        if isinstance(error, FileNotFoundError) and path.is_symlink():
            error = FileNotFoundError(error.errno, DANGLING_LINK)
        raise SourceError(f"cannot be read: {_reason(error)}", path=shown, line=WHOLE_FILE) from None
    if not _stays_in_tree(config, path):
        raise SourceError("a symbolic link to a file outside the content tree: not read", path=shown,
                          line=WHOLE_FILE)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(
            f"not UTF-8 (byte 0x{data[error.start]:02x}): save the article as UTF-8", path=shown, line=line
        ) from None
    # The front matter's parsers (tomlkit, PyYAML) are loaded only when an article is read: a run
    # that finds every article unchanged reads none.
    from localize.segment.frontmatter import read_front_matter, split_front_matter

    block = split_front_matter(text, path=shown)
    front_matter = read_front_matter(text, block, path=shown)
    when, zone, date_problem, zone_problem = _dateline(text, front_matter, shown)
    return Article(slug=slug_for(config, path), path=shown, text=text, front_matter=front_matter, date=when, zone=zone,
                   date_problem=date_problem, zone_problem=zone_problem)


def _stays_in_tree(config: Config, path: Path) -> bool:
    """Whether ``path``, once every symbolic link on its way is followed, is in the content tree
    (or the source folder). Both are resolved already: below them, a path that names no link is
    where it leads, and only its parts there are looked at (``Path.resolve`` asked the disk about
    every folder from the root, twice an article in a merge)."""
    if os.name == "posix" and path.is_absolute():
        text = os.fspath(path)
        for top in (os.fspath(config.source_dir), os.fspath(config.project_dir)):
            if not text.startswith(top + "/") or top == "/" or not _resolved_folder(top):
                continue
            parts = text[len(top) + 1:].split("/")
            if "" in parts or "." in parts or ".." in parts:
                break
            try:
                for end in range(1, len(parts) + 1):
                    if stat.S_ISLNK(os.lstat(top + "/" + "/".join(parts[:end])).st_mode):
                        break
                else:
                    return True  # no link on its way: it is where it is, under ``top``
            except OSError:
                pass
            break
    resolved = path.resolve()
    return resolved.is_relative_to(config.project_dir) or resolved.is_relative_to(config.source_dir)


@lru_cache(maxsize=64)
def _resolved_folder(folder: str) -> bool:
    """Whether ``folder`` is where it leads (the tree's folders are resolved when its settings are read)."""
    return os.path.realpath(folder) == folder


def read_articles(config: Config) -> tuple[list[Article], list[SourceError]]:
    """Every article that can be read, and why each of the others cannot."""
    found = find_articles(config)
    articles, problems = [], list(found.problems)
    for path, _ in found.files.values():
        try:
            articles.append(read_article(config, Path(path)))
        except SourceError as error:
            problems.append(error)
    return articles, problems


def order_time(article: Article) -> float:
    """Where the article comes in the newest-first order of the listings and "Other news" (its slug
    breaks ties): minus its time, a date alone taken at midnight and a time without a zone in UTC;
    infinity, last, when it has no date."""
    when = article.date
    if when is None:
        return math.inf
    if not isinstance(when, datetime):
        when = datetime.combine(when, time())
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return -when.timestamp()


def read_dateline(article: Article) -> Article:
    """The article with its ``date`` and ``timezone`` read (``localize.dateline``), or, for
    each that cannot be, a problem at its line."""
    when, zone, date_problem, zone_problem = _dateline(article.text, article.front_matter, article.path)
    return replace(article, date=when, zone=zone, date_problem=date_problem, zone_problem=zone_problem)


def _dateline(text: str, front_matter: dict, path: Path) -> tuple[
        date | datetime | None, tzinfo | None, SourceError | None, SourceError | None]:
    """``read_dateline``'s date, zone and problems (``read_article`` makes its article once with them)."""
    when = zone = date_problem = zone_problem = None
    value = front_matter.get("date")
    if value is not None:
        try:
            when = parse_date(value)
        except DateError as error:
            reason = f" ({error})" if str(error) else ""
            date_problem = SourceError(
                f"front matter: date {_shown(value)} is not a date{reason}: write it as {DATE_EXAMPLES}",
                path=path, line=_key_line(text, "date"),
            )
    name = front_matter.get("timezone")
    if name:
        try:
            zone = parse_zone(name)
        except DateError as error:
            problem = f"unknown time zone {name!r}" if isinstance(name, str) else f"timezone {_shown(name)} is {error}"
            zone_problem = SourceError(
                f"front matter: {problem}: expected an IANA name such as Europe/Kyiv",
                path=path, line=_key_line(text, "timezone"),
            )
    return when, zone, date_problem, zone_problem


def _shown(value: object) -> str:
    """A front-matter value as the author wrote it, for a message."""
    return repr(value if isinstance(value, str) else str(value))


def _reason(error: OSError) -> str:
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


def _key_line(text: str, key: str) -> int | None:
    """The 1-based line where the front matter sets ``key`` at its top level (YAML or TOML)."""
    from localize.segment.frontmatter import split_front_matter

    block = split_front_matter(text, path=Path())
    if block is None:
        return None
    setting = re.compile(rf"^[\"']?{re.escape(key)}[\"']?\s*[:=]", re.MULTILINE)
    found = setting.search(text, block.content_start, block.content_end)
    return text.count("\n", 0, found.start()) + 1 if found else None
