"""localize: publish every news article in many languages through gettext PO catalogs."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
