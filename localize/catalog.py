"""The catalogs of a content tree: where they are, their headers, and how they are written.

Reading is ``localize.po.read``'s (the only importer of polib), whose names are
re-exported here; the text is ``localize.po.write``'s, as msgcat writes it. A file
is rewritten only when its entries change, in its own wrapping and line ends.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from localize.cache import paused_collection
from localize.config import Config
from localize.language import Language
from localize.files import UNCHANGED, FileChange, write_if_changed, write_text_atomic
from localize.model import Catalog
# The reading half, re-exported for the steps that read catalogs through this module.
from localize.po.read import (  # noqa: F401
    CatalogFile,
    CatalogParser,
    charset_codec,
    declared_charset,
    header_line,
    read_catalog,
    read_catalog_file,
    reject_duplicates,
)
from localize.po import DEFAULT_WIDTH


TEMPLATES_FOLDER = "templates"
ARTICLES_FOLDER = "articles"


def template_path(config: Config, slug: str) -> Path:
    return config.locales_dir / TEMPLATES_FOLDER / ARTICLES_FOLDER / f"{slug}.pot"


def catalog_path(config: Config, language: str, slug: str) -> Path:
    return catalogs_dir(config, language) / f"{slug}.po"


def catalogs_dir(config: Config, language: str) -> Path:
    """The folder of a language's article catalogs: ``catalog_path`` is ``SLUG.po`` under it."""
    return config.locales_dir / language / "LC_MESSAGES" / ARTICLES_FOLDER


def catalog_slugs(config: Config, language: str) -> list[str]:
    return listed_slugs(catalogs_dir(config, language), ".po")


def listed_files(folder: Path, suffix: str) -> list[tuple[str, bool]]:
    """What ``sorted(folder.rglob("*" + suffix))`` finds, as POSIX paths relative to ``folder``,
    each with whether it is a file (through a link too): in one walk of strings, not of Paths,
    for the ten thousands of catalogs of an archive."""
    return [(relative, is_file) for relative, is_file, _ in listed_entries(folder, suffix)]


def listed_entries(folder: Path, suffix: str) -> list[tuple[str, bool, bool]]:
    """``listed_files``, each also with whether it is a symbolic link (which the listing tells for free)."""
    found: list[tuple[tuple[str, ...], bool, bool]] = []

    def walk(directory: str, parts: tuple[str, ...]) -> None:
        try:
            entries = list(os.scandir(directory))
        except PermissionError:
            return
        except (FileNotFoundError, NotADirectoryError):
            return
        for entry in entries:
            if entry.name.endswith(suffix):
                found.append(((*parts, entry.name), entry.is_file(), entry.is_symlink()))
            try:
                # rglob goes into folders, not into links to folders.
                if entry.is_dir() and not entry.is_symlink():
                    walk(entry.path, (*parts, entry.name))
            except OSError:
                continue

    with paused_collection():  # (an archive's tens of thousands of files)
        walk(str(folder), ())
        found.sort()
        return [("/".join(parts), is_file, is_link) for parts, is_file, is_link in found]


def listed_slugs(folder: Path, suffix: str) -> list[str]:
    """The slugs of the files ``*SUFFIX`` under ``folder`` (what ``rglob`` finds, a file or not)."""
    return slugs_of([relative for relative, _ in listed_files(folder, suffix)], suffix)


def slugs_of(relatives: list[str], suffix: str) -> list[str]:
    """``listed_slugs`` of a listing at hand: the relative POSIX paths of the files ``*SUFFIX``."""
    # Path.with_suffix(""): a name that is all suffix (".po") has none.
    return sorted(relative if relative.rpartition("/")[2] == suffix else relative[:-len(suffix)]
                  for relative in relatives)


@dataclass(frozen=True)
class PoStyle:
    """How a PO file's text is laid out, so that a rewrite keeps it.

    ``width`` is the page width as ``msgcat --width`` takes it (0: nothing wrapped);
    ``wrap=False`` is ``msgcat --no-wrap`` (strings unwrapped, ``#:`` lines still
    filled to the width); ``newline`` ends every line.
    """

    width: int = DEFAULT_WIDTH
    wrap: bool = True
    newline: str = "\n"


def format_catalog(catalog: Catalog, style: PoStyle = PoStyle()) -> str:
    """The file text, exactly as gettext's msgcat would write it (in ``style``)."""
    from localize.po.write import format_po  # (its tables load only in a step that writes catalogs)

    text = format_po(catalog, width=style.width, wrap=style.wrap)
    return text.replace("\n", style.newline) if style.newline != "\n" else text


def write_catalog(path: Path, catalog: Catalog) -> bool:
    """Write atomically; an unchanged file is not touched. Returns whether it was written."""
    return write_text_atomic(path, format_catalog(catalog))


