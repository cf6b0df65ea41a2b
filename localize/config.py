"""The content tree's settings, read once into a frozen Config.

They live in ``localize.toml`` (top-level keys) or in ``[tool.localize]`` of
``pyproject.toml``, in the tree's top folder; ``find_project`` finds that
folder from anywhere inside the tree, as Git finds its repository. Both
files configuring one tree is an error: which one counts would be a guess.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localize.codes import CODES, CheckPolicy
from localize.errors import ConfigError, LanguageError
from localize.language import gettext_code, parse_language
from localize.model import ERROR
from localize.pretranslate.settings import PretranslateSettings, read_settings
from localize.site import KEYS as SITE_KEYS
from localize.site import SiteSettings, read_site_settings

CONFIG_FILE = "localize.toml"
PYPROJECT = "pyproject.toml"
LOCATION_STYLES = ("full", "file", "never")
FALLBACKS = ("source", "skip")


@dataclass(frozen=True)
class LanguageSettings:
    """Settings that ``[tool.localize.language.LANG]`` may override for one language."""

    min_translated: float = 80.0
    fallback: str = "source"
    # The project's [check] with the language's own on top.
    check: CheckPolicy = CheckPolicy()


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
    # Quotation marks usual per language ({"ru": "«»„“"}) for localize check; see localize.style.QUOTES.
    quotes: dict[str, str] = field(default_factory=dict)
    # Translation memory: least similarity (0 to 1) of a fuzzy suggestion, and compendium PO files
    # (paths or globs relative to the project, with {lang} for the language) as msgmerge --compendium.
    fuzzy_cutoff: float = 0.75
    compendia: tuple[str, ...] = ()
    # What localize check does with some checks' findings ([check] ignore and warn).
    check: CheckPolicy = CheckPolicy()
    # The file the settings were read from: localize.toml or pyproject.toml; None on the defaults.
    config_file: Path | None = None
    # [tool.localize.pretranslate]: the machine translation engine (localize.pretranslate.settings).
    pretranslate: PretranslateSettings = field(default_factory=PretranslateSettings)
    # Page width of the PO files written, as msgcat --width; 0: strings not wrapped (msgcat --no-wrap).
    # A file that is rewritten keeps its own wrapping when it has one of gettext's.
    po_wrap: int = 79
    # base_url, folder_names, embed_hosts, page_size, feed_size: the published site (localize.site).
    site: SiteSettings = field(default_factory=SiteSettings)

    def settings_for(self, language: str) -> LanguageSettings:
        found = self.language_settings.get(language)  # (the default made only when it is needed)
        if found is not None:
            return found
        return LanguageSettings(min_translated=self.min_translated, fallback=self.fallback, check=self.check)

    def check_policy(self, language: str | None) -> CheckPolicy:
        """The check policy of a catalog in ``language`` (``None``: a template, or a file of no known language)."""
        return self.settings_for(language).check if language else self.check

    @property
    def settings_place(self) -> str:
        """Where a setting goes, for messages: ``localize.toml`` or ``[tool.localize] of pyproject.toml``."""
        file = self.config_file or settings_file(self.project_dir)
        return "[tool.localize] of pyproject.toml" if file.name == PYPROJECT else file.name

    def relative(self, path: Path) -> Path:
        """``path`` relative to the project, as references and messages show it."""
        try:
            return path.relative_to(self.project_dir)
        except ValueError:
            return path


def find_project(start: Path) -> Path:
    """The top folder of the content tree that ``start`` is in.

    The nearest folder, ``start`` or above it, with a localize.toml or a
    pyproject.toml that has ``[tool.localize]``; the search stops at the top of
    a Git repository. With none, ``start`` itself: a tree on the defaults.
    """
    start = start.resolve()
    if not start.is_dir():
        raise ConfigError(f"no such project folder: {start}")
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file() or _localize_table(folder / PYPROJECT) is not None:
            return folder
        if (folder / ".git").exists():
            break
    return start


def settings_file(project_dir: Path) -> Path:
    """The file that holds (or, for init, will hold) the tree's settings: localize.toml unless
    the folder has a pyproject.toml and no localize.toml."""
    if not (project_dir / CONFIG_FILE).is_file() and (project_dir / PYPROJECT).is_file():
        return project_dir / PYPROJECT
    return project_dir / CONFIG_FILE


def load_config(project_dir: Path, *, adding: tuple[str, ...] = ()) -> Config:
    """Read the settings of the tree whose top folder is ``project_dir``; a tree without any works
    on the defaults. ``adding``: languages that init is about to add, whose own tables
    (``[language.X]``) are then no error."""
    project_dir = project_dir.resolve()
    if not project_dir.is_dir():
        raise ConfigError(f"no such project folder: {project_dir}")
    pyproject = project_dir / PYPROJECT
    own = project_dir / CONFIG_FILE
    name = None  # never the folder's name: a tree's files must not depend on where it is checked out
    in_pyproject = _localize_table(pyproject)
    if pyproject.is_file():
        project = _read_toml(pyproject).get("project", {})
        if isinstance(project, dict) and isinstance(project.get("name"), str):
            name = project["name"]
    if own.is_file():
        if in_pyproject is not None:
            raise ConfigError(
                f"both {CONFIG_FILE} and [tool.localize] in {PYPROJECT} configure this tree: keep one of them",
                path=own,
            )
        return _Reader(own, (), _read_toml(own)).config(project_dir, name, adding)
    if in_pyproject is not None:
        return _Reader(pyproject, ("tool", "localize"), in_pyproject).config(project_dir, name, adding)
    return _Reader(None, (), {}).config(project_dir, name, adding)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"invalid TOML: {error}", path=path) from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"invalid TOML: not UTF-8 ({error.reason})", path=path) from None


def _localize_table(pyproject: Path) -> dict[str, Any] | None:
    """``[tool.localize]`` of a pyproject.toml; ``None`` when the file or the table is absent."""
    if not pyproject.is_file():
        return None
    tool = _read_toml(pyproject).get("tool", {})
    table = tool.get("localize") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError("[tool.localize] must be a table", path=pyproject)
    return table


_TABLE_HEADER = re.compile(r"^\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _dotted(text: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(r""""[^"]*"|'[^']*'|[^.]+""", text))


