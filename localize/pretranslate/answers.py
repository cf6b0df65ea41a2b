"""What engines answered, kept in ``.localize-cache/machine-translations.sqlite``.

Keyed by engine, model, source and target language and the text exactly as it
was sent (markup already replaced by tokens: two paragraphs that differ only in
a link's URL are one request), so that a second run, or a run after a failed
one, costs nothing. No API key, URL or header is stored. Unlike the rest of the
cache folder these answers were paid for: deleting the file costs the next run
money, not only time.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from localize.cache import CACHE_FOLDER, make_cache_folder

DATABASE = "machine-translations.sqlite"
SCHEMA_VERSION = 1


class Answers:
    """Lookups and additions; the caller commits (each finished batch is committed at once)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def get(self, key: tuple[str, str, str, str], text: str) -> str | None:
        row = self.connection.execute(
            "SELECT translation FROM answers WHERE digest = ? AND text = ?", (_digest(key, text), text)
        ).fetchone()
        return row[0] if row else None

    def put(self, key: tuple[str, str, str, str], text: str, translation: str) -> None:
        engine, model, source, target = key
        self.connection.execute(
            "INSERT OR REPLACE INTO answers (digest, engine, model, source, target, text, translation)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_digest(key, text), engine, model, source, target, text, translation),
        )

    def commit(self) -> None:
        self.connection.commit()


@contextmanager
def open_answers(project_dir: Path) -> Iterator[Answers]:
    """The tree's answers; kept in memory only when the cache folder cannot be written."""
    folder = project_dir / CACHE_FOLDER
    try:
        make_cache_folder(folder)
        connection = sqlite3.connect(folder / DATABASE, timeout=60)
        if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            _create(connection)
    except (OSError, sqlite3.DatabaseError):
        connection = sqlite3.connect(":memory:")
        _create(connection)
    try:
        yield Answers(connection)
        connection.commit()
    finally:
        connection.close()


def _create(connection: sqlite3.Connection) -> None:
    connection.executescript(
        f"""
        DROP TABLE IF EXISTS answers;
        CREATE TABLE answers (
            digest BLOB PRIMARY KEY, engine TEXT NOT NULL, model TEXT NOT NULL, source TEXT NOT NULL,
            target TEXT NOT NULL, text TEXT NOT NULL, translation TEXT NOT NULL);
        PRAGMA user_version = {SCHEMA_VERSION};
        """
    )
    connection.commit()


def _digest(key: tuple[str, str, str, str], text: str) -> bytes:
    return hashlib.blake2b("\0".join((*key, text)).encode("utf-8"), digest_size=16).digest()
