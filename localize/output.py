"""The output folder kept equal to what a merge would write from nothing.

Every file a merge writes is listed in ``OUT/.localize-written.json``; the
next merge removes what it wrote before and no longer publishes (a deleted
article's pages, a page past the last index page), and never a file it did
not write. Images are copied from the content tree, never from outside it.
"""

from __future__ import annotations

import json
import os
from bisect import bisect_left
from heapq import merge as in_order
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from localize.config import Config
from localize.errors import LocalizeError
from localize.files import Pieces, write_output
from localize.json_text import json_string
from localize.packed import PackedTexts
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
    record = _Paths()
    for relative, text in site.files.items():
        changes.append(_write(out, relative, text))
        record.add(relative)
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
        record.add(relative)
    for relative in written:
        record.add(relative)
    # What earlier merges wrote and this one did not, in order.
    unwritten = list(_missing(sorted(_read_record(out)), record))
    # (walking both in order: a lookup of each in every run of the record was slow)
    not_written = set(_missing(sorted(set(site.withdrawn)), record))
    gone = [relative for relative in site.withdrawn if relative in not_written]
    del not_written
    withdrawn = set(gone)
    gone += [relative for relative in unwritten if relative not in withdrawn and not keep(relative)]
    kept = {relative for relative in unwritten if keep(relative)}
    for relative in gone:
        target = out / relative
        if target.is_file() and not target.is_symlink():
            target.unlink()
            changes.append(OutputChange(relative, "removed"))
        kept.discard(relative)
    del unwritten
    # (kept: none of the written)
    write_output(out / RECORD, lambda: _record_pieces(in_order(record, sorted(kept))), sync=True)
    _remove_temporaries(out, record)
    return changes


def _missing(paths: Iterable[str], record: _Paths) -> Iterator[str]:
    """Those of the sorted ``paths`` that ``record`` does not hold, walking both in order (as many
    lookups as an earlier merge wrote files were slow)."""
    held = iter(record)
    current = next(held, None)
    for path in paths:
        while current is not None and current < path:
            current = next(held, None)
        if current != path:
            yield path


class _Paths:
    """The distinct paths a merge wrote, in order, each as UTF-8 in runs of sorted bytes: a set (or
    list) of the tens of thousands of pages of an archive was the largest thing a merge held at its
    end. Paths are added in batches, each sorted into a run; the runs are merged when many."""

    _BATCH = 4096
    # Merging the runs holds their paths twice for a while: not before 32 (130,000 paths, 20,000 articles
    # in one language), as their lookups, done for a killed merge's temporaries alone, are few.
    _RUNS = 32

    def __init__(self) -> None:
        self._batch: set[str] = set()
        self._runs: list[_PathRun] = []

    def add(self, relative: str) -> None:
        self._batch.add(relative)
        if len(self._batch) >= self._BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._runs.append(_PathRun(sorted(self._batch)))
            self._batch = set()
        if len(self._runs) > self._RUNS:
            self._runs = [_PathRun(self._sorted())]

    def __contains__(self, relative: object) -> bool:
        self._flush()
        return isinstance(relative, str) and any(relative in run for run in self._runs)

    def __iter__(self) -> Iterator[str]:
        """Every path once, sorted (as ``sorted`` sorts text: UTF-8 sorts as code points do)."""
        self._flush()
        return self._sorted()

    def _sorted(self) -> Iterator[str]:
        last = None
        for path in in_order(*self._runs):
            if path != last:
                yield path
            last = path


class _PathRun(PackedTexts):
    """Sorted paths, packed."""

    def __contains__(self, relative: object) -> bool:
        if not isinstance(relative, str):
            return False
        at = bisect_left(self, relative)
        return at < len(self) and self[at] == relative


def _record_pieces(paths: Iterable[str]) -> Iterator[str]:
    """``json.dumps(paths, ensure_ascii=False, indent=1)`` and a newline, each path encoded on its own
    and written as it is (``files.Pieces``): json's indenting encoder (in Python) holds every token of
    the list at once, and even the text alone is megabytes for an archive's pages."""
    separator = "[\n "
    for path in paths:
        yield separator + json_string(path)
        separator = ",\n "
    yield "[]\n" if separator == "[\n " else "\n]\n"


def _remove_temporaries(out: Path, written: _Paths) -> None:
    """Remove the temporaries a killed merge left beside the files it was writing
    (``.NAME.ID.tmp``, see ``files.write_output``): only those of a file this merge wrote."""
    for folder in {relative.rpartition("/")[0] for relative in written}:
        try:
            # Only the temporaries are kept of the listing (a folder of an archive holds thousands of pages),
            # and removed once it is read.
            with os.scandir(out / folder) as entries:
                temporaries = [entry for entry in entries
                               if entry.name.startswith(".") and entry.name.endswith(TEMPORARY_SUFFIX)]
        except OSError:
            continue
        prefix = f"{folder}/" if folder else ""
        for entry in temporaries:
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
