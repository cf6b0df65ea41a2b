"""What earlier runs saw of the tree, so that an unchanged article is neither read nor written.

One SQLite database, ``.localize-cache/cache.sqlite`` in the content tree:
a cache in the strict sense. It carries its own ``.gitignore`` (it is not
committed), deleting it at any time only costs the next run some time, and
no output ever depends on it: a run with the cache gives the same bytes as a
run without.

Two things live here:

* ``files``: the content digest of every file a run looked at (sources,
  templates, catalogs, compendia), trusted while the file's size and
  modification time stay as recorded. As in Git's "racy" rule, a file whose
  modification time is too close to the moment it was recorded is hashed
  again: another write within the same clock tick would leave its time
  unchanged.
* ``articles``: for each article, the digest of its source, template and
  catalogs as extract last left them, and the fingerprint of everything
  else that decides extract's output (this code, its libraries, the
  settings). An article whose files all still have those digests is skipped.
* ``results``: what a step that reads without writing (check, status) made
  of one article or file, under the digest of everything it read and every
  setting and line of code that decides it (``result_digest``); a result is
  served only when that digest is the same.

The translation memory keeps its index in the same database (``memory.py``);
the parses of sources and catalogs are kept beside it (``parsed.py``).
"""

from __future__ import annotations

import dataclasses
import errno
import gc
import hashlib
import marshal
import os
import re
import sqlite3
import struct
import sys
import time
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from localize.files import write_text_atomic

if TYPE_CHECKING:
    from localize.config import Config

CACHE_FOLDER = ".localize-cache"
DATABASE = "cache.sqlite"
SCHEMA_VERSION = 4

# How long after a file's modification time its size and time may be trusted to describe it:
# well over a kernel clock tick where times have sub-second precision, over FAT's 2 s otherwise.
FINE_WINDOW_NS = 100_000_000
COARSE_WINDOW_NS = 3_000_000_000

DANGLING_LINK = "a symbolic link to a file that does not exist"

# A temporary file of files.write_atomic: ".NAME.RANDOM.tmp"; one left behind was killed mid-write.
TEMPORARY_SUFFIX = ".tmp"


class FileState(NamedTuple):
    """What ``stat`` says about a file: enough to notice that it changed."""

    size: int
    mtime_ns: int


def file_state(path: Path | str) -> FileState | None:
    try:
        status = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return FileState(status.st_size, status.st_mtime_ns)


def state_signature(states: Iterable[tuple | None]) -> bytes:
    """The states of several files as one comparable value (a missing file is -1)."""
    flat: list[int] = []
    for state in states:
        flat += (-1, -1) if state is None else (state[0], state[1])
    return marshal.dumps(tuple(flat))


def files_signature(files: Iterable[tuple[str, tuple]]) -> bytes:
    """The names and states of many files as one short value, whatever their order.

    The sum of each file's digest (modulo 2**128), made a file at a time: sorting an archive's
    files and serializing them was megabytes at the peak of its extract.
    """
    total = 0
    for name, state in files:
        total += int.from_bytes(hashlib.blake2b(
            marshal.dumps((name, state[0], state[1])), digest_size=16).digest(), "little")
    return (total % _SIGNATURE_MODULUS).to_bytes(16, "little")


_SIGNATURE_MODULUS = 1 << 128


def content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def combined_digest(parts: Iterable[bytes | str | None]) -> bytes:
    """One digest for several: the article's files, or the parts of a fingerprint."""
    # marshal tells each part's type and length, in one call; its version 2 writes no
    # references, whose bytes would depend on which parts are the same object.
    return content_digest(marshal.dumps(tuple(parts), 2))


