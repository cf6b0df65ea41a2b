"""localize: publish every news article in many languages through gettext PO catalogs.

The library behind the ``localize`` command: each function runs one step over
a content tree and returns a report; nothing here prints.
"""

from __future__ import annotations

# Before the imports below: fetch.py names the version in its User-Agent.
__version__ = "0.1.0"

from localize.config import Config, find_project, load_config  # noqa: E402
from localize.errors import CatalogError, ConfigError, LanguageError, LocalizeError, SourceError  # noqa: E402
from localize.project import check, export_memory, extract, import_article, import_memory, init_languages, merge, status  # noqa: E402

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
