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

The translation memory keeps its index in the same database (``memory.py``).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from localize.files import write_text_atomic

CACHE_FOLDER = ".localize-cache"
DATABASE = "cache.sqlite"
SCHEMA_VERSION = 2

# How long after a file's modification time its size and time may be trusted to describe it:
# well over a kernel clock tick where times have sub-second precision, over FAT's 2 s otherwise.
FINE_WINDOW_NS = 100_000_000
COARSE_WINDOW_NS = 3_000_000_000

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


def state_signature(states: Iterable[tuple | None]) -> str:
    """The states of several files as one comparable value."""
    return repr(tuple(None if state is None else (state[0], state[1]) for state in states))


def content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def combined_digest(parts: Iterable[bytes | str | None]) -> bytes:
    """One digest for several: the article's files, or the parts of a fingerprint."""
    combined = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = b"\x00missing" if part is None else part.encode("utf-8") if isinstance(part, str) else part
        combined.update(len(data).to_bytes(8, "little") + data)
    return combined.digest()


@dataclass(frozen=True)
class Scan:
    """The files with one suffix under a folder: relative POSIX path to (path, state).

    Paths are strings: a run over ten thousand articles makes no Path it does not use.
    """

    files: dict[str, tuple[str, FileState]]
    temporary: tuple[Path, ...]  # left behind by a killed write


def scan(folder: Path, suffix: str) -> Scan:
    """Every ``*SUFFIX`` file under ``folder`` (hidden files and folders skipped), with its state, in one walk."""
    found: dict[str, tuple[str, FileState]] = {}
    temporary: list[Path] = []

    def walk(directory: str, prefix: str) -> None:
        try:
            entries = os.scandir(directory)
        except (FileNotFoundError, NotADirectoryError):
            return
        with entries:
            for entry in entries:
                name = entry.name
                if entry.is_dir(follow_symlinks=False):
                    if not name.startswith("."):
                        walk(entry.path, f"{prefix}{name}/")
                elif name.endswith(suffix) and not name.startswith("."):
                    if not entry.is_file():
                        continue
                    status = entry.stat()
                    found[prefix + name] = (entry.path, (status.st_size, status.st_mtime_ns))
                elif name.startswith(".") and name.endswith(TEMPORARY_SUFFIX) and f"{suffix}." in name:
                    temporary.append(Path(entry.path))

    walk(str(folder), "")
    return Scan(found, tuple(sorted(temporary)))


class _FileRow(NamedTuple):
    state: FileState
    digest: bytes
    seen_ns: int  # when the file was known to have this state and this content


def _racy(state: FileState, seen_ns: int) -> bool:
    """Whether another write may have left the file's size and time as they are (Git's "racy" rule)."""
    mtime_ns = state[1]
    return mtime_ns >= seen_ns - (COARSE_WINDOW_NS if mtime_ns % 1_000_000_000 == 0 else FINE_WINDOW_NS)


@dataclass(frozen=True)
class ArticleRecord:
    """An article as extract left it: the languages it updated, the digest of its files, and
    (once they are all past their clock tick) their states, which alone then prove them unchanged."""

    languages: tuple[str, ...]
    digest: bytes
    states: str | None = None


