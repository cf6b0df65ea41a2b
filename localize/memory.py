"""The translation memory: every translation a language already has, found by text.

Its sources are every PO file of the language under ``locales/LANG/`` (the
article catalogs, the site's ``ui.po``, memories imported from TMX under
``memory/``) and the compendia named in the configuration, like msgmerge's
``--compendium``. A translated message is a unit of the memory, obsolete ones
included (they are a translator's work too); fuzzy ones are not (nobody has
confirmed them).

The units are indexed in the cache database (``cache.py``), so that a run
parses only the catalogs that changed since the last one. Lookups:

* ``exact``: a dictionary lookup. When the language translates a text in
  more than one way, the translation most sources agree on wins, then the
  one still in use, then the first by source path, so that the choice does
  not depend on the order the files were read in.
* ``similar``: rapidfuzz's ``extract`` over the texts of a plausible length,
  with msgmerge's measure of similarity. The search runs once per text for
  all the languages of a run.
"""

from __future__ import annotations

import bisect
import marshal
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from localize.cache import DATABASE, Cache, FileState, paused_collection
from localize.files import write_atomic
from localize.model import Catalog
from localize.update import Match

SCHEMA_VERSION = "4"
SNAPSHOT = "memory-texts.marshal"

UNTRANSLATED = 0
TRANSLATED = 1
OBSOLETE = 2  # translated, then left its source
_TRANSLATIONS = (TRANSLATED, OBSOLETE)


class Source(NamedTuple):
    """A PO file the memory of a language learns from."""

    key: str  # the path relative to the project, as the cache knows it
    path: str
    state: FileState


@dataclass(frozen=True)
class Entries:
    """What the memory keeps of a catalog: (msgid, msgstr or None, status) and how many obsolete messages."""

    units: tuple[tuple[str, str | None, int], ...]
    obsolete: int


def entries(catalog: Catalog) -> Entries:
    units = []
    obsolete = 0
    for message in catalog.messages:
        obsolete += message.obsolete
        if message.msgid_plural or not message.msgid or message.fuzzy:
            continue
        if message.obsolete:
            if message.msgstr:
                units.append((message.msgid, message.msgstr, OBSOLETE))
        else:
            units.append((message.msgid, message.msgstr or None, TRANSLATED if message.msgstr else UNTRANSLATED))
    return Entries(tuple(units), obsolete)


@dataclass(frozen=True)
class SharedMemory:
    """The memory as another process opens it: the cache's database file, or a copy of it."""

    database: str | None
    image: bytes | None
    snapshot: Path | None  # the texts' snapshot, read but not written by the other process


@dataclass(frozen=True)
class Unit:
    """One translation, for a TMX file."""

    source: str
    target: str
    origin: str


