"""``localize init``: add languages to a content tree (making one if needed) and create their catalogs."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from localize.cache import CACHE_FOLDER
from localize.config import Config, add_languages, settings_file
from localize.errors import ConfigError
from localize.language import parse_language
from localize.steps.extract import ExtractReport, extract


@dataclass(frozen=True)
class InitReport:
    """What init did: the settings file (``created`` when it is new), the languages it added and
    those already there, the folders it made, and the catalogs it wrote (``extract``)."""

    settings: Path
    created: bool
    added: tuple[str, ...]
    already: tuple[str, ...]
    folders: tuple[Path, ...]
    extract: ExtractReport


def init_languages(config: Config, codes: tuple[str, ...], *, source_language: str | None = None) -> InitReport:
    """Add languages to the configuration and create their catalogs for every article.

    A folder with no content tree becomes one: its settings file (localize.toml, or
    ``[tool.localize]`` in an existing pyproject.toml, with ``source_language``, default
    en) and its source folder. When anything fails, what init made is removed again and
    the settings are left as they were; so too when an article cannot be read
    (``extract.problems``): nothing is written until every article can be.
    """
    languages = tuple(dict.fromkeys(parse_language(code).code for code in codes))
    settings = config.config_file or settings_file(config.project_dir)
    if source_language is not None:
        source_language = parse_language(source_language).code
        if config.config_file is None:
            config = replace(config, source_language=source_language)
        elif source_language != config.source_language:
            raise ConfigError(
                f"the source language is already {config.source_language}: change source_language in "
                f"{config.settings_place} instead", path=config.relative(settings),
            )
    if config.source_language in languages:
        raise ConfigError(
            f"{config.source_language} is the source language of the articles, not a translation "
            f"(source_language in {config.settings_place})",
            path=config.relative(settings),
        )
    created = not settings.is_file()
    made = [
        top for folder in (config.source_dir, config.locales_dir, config.project_dir / CACHE_FOLDER)
        if (top := _first_missing(folder, config.project_dir)) is not None
    ]
    try:
        config.source_dir.mkdir(parents=True, exist_ok=True)
        preview = extract(config, languages=languages, check=True)
        if preview.problems:
            _remove_folders(made)
            return InitReport(settings=settings, created=False, added=(), already=(), folders=(), extract=preview)
        report = extract(config, languages=languages)
        added, settings = add_languages(config, languages)
    except BaseException:
        _remove_folders(made)
        raise
    return InitReport(
        settings=settings,
        created=created,
        added=added,
        already=tuple(code for code in languages if code not in added),
        folders=tuple(folder for folder in made if folder.name != CACHE_FOLDER),
        extract=report,
    )


def _remove_folders(made: list[Path]) -> None:
    for folder in reversed(made):
        shutil.rmtree(folder, ignore_errors=True)


def _first_missing(folder: Path, top: Path) -> Path | None:
    """The outermost folder from ``top`` down to ``folder`` that does not exist yet, if any."""
    if not folder.is_relative_to(top):
        return None
    for path in (*reversed(folder.relative_to(top).parents), folder.relative_to(top)):
        if str(path) != "." and not (top / path).exists():
            return top / path
    return None
