"""Turning the bytes of a page or a text file into text.

Cyrillic news sites still serve windows-1251 and KOI8-R, often without
saying so, or saying so only in a ``<meta>`` tag. The order follows what
browsers do: a byte order mark, then the charset the server declared, then
the page's own ``<meta charset>`` (HTML only), then UTF-8 if the bytes are
valid UTF-8, then statistical detection (charset-normalizer, which requests
already brings).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# Pages labelled Latin-1 are windows-1252 in every browser (WHATWG Encoding Standard).
_BROWSER_ALIASES = {"iso-8859-1": "windows-1252", "latin-1": "windows-1252", "ascii": "windows-1252", "us-ascii": "windows-1252"}


def decode(content: bytes, *, declared: str | None = None, html: bool = False) -> str:
    """``content`` as text, from its BOM, ``declared`` charset, ``<meta>`` charset or its bytes."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content.decode(name, errors="replace").lstrip("\ufeff")
    for label in (declared, _meta_charset(content) if html else None):
        codec = _codec(label)
        if codec is not None:
            return content.decode(codec, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(content[: 256 * 1024]).best()
    codec = _codec(best.encoding) if best is not None else None
    return content.decode(codec or "windows-1252", errors="replace")


def _meta_charset(content: bytes) -> str | None:
    match = _META_CHARSET.search(content[:4096])
    return match.group(1).decode("ascii") if match else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _BROWSER_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None