class Cache:
    """The database of one content tree; see the module's docstring."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self._files: dict[str, _FileRow] | None = None
        self._trusted: dict[str, tuple[FileState, bytes]] = {}  # rows whose state alone can be believed
        self._dirty: set[str] = set()
        self._forgotten: set[str] = set()
        self._recorded: dict[str, Path] = {}
        self._articles: dict[str, ArticleRecord] | None = None

    # -- files -----------------------------------------------------------------------------

    def _rows(self) -> dict[str, _FileRow]:
        if self._files is None:
            self._files = {}
            self._trusted = {}
            for path, size, mtime_ns, digest, seen_ns in self.connection.execute(
                "SELECT path, size, mtime_ns, digest, seen_ns FROM files"
            ):
                state = (size, mtime_ns)
                self._files[path] = _FileRow(state, digest, seen_ns)
                if not _racy(state, seen_ns):
                    self._trusted[path] = (state, digest)
        return self._files

    def digest(self, key: str, path: Path | str, state: FileState | None) -> bytes | None:
        """The digest of the file's content now (``None`` if it is missing), read only when it may have changed."""
        if state is None:
            return None
        if self._files is None:
            self._rows()
        trusted = self._trusted.get(key)
        if trusted is not None and trusted[0] == state:
            return trusted[1]
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
        digest = content_digest(data)
        state = file_state(path)
        if state is not None:
            self._set(key, _FileRow(state, digest, seen_ns))
            self._recorded[key] = path
        return digest

    def trusted_state(self, key: str) -> FileState | None:
        """The state under which the file's digest is known for sure, if any."""
        if self._files is None:
            self._rows()
        trusted = self._trusted.get(key)
        return trusted[0] if trusted is not None else None

    def forget_file(self, key: str) -> None:
        if self._rows().pop(key, None) is not None:
            self._trusted.pop(key, None)
            self._forgotten.add(key)
            self._dirty.discard(key)

    def _set(self, key: str, row: _FileRow) -> None:
        self._rows()[key] = row
        if _racy(row.state, row.seen_ns):
            self._trusted.pop(key, None)
        else:
            self._trusted[key] = (row.state, row.digest)
        self._dirty.add(key)
        self._forgotten.discard(key)

    def settle(self) -> None:
        """Check again, now that their clock tick is past, the files this run wrote or read.

        Their times were too recent to be trusted; once checked, the next run
        trusts them without reading them.
        """
        if not self._recorded:
            return
        rows = self._rows()
        for key, path in self._recorded.items():
            row = rows.get(key)
            if row is None or not _racy(row.state, row.seen_ns):
                continue
            seen = time.time_ns()
            if _racy(row.state, seen):
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if content_digest(data) == row.digest and file_state(path) == row.state:
                self._set(key, _FileRow(row.state, row.digest, seen))
        self._recorded.clear()

    def forget_missing(self, count: int, present: Callable[[], set[str]]) -> None:
        """Drop the rows of files that no longer exist, if there are more rows than ``count`` files.

        ``present()`` gives every file the run looked at; it is asked only when some row is too many.
        """
        rows = len(self._files) if self._files is not None else \
            self.connection.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        if rows <= count:
            return
        found = present()
        for key in [key for key in self._rows() if key not in found]:
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

    def commit(self) -> None:
        rows = self._rows() if self._dirty or self._forgotten else {}
        if self._dirty:
            self.connection.executemany(
                "INSERT OR REPLACE INTO files (path, size, mtime_ns, digest, seen_ns) VALUES (?, ?, ?, ?, ?)",
                [(key, *rows[key].state, rows[key].digest, rows[key].seen_ns) for key in self._dirty],
            )
        if self._forgotten:
            self.connection.executemany("DELETE FROM files WHERE path = ?", [(key,) for key in self._forgotten])
        self._dirty.clear()
        self._forgotten.clear()
        self.connection.commit()


@contextmanager
def open_cache(project_dir: Path, *, enabled: bool = True) -> Iterator[Cache]:
    """The tree's cache; an empty one in memory when disabled or when the folder cannot be written."""
    connection = _connect(project_dir / CACHE_FOLDER) if enabled else None
    if connection is None:
        connection = sqlite3.connect(":memory:")
        _create(connection)
    try:
        yield Cache(connection)
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
                _remove_database(path)
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
            _remove_database(path)
        except OSError:
            return None
    return None


def _remove_database(path: Path) -> None:
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
            slug TEXT PRIMARY KEY, languages TEXT NOT NULL, digest BLOB NOT NULL, states TEXT);
        PRAGMA user_version = {SCHEMA_VERSION};
        """
    )
    connection.commit()


# -- fingerprints ----------------------------------------------------------------------------

_DEPENDENCIES = ("polib", "markdown-it-py", "mdit-py-plugins", "PyYAML", "tomlkit", "babel", "rapidfuzz")
_code_fingerprint: bytes | None = None


def code_fingerprint() -> bytes:
    """This version of localize: its own code, the libraries it reads and writes with, Python's Unicode."""
    global _code_fingerprint
    if _code_fingerprint is None:
        from importlib import metadata

        package = Path(__file__).resolve().parent
        parts: list[bytes | str | None] = [sys.version.split()[0], unicodedata.unidata_version]
        for name in _DEPENDENCIES:
            try:
                parts.append(f"{name}=={metadata.version(name)}")
            except metadata.PackageNotFoundError:
                parts.append(f"{name} missing")
        for source in sorted(package.rglob("*.py")):
            parts.append(source.relative_to(package).as_posix())
            parts.append(source.read_bytes())
        _code_fingerprint = combined_digest(parts)
    return _code_fingerprint
