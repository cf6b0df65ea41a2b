"""Articles' segments and catalogs as an earlier step parsed them, kept beside the tree's cache.

Segmenting an article (markdown-it, the front matter's parser) and reading a
catalog (polib and our checks of it) were over half of a merge's work, and
extract had just done both to the same files. What a step parses is kept
by the file's name, under the digest of the exact text parsed and of this
code (``cache.code_fingerprint``): a file edited since, or a new version of
localize or of a parser, misses and is parsed again. Errors are never kept:
a file that cannot be parsed is parsed again, and fails again. One thing is
kept by the file's state instead, as the tree's cache keeps digests
(``cache.py``): an article's place in the order by date (``ORDER``), which
merge needs of every article before it reads any.

The parses live in their own database, ``.localize-cache/parsed-1.sqlite``
(a new table layout gets a new name; a value made by other code is never
read, its digest being another), written by the processes that parse: each
worker of a step opens it for the step's articles and writes what it parsed
as it goes, so that no parse travels to the step's own process or waits
there, and the tree's cache (``cache.sqlite``), which that process holds
open while it forks its workers, is not shared with them. Values are
``marshal`` data of plain tuples, as in the rest of the cache (no pickle:
nothing read from the cache can make an object run code), compressed with
LZ4: a catalog's parse is about as big as its file. zlib, even at its
fastest, took 60 us to compress a catalog's parse and 16 us to read it back
(LZ4: 5 and 2), a twentieth of the work of a cold extract's workers, for
parses a quarter smaller.
"""

from __future__ import annotations

import marshal
import multiprocessing
import sqlite3
import struct
import time
from collections.abc import Container, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from multiprocessing.util import Finalize
from typing import TYPE_CHECKING

import lz4.block

from localize.cache import (
    CACHE_FOLDER,
    code_fingerprint,
    combined_digest,
    content_digest,
    make_cache_folder,
    remove_database,
)
from localize.model import (
    Article,
    Catalog,
    Document,
    HtmlPlacement,
    MarkdownPlacement,
    Message,
    Segment,
    TomlPlacement,
    YamlPlacement,
)

if TYPE_CHECKING:
    from localize.po.read import CatalogParser

DATABASE = "parsed-1.sqlite"
_BATCH = 256  # parses written in one transaction
_ATTEMPTS = 5
DOCUMENT = "document"
CATALOG = "catalog"
# An article's place in the newest-first order (``article.order_time``), kept under its file's state
# rather than its text: merge orders every article by date before publishing any, and reading them all
# for it was a fourteenth of a merge.
ORDER = "order"
_ORDER = struct.Struct("<qqqd")  # size, modification time, when seen, order_time

_PLACEMENTS = (MarkdownPlacement, YamlPlacement, TomlPlacement, HtmlPlacement)
_PLACEMENT_INDEX = {kind: index for index, kind in enumerate(_PLACEMENTS)}
_MESSAGE_FIELDS = tuple(field.name for field in fields(Message))


@dataclass(frozen=True)
class ParsedRow:
    """A parse to keep."""

    kind: str
    name: str  # the file's cache key (``cache.file_key``)
    digest: bytes
    value: bytes


def document_digest(text: str, front_matter_keys: tuple[str, ...]) -> bytes:
    """What a source's segments depend on: its text, the keys of its front matter translated, this code."""
    return combined_digest([DOCUMENT, code_fingerprint(), text, "\x00".join(front_matter_keys)])


def catalog_digest(data: bytes) -> bytes:
    """What a catalog's parse depends on: the bytes parsed and this code."""
    return combined_digest([CATALOG, code_fingerprint(), content_digest(data)])


def encode_document(document: Document) -> bytes:
    """The segments of ``document`` (its text is the source's, which the reader has)."""
    return _pack(tuple(
        (segment.text, segment.kind, segment.line, segment.start, segment.end,
         _PLACEMENT_INDEX[type(segment.placement)], tuple(segment.placement.__dict__.values()))
        for segment in document.segments
    ))


def decode_document(value: bytes, text: str) -> Document:
    return Document(text=text, segments=tuple(
        _made(Segment, _SEGMENT_FIELDS, (segment_text, kind, line, start, end,
                                         _made(_PLACEMENTS[placement], _PLACEMENT_FIELDS[placement], placed)))
        for segment_text, kind, line, start, end, placement, placed in _unpack(value)
    ))