class Listing(Mapping):
    """Files found by name: name to (path, (size, mtime_ns)), in the order they were added.

    Held compactly, as a scan over an archive holds tens of thousands: the states in one array,
    the path made when asked for (``prefix + name + suffix``), some 50 bytes a file where a dict
    of tuples and strings took 300.
    """

    __slots__ = ("prefix", "suffix", "_index", "_states")

    def __init__(self, prefix: str, suffix: str = "") -> None:
        self.prefix = prefix
        self.suffix = suffix
        self._index: dict[str, int] = {}  # name to its place in ``_states`` (two numbers a file)
        self._states = array("q")

    def add(self, name: str, size: int, mtime_ns: int) -> None:
        self._index[name] = len(self._states)
        self._states.append(size)
        self._states.append(mtime_ns)

    def state(self, name: str) -> tuple[int, int]:
        place = self._index[name]
        return self._states[place], self._states[place + 1]

    def pop(self, name: str) -> tuple[str, tuple[int, int]]:
        found = self[name]
        del self._index[name]
        return found

    def __getitem__(self, name: str) -> tuple[str, tuple[int, int]]:
        place = self._index[name]
        return self.prefix + name + self.suffix, (self._states[place], self._states[place + 1])

    def get(self, name: str, default: object = None):  # type: ignore[override]
        place = self._index.get(name)
        if place is None:
            return default
        return self.prefix + name + self.suffix, (self._states[place], self._states[place + 1])

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    # (made as they are read: a list of an archive's files would be the tuples saved above)
    def items(self) -> Iterator[tuple[str, tuple[str, tuple[int, int]]]]:  # type: ignore[override]
        prefix, suffix, states = self.prefix, self.suffix, self._states
        return ((name, (prefix + name + suffix, (states[place], states[place + 1])))
                for name, place in self._index.items())

    def values(self) -> Iterator[tuple[str, tuple[int, int]]]:  # type: ignore[override]
        prefix, suffix, states = self.prefix, self.suffix, self._states
        return ((prefix + name + suffix, (states[place], states[place + 1])) for name, place in self._index.items())

    def __repr__(self) -> str:
        return f"Listing({dict(self.items())!r})"


@dataclass(frozen=True)
class Scan:
    """The files with one suffix under a folder: relative POSIX path to (path, state).

    Paths are strings: a run over ten thousand articles makes no Path it does not use.
    ``unreadable`` holds what has the suffix but cannot even be looked at (a
    symbolic link in a loop or to nothing, no permission), and folders that
    cannot be listed (their relative path ends with ``/``), each with the error.
    ``links``: the paths of the files found that are symbolic links (the listing tells it for
    free): the state of any other is its ``lstat``, which a caller need not ask for again.
    """

    files: Listing
    temporary: tuple[Path, ...]  # left behind by a killed write
    unreadable: dict[str, tuple[str, OSError]] = field(default_factory=dict)
    links: frozenset[str] = frozenset()


def scan(folder: Path, suffix: str) -> Scan:
    """Every ``*SUFFIX`` file under ``folder`` (hidden files and folders skipped), with its state, in one walk."""
    found = Listing(os.path.join(str(folder), ""))
    add = found.add
    temporary: list[Path] = []
    unreadable: dict[str, tuple[str, OSError]] = {}
    links: set[str] = set()

    def walk(directory: str, prefix: str) -> None:
        try:
            entries = os.scandir(directory)
        except (FileNotFoundError, NotADirectoryError):
            return
        except OSError as error:
            unreadable[prefix] = (directory, error)
            return
        with entries:
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    if name.endswith(TEMPORARY_SUFFIX) and f"{suffix}." in name and entry.is_file():
                        temporary.append(Path(entry.path))
                elif name.endswith(suffix) and _is_file(entry, prefix + name, unreadable):
                    status = entry.stat()
                    add(prefix + name, status.st_size, status.st_mtime_ns)
                    if entry.is_symlink():
                        links.add(entry.path)
                elif prefix + name not in unreadable and entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{name}/")

    with paused_collection():  # (an archive's tens of thousands of files)
        walk(str(folder), "")
    return Scan(found, tuple(sorted(temporary)), unreadable, frozenset(links))


def _is_file(entry: os.DirEntry, relative: str, unreadable: dict[str, tuple[str, OSError]]) -> bool:
    """Whether the entry is a file (through a symbolic link too); one that cannot be told is noted."""
    try:
        if entry.is_file():
            return True
        if entry.is_symlink() and not os.path.exists(entry.path):  # the file it named was moved or deleted
            raise FileNotFoundError(errno.ENOENT, DANGLING_LINK, entry.path)
    except OSError as error:
        unreadable[relative] = (entry.path, error)
    return False