class _Places:
    """The lines of a TOML file's tables and keys, so that an error names its line. A plain scan
    of the lines: what it cannot place (a key inside an inline table) gets no line."""

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if header := _TABLE_HEADER.match(stripped):
                table = _dotted(header.group(1))
                self.lines.setdefault(table, number)
            elif key := _KEY.match(stripped):
                self.lines.setdefault(table + _dotted(key.group(1)), number)

    def line(self, path: tuple[str, ...]) -> int | None:
        """The line of the key or table ``path``, else of the first thing inside it."""
        if path in self.lines:
            return self.lines[path]
        inside = [number for place, number in self.lines.items() if place[:len(path)] == path]
        return min(inside, default=None)


class _Reader:
    """Reads one file's settings table into a Config; errors name the file, the line and the
    setting as that file spells it (``[tool.localize.language.uk] min_translated`` in
    pyproject.toml, ``[language.uk] min_translated`` in localize.toml)."""

    KNOWN = frozenset({
        "source_language", "languages", "source_dir", "locales_dir", "output_dir", "front_matter_keys", "location",
        "project_name", "min_translated", "fallback", "language", "quotes", "fuzzy_cutoff", "compendia", "check",
        "pretranslate", "po_wrap",
    }) | SITE_KEYS

    def __init__(self, origin: Path | None, prefix: tuple[str, ...], table: dict[str, Any]) -> None:
        self.origin = origin
        self.prefix = prefix
        self.table = table
        self.places = _Places(origin.read_text(encoding="utf-8")) if origin is not None else _Places("")

    def name(self, table: tuple[str, ...], key: str | None = None) -> str:
        """A setting as the file spells it, for messages."""
        full = self.prefix + table
        if key is None:
            return f"[{'.'.join(full)}]" if full else "the file"
        return f"[{'.'.join(full)}] {key}" if full else key

    def error(self, message: str, table: tuple[str, ...] = (), key: str | None = None) -> ConfigError:
        place = self.prefix + table + ((key,) if key is not None else ())
        return ConfigError(message, path=self.origin, line=self.places.line(place) if place else None)

    def config(self, project_dir: Path, name: str | None, adding: tuple[str, ...] = ()) -> Config:
        table = self.table
        unknown = sorted(set(table) - self.KNOWN)
        if unknown:
            where = f"[{'.'.join(self.prefix)}]" if self.prefix else CONFIG_FILE
            raise self.error(f"unknown setting in {where}: {', '.join(unknown)}", key=unknown[0])

        def path_setting(key: str, default: str) -> Path:
            value = table.get(key, default)
            if not isinstance(value, str) or not value:
                raise self.error(f"{self.name((), key)} must be a folder name", key=key)
            return (project_dir / value).resolve()

        def string_list(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
            value = table.get(key, list(default))
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise self.error(f"{self.name((), key)} must be a list of strings", key=key)
            return tuple(value)

        source_language = self.language(table.get("source_language", "en"), (), "source_language")
        languages = tuple(self.language(code, (), "languages") for code in string_list("languages", ()))
        if len(set(languages)) != len(languages):
            raise self.error(f"{self.name((), 'languages')} lists a language twice", key="languages")
        if source_language in languages:
            raise self.error(
                f"{self.name((), 'languages')} lists {source_language}, the source language of the articles: "
                "remove it (the source is published as it is)", key="languages",
            )

        min_translated = self.percent("min_translated", 80.0, table, ())
        fallback = self.choice("fallback", "source", FALLBACKS, table, ())
        check = self.check_policy(table.get("check", {}), ("check",))
        overrides = table.get("language", {})
        if not isinstance(overrides, dict):
            raise self.error(f"{self.name(('language',))} must be a table of languages", ("language",))
        language_settings = {}
        for written, override in overrides.items():
            where = ("language", written)
            if not isinstance(override, dict):
                raise self.error(f"{self.name(where)} must be a table", where)
            code = self.language(written, where, None)
            if code not in languages and code not in _codes(adding):
                listed = ", ".join(languages) or "none"
                raise self.error(
                    f"{self.name(where)} configures {code}, which is not a language of this project "
                    f"(languages: {listed}): add it with localize init {code}, or remove the table", where,
                )
            unknown = sorted(set(override) - {"min_translated", "fallback", "check"})
            if unknown:
                raise self.error(f"unknown setting in {self.name(where)}: {', '.join(unknown)}", where, unknown[0])
            language_settings[code] = LanguageSettings(
                min_translated=self.percent("min_translated", min_translated, override, where),
                fallback=self.choice("fallback", fallback, FALLBACKS, override, where),
                check=check.then(self.check_policy(override.get("check", {}), where + ("check",))),
            )

        quotes = table.get("quotes", {})
        if not isinstance(quotes, dict) or not all(isinstance(value, str) for value in quotes.values()):
            raise self.error(
                f"{self.name(('quotes',))} must map languages to their quotation marks, such as ru = \"«»„“\"",
                ("quotes",),
            )

        fuzzy_cutoff = table.get("fuzzy_cutoff", 0.75)
        if isinstance(fuzzy_cutoff, bool) or not isinstance(fuzzy_cutoff, (int, float)) or not 0 < fuzzy_cutoff <= 1:
            raise self.error(f"{self.name((), 'fuzzy_cutoff')} must be a number above 0 and at most 1, such as 0.75",
                             key="fuzzy_cutoff")
        compendia = string_list("compendia", ())
        if not all("{lang}" in pattern for pattern in compendia):
            raise self.error(f"{self.name((), 'compendia')} must name each language's file with {{lang}}, "
                             "such as \"memory/{lang}.po\"", key="compendia")

        source_dir = path_setting("source_dir", "source_articles")
        locales_dir = path_setting("locales_dir", "locales")
        output_dir = path_setting("output_dir", "build")
        root = project_dir.resolve()
        if output_dir == root or not output_dir.is_relative_to(root):
            raise self.error(
                f"{self.name((), 'output_dir')} {table.get('output_dir')!r} is not a folder inside the content tree "
                "(merge --out DIR writes elsewhere)", key="output_dir",
            )
        folders = {"source_dir": source_dir, "locales_dir": locales_dir, "output_dir": output_dir}
        for key, other in (("output_dir", "source_dir"), ("output_dir", "locales_dir"), ("locales_dir", "source_dir")):
            if _overlap(folders[key], folders[other]):
                raise self.error(
                    f"{self.name((), key)} {table.get(key, _DEFAULT_FOLDERS[key])!r} overlaps {other} "
                    f"{table.get(other, _DEFAULT_FOLDERS[other])!r}: each needs a folder of its own",
                    key=key if key in table else other if other in table else None,
                )

        po_wrap = table.get("po_wrap", 79)
        if po_wrap is False:
            po_wrap = 0
        if isinstance(po_wrap, bool) or not isinstance(po_wrap, int) or po_wrap < 0:
            raise self.error(f"{self.name((), 'po_wrap')} must be a page width such as 79, or false (or 0) for no "
                             "wrapping", key="po_wrap")
        project_name = table.get("project_name", name)
        if project_name is not None and not isinstance(project_name, str):
            raise self.error(f"{self.name((), 'project_name')} must be a string", key="project_name")

        return Config(
            project_dir=project_dir,
            source_language=source_language,
            languages=languages,
            source_dir=source_dir,
            locales_dir=locales_dir,
            output_dir=output_dir,
            front_matter_keys=string_list("front_matter_keys", ("title", "summary", "description")),
            location=self.choice("location", "full", LOCATION_STYLES, table, ()),
            project_name=project_name or None,
            min_translated=min_translated,
            fallback=fallback,
            language_settings=language_settings,
            quotes={gettext_code(code): marks for code, marks in quotes.items()},
            fuzzy_cutoff=float(fuzzy_cutoff),
            compendia=compendia,
            check=check,
            config_file=self.origin,
            pretranslate=read_settings(table.get("pretranslate", {}), self.origin),
            po_wrap=po_wrap,
            site=read_site_settings(table, lambda message, key: self.error(message, key=key)),
        )

    def language(self, value: Any, table: tuple[str, ...], key: str | None) -> str:
        try:
            if not isinstance(value, str):
                raise LanguageError(f"a language code must be a string, not {value!r}")
            return parse_language(value).code
        except LanguageError as error:
            raise self.error(f"{self.name(table, key)}: {error.message}", table, key) from None

    def choice(self, key: str, default: str, allowed: tuple[str, ...], where: dict[str, Any],
               table: tuple[str, ...]) -> str:
        value = where.get(key, default)
        if value not in allowed:
            raise self.error(f"{self.name(table, key)} must be one of {', '.join(allowed)}, not {value!r}",
                             table, key)
        return value

    def percent(self, key: str, default: float, where: dict[str, Any], table: tuple[str, ...]) -> float:
        value = where.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise self.error(f"{self.name(table, key)} must be a number from 0 to 100", table, key)
        return float(value)

    def check_policy(self, value: Any, table: tuple[str, ...]) -> CheckPolicy:
        """``[check]``: ``ignore`` and ``warn``, lists of check codes (``E101``, ``W204``)."""
        if not isinstance(value, dict):
            raise self.error(f"{self.name(table)} must be a table with ignore and warn", table)
        unknown = sorted(set(value) - {"ignore", "warn"})
        if unknown:
            raise self.error(f"unknown setting in {self.name(table)}: {', '.join(unknown)} (ignore and warn are known)",
                             table, unknown[0])
        lists: dict[str, frozenset[str]] = {}
        for key in ("ignore", "warn"):
            codes = value.get(key, [])
            if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
                raise self.error(f"{self.name(table, key)} must be a list of check codes, such as [\"E101\"]",
                                 table, key)
            for code in codes:
                if code not in CODES:
                    raise self.error(f"{self.name(table, key)}: unknown check code {code!r} "
                                     "(the codes are in the README, Checking catalogs)", table, key)
                if key == "warn" and CODES[code][0] != ERROR:
                    raise self.error(f"{self.name(table, key)}: {code} is a warning already", table, key)
            lists[key] = frozenset(codes)
        both = sorted(lists["ignore"] & lists["warn"])
        if both:
            raise self.error(f"{self.name(table)} both ignores and downgrades {', '.join(both)}: choose one", table)
        return CheckPolicy(ignore=lists["ignore"], warn=lists["warn"])


_DEFAULT_FOLDERS = {"source_dir": "source_articles", "locales_dir": "locales", "output_dir": "build"}


def _overlap(one: Path, other: Path) -> bool:
    """Whether two folders are the same or one holds the other (both resolved)."""
    return one == other or one.is_relative_to(other) or other.is_relative_to(one)


def check_output_dir(config: Config, output_dir: Path) -> Path:
    """``output_dir`` given on the command line (``merge --out``), if it keeps off the articles
    and catalogs: it may be outside the content tree, as the user asked for it."""
    resolved = output_dir.resolve()
    for name, folder in (("source", config.source_dir), ("catalog", config.locales_dir)):
        if _overlap(resolved, folder):
            raise ConfigError(f"--out {output_dir} overlaps the {name} folder {config.relative(folder)}: "
                              "choose a folder of its own")
    return output_dir


def _codes(languages: tuple[str, ...]) -> set[str]:
    """The codes among ``languages`` that parse; init reports the others itself."""
    codes = set()
    for language in languages:
        try:
            codes.add(parse_language(language).code)
        except LanguageError:
            pass
    return codes


def add_languages(config: Config, languages: tuple[str, ...]) -> tuple[tuple[str, ...], Path]:
    """Add ``languages`` to the ``languages`` setting, keeping the file's layout; a tree on the
    defaults gets a localize.toml (or ``[tool.localize]`` in its pyproject.toml).

    Returns the languages that were not there yet and the file that holds the setting.
    """
    import tomlkit

    from localize.files import write_text_atomic

    path = config.config_file or settings_file(config.project_dir)
    document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.is_file() else tomlkit.document()
    if path.name == PYPROJECT:
        tool = document.setdefault("tool", tomlkit.table(is_super_table=True))
        new = "localize" not in tool
        table = tool.setdefault("localize", tomlkit.table())
    else:
        new = not path.is_file()
        table = document
        if new:
            document.add(tomlkit.comment("The settings of localize for this content tree (see its README: Configuration)."))
    if new:
        table.add("source_language", config.source_language)
    if "languages" not in table:
        table["languages"] = tomlkit.array()
    present = table["languages"]
    already = {gettext_code(str(code)) for code in present}
    added = tuple(code for code in languages if code not in already)
    for code in added:
        present.append(code)
    if added:
        write_text_atomic(path, tomlkit.dumps(document))
    return added, path