_SEGMENT_FIELDS = tuple(field.name for field in fields(Segment))
_PLACEMENT_FIELDS = tuple(tuple(field.name for field in fields(kind)) for kind in _PLACEMENTS)


def _made(kind: type, names: tuple[str, ...], values: tuple) -> object:
    """A frozen dataclass of ``kind`` holding ``values``, as its ``__init__`` would make it (without
    its object.__setattr__ a field), but only from a value for every field: a constructor would fill
    a field missing from a damaged value with its default."""
    if len(values) != len(names):
        raise ValueError(f"{kind.__name__} has {len(names)} fields, not {len(values)}")  # damaged: parsed again
    made = object.__new__(kind)
    made.__dict__.update(zip(names, values))
    return made


def order_digest() -> bytes:
    """What an article's order depends on besides its text: this code (and the date parser it runs)."""
    return combined_digest([ORDER, code_fingerprint()])


def order_row(name: str, state: tuple[int, int], seen_ns: int, when: float) -> ParsedRow:
    """The ``ORDER`` row of the article ``name``: ``when`` (``article.order_time``), its file having
    been in ``state`` at ``seen_ns``, before it was read."""
    return ParsedRow(ORDER, name, order_digest(), _ORDER.pack(state[0], state[1], seen_ns, when))


def decode_order(value: bytes) -> tuple[tuple[int, int], int, float]:
    """The state, the moment it was seen and the order time of an ``order_row``."""
    size, mtime_ns, seen_ns, when = _ORDER.unpack(value)
    return (size, mtime_ns), seen_ns, when


def encode_catalog(catalog: Catalog) -> bytes:
    return _pack((
        tuple(tuple(message.__dict__[name] for name in _MESSAGE_FIELDS) for message in catalog.messages),
        catalog.metadata, catalog.header, catalog.metadata_is_fuzzy, catalog.header_msgstrs,
    ))


def decode_catalog(value: bytes) -> Catalog:
    messages, metadata, header, metadata_is_fuzzy, header_msgstrs = _unpack(value)
    return Catalog(messages=tuple(_message(values) for values in messages), metadata=metadata, header=header,
                   metadata_is_fuzzy=metadata_is_fuzzy, header_msgstrs=header_msgstrs)


def _message(values: tuple) -> Message:
    # Frozen dataclasses set each field through object.__setattr__: seventeen calls a message.
    message = object.__new__(Message)
    message.__dict__.update(zip(_MESSAGE_FIELDS, values))
    return message


def _open(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=60)
    try:
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS parsed (kind TEXT NOT NULL, name TEXT NOT NULL, digest BLOB NOT NULL,"
            " value BLOB NOT NULL, PRIMARY KEY (kind, name))"
        )
        connection.commit()
    except BaseException:
        connection.close()
        raise
    return connection


# What a damaged value raises as it is decoded: it is parsed again.
_DAMAGED = (ValueError, TypeError, EOFError, IndexError, KeyError, lz4.block.LZ4BlockError)


def _pack(value: object) -> bytes:
    return lz4.block.compress(marshal.dumps(value))


def _unpack(value: bytes) -> object:
    return marshal.loads(lz4.block.decompress(value))