@contextmanager
def paused_collection() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: for making many small values that form no cycle
    (paths, rows, results), which the collector would otherwise walk again and again as they
    pile up. After, they join the oldest generation unwalked (``freeze`` then ``unfreeze``), which
    the collector walks only when it has grown by a quarter."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


class _FileRow(NamedTuple):
    state: FileState
    digest: bytes
    seen_ns: int  # when the file was known to have this state and this content


# A row as the cache holds it between lookups: size, modification time and when seen, then the
# digest, in one bytes object (73 bytes, where the tuples and integers took some 260: a run over an
# archive holds a row for each of its tens of thousands of files).
_PACKED = struct.Struct("<qqq")


def _pack(state: tuple[int, int], digest: bytes, seen_ns: int) -> bytes:
    return _PACKED.pack(state[0], state[1], seen_ns) + digest


def _unpack(packed: bytes) -> _FileRow:
    size, mtime_ns, seen_ns = _PACKED.unpack_from(packed)
    return _FileRow((size, mtime_ns), packed[_PACKED.size:], seen_ns)


def racy(state: FileState, seen_ns: int) -> bool:
    """Whether another write may have left the file's size and time as they are (Git's "racy" rule)."""
    mtime_ns = state[1]
    return mtime_ns >= seen_ns - (COARSE_WINDOW_NS if mtime_ns % 1_000_000_000 == 0 else FINE_WINDOW_NS)


class ArticleRecord(NamedTuple):
    """An article as extract left it: the languages it updated, the digest of its files, and
    (once they are all past their clock tick) their states, which alone then prove them unchanged."""

    languages: tuple[str, ...]
    digest: bytes
    states: bytes | None = None


