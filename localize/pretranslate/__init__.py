"""Machine pre-translation: ``localize pretranslate`` fills untranslated entries with fuzzy suggestions.

The package is split by concept: ``settings`` (``[tool.localize.pretranslate]``),
``markup`` (what an engine must not touch), ``engines`` (the wire protocols),
``answers`` (the cache of what engines answered), ``provenance`` (how an entry
says a machine wrote it) and ``step`` (the command over a tree). Nothing is
imported here, so that reading ``provenance`` does not load an HTTP client.
"""