class ParsedFiles:
    """The parses kept for a tree, as one process reads and adds to them (see the module's docstring).

    Opened on first use and closed with ``close``: a step closes it when its
    articles are done, so that no process it forks later holds it open.
    """

    def __init__(self, project_dir: Path, *, enabled: bool = True) -> None:
        self.folder = project_dir / CACHE_FOLDER
        self.enabled = enabled
        self._connection: sqlite3.Connection | None = None
        self._pending: list[ParsedRow] = []

    def __enter__(self) -> ParsedFiles:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()

    def value(self, kind: str, name: str, digest: bytes) -> bytes | None:
        """The parse kept for ``name`` if it was made from what ``digest`` says."""
        connection = self._connect()
        if connection is None:
            return None
        try:
            row = connection.execute(
                "SELECT value FROM parsed WHERE kind = ? AND name = ? AND digest = ?", (kind, name, digest)
            ).fetchone()
        except sqlite3.Error:  # a damaged file: it is only a cache
            return None
        return row[0] if row is not None else None

    def values(self, kind: str, digest: bytes) -> Iterator[tuple[str, bytes]]:
        """Every kept parse of ``kind`` made from what ``digest`` says, as (name, value)."""
        connection = self._connect()
        if connection is None:
            return
        try:
            connection.execute("PRAGMA cache_size = -64")  # (each page is read once: see forget_all_but)
            yield from connection.execute("SELECT name, value FROM parsed WHERE kind = ? AND digest = ?",
                                          (kind, digest))
        except sqlite3.Error:
            return

    def keep(self, rows: list[ParsedRow]) -> None:
        """Keep these parses, each in place of its file's earlier one; ``rows`` is emptied.

        They are written a few hundred at a time (a transaction per article was a sixth of a cold
        extract's system time), and the rest by ``close``, which a worker process runs as it exits.
        """
        if self.enabled:
            self._pending.extend(rows)
            if len(self._pending) >= _BATCH:
                self.flush()
        rows.clear()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        connection = self._connect() if pending else None
        if connection is not None:
            try:
                with connection:
                    connection.executemany(
                        "INSERT OR REPLACE INTO parsed (kind, name, digest, value) VALUES (?, ?, ?, ?)",
                        [(row.kind, row.name, row.digest, row.value) for row in pending],
                    )
            except sqlite3.Error:  # locked for longer than the timeout, a full disk: only a cache
                pass

    def forget_all_but(self, kind: str, names: Container[str]) -> None:
        """Forget the parses of ``kind`` of the files not among ``names`` (deleted, renamed): only
        asked whether it holds each name kept."""
        connection = self._connect()
        if connection is None:
            return
        try:
            # Every name is read once: no page of them is worth keeping (SQLite's page cache, 2 MiB, was
            # the largest thing the end of a merge of 10,000 articles added).
            connection.execute("PRAGMA cache_size = -64")
            with connection:
                gone = [(kind, name) for (name,) in connection.execute("SELECT name FROM parsed WHERE kind = ?", (kind,))
                        if name not in names]
                connection.executemany("DELETE FROM parsed WHERE kind = ? AND name = ?", gone)
        except sqlite3.Error:
            pass

    def document(self, article: Article, *, front_matter_keys: tuple[str, ...], name: str,
                 kept: list[ParsedRow]) -> Document:
        """``segment_article(article)``, from what is kept when it holds the segments of this text;
        a parse made here is added to ``kept``."""
        from localize.segment import segment_article

        digest = document_digest(article.text, front_matter_keys)
        value = self.value(DOCUMENT, name, digest)
        if value is not None:
            try:
                return decode_document(value, article.text)
            except _DAMAGED:
                pass
        document = segment_article(article, front_matter_keys=front_matter_keys)
        if self.enabled:
            kept.append(ParsedRow(DOCUMENT, name, digest, encode_document(document)))
        return document

    def catalog_parser(self, name: str, kept: list[ParsedRow]) -> CatalogParser:
        """A ``parse`` for ``read_catalog_file`` that takes the file's parse from what is kept when
        it holds one of these bytes; a parse made is added to ``kept``."""
        from localize.po.read import parse_catalog

        def parse(data: bytes, shown: Path) -> Catalog:
            digest = catalog_digest(data)
            value = self.value(CATALOG, name, digest)
            if value is not None:
                try:
                    return decode_catalog(value)
                except _DAMAGED:
                    pass
            catalog = parse_catalog(data, shown)
            if self.enabled:
                kept.append(ParsedRow(CATALOG, name, digest, encode_catalog(catalog)))
            return catalog

        return parse

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is None and self.enabled:
            path = self.folder / DATABASE
            for attempt in range(_ATTEMPTS):
                try:
                    make_cache_folder(self.folder)
                    self._connection = _open(path)
                    if multiprocessing.parent_process() is not None:
                        # A worker of a step: it leaves when the step's pool shuts down, through
                        # multiprocessing's exit, which runs this before the process ends.
                        Finalize(self, self.close, exitpriority=10)
                    break
                except sqlite3.OperationalError:
                    # Two workers making the database at once: one may be refused the change to WAL
                    # at once, without waiting. Tried again; a database still locked (or a folder that
                    # cannot be written) after that goes without.
                    time.sleep(0.05 * (attempt + 1))
                except OSError:
                    break
                except sqlite3.DatabaseError:  # not a database, or a damaged one: it is only a cache
                    remove_database(path)
            self.enabled = self._connection is not None
        return self._connection

    def close(self) -> None:
        self.flush()
        if self._connection is not None:
            self._connection.close()
            self._connection = None
