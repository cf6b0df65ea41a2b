"""Writing files so that nothing is ever half-written and nothing changes needlessly."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

# What a step did (or, only checking, would do) to a file: FileChange.status.
CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REMOVED = "removed"


@dataclass(frozen=True)
class FileChange:
    """What a step did (or, when only checking, would do) to one file."""

    path: Path
    status: str  # CREATED, UPDATED, UNCHANGED or REMOVED
    note: str = ""  # what else the write does, such as converting the file to UTF-8


# A status as a byte, for steps that keep one per file of an archive rather than a FileChange (0: none).
STATUSES = ("", CREATED, UPDATED, UNCHANGED, REMOVED)
STATUS_CODES = {status: code for code, status in enumerate(STATUSES) if status}


class MadeOnRead(Sequence):
    """A sequence made each time it is read, from what ``items()`` yields (``count()``: its
    length, when known without making it): a report over tens of thousands of files keeps
    a byte per file (``STATUS_CODES``) and makes its ``FileChange``s only when asked."""

    def __init__(self, items: Callable[[], Iterator], count: Callable[[], int] | None = None) -> None:
        self._items = items
        self._count = count

    def __iter__(self) -> Iterator:
        return self._items()

    def __len__(self) -> int:
        return self._count() if self._count is not None else sum(1 for _ in self._items())

    def __getitem__(self, index):  # type: ignore[override]
        return tuple(self._items())[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __repr__(self) -> str:
        return repr(tuple(self))


def write_if_changed(
    path: Path, data: bytes | str, *, check: bool = False, shown: Path | None = None, note: str = "",
    batch: WriteBatch | None = None,
) -> FileChange:
    """Write ``data`` (text as UTF-8) to ``path`` unless it holds exactly that: the one write path.

    The change is reported as ``shown`` (by default ``path``). With ``check``,
    nothing is written: the change says what a write would do. With a ``batch``,
    the file is replaced when the batch is flushed (see ``WriteBatch``).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        old: bytes | None = path.read_bytes()
    except FileNotFoundError:
        old = None
    shown = path if shown is None else shown
    if old == data:
        return FileChange(shown, UNCHANGED)
    if batch is not None and not check:
        batch.stage(path, data)
    elif not check:
        _replace(path, data)
    return FileChange(shown, CREATED if old is None else UPDATED, note)


class WriteBatch:
    """Many files replaced at once, their durability paid once for all of them.

    ``_replace`` syncs each file before its rename: one journal commit per
    file, which was a fifth of a cold extract. A batch writes every file to a
    temporary beside it, then syncs them all at the same time (the file
    system commits them together), renames each over its file, and syncs the
    folders. A process killed at any moment leaves each file old or new: a new
    one replaces its file only once its bytes are on disk, and a temporary
    left behind is removed by the next run (``cache.scan`` finds them).
    """

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}  # file: its temporary

    def __len__(self) -> int:
        return len(self._staged)

    def stage(self, path: Path, data: bytes) -> None:
        """Write ``data`` to a temporary that replaces ``path`` at the next ``flush``."""
        if path in self._staged:
            self.flush()
        self._staged[path] = write_staged(path, data)

    def adopt(self, path: Path, temporary: Path) -> None:
        """Replace ``path`` at the next ``flush`` with ``temporary``, which ``write_staged`` wrote
        (in another process: extract's workers write the files they make, not its own)."""
        if path in self._staged:
            self.flush()
        self._staged[path] = temporary

    def flush(self) -> list[Path]:
        """Replace the staged files; the paths now in place."""
        staged, self._staged = self._staged, {}
        if not staged:
            return []
        try:
            with ThreadPoolExecutor(max_workers=min(32, len(staged))) as pool:
                list(pool.map(_sync_file, staged.values()))
            for path, temporary in staged.items():
                os.replace(temporary, path)
        except BaseException:
            for temporary in staged.values():
                temporary.unlink(missing_ok=True)
            raise
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(_sync_folder, {path.parent for path in staged}))
        return list(staged)

    def discard(self) -> None:
        """Remove the staged temporaries: their files stay as they were."""
        staged, self._staged = self._staged, {}
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)


# A text made piece by piece each time it is asked for: a file of megabytes (a manifest of an
# archive) written, or compared with the file it replaces, without being held whole.
Pieces = Callable[[], Iterable[str]]


