"""The steps as one module, as they were before ``localize.steps`` held one module per command.

Kept so that code written against ``localize.project`` goes on working; new code
imports ``localize.steps.NAME``.
"""

from __future__ import annotations

from localize.files import CREATED, REMOVED, UNCHANGED, UPDATED, FileChange
from localize.publish import MergePolicy
from localize.steps.check import CatalogCheck, CheckReport, check
from localize.steps.extract import CatalogUpdate, ExtractPolicy, ExtractReport, extract
from localize.steps.importing import import_article
from localize.steps.init import InitReport, init_languages
from localize.steps.memory import (
    MEMORY_FOLDER,
    ImportedMemory,
    MemoryExport,
    MemoryImport,
    export_memory,
    import_memory,
    language_memory,
    memory_path,
)
from localize.steps.merge import LanguageSummary, MergeReport, merge
from localize.steps.status import MISSING, ORPHAN, ArticleStatus, LanguageStatus, StatusReport, status

__all__ = [
    "CREATED", "MISSING", "MEMORY_FOLDER", "ORPHAN", "REMOVED", "UNCHANGED", "UPDATED",
    "ArticleStatus", "CatalogCheck", "CatalogUpdate", "CheckReport", "ExtractPolicy", "ExtractReport",
    "FileChange", "ImportedMemory", "InitReport", "LanguageStatus", "LanguageSummary", "MemoryExport",
    "MemoryImport", "MergePolicy", "MergeReport", "StatusReport",
    "check", "export_memory", "extract", "import_article", "import_memory", "init_languages", "language_memory",
    "memory_path", "merge", "status",
]
