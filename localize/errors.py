"""The errors a user sees without a traceback.

Anything else that escapes is a bug in localize and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class LocalizeError(Exception):
    """A problem with the user's input, reported as one line.

    ``path`` and the 1-based ``line`` say where, when there is a place.
    """

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class ConfigError(LocalizeError):
    """The configuration or the layout of the content tree is wrong."""


class SourceError(LocalizeError):
    """A source article cannot be read: encoding, front matter, Markdown."""


class CatalogError(LocalizeError):
    """A PO or POT file cannot be read."""


class LanguageError(LocalizeError):
    """A language code that Babel does not know."""