def with_metadata(catalog: Catalog, **fields: str) -> Catalog:
    """The catalog with header fields set (``POT_Creation_Date`` for ``POT-Creation-Date``)."""
    metadata = dict(catalog.metadata)
    for name, value in fields.items():
        metadata[name.replace("_", "-")] = value
    return replace(catalog, metadata=metadata)


def header_timestamp(now: float | None = None) -> str:
    """A header date as gettext writes it; ``SOURCE_DATE_EPOCH`` fixes it for reproducible builds."""
    import os
    import time

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if now is None:
        now = float(epoch) if epoch and epoch.isdigit() else time.time()
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(now))


def new_header(project_name: str, *, language: Language | None = None, creation_date: str | None = None) -> dict[str, str]:
    """The header of a new file, in the order gettext's tools write its fields.

    Without ``language``, a template's, as xgettext writes it, with the placeholders
    translators' tools expect; with it, a catalog's, as msginit writes it; without a
    ``creation_date`` too, the few fields a translation memory's catalog needs.

    >>> from localize.language import parse_language
    >>> list(new_header("news", language=parse_language("uk")))[-2:], new_header("news")["Language"]
    (['Content-Transfer-Encoding', 'Plural-Forms'], '')
    """
    header = {"Project-Id-Version": project_name}
    if creation_date is not None:
        header.update({
            "Report-Msgid-Bugs-To": "",
            "POT-Creation-Date": creation_date,
            "PO-Revision-Date": creation_date if language is not None else "YEAR-MO-DA HO:MI+ZONE",
            "Last-Translator": "Automatically generated" if language is not None else "FULL NAME <EMAIL@ADDRESS>",
            "Language-Team": "none" if language is not None else "LANGUAGE <LL@li.org>",
        })
    header.update({
        "Language": language.code if language is not None else "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    })
    if language is not None:
        header["Plural-Forms"] = language.plural_forms
    return header


def stable_template(build: Callable[[str], Catalog], existing: Catalog | None) -> Catalog:
    """The template ``build`` makes for a creation date: the existing template's date unless
    something else in it changes, so that extracting twice writes nothing (as Sphinx does)."""
    from localize.po.write import writes

    previous_date = existing.metadata.get("POT-Creation-Date") if existing is not None else None
    template = build(previous_date or header_timestamp())
    if previous_date and not writes(template, format_catalog(existing)):
        template = build(header_timestamp())
    return template


def read_if_present(config: Config, path: Path, *, parse: CatalogParser | None = None) -> CatalogFile | None:
    """The catalog file at ``path`` (see ``read_catalog_file``), named as the tree shows it."""
    return read_catalog_file(path, shown=config.relative(path), parse=parse)


def read_catalog_if_present(config: Config, path: Path) -> Catalog | None:
    """The catalog at ``path``, if there is one (see ``read_catalog_file``)."""
    found = read_if_present(config, path)
    return found.catalog if found is not None else None


def catalog_data(catalog: Catalog, existing: CatalogFile | None, *, style: PoStyle) -> bytes | None:
    """The bytes to write for ``catalog`` over ``existing``; None when the file holds its entries already.

    A file is judged by its entries (strings, comments, flags, references, previous
    strings, obsolete entries, header fields), not by its line breaks: a catalog that
    msgcat, polib, Babel or an editor wrapped otherwise is not rewritten. When it must
    be, it keeps the file's own wrapping where one of gettext's reproduces the file,
    else ``style``, and its line ends; it is written in UTF-8, the header saying so.
    """
    from localize.po.write import same_entries, write_alike

    catalog = _in_utf8(catalog)
    if existing is None:
        return format_catalog(catalog, style).encode("utf-8")
    if same_entries(existing.catalog, catalog):
        return None  # the entries are the same: nothing to format
    own_style = replace(style, newline=existing.newline)
    if _holds(existing, catalog, own_style):
        return None
    if write_alike(catalog, existing.catalog, width=0):
        return None  # the same entries as gettext keeps them, wrapped otherwise
    return format_catalog(catalog, _file_style(existing, own_style) or own_style).encode("utf-8")


def write_catalog_if_changed(
    path: Path, catalog: Catalog, existing: CatalogFile | None, *, style: PoStyle, check: bool, shown: Path,
) -> tuple[FileChange, bytes]:
    """Write ``catalog`` over ``existing`` (the file at ``path`` as read) unless the file holds its
    entries already (see ``catalog_data``); the change, and the bytes the file now holds (would
    hold, when only checking)."""
    return write_catalog_data(path, catalog_data(catalog, existing, style=style), existing, check=check, shown=shown)


def write_catalog_data(
    path: Path, data: bytes | None, existing: CatalogFile | None, *, check: bool, shown: Path,
) -> tuple[FileChange, bytes]:
    """Write ``data`` (from ``catalog_data``: None when the file holds its entries already);
    the change, and the bytes the file now holds (would hold, when only checking)."""
    if data is None:
        assert existing is not None  # a catalog with no file always has bytes to write
        return FileChange(shown, UNCHANGED), existing.data
    return write_if_changed(path, data, check=check, shown=shown, note=conversion_note(existing)), data


def save_catalog(config: Config, catalog: Catalog, existing: CatalogFile) -> FileChange:
    """Write a catalog a step edited over the file it was read from (``read_if_present``), as
    extract writes catalogs: in UTF-8, with the file's line ends and, where gettext has it,
    its wrapping; not at all when its entries did not change."""
    change, _ = write_catalog_if_changed(existing.path, catalog, existing, style=default_style(config), check=False,
                                         shown=config.relative(existing.path))
    return change


def conversion_note(existing: CatalogFile | None) -> str:
    """What a step's output says of a catalog it converts to UTF-8."""
    charset = existing.legacy_charset if existing is not None else None
    return f"converted from {charset} to UTF-8" if charset else ""


def _holds(existing: CatalogFile, catalog: Catalog, style: PoStyle) -> bool:
    """Whether the file's bytes are ``catalog`` written in ``style``: compared as it is written,
    so that a file that differs (its header, usually) costs next to nothing."""
    from localize.po.write import writes

    if style.newline != "\n":
        return existing.data == format_catalog(catalog, style).encode("utf-8")
    try:
        text = existing.data.decode("utf-8")
    except UnicodeDecodeError:
        return False  # what we write is UTF-8
    return writes(catalog, text, width=style.width, wrap=style.wrap)


def _in_utf8(catalog: Catalog) -> Catalog:
    """``catalog`` with its header's charset UTF-8, as every file is written."""
    content_type = catalog.metadata.get("Content-Type")
    if content_type is None or charset_codec(declared_charset(content_type.encode("utf-8", "replace"))) == "utf-8":
        return catalog
    if "charset=" in content_type:
        fixed = re.sub(r"charset=[ \t]*[^ \t\n;]*", "charset=UTF-8", content_type, count=1)
    else:
        fixed = content_type.rstrip().rstrip(";") + "; charset=UTF-8"
    return with_metadata(catalog, Content_Type=fixed)


# Widths tools use besides gettext's 79: Weblate (through Translate Toolkit) 77, Babel 76, polib 78.
_COMMON_WIDTHS = (79, 77, 76, 78, 80)


def _file_style(existing: CatalogFile, preferred: PoStyle) -> PoStyle | None:
    """The first of gettext's layouts that writes ``existing``'s bytes back, if one does
    (polib's and Babel's own wrapping are none of them).

    Tried: ``preferred`` (the configured one), gettext's default, ``msgcat --no-wrap``,
    ``--width=0``, the common widths and the widths just above the file's longest line.
    """
    from localize.po.write import writes

    newline = existing.newline
    try:
        text = existing.data.decode(charset_codec(existing.charset) or "utf-8")
    except UnicodeDecodeError:
        return None
    if newline != "\n":
        text = text.replace(newline, "\n")
    longest = max((len(line) for line in text.split("\n")), default=0)
    candidates = [preferred, PoStyle(), PoStyle(DEFAULT_WIDTH, False), PoStyle(0)]
    widths = [*_COMMON_WIDTHS, *range(max(longest, 20), longest + 12)]
    candidates += [PoStyle(width) for width in dict.fromkeys(widths)]
    preferred = replace(preferred, newline="\n")
    # Many writers wrap the header their own way (polib never, Poedit its Plural-Forms): the entries decide.
    if writes(existing.catalog, text, width=preferred.width, wrap=preferred.wrap, after_header=True):
        return replace(preferred, newline=newline)
    for candidate in dict.fromkeys(replace(candidate, newline="\n") for candidate in candidates[1:]):
        if candidate != preferred and writes(existing.catalog, text, width=candidate.width, wrap=candidate.wrap):
            return replace(candidate, newline=newline)
    return None


DEFAULT_PROJECT_ID = "PACKAGE VERSION"  # what xgettext writes when it is told no package


def project_id(name: str | None, existing: Catalog | None) -> str:
    """A template's Project-Id-Version: the configured name, else what the file says already,
    else xgettext's placeholder; never the folder's name, so that a tree's files do not
    depend on where it is checked out."""
    if name:
        return name
    if existing is not None and existing.metadata.get("Project-Id-Version"):
        return existing.metadata["Project-Id-Version"]
    return DEFAULT_PROJECT_ID


def default_style(config: Config) -> PoStyle:
    """The layout of new files, and of rewritten ones whose own layout is none of gettext's."""
    return PoStyle(DEFAULT_WIDTH, wrap=False) if config.po_wrap == 0 else PoStyle(config.po_wrap)
