"""localize: publish every news article in many languages through gettext PO catalogs.

The library behind the ``localize`` command: each function runs one step over
a content tree and returns a report; nothing here prints.
"""

from __future__ import annotations

from localize._version import __version__
from localize.config import Config, find_project, load_config
from localize.errors import CatalogError, ConfigError, LanguageError, LocalizeError, SourceError
from localize.steps.check import check
from localize.steps.extract import extract
from localize.steps.importing import import_article
from localize.steps.init import init_languages
from localize.steps.memory import export_memory, import_memory
from localize.steps.merge import merge
from localize.steps.status import status

__all__ = [
    "CatalogError",
    "Config",
    "ConfigError",
    "LanguageError",
    "LocalizeError",
    "SourceError",
    "__version__",
    "check",
    "export_memory",
    "extract",
    "find_project",
    "import_article",
    "import_memory",
    "init_languages",
    "load_config",
    "merge",
    "status",
]