def write_output(path: Path, data: bytes | str | Pieces, *, sync: bool = False, new: bool = False) -> FileChange:
    """``write_if_changed`` for a file a run can make again from its sources (a merge's pages).

    The file is still replaced in one rename, so that a reader or a killed
    process (kill -9) sees it old or new, never torn; but it is not synced:
    after a power cut it may hold nothing, and the next run writes it again.
    That sync was a sixth of a merge (the temporary: ``_write_beside``).
    ``data`` may be ``Pieces``. With ``sync``, the
    new file is on disk before it replaces the old (as ``write_atomic`` writes). With ``new``, the
    caller knows that no file is at ``path`` (it is in a folder this run made): it is not looked for,
    as a merge into an empty folder looked for each of its tens of thousands of pages in vain.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    whole = data if isinstance(data, bytes) else None
    pieces = data if whole is None else None

    def blocks() -> Iterable[bytes]:
        return (whole,) if whole is not None else _blocks(pieces())  # type: ignore[misc]

    mode: int | None = None
    existed = same = False
    if not new:
        try:
            with open(path, "rb") as stream:
                mode = os.fstat(stream.fileno()).st_mode & 0o777
                existed = True
                same = stream.read() == whole if whole is not None else _holds(stream, blocks())
        except FileNotFoundError:
            pass
    if same:
        return FileChange(path, UNCHANGED)
    temporary = _write_beside(path, blocks, mode=mode, sync=sync)
    try:
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return FileChange(path, CREATED if not existed else UPDATED)


def _write_all(handle: int, data: bytes) -> None:
    """Write all of ``data`` to the descriptor (``os.write`` may write part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view):]


def _blocks(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[bytes]:
    """``pieces`` as UTF-8, in blocks of about ``size`` characters."""
    gathered: list[str] = []
    length = 0
    for piece in pieces:
        gathered.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(gathered).encode("utf-8")
            gathered.clear()
            length = 0
    if gathered:
        yield "".join(gathered).encode("utf-8")


def _holds(stream, blocks: Iterable[bytes]) -> bool:
    """Whether what is left to read of ``stream`` is exactly ``blocks``."""
    for block in blocks:
        if stream.read(len(block)) != block:
            return False
    return stream.read(1) == b""


def _sync_file(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable; where folders cannot be opened (Windows), there is nothing to do."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that.

    The bytes go to a temporary file in the same folder, which then replaces
    ``path`` in one rename: a reader or a killed process sees the old file or
    the new one, never a torn one. Returns whether anything was written, so
    that an unchanged file keeps its modification time.
    """
    return write_if_changed(path, data).status != UNCHANGED


def write_staged(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary beside ``path`` (its folder made), not synced: for a
    ``WriteBatch`` to replace ``path`` with (``WriteBatch.adopt``) or, if it fails, remove."""
    try:
        mode: int | None = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        mode = None
    return Path(_write_beside(path, lambda: (data,), mode=mode, sync=False))


def _write_beside(path: Path | str, blocks: Callable[[], Iterable[bytes]], *, mode: int | None,
                  sync: bool) -> Path | str:
    """The bytes of ``blocks()`` in a new temporary beside ``path``, with permissions ``mode``
    (``None``: a new file's), synced with ``sync``.

    The temporary is ``.NAME.PID.tmp`` (``mkstemp``'s random names and its ``chmod`` were a
    tenth of writing a page; should a killed run of this pid have left one, ``mkstemp`` picks
    another), and its folder is made only when the first file in it cannot be created.
    """
    # As strings: a merge writes tens of thousands of files, and paths made with pathlib were a tenth of the write.
    folder, name = os.path.split(os.fspath(path))
    temporary = os.path.join(folder, f".{name}.{_pid()}.tmp")
    flags = _CREATE_FLAGS
    try:
        try:
            handle = os.open(temporary, flags, 0o666)
        except FileNotFoundError:
            Path(folder).mkdir(parents=True, exist_ok=True)
            handle = os.open(temporary, flags, 0o666)
    except FileExistsError:
        return _write_temporary(Path(path), b"".join(blocks()), sync=sync)
    try:
        # Straight to the descriptor: a buffered file object a page was a tenth of its write.
        try:
            for block in blocks():
                _write_all(handle, block)
            if sync:
                os.fsync(handle)
        finally:
            os.close(handle)
        if mode is not None and mode != 0o666 & ~_UMASK:
            os.chmod(temporary, mode)  # the file's own permissions, as _write_temporary keeps them
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_PID: list[int] = []  # this process's id, once asked (a system call a file written, otherwise)


def _pid() -> int:
    if not _PID:
        _PID.append(os.getpid())
    return _PID[0]


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_PID.clear)  # a forked worker is another process


def _replace(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename, through a temporary file beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _write_temporary(path, data, sync=True)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _write_temporary(path: Path, data: bytes, *, sync: bool) -> Path:
    """``data`` in a new temporary file beside ``path``, with ``path``'s permissions."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if sync:
                stream.flush()
                os.fsync(stream.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~_UMASK
        os.chmod(temporary, mode)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_text_atomic(path: Path, text: str) -> bool:
    """``write_atomic`` for UTF-8 text, written exactly as given (no newline translation)."""
    return write_atomic(path, text.encode("utf-8"))


def _umask() -> int:
    """The process's umask. Reading it means setting it, which another thread would see:
    so it is read once, when the module is imported, before any step starts a thread."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()
