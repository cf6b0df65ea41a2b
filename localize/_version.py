"""The version alone, so that no module has to import the package root for it."""

from __future__ import annotations

__version__ = "0.1.0"