class MemoryStore:
    """The memory's index of every language, kept in the cache database."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.connection = cache.connection
        self._texts: dict[str, int] = {}
        self._candidates: _Candidates | None = None
        self.snapshot = cache.folder / SNAPSHOT if cache.folder is not None else None
        self.read_only = False
        self._create()

    def shared(self) -> SharedMemory:
        """What another process needs to look things up in the memory as it is now (committed).

        The memory does not change while extract updates the articles (what a run
        writes is indexed at its end), so each worker reading it sees the same memory.
        """
        folder = self.cache.folder
        if folder is not None:
            return SharedMemory(database=str(folder / DATABASE), image=None, snapshot=self.snapshot)
        # A cache in memory (disabled, or no folder to keep it in): a copy of it.
        return SharedMemory(database=None, image=self.connection.serialize(), snapshot=None)

    @classmethod
    def open_shared(cls, shared: SharedMemory) -> MemoryStore:
        """A store that only looks things up, on its own connection: for a worker process."""
        if shared.database is not None:
            connection = sqlite3.connect(f"file:{shared.database}?mode=ro", uri=True, timeout=60)
        else:
            connection = sqlite3.connect(":memory:")
            assert shared.image is not None
            connection.deserialize(shared.image)
        store = cls.__new__(cls)
        store.cache = None  # type: ignore[assignment]
        store.connection = connection
        store._texts = {}
        store._candidates = None
        store.snapshot = shared.snapshot
        store.read_only = True
        return store

    def _create(self) -> None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = 'memory_schema'").fetchone()
        if row is not None and row[0] == SCHEMA_VERSION:
            return
        self.connection.executescript(
            """
            DROP TABLE IF EXISTS memory_units;
            DROP TABLE IF EXISTS memory_texts;
            DROP TABLE IF EXISTS memory_files;
            DROP TABLE IF EXISTS memory_waiting;
            CREATE TABLE memory_files (
                id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, language TEXT NOT NULL,
                origin TEXT NOT NULL, digest BLOB NOT NULL, obsolete INTEGER NOT NULL, translated INTEGER NOT NULL);
            CREATE TABLE memory_texts (
                id INTEGER PRIMARY KEY, digest INTEGER UNIQUE NOT NULL, length INTEGER NOT NULL, text TEXT NOT NULL);
            CREATE INDEX memory_texts_by_length ON memory_texts (length);
            CREATE TABLE memory_units (
                file_id INTEGER NOT NULL, language TEXT NOT NULL, text_id INTEGER NOT NULL,
                msgstr TEXT, status INTEGER NOT NULL);
            CREATE INDEX memory_units_by_file ON memory_units (file_id);
            CREATE INDEX memory_units_by_text ON memory_units (text_id, language);
            CREATE TABLE memory_waiting (path TEXT PRIMARY KEY, language TEXT NOT NULL);
            """
        )
        # What was known of the sources described the old tables.
        self.connection.execute("DELETE FROM meta WHERE key LIKE 'memory sources %'")
        self.connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('memory_schema', ?)", (SCHEMA_VERSION,))
        # Text ids start again with new tables: a snapshot of older ones must not be used.
        self.connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('memory_epoch', ?)", (os.urandom(8).hex(),))
        self.connection.commit()

    # -- keeping the index up to date ------------------------------------------------------

    def sync(
        self, language: str, sources: list[Source], *, read: Callable[[Source], Catalog], origin: Callable[[str], str],
        read_entries: Callable[[list[Source]], Iterable[Entries]] | None = None,
    ) -> list[int]:
        """Index the sources that changed since they were indexed, forget those that are gone.

        ``origin(key)`` names a source in translator comments (``articles/other-slug``).
        ``read_entries``, if given, reads the entries of all the changed sources at once, in
        their order (extract reads them on every core); else each is ``read``.

        Returns the ids of the files whose units changed, for ``affected``.
        """
        self.cache.load_files()
        indexed = {
            path: (file_id, digest)
            for file_id, path, digest in self.connection.execute(
                "SELECT id, path, digest FROM memory_files WHERE language = ?", (language,)
            )
        }
        present = set()
        changed = []
        stale: list[tuple[Source, bytes]] = []
        for source in sources:
            present.add(source.key)
            digest = self.cache.digest(source.key, source.path, source.state)
            known = indexed.get(source.key)
            if digest is None or (known is not None and known[1] == digest):
                continue
            stale.append((source, digest))
        found = (read_entries([source for source, _ in stale]) if read_entries is not None
                 else (entries(read(source)) for source, _ in stale))
        for (source, digest), units in zip(stale, found):
            changed.append(self.record(language, source.key, origin(source.key), units, digest=digest))
        for path, (file_id, _digest) in indexed.items():
            if path not in present:
                self.forget(path)
        return changed

    def record(self, language: str, key: str, origin: str, entries: Entries, *, digest: bytes) -> int:
        """Index ``entries``, read from the file ``key`` whose digest is ``digest``; returns its file id."""
        units, obsolete = entries.units, entries.obsolete
        translated = sum(status != UNTRANSLATED for _text, _msgstr, status in units)
        row = self.connection.execute("SELECT id FROM memory_files WHERE path = ?", (key,)).fetchone()
        if row is None:
            file_id = self.connection.execute(
                "INSERT INTO memory_files (path, language, origin, digest, obsolete, translated)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (key, language, origin, digest, obsolete, translated),
            ).lastrowid
        else:
            file_id = row[0]
            self.connection.execute(
                "UPDATE memory_files SET language = ?, origin = ?, digest = ?, obsolete = ?, translated = ? WHERE id = ?",
                (language, origin, digest, obsolete, translated, file_id),
            )
        if row is not None:
            # A catalog extract rewrote mostly keeps its units (a cold run indexes each catalog
            # before and after its update): those are left as they are, not deleted and inserted
            # again, and compared by their texts, whose ids need not be looked up one by one.
            if self.connection.execute(
                "SELECT t.text, u.msgstr, u.status, u.language FROM memory_units u"
                " JOIN memory_texts t ON t.id = u.text_id WHERE u.file_id = ? ORDER BY u.rowid",
                (file_id,),
            ).fetchall() == [(*unit, language) for unit in units]:
                return file_id
            self.connection.execute("DELETE FROM memory_units WHERE file_id = ?", (file_id,))
        rows = []
        for text, msgstr, status in units:
            text_id = self._text_id(text)
            if text_id is not None:
                rows.append((file_id, language, text_id, msgstr, status))
        self.connection.executemany(
            "INSERT INTO memory_units (file_id, language, text_id, msgstr, status) VALUES (?, ?, ?, ?, ?)", rows
        )
        return file_id

    def stage(self, language: str, key: str, origin: str, entries: Entries, *, digest: bytes) -> None:
        """Keep ``entries`` to be indexed by ``record_staged``, outside the index that lookups read.

        Kept in a temporary table, which SQLite spills to disk, not in the process: a run
        that writes every catalog of a large archive stays flat in memory.
        """
        self._staging()
        self.connection.execute(
            "INSERT INTO temp.memory_staged (language, path, origin, units, obsolete, digest)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (language, key, origin, marshal.dumps(entries.units), entries.obsolete, digest),
        )

    def record_staged(self) -> dict[str, set[str]]:
        """Index what ``stage`` kept, in the order it was staged; the keys indexed, by language."""
        self._staging()
        written: dict[str, set[str]] = {}
        last = 0
        while True:
            rows = self.connection.execute(
                "SELECT rowid, language, path, origin, units, obsolete, digest FROM temp.memory_staged"
                " WHERE rowid > ? ORDER BY rowid LIMIT 50", (last,),
            ).fetchall()
            if not rows:
                break
            for last, language, key, origin, units, obsolete, digest in rows:
                self.record(language, key, origin, Entries(marshal.loads(units), obsolete), digest=digest)
                written.setdefault(language, set()).add(key)
        self.connection.execute("DELETE FROM temp.memory_staged")
        return written

    def _staging(self) -> None:
        self.connection.execute(
            "CREATE TEMP TABLE IF NOT EXISTS memory_staged (language TEXT NOT NULL, path TEXT NOT NULL,"
            " origin TEXT NOT NULL, units BLOB NOT NULL, obsolete INTEGER NOT NULL, digest BLOB NOT NULL)"
        )

    def forget(self, key: str) -> None:
        self.updated(key)
        row = self.connection.execute("SELECT id FROM memory_files WHERE path = ?", (key,)).fetchone()
        if row is not None:
            self.connection.execute("DELETE FROM memory_units WHERE file_id = ?", (row[0],))
            self.connection.execute("DELETE FROM memory_files WHERE id = ?", (row[0],))

    def _text_id(self, text: str) -> int | None:
        """The id of ``text``, added if new; ``None`` in the unlikely case its 64-bit hash is taken."""
        text_id = self._texts.get(text)
        if text_id is not None:
            return text_id
        digest = _text_digest(text)
        row = self.connection.execute("SELECT id, text FROM memory_texts WHERE digest = ?", (digest,)).fetchone()
        if row is None:
            text_id = self.connection.execute(
                "INSERT INTO memory_texts (digest, length, text) VALUES (?, ?, ?)", (digest, len(text), text)
            ).lastrowid
        elif row[1] == text:
            text_id = row[0]
        else:
            return None
        if len(self._texts) >= _KNOWN_TEXTS:
            # Bounded, so that indexing a large archive keeps the memory flat: the texts a
            # run meets again and again (boilerplate) are soon known again.
            self._texts.clear()
        self._texts[text] = text_id
        return text_id

    # -- questions about the index ---------------------------------------------------------

    def affected(self, language: str, changed: list[int]) -> set[str]:
        """Files with an untranslated message that a changed file translates: an update would fill it."""
        if not changed:
            return set()
        found: set[str] = set()
        for start in range(0, len(changed), 500):
            batch = changed[start:start + 500]
            marks = ",".join("?" * len(batch))
            found.update(
                path for (path,) in self.connection.execute(
                    f"""
                    SELECT DISTINCT f.path FROM memory_units u JOIN memory_files f ON f.id = u.file_id
                    WHERE u.language = ? AND u.status = {UNTRANSLATED} AND u.text_id IN (
                        SELECT text_id FROM memory_units
                        WHERE file_id IN ({marks}) AND status IN ({TRANSLATED}, {OBSOLETE}))
                    """,
                    (language, *batch),
                )
            )
        return found

    def wait(self, language: str, paths: set[str]) -> None:
        """Remember that these catalogs wait for an update that fills them from the memory.

        Kept in the same transaction as the index that made them wait, and
        until the update is done: a run that only checks, or is killed, does
        not lose them.
        """
        self.connection.executemany(
            "INSERT OR REPLACE INTO memory_waiting (path, language) VALUES (?, ?)", [(path, language) for path in paths]
        )

    def waiting(self, language: str) -> set[str]:
        return {path for (path,) in self.connection.execute(
            "SELECT path FROM memory_waiting WHERE language = ?", (language,)
        )}

    def updated(self, path: str) -> None:
        self.connection.execute("DELETE FROM memory_waiting WHERE path = ?", (path,))

    def with_obsolete(self, language: str) -> set[str]:
        """Files that hold obsolete messages."""
        return {
            path for (path,) in self.connection.execute(
                "SELECT path FROM memory_files WHERE language = ? AND obsolete > 0", (language,)
            )
        }

    def units(self, language: str) -> Iterator[Unit]:
        """Every distinct translation of the language, sorted by text, with one of the files it is in."""
        for text, msgstr, origin in self.connection.execute(
            f"""
            SELECT t.text, u.msgstr, MIN(f.origin) FROM memory_units u
            JOIN memory_texts t ON t.id = u.text_id JOIN memory_files f ON f.id = u.file_id
            WHERE u.language = ? AND u.status IN ({TRANSLATED}, {OBSOLETE})
            GROUP BY t.text, u.msgstr ORDER BY t.text, u.msgstr
            """,
            (language,),
        ):
            yield Unit(text, msgstr, origin)

    def has_translations(self, language: str) -> bool:
        return self.connection.execute(
            "SELECT 1 FROM memory_files WHERE language = ? AND translated > 0 LIMIT 1", (language,)
        ).fetchone() is not None

    def memory(self, language: str, *, languages: tuple[str, ...], cutoff: float) -> LanguageMemory | None:
        """The memory of ``language`` for an update; ``languages`` share one similarity search."""
        if self._candidates is None or self._candidates.languages != languages or self._candidates.cutoff != cutoff:
            self._candidates = _Candidates(
                self.connection, languages, cutoff, snapshot=self.snapshot, keep_snapshot=not self.read_only,
            )
        if not self.has_translations(language):
            return None  # nothing to find: spare every lookup
        return LanguageMemory(self, language, self._candidates)

    def translations(self, text_id: int, language: str) -> Match | None:
        """The preferred translation of a text: most sources, then in use, then first source."""
        found: dict[str, list] = {}
        for msgstr, status, origin in self.connection.execute(
            f"""
            SELECT u.msgstr, u.status, f.origin FROM memory_units u JOIN memory_files f ON f.id = u.file_id
            WHERE u.text_id = ? AND u.language = ? AND u.status IN ({TRANSLATED}, {OBSOLETE})
            """,
            (text_id, language),
        ):
            entry = found.setdefault(msgstr, [0, False, []])
            entry[0] += 1
            entry[1] = entry[1] or status == TRANSLATED
            entry[2].append((status != TRANSLATED, origin))
        if not found:
            return None
        msgstr, (_count, _used, origins) = min(
            found.items(), key=lambda item: (-item[1][0], not item[1][1], min(item[1][2]), item[0])
        )
        return Match(msgid="", msgstr=msgstr, origin=min(origins)[1])

    def text_id(self, text: str) -> int | None:
        row = self.connection.execute(
            "SELECT id FROM memory_texts WHERE digest = ? AND text = ?", (_text_digest(text), text)
        ).fetchone()
        return row[0] if row else None


class LanguageMemory:
    """The ``update.Memory`` of one language."""

    def __init__(self, store: MemoryStore, language: str, candidates: _Candidates) -> None:
        self.store = store
        self.language = language
        self.candidates = candidates

    def exact(self, msgid: str) -> Match | None:
        text_id = self.store.text_id(msgid)
        if text_id is None:
            return None
        match = self.store.translations(text_id, self.language)
        return Match(msgid=msgid, msgstr=match.msgstr, origin=match.origin) if match else None

    def similar(self, msgid: str, *, cutoff: float) -> Match | None:
        for text_id, text, similarity in self.candidates.similar(msgid):
            if similarity < cutoff:
                break
            if text != msgid:
                match = self.store.translations(text_id, self.language)
                if match is not None:
                    return Match(msgid=text, msgstr=match.msgstr, origin=match.origin, similarity=similarity)
        return None


class _Candidates:
    """Every text of the memory, by length, loaded on first use; which languages translate
    a text is asked of the index only for the few texts similar enough.

    Loaded once, they are the memory as it was when the run started: what the
    run itself writes does not change its later suggestions. A snapshot of the
    list (a marshal file next to the database) loads several times faster than
    the table; texts are never deleted and their ids only grow, so the
    snapshot only needs the texts added since.
    """

    def __init__(self, connection: sqlite3.Connection, languages: tuple[str, ...], cutoff: float, *,
                 snapshot: Path | None = None, keep_snapshot: bool = True) -> None:
        self.connection = connection
        self.keep_snapshot = keep_snapshot  # write the snapshot when it is out of date
        self.languages = languages
        self.cutoff = cutoff
        self.snapshot = snapshot
        self._lengths: list[int] | None = None
        self._texts: list[str] = []
        self._ids: list[int] = []
        self._found: dict[str, list[tuple[int, str, float]]] = {}

    def _load(self) -> None:
        epoch = self.connection.execute("SELECT value FROM meta WHERE key = 'memory_epoch'").fetchone()
        epoch = epoch[0] if epoch else ""
        last, lengths, texts, ids = 0, [], [], []
        if self.snapshot is not None:
            try:
                stored = marshal.loads(self.snapshot.read_bytes())
                if stored[0] == epoch:
                    _epoch, last, lengths, texts, ids = stored
            except (OSError, EOFError, ValueError, TypeError):
                pass
        with paused_collection():  # rows of strings and numbers: nothing for it to find
            added = self.connection.execute(
                "SELECT length, text, id FROM memory_texts WHERE id > ? ORDER BY length", (last,)
            ).fetchall()
        if len(added) <= 1000:
            for length, text, text_id in added:
                index = bisect.bisect_right(lengths, length)
                lengths.insert(index, length)
                texts.insert(index, text)
                ids.insert(index, text_id)
        elif last:  # many new texts: read them all again, in order
            rows = self.connection.execute("SELECT length, text, id FROM memory_texts ORDER BY length").fetchall()
            lengths, texts, ids = (list(column) for column in zip(*rows))
        else:
            lengths, texts, ids = (list(column) for column in zip(*added))
        if self.snapshot is not None and self.keep_snapshot and (added or not last):
            newest = max(ids, default=0)
            write_atomic(self.snapshot, marshal.dumps((epoch, newest, lengths, texts, ids)))
        self._lengths, self._texts, self._ids = lengths, texts, ids

    def similar(self, msgid: str) -> list[tuple[int, str, float]]:
        """Every text at least ``cutoff`` similar to ``msgid``, most similar first."""
        found = self._found.get(msgid)
        if found is not None:
            return found
        if self._lengths is None:
            self._load()
        # Two texts of lengths a <= b are at most 2a / (a + b) similar: skip the lengths that cannot reach the cutoff.
        length = len(msgid)
        low = bisect.bisect_left(self._lengths, length * self.cutoff / (2 - self.cutoff))
        high = bisect.bisect_right(self._lengths, length * (2 - self.cutoff) / self.cutoff)
        from rapidfuzz import fuzz, process  # loaded when first looked up in: a no-op run needs none of it

        results = process.extract(
            msgid, self._texts[low:high], scorer=fuzz.ratio, score_cutoff=self.cutoff * 100, limit=None
        )
        found = sorted(
            ((self._ids[low + index], text, score / 100) for text, score, index in results),
            key=lambda item: (-item[2], item[1]),
        )
        if len(self._found) > 10_000:
            self._found.clear()
        self._found[msgid] = found
        return found


# How many texts a store remembers the ids of (see ``_text_id``).
_KNOWN_TEXTS = 2_000


def _text_digest(text: str) -> int:
    import hashlib

    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def catalog_origin(relative: str) -> str:
    """How a translator comment names a catalog of a language: ``articles/SLUG``, ``ui``, ``memory/NAME``."""
    relative = relative.removeprefix("LC_MESSAGES/")
    return relative[:-len(".po")] if relative.endswith(".po") else relative
