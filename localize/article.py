"""Reading source articles: the files under the source folder, as text, with their slugs."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from localize.config import Config
from localize.errors import ConfigError, SourceError
from localize.model import Article
from localize.segment.frontmatter import read_front_matter, split_front_matter

ARTICLE_SUFFIX = ".md"


def article_paths(config: Config) -> list[Path]:
    """Every source article, sorted by slug so that reports and catalogs come in a stable order."""
    source_dir = config.source_dir
    if not source_dir.is_dir():
        raise ConfigError(
            f"no source folder {config.relative(source_dir)}: create it, or set source_dir in "
            f"{config.settings_place}",
            path=config.project_dir,
        )
    paths = [
        path for path in source_dir.rglob(f"*{ARTICLE_SUFFIX}")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(source_dir).parts)
    ]
    return sorted(paths, key=lambda path: slug_for(config, path))


def slug_for(config: Config, path: Path) -> str:
    """The article's slug: its path under the source folder, without ``.md``, with ``/``."""
    return path.relative_to(config.source_dir).with_suffix("").as_posix()


def read_article(config: Config, path: Path) -> Article:
    """Read one article; it must be UTF-8 and its front matter must parse.

    A symbolic link may lead to another file of the content tree (or of the
    source folder), never out of it: the tree takes contributions from people
    who must not publish the machine's files (``ln -s /etc/passwd``).
    """
    shown = config.relative(path)
    resolved = path.resolve()
    if not (resolved.is_relative_to(config.project_dir) or resolved.is_relative_to(config.source_dir)):
        raise SourceError("a symbolic link to a file outside the content tree: not read", path=shown)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(
            f"not UTF-8 (byte 0x{data[error.start]:02x}): save the article as UTF-8", path=shown, line=line
        ) from None
    block = split_front_matter(text, path=shown)
    front_matter = read_front_matter(text, block, path=shown)
    return Article(slug=slug_for(config, path), path=shown, text=text, front_matter=front_matter)


def read_articles(config: Config) -> list[Article]:
    return [read_article(config, path) for path in article_paths(config)]


def check_dateline(article: Article) -> None:
    """Raise a ``SourceError`` at its line when ``date`` or ``timezone`` in the front matter
    cannot make the dateline a page shows.

    Extract does not need them, so only what publishes (merge) or judges what
    would be published (check, status) asks: a dateline must not fail merge
    alone, nor vanish from the pages in silence.
    """
    value = article.front_matter.get("date")
    if value is not None and not isinstance(value, (date, datetime)):
        try:
            datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise SourceError(
                f"front matter: date {value!r} is not a date: write it as 2022-06-27 or 2022-06-27T11:43:00+03:00",
                path=article.path, line=_key_line(article.text, "date"),
            ) from None
    zone = article.front_matter.get("timezone")
    if zone:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            raise SourceError(
                f"front matter: unknown time zone {str(zone)!r}: expected an IANA name such as Europe/Kyiv",
                path=article.path, line=_key_line(article.text, "timezone"),
            ) from None


def _key_line(text: str, key: str) -> int | None:
    """The 1-based line where the front matter sets ``key`` at its top level (YAML or TOML)."""
    block = split_front_matter(text, path=Path())
    if block is None:
        return None
    setting = re.compile(rf"^[\"']?{re.escape(key)}[\"']?\s*[:=]", re.MULTILINE)
    found = setting.search(text, block.content_start, block.content_end)
    return text.count("\n", 0, found.start()) + 1 if found else None
