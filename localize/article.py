"""Reading source articles: the files under the source folder, as text, with their slugs."""

from __future__ import annotations

from pathlib import Path

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
            "[tool.localize] of pyproject.toml",
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
    """Read one article; it must be UTF-8 and its front matter must parse."""
    shown = config.relative(path)
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
