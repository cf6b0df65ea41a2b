"""``[tool.localize]`` from the content tree's pyproject.toml, read once into a frozen Config."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localize.errors import ConfigError, LanguageError
from localize.language import parse_language

LOCATION_STYLES = ("full", "file", "never")
FALLBACKS = ("source", "skip")


@dataclass(frozen=True)
class LanguageSettings:
    """Settings that ``[tool.localize.language.LANG]`` may override for one language."""

    min_translated: float = 80.0
    fallback: str = "source"


@dataclass(frozen=True)
class Config:
    """Where the content lives and what to do with it. Paths are absolute."""

    project_dir: Path
    source_language: str = "en"
    languages: tuple[str, ...] = ()
    source_dir: Path = Path("source_articles")
    locales_dir: Path = Path("locales")
    output_dir: Path = Path("build")
    front_matter_keys: tuple[str, ...] = ("title", "summary", "description")
    location: str = "full"
    # Project-Id-Version of the templates; None: what the template says already, else "PACKAGE VERSION".
    project_name: str | None = None
    min_translated: float = 80.0
    fallback: str = "source"
    language_settings: dict[str, LanguageSettings] = field(default_factory=dict)
    # Quotation marks usual per language ({"ru": "«»„“"}) for localize check; see localize.checks.QUOTES.
    quotes: dict[str, str] = field(default_factory=dict)
    # Translation memory: least similarity (0 to 1) of a fuzzy suggestion, and compendium PO files
    # (paths or globs relative to the project, with {lang} for the language) as msgmerge --compendium.
    fuzzy_cutoff: float = 0.75
    compendia: tuple[str, ...] = ()
    # Page width of the PO files written, as msgcat --width; 0: strings not wrapped (msgcat --no-wrap).
    # A file that is rewritten keeps its own wrapping when it has one of gettext's.
    po_wrap: int = 79

    def settings_for(self, language: str) -> LanguageSettings:
        return self.language_settings.get(
            language, LanguageSettings(min_translated=self.min_translated, fallback=self.fallback)
        )

    def relative(self, path: Path) -> Path:
        """``path`` relative to the project, as references and messages show it."""
        try:
            return path.relative_to(self.project_dir)
        except ValueError:
            return path


def load_config(project_dir: Path) -> Config:
    """Read ``project_dir/pyproject.toml``; a tree without one works on the defaults."""
    project_dir = project_dir.resolve()
    if not project_dir.is_dir():
        raise ConfigError(f"no such project folder: {project_dir}")
    pyproject = project_dir / "pyproject.toml"
    table: dict[str, Any] = {}
    name = None  # never the folder's name: a tree's files must not depend on where it is checked out
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"invalid TOML: {error}", path=pyproject) from None
        table = data.get("tool", {}).get("localize", {})
        name = data.get("project", {}).get("name", name)
        if name is not None and not isinstance(name, str):
            raise ConfigError("[project] name must be a string", path=pyproject)
        if not isinstance(table, dict):
            raise ConfigError("[tool.localize] must be a table", path=pyproject)
    return _config_from_table(project_dir, table, name, pyproject)


def _config_from_table(project_dir: Path, table: dict[str, Any], name: str | None, origin: Path) -> Config:
    known = {
        "source_language", "languages", "source_dir", "locales_dir", "output_dir",
        "front_matter_keys", "location", "project_name", "min_translated", "fallback", "language", "quotes",
        "fuzzy_cutoff", "compendia", "po_wrap",
    }
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"unknown setting in [tool.localize]: {', '.join(unknown)}", path=origin)

    def path_setting(key: str, default: str) -> Path:
        value = table.get(key, default)
        if not isinstance(value, str) or not value:
            raise ConfigError(f"[tool.localize] {key} must be a folder name", path=origin)
        return (project_dir / value).resolve()

    def string_list(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = table.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f"[tool.localize] {key} must be a list of strings", path=origin)
        return tuple(value)

    def choice(key: str, default: str, allowed: tuple[str, ...], where: dict[str, Any]) -> str:
        value = where.get(key, default)
        if value not in allowed:
            raise ConfigError(
                f"[tool.localize] {key} must be one of {', '.join(allowed)}, not {value!r}", path=origin
            )
        return value

    def percent(key: str, default: float, where: dict[str, Any]) -> float:
        value = where.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise ConfigError(f"[tool.localize] {key} must be a number from 0 to 100", path=origin)
        return float(value)

    try:
        source_language = parse_language(table.get("source_language", "en")).code
        languages = tuple(parse_language(code).code for code in string_list("languages", ()))
    except LanguageError as error:
        raise ConfigError(f"[tool.localize] {error.message}", path=origin) from None
    if len(set(languages)) != len(languages):
        raise ConfigError("[tool.localize] languages lists a language twice", path=origin)

    min_translated = percent("min_translated", 80.0, table)
    fallback = choice("fallback", "source", FALLBACKS, table)
    overrides = table.get("language", {})
    if not isinstance(overrides, dict):
        raise ConfigError("[tool.localize.language] must be a table of languages", path=origin)
    language_settings = {}
    for code, override in overrides.items():
        if not isinstance(override, dict):
            raise ConfigError(f"[tool.localize.language.{code}] must be a table", path=origin)
        language_settings[code.replace("-", "_")] = LanguageSettings(
            min_translated=percent("min_translated", min_translated, override),
            fallback=choice("fallback", fallback, FALLBACKS, override),
        )

    quotes = table.get("quotes", {})
    if not isinstance(quotes, dict) or not all(isinstance(value, str) for value in quotes.values()):
        raise ConfigError("[tool.localize.quotes] must map languages to their quotation marks, such as ru = \"«»„“\"",
                          path=origin)

    fuzzy_cutoff = table.get("fuzzy_cutoff", 0.75)
    if isinstance(fuzzy_cutoff, bool) or not isinstance(fuzzy_cutoff, (int, float)) or not 0 < fuzzy_cutoff <= 1:
        raise ConfigError("[tool.localize] fuzzy_cutoff must be a number above 0 and at most 1, such as 0.75",
                          path=origin)
    compendia = string_list("compendia", ())
    if not all("{lang}" in pattern for pattern in compendia):
        raise ConfigError("[tool.localize] compendia must name each language's file with {lang}, "
                          "such as \"memory/{lang}.po\"", path=origin)

    po_wrap = table.get("po_wrap", 79)
    if po_wrap is False:
        po_wrap = 0
    if isinstance(po_wrap, bool) or not isinstance(po_wrap, int) or po_wrap < 0:
        raise ConfigError("[tool.localize] po_wrap must be a page width such as 79, or false (or 0) for no "
                          "wrapping", path=origin)
    project_name = table.get("project_name", name)
    if project_name is not None and not isinstance(project_name, str):
        raise ConfigError("[tool.localize] project_name must be a string", path=origin)

    return Config(
        project_dir=project_dir,
        source_language=source_language,
        languages=languages,
        source_dir=path_setting("source_dir", "source_articles"),
        locales_dir=path_setting("locales_dir", "locales"),
        output_dir=path_setting("output_dir", "build"),
        front_matter_keys=string_list("front_matter_keys", ("title", "summary", "description")),
        location=choice("location", "full", LOCATION_STYLES, table),
        project_name=project_name or None,
        min_translated=min_translated,
        fallback=fallback,
        language_settings=language_settings,
        quotes={code.replace("-", "_"): marks for code, marks in quotes.items()},
        fuzzy_cutoff=float(fuzzy_cutoff),
        compendia=compendia,
        po_wrap=po_wrap,
    )


def add_languages(config: Config, languages: tuple[str, ...]) -> tuple[str, ...]:
    """Add ``languages`` to ``[tool.localize] languages`` in pyproject.toml, keeping its layout.

    Returns the languages that were not there yet.
    """
    import tomlkit

    from localize.files import write_text_atomic

    pyproject = config.project_dir / "pyproject.toml"
    document = tomlkit.parse(pyproject.read_text(encoding="utf-8")) if pyproject.is_file() else tomlkit.document()
    tool = document.setdefault("tool", tomlkit.table(is_super_table=True))
    table = tool.setdefault("localize", tomlkit.table())
    present = table.setdefault("languages", tomlkit.array())
    already = {str(code).replace("-", "_") for code in present}
    added = tuple(code for code in languages if code not in already)
    for code in added:
        present.append(code)
    if added:
        write_text_atomic(pyproject, tomlkit.dumps(document))
    return added
