"""localize: publish every news article in many languages through gettext PO catalogs.

The library behind the ``localize`` command: each function runs one step over
a content tree and returns a report; nothing here prints.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from localize._version import __version__

# Each name is imported when first used (PEP 562), so that a command loads only the steps it runs:
# importing every step cost half a second before any work.
_HOMES = {
    "Config": "localize.config",
    "find_project": "localize.config",
    "load_config": "localize.config",
    "CatalogError": "localize.errors",
    "ConfigError": "localize.errors",
    "LanguageError": "localize.errors",
    "LocalizeError": "localize.errors",
    "SourceError": "localize.errors",
    "check": "localize.steps.check",
    "extract": "localize.steps.extract",
    "import_article": "localize.steps.importing",
    "init_languages": "localize.steps.init",
    "export_memory": "localize.steps.memory",
    "import_memory": "localize.steps.memory",
    "merge": "localize.steps.merge",
    "status": "localize.steps.status",
}

if TYPE_CHECKING:
    from localize.config import Config, find_project, load_config
    from localize.errors import CatalogError, ConfigError, LanguageError, LocalizeError, SourceError
    from localize.steps.check import check
    from localize.steps.extract import extract
    from localize.steps.importing import import_article
    from localize.steps.init import init_languages
    from localize.steps.memory import export_memory, import_memory
    from localize.steps.merge import merge
    from localize.steps.status import status


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'localize' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


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