class Cache:
    """The database of one content tree; see the module's docstring."""

    def __init__(self, connection: sqlite3.Connection, folder: Path | None = None, *, root: Path | None = None) -> None:
        self.connection = connection
        self.folder = folder  # where derived files may be kept; None for a cache in memory
        # The project's folder, which the keys are relative to (with a separator after it).
        self._root = os.path.join(root, "") if root is not None else None
        # Rows of the files table: all of them once a pass over many files asked for them
        # (``load_files``), else those asked for one by one (None: no row).
        self._files: dict[str, bytes | None] = {}  # rows as ``_pack`` makes them
        self._all_files = False
        # Whether rows asked for one by one are kept (see ``commit``'s ``release``).
        self._holding = True
        self._dirty: set[str] = set()
        self._forgotten: set[str] = set()
        # key: the file's path (a str: a Path weighs a kilobyte), None when it is the root's and the key's.
        self._recorded: dict[str, str | None] = {}
        self._articles: dict[str, ArticleRecord] | None = None
        self._results: dict[str, dict[str, tuple[bytes, bytes]]] = {}

    # -- files -----------------------------------------------------------------------------

    def load_files(self) -> None:
        """Read every row at once, before asking about many files."""
        if self._all_files:
            return
        with paused_collection():
            loaded = {
                path: _pack((size, mtime_ns), digest, seen_ns)
                for path, size, mtime_ns, digest, seen_ns in self.connection.execute(
                    "SELECT path, size, mtime_ns, digest, seen_ns FROM files"
                )
            }
        loaded.update((key, row) for key, row in self._files.items() if key in self._dirty or key in self._forgotten)
        self._files = {key: row for key, row in loaded.items() if key not in self._forgotten}
        self._all_files = True
        self._holding = True

    def _row(self, key: str) -> _FileRow | None:
        if key in self._files or self._all_files:
            packed = self._files.get(key)
            return _unpack(packed) if packed is not None else None
        found = self.connection.execute(
            "SELECT size, mtime_ns, digest, seen_ns FROM files WHERE path = ?", (key,)
        ).fetchone()
        if self._holding:
            self._files[key] = _pack((found[0], found[1]), found[2], found[3]) if found else None
        return _FileRow((found[0], found[1]), found[2], found[3]) if found else None

    def _pack_of(self, key: str) -> bytes | None:
        row = self._row(key)
        if row is None:
            return None
        return self._files.get(key) if self._holding else _pack(*row)

    def digest(self, key: str, path: Path | str, state: FileState | None) -> bytes | None:
        """The digest of the file's content now (``None`` if it is missing), read only when it may have changed."""
        if state is None:
            return None
        # (The row as kept, unpacked here: this is asked of each of an archive's tens of thousands of files.)
        packed = self._files.get(key) if self._all_files else self._pack_of(key)
        if packed is not None:
            size, mtime_ns, seen_ns = _PACKED.unpack_from(packed)
            if size == state[0] and mtime_ns == state[1] and not racy(state, seen_ns):
                return packed[_PACKED.size:]
        seen = time.time_ns()
        try:
            with open(path, "rb") as stream:
                data = stream.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        digest = content_digest(data)
        if file_state(path) == state:  # not changed while being read
            self._set(key, _FileRow(state, digest, seen))
        return digest

    def observe(self, key: str, path: Path, data: bytes, *, seen_ns: int) -> bytes:
        """Record that ``path`` held ``data`` at ``seen_ns`` (just written, or just read and compared)."""
        return self.observe_digest(key, path, content_digest(data), seen_ns=seen_ns)

    def observe_digest(self, key: str, path: Path, digest: bytes, *, seen_ns: int) -> bytes:
        """``observe`` for a file whose content only the digest of is at hand (another process read it)."""
        state = file_state(path)
        if state is not None:
            self._set(key, _FileRow(state, digest, seen_ns))
            if not racy(state, seen_ns):
                return digest  # trusted already: nothing for ``settle`` to check again
            text = os.fspath(path)
            root = self._root
            self._recorded[key] = (None if root is not None and len(text) == len(root) + len(key)
                                   and text.endswith(key) and text.startswith(root) else text)
        return digest

    def trusted_state(self, key: str) -> FileState | None:
        """The state under which the file's digest is known for sure, if any."""
        row = self._row(key)
        return row.state if row is not None and not racy(row.state, row.seen_ns) else None

    def forget_file(self, key: str) -> None:
        if self._row(key) is not None:
            self._files[key] = None
            self._forgotten.add(key)
            self._dirty.discard(key)

    def _set(self, key: str, row: _FileRow) -> None:
        self._files[key] = _pack(*row)
        self._dirty.add(key)
        self._forgotten.discard(key)

    def settle(self) -> None:
        """Check again, now that their clock tick is past, the files this run wrote or read.

        Their times were too recent to be trusted; once checked, the next run
        trusts them without reading them.
        """
        if not self._recorded:
            return
        # On a file system with fine times, the tick is soon past: wait for it rather
        # than leave the next run to read these files again.
        latest = max((row.state[1] for key in self._recorded if (row := self._row(key)) is not None), default=0)
        if latest % 1_000_000_000:
            wait = latest + FINE_WINDOW_NS - time.time_ns()
            if 0 < wait <= 2 * FINE_WINDOW_NS:
                time.sleep(wait / 1e9 + 0.001)
        for key, path in self._recorded.items():
            if path is None:
                assert self._root is not None
                path = self._root + key
            row = self._row(key)
            if row is None or not racy(row.state, row.seen_ns):
                continue
            seen = time.time_ns()
            if racy(row.state, seen):
                continue
            try:
                with open(path, "rb") as stream:
                    data = stream.read()
            except OSError:
                continue
            if content_digest(data) == row.digest and file_state(path) == row.state:
                self._set(key, _FileRow(row.state, row.digest, seen))
        self._recorded.clear()

    def forget_missing(self, count: int, present: Callable[[], set[str]]) -> None:
        """Drop the rows of files that no longer exist, if there are more rows than ``count`` files.

        ``present()`` gives every file the run looked at; it is asked only when some row is too many.
        """
        self._flush()
        rows = self.connection.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        if rows <= count:
            return
        self.load_files()
        found = present()
        for key in [key for key, row in self._files.items() if row is not None and key not in found]:
            self.forget_file(key)

    # -- articles --------------------------------------------------------------------------

    def check_fingerprint(self, fingerprint: bytes) -> None:
        """Forget every article's state if anything that decides extract's output changed."""
        row = self.connection.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        if row is None or row[0] != fingerprint:
            self.connection.execute("DELETE FROM articles")
            self.connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('fingerprint', ?)", (fingerprint,))
            self._articles = {}

    def article(self, slug: str) -> ArticleRecord | None:
        if self._articles is None:
            languages_of: dict[str, tuple[str, ...]] = {}
            self._articles = {
                slug: ArticleRecord(
                    languages_of.setdefault(languages, tuple(languages.split())), digest, states
                )
                for slug, languages, digest, states in self.connection.execute(
                    "SELECT slug, languages, digest, states FROM articles"
                )
            }
        return self._articles.get(slug)

    def set_article(self, slug: str, record: ArticleRecord) -> None:
        self.article(slug)
        self._articles[slug] = record
        self.connection.execute(
            "INSERT OR REPLACE INTO articles (slug, languages, digest, states) VALUES (?, ?, ?, ?)",
            (slug, " ".join(record.languages), record.digest, record.states),
        )

    def forget_articles_but(self, slugs: dict | set) -> None:
        """Forget the articles that are not among ``slugs`` (deleted or renamed)."""
        self.article("")
        if len(self._articles) > len(slugs) or any(slug not in slugs for slug in self._articles):
            for slug in [slug for slug in self._articles if slug not in slugs]:
                self.forget_article(slug)

    def forget_article(self, slug: str) -> None:
        if self.article(slug) is not None:
            del self._articles[slug]
            self.connection.execute("DELETE FROM articles WHERE slug = ?", (slug,))

    # -- results of the steps that only read -----------------------------------------------

    def result(self, kind: str, name: str, digest: bytes) -> bytes | None:
        """The value kept for ``name`` (an article, a file) by a step of ``kind``, if it was
        made from inputs with this ``digest``."""
        found = self._results_of(kind).get(name)
        return found[1] if found is not None and found[0] == digest else None

    def take_result(self, kind: str, name: str, digest: bytes) -> bytes | None:
        """``result``, and the copy held in memory let go when it is served: a run asks for each
        once, and a run over an archive would hold its ten thousand values to the end (the row
        stays in the database)."""
        results = self._results_of(kind)
        found = results.get(name)
        if found is None or found[0] != digest:
            return None
        del results[name]
        return found[1]

    def set_result(self, kind: str, name: str, digest: bytes, value: bytes) -> None:
        results = self._results_of(kind)
        if results.get(name) == (digest, value):
            return
        results[name] = (digest, value)
        self.connection.execute(
            "INSERT OR REPLACE INTO results (kind, name, digest, value) VALUES (?, ?, ?, ?)",
            (kind, name, digest, value),
        )

    def forget_results_but(self, kind: str, names: set[str]) -> None:
        """Forget the results of ``kind`` for anything not among ``names`` (deleted, renamed)."""
        results = self._results_of(kind)
        gone = [name for name in results if name not in names]
        for name in gone:
            del results[name]
        self.connection.executemany("DELETE FROM results WHERE kind = ? AND name = ?", [(kind, name) for name in gone])

    def _results_of(self, kind: str) -> dict[str, tuple[bytes, bytes]]:
        if kind not in self._results:
            with paused_collection():
                self._results[kind] = {
                    name: (digest, value) for name, digest, value in self.connection.execute(
                        "SELECT name, digest, value FROM results WHERE kind = ?", (kind,)
                    )
                }
        return self._results[kind]

    # -- anything else -------------------------------------------------------------------------

    def value(self, key: str) -> bytes | str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_value(self, key: str, value: bytes | str | None) -> None:
        if value is None:
            self.connection.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self.connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- transactions ----------------------------------------------------------------------

    def commit(self, *, release: bool = False) -> None:
        """Write what changed. With ``release``, the rows held in memory are let go once the
        database has them, and later lookups ask the database without keeping their rows: a
        pass that writes an archive's tens of thousands of files holds none of them."""
        self._flush()
        self.connection.commit()
        if release:
            self._files = {}
            self._all_files = False
            self._holding = False

    def _flush(self) -> None:
        if self._dirty:
            self.connection.executemany(
                "INSERT OR REPLACE INTO files (path, size, mtime_ns, digest, seen_ns) VALUES (?, ?, ?, ?, ?)",
                [(key, *row.state, row.digest, row.seen_ns) for key in self._dirty if (row := self._row(key))],
            )
        if self._forgotten:
            self.connection.executemany("DELETE FROM files WHERE path = ?", [(key,) for key in self._forgotten])
        self._dirty.clear()
        self._forgotten.clear()


