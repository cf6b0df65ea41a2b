"""``localize tm``: the translation memory as TMX, out and in; the memory of a language for pretranslate."""

from __future__ import annotations

import glob
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from localize._version import __version__
from localize.cache import Scan, file_key, file_state, key_under, open_cache, scan
from localize.catalog import format_catalog, new_header, project_id, read_catalog
from localize.config import Config
from localize.errors import LocalizeError
from localize.files import UNCHANGED, write_if_changed
from localize.language import parse_language, primary_subtag, project_language
from localize.lock import hold_lock, lock_path
from localize.memory import LanguageMemory, MemoryStore, Source, catalog_origin
from localize.model import Catalog, Message
from localize.tmx import TranslationUnit, format_tmx, read_tmx


MEMORY_FOLDER = "memory"


@dataclass(frozen=True)
class MemoryExport:
    units: tuple[tuple[str, int], ...]  # language, translation units
    dropped: int  # units XML cannot carry
    written: bool


@dataclass(frozen=True)
class ImportedMemory:
    path: Path
    status: str
    units: int


@dataclass(frozen=True)
class MemoryImport:
    catalogs: tuple[ImportedMemory, ...]
    ignored_languages: tuple[str, ...] = ()
    conflicts: int = 0  # source texts with more than one translation in a language: the first is kept


def memory_path(config: Config, language: str, name: str) -> Path:
    """Where ``tm import`` keeps a memory: with the language's catalogs, which the memory reads."""
    return config.locales_dir / language / MEMORY_FOLDER / f"{name}.po"


def export_memory(
    config: Config, path: Path, *, languages: tuple[str, ...] = (),
    on_wait: Callable[[Path], None] | None = None,
) -> MemoryExport:
    """Write the translation memory of ``languages`` (all by default) to ``path`` as TMX 1.4b."""
    codes = [parse_language(code).code for code in (languages or config.languages)]
    units: list[TranslationUnit] = []
    counts = []
    with hold_lock(lock_path(config.project_dir), shared=True, on_wait=on_wait):
        with open_cache(config.project_dir) as cache:
            store = MemoryStore(cache)
            for code in codes:
                scanned = scan(config.locales_dir / code, ".po")
                store.sync(code, memory_sources(config, code, scanned),
                           read=lambda source: read_catalog(Path(source.path), shown=config.relative(Path(source.path))),
                           origin=lambda key, code=code: memory_origin(config, code, key))
                found = [
                    TranslationUnit(config.source_language, unit.source, code, unit.target, unit.origin)
                    for unit in store.units(code)
                ]
                counts.append((code, len(found)))
                units.extend(found)
            cache.commit()
    text, dropped = format_tmx(units, source_language=config.source_language, tool_version=__version__)
    written = write_if_changed(path, text).status != UNCHANGED
    return MemoryExport(units=tuple(counts), dropped=dropped, written=written)


def import_memory(
    config: Config, path: Path, *, name: str | None = None, on_wait: Callable[[Path], None] | None = None,
) -> MemoryImport:
    """Keep the translations of a TMX file as ``locales/LANG/memory/NAME.po``, one per language of the project."""
    name = name if name is not None else path.name.removesuffix(".tmx").removesuffix(".TMX")
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise LocalizeError(f"not a usable memory name: {name!r}")
    shown = config.relative(path.absolute())
    memory = read_tmx(path, shown=shown, default_source=config.source_language)
    if primary_subtag(memory.source_language) != primary_subtag(config.source_language):
        raise LocalizeError(
            f"the memory translates from {memory.source_language}, the articles are written in "
            f"{config.source_language}", path=shown,
        )
    by_language: dict[str, dict[str, str]] = {}
    ignored: set[str] = set()
    conflicts = 0
    for unit in memory.units:
        code = project_language(config.languages, unit.target_language)
        if code is None:
            ignored.add(unit.target_language)
            continue
        translations = by_language.setdefault(code, {})
        known = translations.setdefault(unit.source, unit.target)
        conflicts += known != unit.target
    written = []
    with hold_lock(lock_path(config.project_dir), on_wait=on_wait):
        for code in config.languages:
            if code not in by_language:
                continue
            language = parse_language(code)
            catalog = Catalog(
                messages=tuple(Message(msgid=source, msgstr=target) for source, target in by_language[code].items()),
                metadata=new_header(project_id(config.project_name, None), language=language),
                header=f"{language.english_name} translation memory, imported from {path.name}.\n",
            )
            target = memory_path(config, code, name)
            status = write_if_changed(target, format_catalog(catalog)).status
            written.append(ImportedMemory(config.relative(target), status, len(catalog.messages)))
    return MemoryImport(catalogs=tuple(written), ignored_languages=tuple(sorted(ignored)), conflicts=conflicts)


def language_memory(config: Config, store: MemoryStore, code: str) -> LanguageMemory | None:
    """The translation memory of ``code``, its index brought up to date first (for pretranslate)."""
    scanned = scan(config.locales_dir / code, ".po")
    store.sync(code, memory_sources(config, code, scanned),
               read=lambda source: read_catalog(Path(source.path), shown=config.relative(Path(source.path))),
               origin=lambda key: memory_origin(config, code, key))
    return store.memory(code, languages=(code,), cutoff=config.fuzzy_cutoff)


def memory_sources(config: Config, code: str, scanned: Scan) -> list[Source]:
    """Every PO file under ``locales/LANG/``, and the language's compendia."""
    base = key_under(file_key(config, config.locales_dir), f"{code}/")
    found = [Source(base + relative, path, state) for relative, (path, state) in scanned.files.items()]
    return found + compendia(config, code)


def compendia(config: Config, code: str) -> list[Source]:
    """The language's compendium files named in the configuration (paths or globs with {lang})."""
    found = []
    for pattern in config.compendia:
        for name in sorted(glob.glob(str(config.project_dir / pattern.replace("{lang}", code)))):
            path = Path(name)
            state = file_state(path)
            if state is not None and path.is_file():
                found.append(Source(file_key(config, path), name, state))
    return found


def memory_origin(config: Config, code: str, key: str) -> str:
    prefix = key_under(file_key(config, config.locales_dir), f"{code}/")
    return catalog_origin(key[len(prefix):]) if key.startswith(prefix) else key
