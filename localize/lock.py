"""One writer at a time per content tree: an advisory lock on ``.localize-cache/lock``.

Two ``localize`` processes that write the same tree would interleave their
writes (and their cache); the second one waits for the first. ``--check``
runs only read the tree, so they share the lock: any number of them run
together, but never while a writer holds it.

The lock is ``flock(2)`` on a file that is never deleted (deleting a lock file
that another process has open and waits on is how two processes end up
holding "the" lock). The kernel releases it when its holder exits, however it
exits, so a killed process leaves nothing stale behind. Within one process the
lock is re-entrant, so that a step holding it may call another that takes it.

Why not the ``filelock`` library: its FileLock is exclusive only, and its shared
(reader/writer) lock is a SQLite transaction on a database file, where ours is one
flock on a plain file that any number of ``--check`` runs share. What it would add is
locking on Windows, where this is a no-op; that is the case for switching.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from localize.cache import CACHE_FOLDER, make_cache_folder
from localize.errors import LocalizeError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; run one localize at a time
    fcntl = None

LOCK_NAME = "lock"

# Locks this process holds: path -> [file descriptor, depth, exclusive].
_held: dict[Path, list] = {}


def lock_path(project_dir: Path) -> Path:
    """The lock file, inside the cache folder so that Git never sees it."""
    folder = project_dir / CACHE_FOLDER
    make_cache_folder(folder)
    return folder / LOCK_NAME


@contextmanager
def hold_lock(
    path: Path, *, shared: bool = False, on_wait: Callable[[Path], None] | None = None
) -> Iterator[None]:
    """Hold the lock at ``path`` for the ``with`` block, waiting for it if another process holds it.

    ``on_wait(path)`` is called once, before waiting, so that a command can say
    why it is not progressing. A shared lock that cannot be created (a
    read-only tree) is skipped: readers cannot disturb each other.
    """
    path = path.absolute()
    held = _held.get(path)
    if held is not None:
        if not shared and not held[2]:
            raise RuntimeError(f"{path}: cannot take the lock for writing while holding it for reading")
        held[1] += 1
        try:
            yield
        finally:
            held[1] -= 1
        return
    if fcntl is None:  # pragma: no cover
        yield
        return
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as error:
        if shared:
            yield
            return
        raise LocalizeError(f"cannot create the lock file: {error.strerror}", path=path) from None
    try:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(path)
            fcntl.flock(descriptor, mode)
        _held[path] = [descriptor, 1, not shared]
        try:
            yield
        finally:
            del _held[path]
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
