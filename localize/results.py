"""What check and status keep of each article in the tree's cache, and the paths they read.

A result is served again only while everything it was made from is unchanged
(``KeptResults``); it is stored as plain values (``encode_*``, ``decode_*``).
The paths a run reads are resolved once each (``resolved_path``): a tree of
thousands of catalogs has a few folders.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path

from localize.article import ARTICLE_SUFFIX
from localize.cache import Cache, FileState, canonical, code_fingerprint, combined_digest, content_digest, file_key, open_cache
from localize.catalog import ARTICLES_FOLDER, TEMPLATES_FOLDER
from localize.config import Config
from localize.errors import CatalogError, ConfigError, LanguageError, LocalizeError, SourceError
from localize.model import Counts, Finding
from localize.termbase import glossary_files


def resolved_path(path: Path) -> Path:
    """The path without symbolic links, as far as they lead (a source article may be a link in a loop).

    Remembered during a run (``forget_resolved_paths`` starts one), and a file that
    is no link is its folder's resolved path and its name: the folders, few for
    thousands of catalogs, are resolved once each.
    """
    key = str(path)
    found = _resolved_paths.get(key)
    if found is None:
        found = _resolved_paths[key] = _resolve(path)
    return found


def _resolve(path: Path) -> Path:
    try:
        if path.name in ("", ".", "..") or os.path.islink(path):
            return path.resolve()
        return _resolved_folder(str(path.parent)) / path.name
    except (OSError, RuntimeError):
        return path.absolute()


def _resolved_folder(folder: str) -> Path:
    resolved = _resolved_paths.get(folder)
    if resolved is None:
        resolved = _resolved_paths[folder] = Path(folder).resolve()
    return resolved


def resolved_file(path: str) -> str:
    """``str(resolved_path(Path(path)))`` for ``path``, a normalised path of a file known to be no
    symbolic link (``lstat`` said so, or its folder's listing): its folder's resolved path and its
    name, in strings, for the thousands of files of an archive."""
    folder, _, name = path.rpartition(os.sep)
    # (The folder's resolved path as a string, with its separator: found once for its thousands of files.)
    if not folder or name in ("", ".", ".."):  # the root's files, a relative path of no folder: rare
        return str(resolved_path(Path(path)))
    prefix = _resolved_prefixes.get(folder)
    if prefix is None:
        try:
            resolved = str(_resolved_folder(folder))
        except (OSError, RuntimeError):
            return str(resolved_path(Path(path)))
        prefix = _resolved_prefixes[folder] = resolved if resolved.endswith(os.sep) else f"{resolved}{os.sep}"
    return prefix + name


# Paths resolved during one run (forgotten when one starts: a folder may become a link between runs),
# and for ``resolved_file``, each folder's as a string ending in a separator.
_resolved_paths: dict[str, Path] = {}
_resolved_prefixes: dict[str, str] = {}


def forget_resolved_paths() -> None:
    _resolved_paths.clear()
    _resolved_prefixes.clear()


# -- results kept from earlier runs ------------------------------------------------------------

class KeptResults:
    """What earlier runs of a step (check, status) made of each article or file, in the tree's
    cache (``Cache.result``), served only while everything it was made from is unchanged.

    The digest of a result covers the content of every file it read (the source
    article and catalogs, through the cache's digests of files, which are read
    again whenever their size or time changed), their paths, and the
    ``fingerprint``: this version of localize and its libraries, every setting,
    the glossaries, the time zone database. A file that is a symbolic link, or that
    cannot be read, makes no digest: its result is made again every time.
    """

    def __init__(self, config: Config, cache: Cache, kind: str) -> None:
        self.config = config
        self.cache = cache
        self.kind = kind
        self.fingerprint = results_fingerprint(config, kind)
        self.prefix = f"{config.project_dir}{os.sep}"
        cache.load_files()
        # The files whose digests the cache keeps are those extract looks at (it forgets the others'):
        # source articles, the articles' templates, the configured languages' catalogs.
        under = lambda folder: "" if (key := file_key(config, folder)) == "." else f"{key}/"  # noqa: E731
        self.kept_files = (
            (under(config.source_dir), ARTICLE_SUFFIX),
            (under(config.locales_dir / TEMPLATES_FOLDER / ARTICLES_FOLDER), ".pot"),
            *((under(config.locales_dir / code), ".po") for code in config.languages),
        )

    def digest(self, name: str, paths: Iterable[Path | str], extra: Iterable[str] = (),
               known: Mapping[str, FileState] | None = None) -> bytes | None:
        """The digest of a result made from the files at ``paths`` (a missing one counts as missing,
        a folder on the way that is a link by where it leads) and the strings ``extra``; ``None``
        when one cannot be trusted to say what was read. ``known``: the states of files that a
        listing made during this run found to be regular files, no links (not looked at again)."""
        parts: list[bytes | str | None] = [self.fingerprint, name, *extra]
        prefix, kept_files = self.prefix, self.kept_files
        for given in paths:
            path = given if isinstance(given, str) else str(given)
            state = known.get(path) if known else None
            if state is None:
                try:
                    status = os.lstat(path)
                except (FileNotFoundError, NotADirectoryError):
                    parts += [path, None]
                    continue
                except OSError:
                    return None
                if not stat.S_ISREG(status.st_mode):
                    return None  # a symbolic link (it may come to point elsewhere), a folder...
                state = (status.st_size, status.st_mtime_ns)
            key = path[len(prefix):] if path.startswith(prefix) else path
            for folder, suffix in kept_files:
                if key.endswith(suffix) and key.startswith(folder):
                    digest = self.cache.digest(key, path, state)
                    break
            else:  # ui.pot, a file given by its path: read each time
                try:
                    digest = content_digest(Path(path).read_bytes())
                except OSError:
                    digest = None
            if digest is None:
                return None
            # Where it really is too: a folder on the way may be a link, which says the catalog's language.
            parts += [path, resolved_file(path), digest]
        return combined_digest(parts)

    def get(self, name: str, digest: bytes) -> bytes | None:
        return self.cache.result(self.kind, name, digest)

    def take(self, name: str, digest: bytes) -> bytes | None:
        """``get``, for the one time a run asks for the result (``Cache.take_result``)."""
        return self.cache.take_result(self.kind, name, digest)

    def put(self, name: str, digest: bytes, value: bytes) -> None:
        self.cache.set_result(self.kind, name, digest, value)

    def forget_all_but(self, names: set[str]) -> None:
        """Forget the results of articles and files that this run did not ask for (deleted, renamed)."""
        self.cache.forget_results_but(self.kind, names)


@contextmanager
def kept_results(config: Config, kind: str, *, enabled: bool) -> Iterator[KeptResults | None]:
    """The step's kept results in the tree's cache, committed at the end; ``None`` when disabled."""
    if not enabled:
        yield None
        return
    with open_cache(config.project_dir) as cache:
        yield KeptResults(config, cache, kind)
        cache.commit()


def results_fingerprint(config: Config, kind: str) -> bytes:
    """Everything besides the files read that decides what check or status makes of them."""
    import zoneinfo

    # (The tzdata package's version is among the code's: ``code_fingerprint``.)
    parts: list[bytes | str | None] = [kind, code_fingerprint(), canonical(config), repr(zoneinfo.TZPATH)]
    for path in glossary_files(config):
        try:
            content: bytes | str = path.read_bytes()
        except OSError as error:  # the check itself reports it (E402)
            content = f"unreadable: {error.strerror}"
        parts += [str(path), str(resolved_path(path)), content]
    return combined_digest(parts)


_ERRORS = {kind.__name__: kind for kind in (LocalizeError, SourceError, CatalogError, ConfigError, LanguageError)}


def encode_finding(found: Finding) -> tuple:
    return (found.code, found.severity, found.message, str(found.path), found.line, found.downgraded)


def decode_finding(value: tuple, shown: Path | None = None) -> Finding:
    """The finding ``encode_finding`` kept; its path is ``shown`` when that is its path (most are)."""
    code, severity, message, path, line, downgraded = value
    where = shown if shown is not None and path == str(shown) else Path(path)
    return Finding(code=code, severity=severity, message=message, path=where, line=line, downgraded=downgraded)


_COUNTS = tuple(f.name for f in fields(Counts))


def encode_counts(counts: Counts | None) -> tuple | None:
    return None if counts is None else tuple(getattr(counts, name) for name in _COUNTS)


def decode_counts(value: tuple | None) -> Counts | None:
    if value is None:
        return None
    # Counts are frozen: catalogs that count alike share one (an archive's catalogs count much alike).
    found = _decoded_counts.get(value)
    if found is None:
        found = _decoded_counts[value] = Counts(*value)  # the fields in their order: see encode_counts
    return found


_decoded_counts: dict[tuple, Counts] = {}


def encode_error(error: LocalizeError | None) -> tuple | None:
    if error is None:
        return None
    if _ERRORS.get(type(error).__name__) is not type(error) or vars(error).keys() != {"message", "path", "line"}:
        raise ValueError(f"not kept: {error!r}")  # an error of a kind the cache cannot give back
    return (type(error).__name__, error.message, None if error.path is None else str(error.path), error.line)


def decode_error(value: tuple | None) -> LocalizeError | None:
    if value is None:
        return None
    kind, message, path, line = value
    return _ERRORS[kind](message, path=path, line=line)


def encode_facts(facts: dict[str, tuple[bool, LocalizeError | None, LocalizeError | None]]) -> tuple:
    return tuple((slug, found, encode_error(error), encode_error(dateline))
                 for slug, (found, error, dateline) in facts.items())


def decode_facts(value: tuple) -> dict[str, tuple[bool, LocalizeError | None, LocalizeError | None]]:
    return {slug: (found, decode_error(error), decode_error(dateline)) for slug, found, error, dateline in value}