@contextmanager
def open_cache(project_dir: Path, *, enabled: bool = True) -> Iterator[Cache]:
    """The tree's cache; an empty one in memory when disabled or when the folder cannot be written."""
    folder = project_dir / CACHE_FOLDER
    connection = _connect(folder) if enabled else None
    if connection is None:
        connection, folder = sqlite3.connect(":memory:"), None
        _create(connection)
    try:
        yield Cache(connection, folder, root=project_dir)
    finally:
        connection.close()


def _connect(folder: Path) -> sqlite3.Connection | None:
    try:
        make_cache_folder(folder)
    except OSError:
        return None
    path = folder / DATABASE
    for _attempt in range(2):
        try:
            connection = sqlite3.connect(path, timeout=60)
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                connection.close()
                remove_database(path)
                connection = sqlite3.connect(path, timeout=60)
                _create(connection)
            if connection.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                connection.execute("PRAGMA synchronous = NORMAL")
            return connection
        except sqlite3.DatabaseError:
            # Not a database (or a damaged one): it is only a cache.
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass
            remove_database(path)
        except OSError:
            return None
    return None


def remove_database(path: Path) -> None:
    """Delete a database that is damaged or of another format, with its journal files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def make_cache_folder(folder: Path) -> None:
    """The cache folder, which tells Git and backup tools to leave it alone."""
    if (folder / ".gitignore").is_file():
        return
    write_text_atomic(
        folder / "CACHEDIR.TAG",
        "Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by localize.\n"
        "# For information about cache directory tags, see https://bford.info/cachedir/\n",
    )
    write_text_atomic(folder / ".gitignore", "# Created by localize: a cache, never committed.\n*\n")


def _create(connection: sqlite3.Connection) -> None:
    connection.executescript(
        f"""
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
        CREATE TABLE IF NOT EXISTS files (
            path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
            digest BLOB NOT NULL, seen_ns INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS articles (
            slug TEXT PRIMARY KEY, languages TEXT NOT NULL, digest BLOB NOT NULL, states BLOB);
        CREATE TABLE IF NOT EXISTS results (
            kind TEXT NOT NULL, name TEXT NOT NULL, digest BLOB NOT NULL, value BLOB NOT NULL,
            PRIMARY KEY (kind, name));
        PRAGMA user_version = {SCHEMA_VERSION};
        """
    )
    connection.commit()


# -- fingerprints ----------------------------------------------------------------------------

# The libraries whose versions decide what extract writes and what check and status find (tzdata: the time
# zones of datelines), as their metadata folders name them (``normalized``).
DEPENDENCIES = ("polib", "markdown_it_py", "mdit_py_plugins", "pyyaml", "tomlkit", "babel", "rapidfuzz", "tzdata")
_code_fingerprint: bytes | None = None


def code_fingerprint() -> bytes:
    """This version of localize: its own code, the libraries installed with it, Python and its Unicode."""
    global _code_fingerprint
    if _code_fingerprint is None:
        package = os.path.dirname(os.path.realpath(__file__))
        parts: list[bytes | str | None] = [sys.version.split()[0], unicodedata.unidata_version]
        parts += installed_distributions(sys.path, DEPENDENCIES)
        # Front matter is read by libyaml where PyYAML has it, which accepts a little more (segment.frontmatter).
        parts.append(f"libyaml={_has_libyaml()}")
        for relative, source in _python_files(package):
            parts.append(relative)
            with open(source, "rb") as stream:
                parts.append(stream.read())
        _code_fingerprint = combined_digest(parts)
    return _code_fingerprint


def installed_distributions(folders: Iterable[str], names: Iterable[str]) -> list[str]:
    """The distributions called ``names`` installed in ``folders`` (the import path), as
    ``NAME-VERSION``, in their order: a library that changes, comes or goes changes the list.

    Read from the names of their metadata folders (``NAME-VERSION.dist-info``), a listing of
    each folder, rather than through ``importlib.metadata``, whose import and look-ups cost
    more than the rest of a run answered from the cache (the version is read from the
    metadata file only for a folder whose name does not say it, such as ``NAME.egg-info``).
    """
    wanted = {normalized(name) for name in names}
    found: list[str] = []
    for folder in folders:
        try:
            with os.scandir(folder or ".") as entries:
                listed = sorted(entry.name for entry in entries if entry.name.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip file, a folder that does not exist: none installed there
            continue
        for name in listed:
            stem = name.rpartition(".")[0]
            if normalized(stem.partition("-")[0]) not in wanted:
                continue
            if "-" not in stem:  # (a development install's NAME.egg-info)
                stem += f"-{_metadata_version(os.path.join(folder or '.', name))}"
            found.append(stem)
    return found


def normalized(name: str) -> str:
    """A distribution's name as its wheel's metadata folder writes it (``PyYAML``, ``markdown-it-py``:
    ``pyyaml``, ``markdown_it_py``)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_version(folder: str) -> str:
    """The ``Version:`` a metadata folder's file gives, or an ``.egg-info`` file itself ("" if none can be read)."""
    for name in ("METADATA", "PKG-INFO", ""):
        try:
            with open(os.path.join(folder, name) if name else folder, encoding="utf-8", errors="replace") as stream:
                for line in stream:
                    if line.startswith("Version:"):
                        return line[len("Version:"):].strip()
                    if not line.strip():
                        break
        except OSError:
            continue
    return ""


def _has_libyaml() -> bool:
    """Whether PyYAML has its libyaml extension (``yaml.__with_libyaml__``), without importing PyYAML."""
    from importlib.machinery import EXTENSION_SUFFIXES
    from importlib.util import find_spec

    spec = find_spec("yaml")
    if spec is None or not spec.submodule_search_locations:
        return False
    for folder in spec.submodule_search_locations:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        if any(f"_yaml{suffix}" in names for suffix in EXTENSION_SUFFIXES):
            return True
    return False


def _python_files(package: str) -> list[tuple[str, str]]:
    """The package's modules: (POSIX path relative to it, path), in the order of their relative paths."""
    found: list[tuple[str, str]] = []
    for folder, subfolders, names in os.walk(package):
        subfolders.sort()
        relative = os.path.relpath(folder, package).replace(os.sep, "/")
        prefix = "" if relative == "." else f"{relative}/"
        found += [(prefix + name, os.path.join(folder, name)) for name in names if name.endswith(".py")]
    return sorted(found)


def canonical(value: object) -> bytes:
    """A value made of dataclasses, mappings, sets, sequences, paths and plain values, as bytes
    that are the same in every process (sets sorted: their order changes with the hash seed)."""
    return marshal.dumps(_canonical(value))


def _canonical(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__name__, *((each.name, _canonical(getattr(value, each.name))) for each in fields))
    if isinstance(value, Mapping):
        return ("mapping", *sorted((repr(key), _canonical(item)) for key, item in value.items()))
    if isinstance(value, (set, frozenset)):
        return ("set", *sorted(repr(item) for item in value))
    if isinstance(value, (tuple, list)):
        return ("sequence", *(_canonical(item) for item in value))
    if value is None or isinstance(value, (str, int, float, bool, bytes)):
        return value
    return repr(value)  # a Path and the like: their repr says all of them


def file_key(config: Config, path: Path) -> str:
    """How the cache names a file: its path relative to the project."""
    text, top = os.fspath(path), os.fspath(config.project_dir)
    if os.sep == "/" and top != "/" and text.startswith(top + "/"):
        return text[len(top) + 1:]  # what the Path methods below say, without making a path (merge asks per file)
    return config.relative(path).as_posix()


def key_under(folder_key: str, relative: str) -> str:
    """The key of a file under a folder, from the folder's key and the file's relative path."""
    return relative if folder_key == "." else f"{folder_key}/{relative}"
