"""Writing files so that nothing is ever half-written and nothing changes needlessly."""

from __future__ import annotations

import os
import tempfile
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


def write_if_changed(
    path: Path, data: bytes | str, *, check: bool = False, shown: Path | None = None, note: str = "",
) -> FileChange:
    """Write ``data`` (text as UTF-8) to ``path`` unless it holds exactly that: the one write path.

    The change is reported as ``shown`` (by default ``path``). With ``check``,
    nothing is written: the change says what a write would do.
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
    if not check:
        _replace(path, data)
    return FileChange(shown, CREATED if old is None else UPDATED, note)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that.

    The bytes go to a temporary file in the same folder, which then replaces
    ``path`` in one rename: a reader or a killed process sees the old file or
    the new one, never a torn one. Returns whether anything was written, so
    that an unchanged file keeps its modification time.
    """
    return write_if_changed(path, data).status != UNCHANGED


def _replace(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename, through a temporary file beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
