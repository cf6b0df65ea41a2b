"""``localize xliff export`` and ``import``: a language's catalogs to and from one XLIFF file.

Export reads every catalog of the language (the articles' and ``ui.po``)
and writes one file. Import reads the whole file first, and any catalog
it names, before writing anything: a malformed file changes nothing. A
translation is written back only into the entry whose msgid (and msgctxt,
when the file gives it) is the unit's source, through the same writer as
every other step; a unit whose source is no longer in the catalog is
reported and left out, and an empty target never erases a translation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from localize._version import __version__
from localize.catalog import read_catalog, read_if_present, save_catalog
from localize.config import Config
from localize.errors import CatalogError, ConfigError, LocalizeError
from localize.files import FileChange, write_if_changed
from localize.language import bcp47, parse_language, project_language
from localize.lock import hold_lock, lock_path
from localize.model import Catalog, Message
from localize.po.read import CatalogFile as CatalogOnDisk
from localize.plurals import parse_plural_forms
from localize.xliff import XLIFF_1, CatalogFile, Unit, format_xliff, read_xliff, writable

LC_MESSAGES = "LC_MESSAGES"


@dataclass(frozen=True)
class Problem:
    """A file that could not be used, or a unit left out, with its place."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass(frozen=True)
class XliffExport:
    path: Path
    status: str
    catalogs: tuple[tuple[str, int], ...]  # original, messages
    dropped: int  # messages XML cannot carry
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class XliffImport:
    language: str
    changes: tuple[FileChange, ...]
    translated: int  # entries whose translation or fuzzy state changed
    unchanged: int
    empty: int  # units without a translation: nothing to bring back
    skipped: tuple[Problem, ...]
    problems: tuple[Problem, ...]  # catalogs that could not be read or found


def _folder(config: Config, language: str) -> Path:
    return config.locales_dir / language / LC_MESSAGES


def _catalog_files(config: Config, language: str) -> list[Path]:
    """Every PO file of the language under ``LC_MESSAGES``: the articles' and the site's."""
    folder = _folder(config, language)
    return sorted(folder.rglob("*.po"), key=lambda path: path.relative_to(folder).as_posix()) if folder.is_dir() else []


def _nplurals(catalog: Catalog) -> int:
    rule = parse_plural_forms(catalog.metadata.get("Plural-Forms", ""))
    return rule.nplurals if rule is not None else 2


def export_xliff(
    config: Config, path: Path, *, language: str, version: str = XLIFF_1,
    on_wait: Callable[[Path], None] | None = None,
) -> XliffExport:
    """Write every catalog of ``language`` to ``path``, one ``<file>`` per catalog."""
    code = parse_language(language).code
    if code not in config.languages:
        raise ConfigError(f"{language} is not a language of this project")
    folder = _folder(config, code)
    files: list[CatalogFile] = []
    problems: list[Problem] = []
    dropped = 0
    with hold_lock(lock_path(config.project_dir), shared=True, on_wait=on_wait):
        for po in _catalog_files(config, code):
            shown = config.relative(po)
            try:
                catalog = read_catalog(po, shown=shown)
            except CatalogError as error:
                problems.append(Problem(shown, error.line, error.message))
                continue
            messages = tuple(message for message in catalog.active if writable(message))
            dropped += len(catalog.active) - len(messages)
            files.append(CatalogFile(po.relative_to(folder).as_posix(), messages, _nplurals(catalog)))
    text = format_xliff(
        files, version=version, source_language=bcp47(config.source_language),
        target_language=bcp47(code), tool_version=__version__,
    )
    return XliffExport(
        path=path, status=write_if_changed(path, text).status,
        catalogs=tuple((file.original, len(file.messages)) for file in files), dropped=dropped,
        problems=tuple(problems),
    )


