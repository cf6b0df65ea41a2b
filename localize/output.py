"""The output folder kept equal to what a merge would write from nothing.

Every file a merge writes is listed in ``OUT/.localize-written.json``; the
next merge removes what it wrote before and no longer publishes (a deleted
article's pages, a page past the last index page), and never a file it did
not write. Images are copied from the content tree, never from outside it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from localize.config import Config
from localize.errors import LocalizeError
from localize.files import Pieces, write_output
from localize.pages import SiteFiles

RECORD = ".localize-written.json"
TEMPORARY_SUFFIX = ".tmp"


@dataclass(frozen=True, slots=True)  # one per page a merge writes
class OutputChange:
    """A file under the output folder, by relative path, and what happened to it."""

    relative: str
    status: str  # "created", "updated", "unchanged" or "removed"


def write_pages(out: Path, files: dict[str, str | Pieces], *, new: bool = False) -> list[OutputChange]:
    """Write ``files`` (text by path relative to ``out``): one article's pages, as they are made.
    ``new``: none of them is there yet (their folder did not exist when the merge began)."""
    folder = os.fspath(out)
    return [OutputChange(relative, write_output(os.path.join(folder, relative), text, new=new).status)  # type: ignore[arg-type]
            for relative, text in files.items()]


def write_site(
    out: Path, site: SiteFiles, *, root: Path, keep: Callable[[str], bool], written: Iterable[str] = (),
) -> list[OutputChange]:
    """Write ``site`` under ``out``; remove the withdrawn pages and what an earlier merge wrote
    that this one does not, unless ``keep`` (a language not merged now, an article that could not
    be read) says it stays. Images are copied only from files inside ``root``. ``written``: the
    pages already written (``write_pages``), which are recorded too."""
    changes = []
    written = set(written)
    for relative, text in site.files.items():
        changes.append(_write(out, relative, text))
        written.add(relative)
    tree = root.resolve()
    for relative, source in sorted(site.images.items()):
        try:
            resolved = (source if source.is_absolute() else root / source).resolve()
            if not resolved.is_relative_to(tree) or not resolved.is_file():
                continue
            data = resolved.read_bytes()
        except OSError:
            continue
        changes.append(_write(out, relative, data))
        written.add(relative)
    previous = _read_record(out)
    gone = [relative for relative in site.withdrawn if relative not in written]
    gone += sorted(relative for relative in previous - written - set(gone) if not keep(relative))
    kept = {relative for relative in previous - written if keep(relative)}
    for relative in gone:
        target = out / relative
        if target.is_file() and not target.is_symlink():
            target.unlink()
            changes.append(OutputChange(relative, "removed"))
        kept.discard(relative)
    record = sorted([*written, *kept])  # (kept: none of written)
    write_output(out / RECORD, lambda: _record_pieces(record), sync=True)
    _remove_temporaries(out, written)
    return changes


def _record_pieces(paths: list[str]) -> Iterator[str]:
    """``json.dumps(paths, ensure_ascii=False, indent=1)`` and a newline, each path encoded on its own
    and written as it is (``files.Pieces``): json's indenting encoder (in Python) holds every token of
    the list at once, and even the text alone is megabytes for an archive's pages."""
    if not paths:
        yield "[]\n"
        return
    separator = "[\n "
    for path in paths:
        yield separator + json.dumps(path, ensure_ascii=False)
        separator = ",\n "
    yield "\n]\n"


def _remove_temporaries(out: Path, written: set[str]) -> None:
    """Remove the temporaries a killed merge left beside the files it was writing
    (``.NAME.ID.tmp``, see ``files.write_output``): only those of a file this merge wrote."""
    for folder in {relative.rpartition("/")[0] for relative in written}:
        try:
            entries = list(os.scandir(out / folder))
        except OSError:
            continue
        prefix = f"{folder}/" if folder else ""
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(TEMPORARY_SUFFIX):
                name = entry.name[1:-len(TEMPORARY_SUFFIX)].rpartition(".")[0]
                if prefix + name in written and entry.is_file(follow_symlinks=False):
                    Path(entry.path).unlink(missing_ok=True)


def _write(out: Path, relative: str, data: str | bytes | Pieces) -> OutputChange:
    return OutputChange(relative, write_output(out / relative, data).status)


def _read_record(out: Path) -> set[str]:
    """What earlier merges wrote; a record that cannot be read is none (nothing is removed)."""
    try:
        data = json.loads((out / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(data, list):
        return set()
    return {item for item in data if isinstance(item, str) and ".." not in item.split("/") and not item.startswith("/")}


PAGE_SUFFIXES = (".md", ".html", ".txt")


def kept_outputs(
    config: Config, site: SiteFiles, problems: list[LocalizeError], *, written: frozenset[str],
    held_back: frozenset[str] = frozenset(),
) -> Callable[[str], bool]:
    """Which files of earlier merges stay although this merge does not write them: those of
    languages not merged now, and the pages (and any image) of the articles held back (``held_back``:
    an article or one of its catalogs could not be read) or named by ``problems`` (found while
    looking for articles), which keep their earlier pages. A problem whose article cannot be told
    keeps all."""
    source_dir = Path(os.path.abspath(config.source_dir))
    unreadable = set(held_back)
    for problem in problems:
        if problem.path is None:
            return lambda relative: True
        path = Path(os.path.abspath(config.project_dir / problem.path))
        if not path.is_relative_to(source_dir) or path == source_dir:
            return lambda relative: True
        unreadable.add(path.relative_to(source_dir).with_suffix("").as_posix())
    merged = {folder for code, folder in site.folders.items() if code in written}
    languages = set(site.folders.values())

    def keep(relative: str) -> bool:
        folder, _, rest = relative.partition("/")
        if folder in languages and folder not in merged:
            return True
        if unreadable and folder in languages:
            stem, dot, suffix = rest.rpartition(".")
            return not dot or f".{suffix}" not in PAGE_SUFFIXES or stem in unreadable
        return False

    return keep