def import_xliff(
    config: Config, path: Path, *, language: str | None = None, on_wait: Callable[[Path], None] | None = None,
) -> XliffImport:
    """Write the translations of the XLIFF file at ``path`` into the catalogs it came from."""
    shown = config.relative(path.absolute())
    document = read_xliff(path, shown=shown)
    code = project_language(config.languages, language or document.target_language)
    if code is None:
        named = language or document.target_language
        raise LocalizeError(
            f"the file translates into {named!r}, not a language of this project" if named
            else "the file names no target language: pass --lang", path=shown,
        )
    folder = _folder(config, code)
    known = {po.relative_to(folder).as_posix(): po for po in _catalog_files(config, code)}
    by_catalog: dict[Path, list[Unit]] = {}
    skipped: list[Problem] = []
    problems: list[Problem] = []
    missing: dict[str, list[Unit]] = {}
    for unit in document.units:
        po = _catalog_for(unit.original, known)
        if po is None:
            missing.setdefault(unit.original, []).append(unit)
            continue
        by_catalog.setdefault(po, []).append(unit)
    for original, units in missing.items():
        skipped.append(Problem(shown, units[0].line, f"{len(units)} unit(s) of <file original={original!r}> left out: "
                                                      f"no such catalog in {config.relative(folder)}"))
    changes: list[FileChange] = []
    counts = {"translated": 0, "unchanged": 0, "empty": 0}
    with hold_lock(lock_path(config.project_dir), on_wait=on_wait):
        updated: list[tuple[Catalog, CatalogOnDisk]] = []
        for po, units in by_catalog.items():
            catalog_shown = config.relative(po)
            try:
                found = read_if_present(config, po)
            except CatalogError as error:
                problems.append(Problem(catalog_shown, error.line, error.message))
                continue
            assert found is not None  # found on disk a moment ago, under the lock since
            updated.append((_apply(found.catalog, units, shown, skipped, counts), found))
        # Everything was read and merged before the first write.
        for result, found in updated:
            changes.append(save_catalog(config, result, found))
    return XliffImport(
        language=code, changes=tuple(changes), translated=counts["translated"], unchanged=counts["unchanged"],
        empty=counts["empty"], skipped=tuple(skipped), problems=tuple(problems),
    )


def _catalog_for(original: str, known: dict[str, Path]) -> Path | None:
    """The catalog a ``<file original>`` names: its path under ``LC_MESSAGES``, or a file name only one catalog has
    (po2xliff writes the name it was given)."""
    name = PurePosixPath(original.replace("\\", "/"))
    if ".." in name.parts or name.is_absolute() or not name.name:
        return None
    for candidate in (name.as_posix(), name.with_suffix(".po").as_posix()):
        if candidate in known:
            return known[candidate]
    # A path from another layout (locales/ru/LC_MESSAGES/articles/x.po, or just x.po): its tail.
    parts = name.with_suffix(".po").parts
    for start in range(1, len(parts)):
        tail = "/".join(parts[start:])
        if tail in known:
            return known[tail]
    matches = [path for relative, path in known.items() if PurePosixPath(relative).name == name.with_suffix(".po").name]
    return matches[0] if len(matches) == 1 else None


def _apply(catalog: Catalog, units: list[Unit], shown: Path, skipped: list[Problem], counts: dict[str, int]) -> Catalog:
    messages = list(catalog.messages)
    index: dict[str, list[int]] = {}
    for position, message in enumerate(messages):
        if not message.obsolete:
            index.setdefault(message.msgid, []).append(position)
    for unit in units:
        if unit.problem:
            skipped.append(Problem(shown, unit.line, unit.problem))
            continue
        candidates = [
            position for position in index.get(unit.msgid, [])
            if unit.msgctxt is None or messages[position].msgctxt == unit.msgctxt
        ]
        if not candidates:
            skipped.append(Problem(shown, unit.line, f"source text no longer in the catalog: {_short(unit.msgid)}"))
            continue
        if len(candidates) > 1:
            skipped.append(Problem(shown, unit.line, f"source text in several contexts, and the file names none: "
                                                      f"{_short(unit.msgid)}"))
            continue
        message = messages[candidates[0]]
        if bool(message.msgid_plural) != bool(unit.msgid_plural) or message.msgid_plural != unit.msgid_plural:
            skipped.append(Problem(shown, unit.line, f"plural source no longer matches the catalog: {_short(unit.msgid)}"))
            continue
        if not any(unit.targets):
            counts["empty"] += 1
            continue
        forms = len(message.msgstr_plural) if message.msgid_plural else 1
        if message.msgid_plural and forms and len(unit.targets) != forms:
            skipped.append(Problem(shown, unit.line, f"{len(unit.targets)} plural forms, the catalog has {forms}: "
                                                      f"{_short(unit.msgid)}"))
            continue
        changed = _translated(message, unit)
        counts["unchanged" if changed == message else "translated"] += 1
        messages[candidates[0]] = changed
    return replace(catalog, messages=tuple(messages))


def _translated(message: Message, unit: Unit) -> Message:
    """``message`` with the unit's translation and fuzzy state."""
    flags = tuple(flag for flag in message.flags if flag != "fuzzy")
    if unit.fuzzy:
        flags = ("fuzzy", *flags)
    if message.msgid_plural:
        # An empty target erases no translation: that form keeps what the catalog has.
        forms = {index: target or message.msgstr_plural.get(index, "") for index, target in enumerate(unit.targets)}
        updated = replace(message, msgstr_plural=forms, flags=flags)
    else:
        updated = replace(message, msgstr=unit.targets[0], flags=flags)
    if not unit.fuzzy:
        # A confirmed translation no longer needs the text an old one was made for (as Poedit drops #|).
        updated = replace(updated, previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None)
    return updated


def _short(text: str) -> str:
    return repr(text if len(text) <= 50 else text[:47] + "...")
